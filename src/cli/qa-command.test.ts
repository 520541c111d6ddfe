// How `huashu qa` marks the evidence in plain (uncoloured) output.
import { describe, expect, it } from 'vitest';
import { markEvidence } from './qa-command.ts';

describe('markEvidence', () => {
  it('marks with 【】 when the text has no such bracket', () => {
    expect(markEvidence('请您', '稍等', '一下')).toBe('请您【稍等】一下');
  });

  it('takes another pair when the text itself says 【】, so the mark stays unambiguous', () => {
    expect(markEvidence('点【我的保单】，', '不知道', '')).toBe('点【我的保单】，〖不知道〗');
    expect(markEvidence('〖a〗【b】', '你', '')).toBe('〖a〗【b】⟦你⟧');
  });

  it('escapes the text’s own brackets when it uses every pair', () => {
    expect(markEvidence('【〖⟦〘\\', '你', '】')).toBe('\\【〖⟦〘\\\\【你】\\】');
  });
});
