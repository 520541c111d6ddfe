// `callResultJson` must give JSON.stringify's text for every result the engine makes: the
// default scorecard over calls with failures, whole-call findings, names and words that JSON
// escapes (quotes, backslashes, control characters, a lone surrogate) and no agent.
import { describe, expect, it } from 'vitest';
import type { Call, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import { type CallResult, callResultJson } from './result.ts';
import { loadScorecard } from './scorecard.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const a = (text: string, start?: number, end?: number): Turn => ({ speaker: 'agent', text, start, end });
const c = (text: string, start?: number, end?: number): Turn => ({ speaker: 'customer', text, start, end });

const calls: Call[] = [
  {
    id: 'q"1\\',
    direction: 'inbound',
    brand: 'zhonghua',
    agent: { id: '1024', name: '王"小\\明\u0001' },
    events: [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 30_000 },
      { type: 'hangup', at: 90_000, by: 'agent' },
    ],
    turns: [
      a('喂,你说', 30_000, 31_000),
      c('我投诉了三次都没人管, 你们什么态度\ud800', 31_500, 36_000),
      a('这个不归我们管, 你去别处问吧 "真的"', 36_500, 40_000),
      c('谢谢', 40_500, 41_000),
    ],
  },
  { id: 'empty', direction: 'outbound', events: [], turns: [] },
  {
    id: 'chat\u2028',
    direction: 'inbound',
    channel: 'chat',
    brand: 'generic',
    agent: {},
    events: [],
    turns: [c('你好, 在吗'), a('您好,很高兴为您服务'), c('好的\n谢谢'), a('不客气, 再见')],
  },
];

describe('callResultJson', () => {
  it('is JSON.stringify of the result, rule by rule and finding by finding', () => {
    const results: CallResult[] = calls.map((x) => inspector.inspect(x));
    expect(results[0]?.findings.length).toBeGreaterThan(0);
    expect(results[0]?.rules.some((r) => r.outcome === 'fail')).toBe(true);
    expect(results[1]?.agent).toBeNull();
    // Twice: the second time from the texts escaped the first.
    for (let k = 0; k < 2; k++) for (const r of results) expect(callResultJson(r)).toBe(JSON.stringify(r));
  });

  it('writes a score that is not finite as JSON does', () => {
    const r: CallResult = {
      id: 'x',
      brand: 'b',
      agent: null,
      score: Number.NaN,
      fatal: true,
      rules: [],
      findings: [],
    };
    expect(callResultJson(r)).toBe(JSON.stringify(r));
  });

  it('writes numbers as JSON does: fractions, negatives, -0 and whole numbers past 32 bits', () => {
    const r: CallResult = {
      id: 'n',
      brand: 'b',
      agent: { id: '7' },
      score: 87.5,
      fatal: false,
      rules: [{ id: 'x', outcome: 'fail', points: -2.5, occurrences: 3 }],
      findings: [
        { rule: 'x', turn: 0, start: -0, end: 2 ** 31 + 5, evidence: 'e', seed: 's', suggestion: 't' },
        {
          rule: 'x',
          turn: null,
          start: 1e21,
          end: Number.POSITIVE_INFINITY,
          evidence: 'e',
          seed: 's',
          suggestion: 't',
        },
      ],
    };
    expect(callResultJson(r)).toBe(JSON.stringify(r));
  });
});
