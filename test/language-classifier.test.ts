// The forbidden-language classifier (src/qa/language-classifier.ts): the shipped model is what
// `npm run train:language` makes of the development lines; a broken model file is refused at load
// with what is wrong; in a call it finds the whole line as evidence, gives way to a pattern's words
// on the same turn, leaves the rule's harmless readings (`unless`), and live assist alerts it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { languageTrainingLines } from '../scripts/train-language.ts';
import type { Call } from '../src/calls/model.ts';
import { LiveRules } from '../src/live/alerts.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import {
  CLASSIFIED_RULES,
  LanguageModelError,
  languageClassifier,
  loadLanguageClassifier,
  type StoredLanguageModel,
} from '../src/qa/language-classifier.ts';
import { trainLanguageModel } from '../src/qa/language-train.ts';
import { noteInEnglish } from '../src/qa/note-text.ts';
import { loadScorecard, parseScorecard } from '../src/qa/scorecard.ts';

const shippedText = readFileSync(new URL('../src/qa/language-model.json', import.meta.url), 'utf8');
const shipped = JSON.parse(shippedText) as StoredLanguageModel;
const bit = (rule: (typeof CLASSIFIED_RULES)[number]) => 1 << CLASSIFIED_RULES.indexOf(rule);

describe('the shipped model', () => {
  it('is what npm run train:language makes of the development lines and the playbooks, byte for byte', () => {
    const { examples } = languageTrainingLines();
    expect(`${JSON.stringify(trainLanguageModel(examples))}\n`).toBe(shippedText);
  }, 60_000);

  it('reads lines of the check parts, never trained on, and leaves playbook lines and short ones', () => {
    const c = languageClassifier();
    // batch-s12-check.yaml and batch-s24-check.yaml: no pattern holds these words.
    expect(c.flags('这个问题我也是一知半解。') & bit('vague')).not.toBe(0);
    expect(c.flags('夜班就俩人接电话,真转不过来,所以才没接上您的。') & bit('excuse')).not.toBe(0);
    expect(c.flags('感谢您的耐心等待,您的问题已经为您登记,我们会在24小时内回复您。')).toBe(0);
    expect(c.flags('您好!')).toBe(0);
    // Traditional script reads as Simplified.
    expect(c.flags('這個問題我也是一知半解。')).toBe(c.flags('这个问题我也是一知半解。'));
  });
});

describe('a broken model file is refused at load, saying what is wrong', () => {
  const broken = (change: (m: StoredLanguageModel) => void) => {
    const m = structuredClone(shipped);
    change(m);
    return () => loadLanguageClassifier(m);
  };
  it.each([
    ['format', (m: StoredLanguageModel) => Object.assign(m, { format: 'other/1' }), /format other\/1/],
    ['buckets', (m: StoredLanguageModel) => Object.assign(m, { buckets: 1024 }), /1024 buckets.*retrain/],
    ['rules', (m: StoredLanguageModel) => m.rules.pop(), /rules vague, excuse, blame, expected/],
    [
      'threshold',
      (m: StoredLanguageModel) => Object.assign(m.rules[0] as object, { threshold: 1.5 }),
      /rule vague: threshold 1.5/,
    ],
    [
      'bucket order',
      (m: StoredLanguageModel) => (m.rules[1] as { index: number[] }).index.reverse(),
      /rule excuse: bucket \d+ \(entry 1\) out of order/,
    ],
    [
      'weight',
      (m: StoredLanguageModel) => ((m.rules[2] as { weight: number[] }).weight[0] = 40000),
      /rule blame: weight 40000 \(entry 0\) is not a 16-bit integer/,
    ],
  ])('%s', (_name, change, message) => {
    const load = broken(change);
    expect(load).toThrow(LanguageModelError);
    expect(load).toThrow(message);
  });
});

it('trains the same file twice from the same lines, another from other lines', () => {
  const lines = [
    { text: '这个我也不清楚,您自己再看看吧', fails: ['vague', 'blame'] as const },
    { text: '我们系统太卡了,所以没给您办', fails: ['excuse'] as const },
    { text: '您应该早点来办,这是常识', fails: ['lecture'] as const },
    { text: '好的,我马上为您查询', fails: [] },
    { text: '感谢您的耐心等待', fails: [] },
    { text: '请问还有其他可以帮您的吗', fails: [] },
  ];
  const options = { epochs: 3, folds: 2 };
  const a = JSON.stringify(trainLanguageModel(lines, options));
  expect(JSON.stringify(trainLanguageModel(lines, options))).toBe(a);
  expect(JSON.stringify(trainLanguageModel(lines.slice(1), options))).not.toBe(a);
});

describe('in a call', () => {
  const inspector = new Inspector(loadScorecard(), Catalog.load());
  const call = (...agent: string[]): Call => ({
    id: 'lc',
    brand: 'generic',
    direction: 'inbound',
    events: [],
    turns: agent.flatMap((a) => [
      { speaker: 'customer' as const, text: '请问这个怎么处理?' },
      { speaker: 'agent' as const, text: a },
    ]),
  });
  const findings = (c: Call, rule: string) =>
    inspector
      .inspect(c)
      .findings.filter((f) => f.rule === rule)
      .map((f) => ({ turn: f.turn, evidence: f.evidence }));

  it('fails the rule with the whole line as evidence, in English too', () => {
    const line = '这个问题我也是一知半解。';
    expect(findings(call('好的,我看一下', line), 'language.forbidden.vague')).toEqual([
      { turn: 3, evidence: `${line} (整句判定)` },
    ]);
    expect(noteInEnglish('整句判定')).toBe('judged on the whole line');
  });

  it('blaming and lecturing lines fail provoking too, as their patterns do', () => {
    const line = '押金当时就说了不退的,签字的时候也没见您问。';
    expect(findings(call(line), 'language.forbidden.blame')).toHaveLength(1);
    expect(findings(call(line), 'language.forbidden.provoking')).toEqual([
      { turn: 1, evidence: `${line} (整句判定)` },
    ]);
  });

  it('gives way to the words a pattern found on the same turn', () => {
    // 不知道 is the seed's own word: the pattern's evidence, not the whole line.
    const c = call('这个我真不知道,系统里也查不到');
    expect(findings(c, 'language.forbidden.vague')).toEqual([{ turn: 1, evidence: '不知道' }]);
  });

  it("leaves the rule's harmless readings the scorecard names (unless)", () => {
    for (const line of ['不是您这边的问题', '只要是您没有确认的订单,系统会在24小时后自动取消'])
      expect(findings(call(line), 'language.forbidden.blame'), line).toEqual([]);
    expect(findings(call('您的卡过期了,所以没扣款成功'), 'language.forbidden.excuse')).toEqual([]);
    expect(findings(call('大概两个小时能修好。'), 'language.forbidden.vague')).toEqual([]);
  });

  it('live assist alerts it on the turn it was said', () => {
    const c = call('好的,我看一下', '这个问题我也是一知半解。');
    const rules = new LiveRules(inspector);
    const alerts = rules.alertsFor(c, 3).filter((a) => a.rule === 'language.forbidden.vague');
    expect(alerts.map((a) => ({ turn: a.turn, evidence: a.evidence }))).toEqual([
      { turn: 3, evidence: '这个问题我也是一知半解。 (整句判定)' },
    ]);
  });
});

describe('the scorecard condition', () => {
  const card = (classifier: object) => `
version: 1
rules:
  - id: language.test
    title: 测试
    deduct: { perOccurrence: 5, cap: 10 }
    suggest: 我来帮您查询
    expect:
      classifier: ${JSON.stringify(classifier)}
`;
  it('names a rule the classifier reads', () => {
    expect(() => parseScorecard(card({ none: 'rude' }), 'x.yaml')).toThrow(
      /classifier\.none.*expected one of: vague, excuse, blame, lecture/,
    );
  });
  it('takes only valid patterns in unless', () => {
    expect(() => parseScorecard(card({ none: 'vague', unless: '(' }), 'x.yaml')).toThrow(
      /classifier\.unless.*regular expression/,
    );
  });
});
