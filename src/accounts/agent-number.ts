// 工号 (agent number): one rule for the whole product. A 工号 is what the agent reads out in the
// greeting ("中华保险 1024 号为您服务", seed 002: "***号为您服务", "我的工号是***号"; seed 001:
// "客服[姓名/工号]"): a number, said digit by digit. Every brand's playbook gives its form as
// digits (`brand.agentNumber.pattern`: 3–6 digits, quanjiale's 018 with its leading zero). So:
// 2 to 8 ASCII digits, leading zeros kept (018 is not 18); full-width digits (１０２４, as a
// Chinese input method types them) are read as the same; spaces around it are dropped.
//
// Checked wherever a 工号 comes in: accounts, a complaint's agent, CTI events, call files,
// filters. A 工号 outside the rule would match no account, so a call rung to "A07" would reach
// no console and a complaint "about A07" would name nobody: refused, saying what is expected.
// Stored values are never re-checked on the way out: calls, reviews and tickets stored before
// the rule (agent "A07" from an older telephone system) load and display as they are, and the
// filters still find them (`agentFilterSchema`).
import { z } from 'zod';

/** The rule: 2 to 8 digits. */
export const AGENT_NUMBER = /^\d{2,8}$/;

export const AGENT_NUMBER_MESSAGE = {
  en: 'expected a 工号 (agent number) of 2 to 8 digits, e.g. 1024 or 018 (full-width digits are read as the same)',
  zh: '工号应为 2 到 8 位数字，例如 1024 或 018（全角数字按半角读）',
};

/** A 工号 as typed: spaces around it dropped, full-width digits as ASCII. */
export function foldAgentNumber(input: string): string {
  return input.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** True for a 工号 in its stored form (already folded). */
export function isAgentNumber(value: string): boolean {
  return AGENT_NUMBER.test(value);
}

const shown = (v: unknown) => JSON.stringify(String(v).slice(0, 20));

/**
 * A 工号 in a request or a file: a string, or a whole number as telephone systems send it
 * (1024, not "1024"), folded, then held to the rule; the refusal says what is expected, in
 * English (`message`) and Chinese (`params.zh`, the API's Chinese answer). What was found is
 * not repeated here: call files put "found …;" before every message themselves.
 */
export const agentNumberSchema = z
  // Any number is let through to the rule, which then refuses -1 or 10.5 with its own words.
  .union([z.string(), z.number()], {
    error: AGENT_NUMBER_MESSAGE.en,
  })
  .transform((v, ctx): string => {
    const folded = foldAgentNumber(String(v));
    if (isAgentNumber(folded)) return folded;
    ctx.addIssue({
      code: 'custom',
      message: AGENT_NUMBER_MESSAGE.en,
      params: { zh: AGENT_NUMBER_MESSAGE.zh },
    });
    return z.NEVER;
  });

/** Older ids a telephone system or call file may have stored before the rule (A07, ag-12). */
const STORED_BEFORE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/**
 * A filter by agent (calls, dashboards, appeals): a 工号 by the rule, or an id of the form
 * stored before the rule (letters, A07), so that calls stored under it are still found; digits
 * outside the rule (1, 123456789) and anything else (李, spaces inside) are refused like a 工号.
 */
export const agentFilterSchema = z.string().transform((v, ctx): string => {
  const folded = foldAgentNumber(v);
  if (isAgentNumber(folded) || (STORED_BEFORE.test(folded) && !/^\d+$/.test(folded))) return folded;
  ctx.addIssue({
    code: 'custom',
    message: `found ${shown(v)}; ${AGENT_NUMBER_MESSAGE.en} (an older id with letters, such as A07, finds what was stored under it)`,
    params: {
      zh: `收到 ${shown(v)}；${AGENT_NUMBER_MESSAGE.zh}（含字母的旧编号如 A07 可查到以其存储的记录）`,
    },
  });
  return z.NEVER;
});
