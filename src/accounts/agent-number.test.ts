// The 工号 rule (one for the product): digits as read out in the greeting, full width folded,
// leading zeros kept; a filter also takes the older ids with letters that stored rows may hold.
import { describe, expect, it } from 'vitest';
import { agentFilterSchema, agentNumberSchema } from './agent-number.ts';

describe('the 工号 rule', () => {
  it('takes 2 to 8 digits as typed or sent, and keeps leading zeros', () => {
    for (const [input, stored] of [
      ['1024', '1024'],
      [' 018 ', '018'],
      ['１０２４', '1024'],
      ['07', '07'],
      ['12345678', '12345678'],
      [1024, '1024'],
    ] as const)
      expect(agentNumberSchema.parse(input), String(input)).toBe(stored);
  });

  it('refuses anything else, saying what was found and what is expected, in English and Chinese', () => {
    for (const input of ['A07', '7', '123456789', '10 24', '', '李娜', -1, 10.5]) {
      const r = agentNumberSchema.safeParse(input);
      expect(r.success, String(input)).toBe(false);
      const issue = r.error?.issues[0] as { message: string; params?: { zh?: string } };
      expect(issue.message, String(input)).toContain('2 to 8 digits');
      if (typeof input === 'string') expect(issue.params?.zh).toContain('工号应为 2 到 8 位数字');
    }
  });

  it('lets a filter look up any id a call may be stored under, folded like a 工号', () => {
    expect(agentFilterSchema.parse('A07')).toBe('A07');
    expect(agentFilterSchema.parse(' SIP/7 ')).toBe('SIP/7');
    expect(agentFilterSchema.parse('7')).toBe('7');
    expect(agentFilterSchema.parse('１０２４')).toBe('1024');
    for (const input of ['', '   ', 'x'.repeat(129)])
      expect(agentFilterSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
  });
});
