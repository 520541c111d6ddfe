// The customer search takes a number in any spelling.
import { describe, expect, it } from 'vitest';
import { phoneDigits } from '../../web/src/lib/phone.ts';

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
});
