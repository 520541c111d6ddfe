// One rule set, one result: every example call of examples/ (and the calls of batch.jsonl) fed
// turn by turn to live assist's rules with the default scorecard. Every alert raised during the
// call is a finding of the same rule on the same turn (same words, same correct line) at
// hang-up, and the alerts catch what a QA inspector would have flagged as the agent said it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, readCallFile } from '../src/calls/import.ts';
import type { Call } from '../src/calls/model.ts';
import { LiveRules } from '../src/live/alerts.ts';
import type { TurnAlert } from '../src/live/model.ts';
import { type FoundMemo, Settler } from '../src/live/settled.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { Hit } from '../src/qa/evaluation.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { seededRandom as rng } from '../src/shared/random.ts';
import { normalize } from '../src/text/normalize.ts';

const EXAMPLES = resolve(import.meta.dirname, '../examples');
const inspector = new Inspector(loadScorecard(), Catalog.load());

const { files } = await expandInputs([EXAMPLES]);
const calls: Call[] = [];
for (const file of files) for await (const r of readCallFile(file)) if (r.ok) calls.push(r.call);

/** The call as live assist sees it after turn k: its turns so far and the events until then. */
function soFar(call: Call, k: number): Call {
  const t = call.turns[k];
  const until = t?.end ?? t?.start;
  return {
    ...call,
    turns: call.turns.slice(0, k + 1),
    events: until === undefined ? call.events : call.events.filter((e) => e.at <= until),
  };
}

/**
 * Every alert of a call fed as a flow feeds it (replay order: an event before a turn starting at
 * or after it), with the turn that raised it — for a CTI event's alert, the last turn before it.
 */
function live(rules: LiveRules, call: Call): { at: number; alert: TurnAlert }[] {
  const out: { at: number; alert: TurnAlert }[] = [];
  let e = 0;
  let key = 0;
  const events = (upTo: number, lastTurn: number) => {
    for (; e < call.events.length && (call.events[e]?.at ?? 0) <= upTo; e++)
      for (const alert of rules.alertsAt(call, e)) out.push({ at: lastTurn, alert });
  };
  call.turns.forEach((t, k) => {
    key = t.start ?? key;
    events(key, k - 1);
    if (t.speaker !== 'agent') return;
    for (const alert of rules.alertsFor(soFar(call, k), k)) out.push({ at: k, alert });
  });
  events(Number.POSITIVE_INFINITY, call.turns.length - 1);
  return out;
}

/**
 * The rules settled on each prefix of the call give what the Inspector gives for that prefix,
 * evaluated anew and turn by turn (what the earlier turns found reused).
 */
function sameAsInspector(call: Call) {
  const memo: FoundMemo = new Map();
  for (let k = 0; k < call.turns.length; k++) {
    const prefix = soFar(call, k);
    const compiled = inspector.compiledFor(prefix);
    const turns = prefix.turns.map((t) => normalize(t.text));
    const results = compiled.inspect(prefix, turns, inspector.detector).results;
    const expected = compiled.scorecardRules.map((r, i) => [r.id, results[i]] as const);
    const hits: Hit[][] = [];
    compiled.scan(turns, hits);
    const ctx = () => compiled.context(prefix, turns, hits, inspector.detector);
    const anew = new Settler(compiled, ctx(), { timingsStay: true }).rules();
    const reusing = new Settler(compiled, ctx(), { timingsStay: true }, memo).rules();
    for (const [id, r] of expected) {
      expect(anew.get(id)?.result, `${call.id}: ${id} after turn ${k}`).toEqual(r);
      expect(reusing.get(id)?.result, `${call.id}: ${id} after turn ${k}, turn by turn`).toEqual(r);
    }
  }
}

describe('alerts per agent turn (default scorecard, every example call)', () => {
  it('reads the examples (json, jsonl, txt)', () => {
    expect(calls.length).toBeGreaterThanOrEqual(30);
  });

  it.each(calls.map((c) => [c.id, c] as const))('%s: every alert is a finding at hang-up', (_id, call) => {
    const rules = new LiveRules(inspector);
    const raised = live(rules, call);
    const final = rules.inspect(call);
    expect(final).toEqual(inspector.inspect(call));
    for (const { at, alert } of raised) {
      expect(alert.turn).toBeLessThanOrEqual(at);
      const finding = final.findings.find(
        (f) => f.rule === alert.rule && f.turn === alert.turn && f.evidence === alert.evidence,
      );
      expect(finding, `${alert.rule} on turn ${alert.turn} ("${alert.evidence}")`).toBeDefined();
      if (finding?.suggestion) expect(alert.suggestion).toBe(finding.suggestion);
      expect(alert.suggestion.length).toBeGreaterThan(0);
    }
    // Raised once: the same finding is not alerted again on a later turn.
    const keys = raised.map(({ alert: a }) => `${a.rule}|${a.turn}|${a.evidence}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(calls.map((c) => [c.id, c] as const))(
    '%s: the rules settled on each prefix give what the Inspector gives for it',
    (_id, call) => {
      sameAsInspector(call);
    },
  );

  it('alerts every per-turn failure on the turn it was said: forbidden words, 喂, 嗯, 对对对, 你', () => {
    const rules = new LiveRules(inspector);
    const perTurn = /^(language\.|opening\.no-wei|listen\.no-en|listen\.no-repeated-feedback)/;
    let checked = 0;
    for (const call of calls) {
      const raised = live(rules, call);
      for (const f of rules.inspect(call).findings) {
        if (!perTurn.test(f.rule) || f.turn === null) continue;
        checked++;
        const hit = raised.find(
          (r) => r.alert.rule === f.rule && r.alert.turn === f.turn && r.alert.evidence === f.evidence,
        );
        expect(hit, `${call.id}: ${f.rule} on turn ${f.turn}`).toBeDefined();
        // Alerted as the agent said it, with the playbook's line.
        expect(hit?.at).toBe(f.turn);
        if (f.suggestion) expect(hit?.alert.suggestion).toBe(f.suggestion);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('never alerts what the rest of the call can change: closing, hang-up, share, speech rate', () => {
    const rules = new LiveRules(inspector);
    const later = /^(closing\.|address\.title-overuse|speech\.rate|silence\.protocol)/;
    for (const call of calls) {
      for (const { alert } of live(rules, call)) expect(alert.rule).not.toMatch(later);
    }
  });

  it('alerts the greeting once the first agent turn is there, and the missing apology after its window', () => {
    const rules = new LiveRules(inspector);
    const all = calls.flatMap((call) => live(rules, call).map((r) => ({ ...r, call })));
    const greeting = all.filter((r) => r.alert.rule === 'opening.greeting');
    expect(greeting.length).toBeGreaterThan(0);
    for (const g of greeting) {
      const firstAgent = g.call.turns.findIndex((t) => t.speaker === 'agent');
      expect(g.at).toBe(firstAgent);
    }
    const apology = all.filter((r) => r.alert.rule === 'emotion.apology-on-complaint');
    expect(apology.length).toBeGreaterThan(0);
    // On the agent's reply that lacked it, the first agent turn after the customer's words.
    for (const a of apology) {
      expect(a.call.turns[a.alert.turn]?.speaker).toBe('agent');
      expect(a.call.turns[a.alert.turn - 1]?.speaker).toBe('customer');
    }
  });
});

const AGENT = [
  '您好,中华保险1024号为您服务',
  '喂,你好',
  '您好,我是客服小李',
  '好的,请您稍等,我帮您查一下',
  '我查一下',
  '让您久等了,已经查到了',
  '非常抱歉给您添麻烦了',
  '这个我也不清楚',
  '你到底想怎么样',
  '我刚才已说过了',
  '嗯,好的',
  '对对对',
  '不客气,很高兴为您服务',
  '请留下您的联系电话,我们两个工作日内给您答复',
  '稍后我给您回拨好吗',
  '请问您还有其他问题吗',
  '感谢您的来电,再见',
  '您说的是哪一份保单',
];
const CUSTOMER = [
  '我想查一下保单',
  '你们这个服务太差了',
  '我要投诉',
  '好的,谢谢',
  '在吗',
  '嗯',
  '那我等你们电话',
];

function generated(i: number, r: () => number): Call {
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)] ?? '';
  const timed = r() < 0.8;
  const turns: Call['turns'] = [];
  const events: Call['events'] = [
    { type: 'ring', at: 0 },
    { type: 'answer', at: Math.round(r() * 25_000) },
  ];
  let t = 26_000;
  const n = 2 + Math.floor(r() * 22);
  for (let k = 0; k < n; k++) {
    const speaker = r() < 0.55 ? 'agent' : 'customer';
    const text = speaker === 'agent' ? pick(AGENT) : pick(CUSTOMER);
    // Some turns overlap the one before (interruptions).
    const start = t - (r() < 0.15 ? 1500 : 0);
    const end = start + 600 + text.length * 200;
    turns.push(timed ? { speaker, text, start, end } : { speaker, text });
    t = end + 300 + Math.round(r() * 4000);
    if (r() < 0.12) {
      const len = Math.round(r() * 90_000);
      events.push({ type: 'hold', at: t }, { type: 'unhold', at: t + len });
      t += len + 500;
    }
  }
  events.push({ type: 'hangup', at: t, by: r() < 0.7 ? 'customer' : 'agent' });
  const brand = pick(['zhonghua', 'generic', 'quanjiale']);
  return {
    id: `gen-${i}`,
    brand,
    direction: r() < 0.8 ? 'inbound' : 'outbound',
    agent: { id: '1024' },
    events,
    turns,
  };
}

describe('alerts per agent turn (default scorecard, generated calls)', () => {
  const r = rng(20261130);
  const many = Array.from({ length: 200 }, (_, i) => generated(i, r));

  it('every alert is a finding of the same rule on the same turn at hang-up', () => {
    const rules = new LiveRules(inspector);
    let alerts = 0;
    const byRule = new Map<string, number>();
    for (const call of many) {
      const raised = live(rules, call);
      const final = rules.inspect(call);
      for (const { alert } of raised) {
        alerts++;
        byRule.set(alert.rule, (byRule.get(alert.rule) ?? 0) + 1);
        const finding = final.findings.find(
          (f) => f.rule === alert.rule && f.turn === alert.turn && f.evidence === alert.evidence,
        );
        expect(
          finding,
          `${call.id}: ${alert.rule} on turn ${alert.turn} ("${alert.evidence}")`,
        ).toBeDefined();
      }
    }
    // The calls exercise the per-turn rules, the windows and the holds.
    expect(alerts).toBeGreaterThan(300);
    for (const rule of ['language.nin', 'opening.greeting', 'hold.consent', 'emotion.apology-on-complaint'])
      expect(byRule.get(rule) ?? 0, rule).toBeGreaterThan(0);
  });

  it('the rules settled on each prefix give what the Inspector gives for it', () => {
    for (const call of many.slice(0, 80)) sameAsInspector(call);
  });
});
