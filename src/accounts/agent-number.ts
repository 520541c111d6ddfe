// 工号 (agent number): one rule for the whole product. A 工号 is what the agent reads out in the
// greeting ("中华保险 1024 号为您服务", seed 002: "***号为您服务", "我的工号是***号"; seed 001:
// "客服[姓名/工号]"): a number, said digit by digit. Every brand's playbook gives its form as
// digits (`brand.agentNumber.pattern`: 3–6 digits, quanjiale's 018 with its leading zero). So:
// 2 to 8 ASCII digits, leading zeros kept (018 is not 18); full-width digits (１０２４, as a
// Chinese input method types them) are read as the same; spaces around it are dropped.
//
// Checked where a person types a 工号: an account's, and a complaint's agent (a 工号 outside the
// rule would match no account, so a complaint "about A07" would name nobody): refused, saying
// what is expected. What machines send is taken as given: a CTI event's agent id or a call
// file's (A07, a SIP extension) is stored and inspected as it is — refusing it would drop the
// call itself (its answer and hang-up then refused too) or a whole archive of calls; such a
// call reaches no console, as an id no account holds always has. Filters only look up, so they
// take any id (`agentFilterSchema`).
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

/**
 * A filter by agent (calls, dashboards, appeals): only a lookup, so any id a call may be stored
 * under is taken — a 工号 by the rule, and the ids telephone systems and call files give as
 * they are (A07, 7, SIP extensions): folded like a 工号 (spaces around it, full-width digits),
 * 1 to 128 characters.
 */
export const agentFilterSchema = z.string().transform((v, ctx): string => {
  const folded = foldAgentNumber(v);
  if (folded.length >= 1 && folded.length <= 128) return folded;
  ctx.addIssue({
    code: 'custom',
    message: `found ${shown(v)}; expected the agent's 工号 or the id a call was stored under (1 to 128 characters)`,
    params: { zh: `收到 ${shown(v)}；请输入坐席工号或通话记录中的坐席编号（1 到 128 个字符）` },
  });
  return z.NEVER;
});
