// A telephone system's hold is judged by its own times, wherever the turns lack theirs (issue 9
// §3): `huashu qa` and live assist's replay give the same hold findings, and what live assist
// alerted during the call is still found at hang-up.
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../src/calls/model.ts';
import { LiveRules } from '../src/live/alerts.ts';
import { createFlowFactory } from '../src/live/flow.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { CallResult } from '../src/qa/result.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { createSituationDetector } from '../src/situations/detect.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const a = (text: string, start?: number, end?: number): Turn => ({ speaker: 'agent', text, start, end });
const c = (text: string, start?: number, end?: number): Turn => ({ speaker: 'customer', text, start, end });
const HOLD: CallEvent[] = [
  { type: 'hold', at: 7000 },
  { type: 'unhold', at: 80_000 },
];
const call = (id: string, turns: Turn[]): Call => ({
  id,
  direction: 'inbound',
  brand: 'zhonghua',
  events: HOLD,
  turns,
});
const HOLD_RULES = ['hold.consent', 'hold.limit', 'hold.thanks-after'];
const outcomes = (r: CallResult) => HOLD_RULES.map((id) => r.rules.find((x) => x.id === id)?.outcome);

/** No consent asked before a 73 s hold, no callback offered and no thanks after it. */
const unasked = (untimed: Turn) =>
  call('untimed', [
    a('您好,中华保险1024号为您服务', 0, 3000),
    c('帮我查一下保单', 3500, 5000),
    a('我看一下', 5500, 6500),
    a('查到了,您的保单有效', 81_000, 84_000),
    untimed,
    a('还有什么可以帮您', 85_000, 87_000),
    c('没有了', 87_500, 88_000),
  ]);

describe('a telephone system hold among turns of which one has no times', () => {
  it('still fails consent, the limit and the thanks in huashu qa, as when every turn has times', () => {
    const timed = inspector.inspect(unasked(c('好的', 84_200, 84_600)));
    const oneUntimed = inspector.inspect(unasked(c('好的')));
    expect(outcomes(timed)).toEqual(['fail', 'fail', 'fail']);
    expect(outcomes(oneUntimed)).toEqual(['fail', 'fail', 'fail']);
    const held = (r: CallResult) =>
      r.findings.filter((f) => HOLD_RULES.includes(f.rule)).map((f) => [f.rule, f.turn]);
    expect(held(oneUntimed)).toEqual(held(timed));
  });

  it('live replay alerts the same failures during the call, and hang-up keeps them', () => {
    const x = unasked(c('好的'));
    const rules = new LiveRules(inspector);
    const alerted: string[] = [];
    // As a flow feeds it: the hold (event 0) comes before the turn after it, the unhold too.
    x.turns.forEach((_, k) => {
      if (k === 3) for (const e of [0, 1]) for (const alert of rules.alertsAt(x, e)) alerted.push(alert.rule);
      for (const alert of rules.alertsFor(x, k))
        if (HOLD_RULES.includes(alert.rule)) alerted.push(alert.rule);
    });
    expect(alerted.sort()).toEqual(['hold.consent', 'hold.limit', 'hold.thanks-after']);
    const final = rules.inspect(x);
    expect(final).toEqual(inspector.inspect(x));
    expect(outcomes(final)).toEqual(['fail', 'fail', 'fail']);
  });

  it('an untimed agent turn next to the hold counts on both sides: its 请您稍等 is the consent', () => {
    const turns = [
      a('您好,中华保险1024号为您服务', 0, 3000),
      c('帮我查一下保单', 3500, 5000),
      a('请您稍等,我帮您查询一下'),
      a('查到了,您的保单有效', 81_000, 84_000),
    ];
    expect(outcomes(inspector.inspect(call('x', turns)))).toEqual(['pass', 'fail', 'fail']);
    turns[2] = a('我看一下');
    expect(outcomes(inspector.inspect(call('x', turns)))).toEqual(['fail', 'fail', 'fail']);
  });

  it('a hold no turn’s times place is not judged on the turns (n/a), never a pass', () => {
    const r = inspector.inspect(
      call('x', [a('您好,中华保险1024号为您服务'), c('查保单'), a('我看一下'), a('查到了')]),
    );
    expect(outcomes(r)).toEqual(['n/a', 'n/a', 'n/a']);
  });
});

describe('the hold.ask line and the hold.consent finding come from the one rule (issue 9 §3)', () => {
  const catalog = Catalog.load();
  const scorecard = loadScorecard();
  const factory = createFlowFactory({
    catalog,
    detector: createSituationDetector(),
    rules: new LiveRules(new Inspector(scorecard, catalog)),
    phraseSets: scorecard.phraseSets,
  });
  /** The agent's words before a hold: whether live assist asks for consent, and how QA judges the hold. */
  const hold = (words: string) => {
    const f = factory({ callId: 'h', brand: 'zhonghua', direction: 'inbound', agent: { id: '1024' } });
    const turn = (speaker: 'agent' | 'customer', text: string, start: number, end: number) =>
      f.apply({ kind: 'turn', speaker, text, start, end });
    const events = [
      ...f.apply({ kind: 'cti', type: 'answer', at: 0 }),
      ...turn('agent', '您好,中华保险1024号为您服务', 500, 3000),
      ...turn('customer', '帮我查一下保单', 3500, 5000),
      ...turn('agent', words, 5500, 6500),
      ...f.apply({ kind: 'cti', type: 'hold', at: 7000 }),
      ...f.apply({ kind: 'cti', type: 'unhold', at: 20_000 }),
      ...turn('agent', '让您久等了,您的保单有效', 20_500, 23_000),
      ...f.apply({ kind: 'cti', type: 'hangup', at: 24_000, by: 'customer' }),
    ];
    return {
      asked: events.some((e) => e.kind === 'guidance' && e.scenario === 'hold.ask'),
      consent: f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome,
    };
  };

  it('a consent the rule hears in a written variant (请稍侯) gets no hold.ask line, as QA passes it', () => {
    expect(hold('请稍侯,我帮您查一下')).toEqual({ asked: false, consent: 'pass' });
  });

  it('agree on every wording: the line is shown exactly when QA finds no consent', () => {
    for (const words of ['请您稍等,我帮您查询一下', '麻烦您等一下', '我看一下', '请您稍微等等', '稍候片刻'])
      expect([words, hold(words).asked]).toEqual([words, hold(words).consent === 'fail']);
  });
});
