import { describe, expect, it } from 'vitest';
import { maskDeep, maskText } from './mask.ts';

describe('masking personal numbers for logs', () => {
  it('masks mobile, landline and ID numbers, keeping what call centres read back', () => {
    expect(maskText('来电 13812345678 已接通')).toBe('来电 138****5678 已接通');
    expect(maskText('+86 13812345678')).toBe('138****5678');
    expect(maskText('身份证 11010119900307451X')).toBe('身份证 110101********451X');
    expect(maskText('座机 010-62345678')).toBe('座机 010-****5678');
  });

  it('leaves other numbers alone', () => {
    expect(maskText('工号 1024, 保单 2026112001, 金额 95585')).toBe('工号 1024, 保单 2026112001, 金额 95585');
  });

  it('masks every string in a log object', () => {
    expect(maskDeep({ call: { phone: '13912345678', turns: ['我的手机是13912345678'] } })).toEqual({
      call: { phone: '139****5678', turns: ['我的手机是139****5678'] },
    });
  });
});
