// Whose turns a rule's evidence can be on, read from its `expect` alone: what an inspector may pin
// a finding the machine missed on (src/review). The operators put their evidence as follows —
// words on the turns of their role, a trigger's failure on the agent's reply (never on the
// customer's words that set it off), a `cases`/`trigger` `when` only chooses what applies,
// whole-call checks (answer, hang-up, direction, channel) on no turn — so the answer is a
// superset: a speaker left out can never carry the rule's evidence.
import type { Speaker } from '../calls/model.ts';
import type { Condition, Rule } from './scorecard-schema.ts';

const BOTH: readonly Speaker[] = ['agent', 'customer'];

function ofRole(role: 'agent' | 'customer' | 'any'): readonly Speaker[] {
  return role === 'any' ? BOTH : [role];
}

function collect(c: Condition, out: Set<Speaker>): void {
  const add = (list: readonly Speaker[]) => {
    for (const s of list) out.add(s);
  };
  if ('all' in c) for (const x of c.all) collect(x, out);
  else if ('any' in c) for (const x of c.any) collect(x, out);
  // A `not` fails on what its child passed on: the child's evidence, whichever it was.
  else if ('not' in c) collect(c.not, out);
  else if ('cases' in c) for (const k of c.cases) collect(k.then, out);
  else if ('trigger' in c) add(['agent']);
  else if ('phrases' in c) add(ofRole(c.phrases.role));
  else if ('regex' in c) add(ofRole(c.regex.role));
  else if ('classifier' in c) add(ofRole(c.classifier.role));
  else if ('count' in c) add(ofRole(c.count.role));
  else if ('share' in c) add(ofRole(c.share.role));
  else if ('agentNumber' in c) add(['agent']);
  else if ('interruption' in c) add([c.interruption.by]);
  else if ('speechRate' in c) add([c.speechRate.role]);
  else if ('repetition' in c) add([c.repetition.role]);
  else if ('situation' in c) add(['customer']);
  // The last turn, the turn after a gap, a text hold's return: whoever spoke it.
  else if ('lastSpeaker' in c || 'silence' in c) add(BOTH);
  else if ('holds' in c) {
    if (c.holds.before) add(['agent']);
    if (c.holds.after) collect(c.holds.after, out);
    if (c.holds.maxMs !== undefined) add(BOTH);
  }
  // direction, channel, hangupCause, answer, hangup: the whole call, no turn.
}

/**
 * The speakers whose turns a failure of the rule can point at, agent first; empty for a rule
 * about the whole call (answer speed, who hung up), whose findings have no turn.
 */
export function evidenceSpeakers(rule: Pick<Rule, 'expect'>): Speaker[] {
  const out = new Set<Speaker>();
  collect(rule.expect, out);
  return BOTH.filter((s) => out.has(s));
}
