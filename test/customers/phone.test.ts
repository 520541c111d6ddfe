// Phone numbers: every common spelling of one number gives one canonical form; anything that
// is not a mainland number is refused with a message that says what is expected.
import { describe, expect, it } from 'vitest';
import { callerNumber, formatPhone, isMaskedPhone, normalizePhone } from '../../src/customers/phone.ts';

const canonical = (s: string) => {
  const r = normalizePhone(s);
  if (!r.ok) throw new Error(`${s}: ${r.message}`);
  return [r.phone, r.kind];
};

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+86-13800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['＋８６　１３８－００１３－８０００', '13800138000'],
    ['013800138000', '13800138000'], // the trunk 0 a switch puts before another city's mobile
    ['  19912345678 ', '19912345678'],
  ])('mobile %s → %s', (input, expected) => {
    expect(canonical(input)).toEqual([expected, 'mobile']);
  });

  it.each([
    ['010-62345678', '01062345678'],
    ['(010) 6234 5678', '01062345678'],
    ['（010）62345678', '01062345678'],
    ['+86 10 6234 5678', '01062345678'],
    ['0086-21-62345678', '02162345678'],
    ['021-6234567', '0216234567'],
    ['0755-23456789', '075523456789'],
    ['+86 755 2345 6789', '075523456789'],
    ['０５７１－８７６５４３２１', '057187654321'],
  ])('landline %s → %s', (input, expected) => {
    expect(canonical(input)).toEqual([expected, 'landline']);
  });

  it.each([
    ['', 'empty'],
    ['abc', 'letters'],
    ['138001380001', '11 digits'],
    ['1380013800', '11 digits'],
    ['62345678', 'area code'],
    ['+852 9123 4567', 'outside mainland'],
    ['138****8000', 'masked'],
    ['95585', 'expected a mainland mobile'],
    ['010-1234567890123', 'expected a mainland mobile'],
    ['12345678901', '13–19'],
  ])('refuses %j (%s)', (input, words) => {
    const r = normalizePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(words);
  });

  it('is idempotent, and formats the way staff read numbers back', () => {
    for (const s of ['+86 138 0013 8000', '010-62345678', '0755-23456789']) {
      const once = normalizePhone(s);
      if (!once.ok) throw new Error(s);
      expect(normalizePhone(once.phone)).toEqual(once);
    }
    expect(formatPhone('13800138000')).toBe('138 0013 8000');
    expect(formatPhone('01062345678')).toBe('010-62345678');
    expect(formatPhone('075523456789')).toBe('0755-23456789');
  });

  it('keeps masked and foreign numbers of a call as given, and refuses garbage', () => {
    expect(isMaskedPhone('177****9036')).toBe(true);
    expect(isMaskedPhone('17700009036')).toBe(false);
    expect(callerNumber('+86 138 0013 8000')).toEqual({ kind: 'phone', phone: '13800138000' });
    expect(callerNumber('177****9036')).toEqual({ kind: 'as-given', value: '177****9036' });
    expect(callerNumber('+852 9123 4567')).toEqual({ kind: 'as-given', value: '+85291234567' });
    expect(callerNumber('not a number').kind).toBe('invalid');
  });
});
