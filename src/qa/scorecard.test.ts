import { describe, expect, it } from 'vitest';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import { evaluationOrder, loadScorecard, parseScorecard, ScorecardError } from './scorecard.ts';

const DEFAULT_RULE_IDS = [
  'opening.answer-speed',
  'opening.greeting',
  'opening.no-wei',
  'opening.wait-apology',
  'listen.no-interrupt',
  'listen.no-en',
  'language.filler',
  'listen.no-repeated-feedback',
  'hold.consent',
  'hold.limit',
  'hold.thanks-after',
  'language.forbidden.vague',
  'language.forbidden.provoking',
  'language.forbidden.rhetorical',
  'language.forbidden.excuse',
  'language.forbidden.hedge',
  'language.forbidden.blame',
  'language.forbidden.lecture',
  'language.nin',
  'address.title-overuse',
  'emotion.apology-on-complaint',
  'emotion.thanks-reply',
  'emotion.apology-reply',
  'emotion.long-wait-apology',
  'complaint.contact-and-deadline',
  'outbound.not-the-customer',
  'closing.more-questions',
  'closing.farewell',
  'closing.customer-first',
  'silence.protocol',
  'speech.rate',
];

function messages(text: string): string[] {
  try {
    parseScorecard(text, 's.yaml');
  } catch (err) {
    if (err instanceof ScorecardError) return err.issues.map((i) => `${i.line} ${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected the scorecard to be rejected');
}

const head = 'version: 1\nname: t\nphraseSets:\n  hi: [您好]\nrules:\n';
const ruleText = (id: string, expect: string) =>
  `  - id: ${id}\n    title: T\n    points: 1\n    sources: [{ seed: "002", section: "x" }]\n    expect: ${expect}\n`;

describe('the default scorecard', () => {
  it('has exactly the rule ids of the standards, each with its seed', () => {
    const sc = loadScorecard();
    expect(sc.rules.map((r) => r.id)).toEqual(DEFAULT_RULE_IDS);
    expect(sc.rules.every((r) => r.sources.length > 0)).toBe(true);
  });

  it('compiles against every shipped brand', () => {
    expect(() => new Inspector(loadScorecard(), Catalog.load()).warmUp()).not.toThrow();
  });
});

describe('invalid scorecards are rejected at load with file, line and field', () => {
  it('a misspelt operator', () => {
    const m = messages(head + ruleText('a.b', '{ phrase: { any: [您好] } }'));
    expect(m.join('\n')).toMatch(/^10 rules\[0\]\.expect: unknown field 'phrase'/m);
  });

  it('two operators in one condition', () => {
    expect(
      messages(head + ruleText('a.b', '{ answer: {}, hangup: { first: customer } }')).join('\n'),
    ).toContain('a condition is exactly one operator');
  });

  it('a mistake inside an operator, at its own path', () => {
    const m = messages(head + ruleText('a.b', '{ all: [{ phrases: { any: [您好], role: boss } }] }'));
    expect(m.join('\n')).toContain(
      'rules[0].expect.all[0].phrases.role: got "boss"; expected one of: agent, customer, any',
    );
  });

  it('a situation the detector does not know', () => {
    const m = messages(head + ruleText('a.b', '{ situation: { any: [complaint, angri] } }'));
    expect(m.join('\n')).toMatch(
      /rules\[0\]\.expect\.situation\.any\[1\]: got "angri"; expected one of: thanks, apology, complaint/,
    );
  });

  it("withTrigger outside a trigger's then (there is no trigger turn to add)", () => {
    const m = messages(head + ruleText('a.b', '{ phrases: { any: [电话], turns: { withTrigger: true } } }'));
    expect(m.join('\n')).toContain(
      "rules[0].expect.phrases.turns.withTrigger: withTrigger adds the turn that set a trigger off: use it only inside a trigger's then",
    );
    const inWhen = `{ trigger: { when: { phrases: { role: customer, any: [投诉], turns: { withTrigger: true } } }, then: { phrases: { any: [好] } } } }`;
    expect(messages(head + ruleText('a.b', inWhen)).join('\n')).toContain(
      'trigger.when.phrases.turns.withTrigger',
    );
    const inThen = `{ trigger: { when: { phrases: { role: customer, any: [投诉] } }, then: { phrases: { any: [好], turns: { withTrigger: true } } } } }`;
    expect(() => parseScorecard(head + ruleText('a.b', inThen), 's.yaml')).not.toThrow();
  });

  it('an unknown phrase set or playbook reference', () => {
    const m = messages(head + ruleText('a.b', '{ phrases: { any: [$bye, "@forbidden.rude"] } }'));
    expect(m.join('\n')).toContain("no phrase set 'bye' in phraseSets; known: hi");
    expect(m.join('\n')).toContain("unknown playbook reference '@forbidden.rude'");
  });

  it('a named condition: its phrase sets checked, no after/before a rule; the rules use it by its anchor', () => {
    const named = (c: string) =>
      `version: 1\nname: t\nphraseSets:\n  hi: [您好]\nconditions:\n  greeted: &greeted ${c}\nrules:\n`;
    expect(
      messages(named('{ phrases: { any: [$bye] } }') + ruleText('a.b', '*greeted')).join('\n'),
    ).toContain("conditions.greeted.phrases.any[0]: no phrase set 'bye' in phraseSets");
    expect(
      messages(
        named('{ phrases: { any: [$hi], turns: { after: a.b, within: 1 } } }') + ruleText('a.b', '*greeted'),
      ).join('\n'),
    ).toContain('a named condition is read on the whole call');
    const sc = parseScorecard(named('{ phrases: { any: [$hi] } }') + ruleText('a.b', '*greeted'), 's.yaml');
    expect(sc.conditions.greeted).toEqual(sc.rules[0]?.expect);
  });

  it('a phrase with an ASCII comma in a [ ] list, which YAML would split into two phrases', () => {
    const m = messages(`${head}${ruleText('a.b', '{ phrases: { any: [好的, 您好,请问] } }')}`);
    expect(m).toEqual([
      '10 rules[0].expect.phrases.any[1]: 您好,请问 reads as 2 items ("您好", "请问"): in a [ ] list a comma with no space after it separates items. ' +
        'If it is one phrase, quote it: "您好,请问" (or write the full-width comma: 您好，请问, which matches the same, ' +
        'or put it on its own line of a - list); if 2 items are meant, put a space after each comma: 您好, 请问',
    ]);
    expect(() =>
      parseScorecard(head + ruleText('a.b', '{ phrases: { any: [好的, "您好,请问"] } }'), 's.yaml'),
    ).not.toThrow();
  });

  it('an invalid regular expression', () => {
    expect(messages(head + ruleText('a.b', '{ regex: { any: "(unclosed" } }')).join('\n')).toContain(
      'expected a valid regular expression',
    );
  });

  it('duplicate rule ids, a reference to a missing rule, and a cycle', () => {
    const dup = messages(head + ruleText('a.b', '{ answer: {} }') + ruleText('a.b', '{ answer: {} }'));
    expect(dup.join('\n')).toContain("duplicate rule id 'a.b'");
    const missing = messages(head + ruleText('a.b', '{ phrases: { any: [您好], turns: { after: z.z } } }'));
    expect(missing.join('\n')).toContain("no rule 'z.z' in this scorecard");
    const cycle = messages(
      head +
        ruleText('a.b', '{ phrases: { any: [您好], turns: { after: c.d } } }') +
        ruleText('c.d', '{ phrases: { any: [您好], turns: { before: a.b } } }'),
    );
    expect(cycle.join('\n')).toContain('cycle: a.b → c.d → a.b');
  });

  it('a phrases operator without exactly one mode', () => {
    expect(messages(head + ruleText('a.b', '{ phrases: { any: [a], none: [b] } }')).join('\n')).toContain(
      'give exactly one of any, all, none, or of with atLeast/atMost',
    );
  });
});

describe('evaluation order', () => {
  it('puts a rule after the rules it positions itself against', () => {
    const sc = parseScorecard(
      head +
        ruleText('a.b', '{ phrases: { any: [您好], turns: { after: c.d } } }') +
        ruleText('c.d', '{ answer: {} }'),
      's.yaml',
    );
    expect(evaluationOrder(sc)).toEqual(['c.d', 'a.b']);
  });
});
