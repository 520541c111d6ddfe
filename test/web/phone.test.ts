// The customer search takes a number in any spelling.
import { describe, expect, it } from 'vitest';
import { formatPhone as spokenOnServer } from '../../src/customers/phone.ts';
import { formatPhone, phoneDigits } from '../../web/src/lib/phone.ts';

describe('a typed phone number', () => {
  it('comes down to the digits the API searches by, whatever the spelling', () => {
    for (const spelling of [
      '13800138000',
      '138 0013 8000',
      '138-0013-8000',
      '+86 138 0013 8000',
      '0086 13800138000',
      '８６１３８００１３８０００',
      '＋86 １３８-００１３-８０００',
    ])
      expect(phoneDigits(spelling), spelling).toBe('13800138000');
    expect(phoneDigits('(010) 6552-9988')).toBe('01065529988');
    expect(phoneDigits('8000')).toBe('8000'); // last digits (尾号)
    expect(phoneDigits('王')).toBeUndefined();
    expect(phoneDigits('12')).toBeUndefined();
  });

  it('is shown in one spelling, the one the exports use', () => {
    for (const stored of ['13800138000', '01065529988', '075512345678', '02112345678'])
      expect(formatPhone(stored), stored).toBe(spokenOnServer(stored));
    expect(formatPhone('13800138000')).toBe('138 0013 8000');
    expect(formatPhone('01065529988')).toBe('010-65529988');
    // Masked and foreign numbers as stored; none at all as a dash.
    expect(formatPhone('138****8000')).toBe('138****8000');
    expect(formatPhone('+85291234567')).toBe('+85291234567');
    expect(formatPhone(null)).toBe('—');
  });
});
