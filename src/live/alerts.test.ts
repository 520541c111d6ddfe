// LiveRules on one-rule scorecards built here: what is alerted on which turn, decided from the
// rule's definition (so any scorecard works), and what waits for hang-up.
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from '../qa/engine.ts';
import { parseScorecard } from '../qa/scorecard.ts';
import { LiveRules, type LiveRulesOptions } from './alerts.ts';
import type { TurnAlert } from './model.ts';

const catalog = Catalog.load();

function rules(expectYaml: string, more = '', options: LiveRulesOptions = {}): LiveRules {
  const yaml = `version: 1\nname: test\nrules:\n  - id: t.rule\n    title: 测试规则\n    points: 10\n    sources: [{ seed: "002", section: "x" }]\n${more}    expect: ${expectYaml}\n`;
  return new LiveRules(new Inspector(parseScorecard(yaml, 'test.yaml'), catalog), options);
}

const a = (text: string, start?: number, end?: number): Turn => ({ speaker: 'agent', text, start, end });
const c = (text: string, start?: number, end?: number): Turn => ({ speaker: 'customer', text, start, end });

function call(turns: Turn[], events: CallEvent[] = [], extra: Partial<Call> = {}): Call {
  return { id: 'x', direction: 'inbound', brand: 'zhonghua', events, turns, ...extra };
}

/**
 * Feeds the call as a flow does (replay order: an event before a turn starting at or after it):
 * each agent turn with the events up to its end, each CTI event as it comes. The alerts per
 * turn index, and per event as `e<index>`.
 */
function feed(r: LiveRules, whole: Call): Map<number | string, TurnAlert[]> {
  const out = new Map<number | string, TurnAlert[]>();
  let e = 0;
  let key = 0;
  const events = (upTo: number) => {
    for (; e < whole.events.length && (whole.events[e]?.at ?? 0) <= upTo; e++) {
      const alerts = r.alertsAt(whole, e);
      if (alerts.length) out.set(`e${e}`, alerts);
    }
  };
  whole.turns.forEach((t, k) => {
    key = t.start ?? key;
    events(key);
    const until = t.end ?? t.start;
    const soFar: Call = {
      ...whole,
      turns: whole.turns.slice(0, k + 1),
      events: until === undefined ? whole.events : whole.events.filter((e) => e.at <= until),
    };
    const alerts = r.alertsFor(soFar, k);
    if (alerts.length) out.set(k, alerts);
  });
  events(Number.POSITIVE_INFINITY);
  return out;
}

describe('LiveRules.alertsFor', () => {
  it('alerts a forbidden phrase on the turn it is said, with the professional line (seed 003)', () => {
    const r = rules('{ phrases: { none: ["@rewrites.habitual"] } }');
    const x = call([
      a('您好,请讲'),
      c('能不能今天就给我办好'),
      a('这个我试试看吧'),
      c('好'),
      a('还有别的吗'),
    ]);
    const got = feed(r, x);
    expect([...got.keys()]).toEqual([2]);
    expect(got.get(2)).toEqual([
      { turn: 2, rule: 't.rule', title: '测试规则', evidence: '我试试看吧', suggestion: '我一定尽力而为' },
    ]);
    // At hang-up the same rule fails on the same turn with the same words and line.
    const finding = r.inspect(x).findings[0];
    expect(finding).toMatchObject({
      rule: 't.rule',
      turn: 2,
      evidence: '我试试看吧',
      suggestion: '我一定尽力而为',
    });
  });

  it('names the rule by its scorecard title: a custom rule has no console label (the console shows the title, not t.rule)', () => {
    const alert = rules('{ phrases: { none: [不太清楚] } }').alertsFor(call([a('这个我也不太清楚')]), 0)[0];
    expect(alert).toMatchObject({ rule: 't.rule', title: '测试规则' });
  });

  it('falls back to the rule suggestion, then its title, never an empty line', () => {
    const x = call([a('这个我也不太清楚')]);
    const withSuggest = rules('{ phrases: { none: [不太清楚] } }', '    suggest: 我帮您查一下\n');
    expect(withSuggest.alertsFor(x, 0)[0]?.suggestion).toBe('我帮您查一下');
    expect(rules('{ phrases: { none: [不太清楚] } }').alertsFor(x, 0)[0]?.suggestion).toBe('测试规则');
  });

  it('checks the first agent turn as soon as it is there, and only then', () => {
    const r = rules('{ phrases: { any: [为您服务], turns: { first: 1 } } }');
    const missed = feed(r, call([c('喂?'), a('喂,你好'), c('我想问一下'), a('请讲')]));
    expect([...missed.keys()]).toEqual([1]);
    expect(missed.get(1)?.[0]?.turn).toBe(1);
    expect(
      feed(rules('{ phrases: { any: [为您服务], turns: { first: 1 } } }'), call([a('您好,很高兴为您服务')]))
        .size,
    ).toBe(0);
  });

  it('never alerts what a later turn can still change: the last turns, the whole call, shares, speech rate', () => {
    const x = call([
      a('您好', 0, 500),
      c('我想查保单', 600, 1500),
      a('好的先生,好的先生,好的先生,好的先生', 1600, 1700),
    ]);
    for (const expectYaml of [
      '{ phrases: { any: [再见], turns: { last: 1 } } }',
      '{ phrases: { any: [为您服务] } }',
      '{ share: { of: [先生], max: 0.1, minTurns: 1 } }',
      '{ speechRate: { maxCpm: 300, minChars: 5 } }',
      '{ count: { role: agent, min: 5 } }',
    ]) {
      const r = rules(expectYaml);
      expect(feed(r, x).size, expectYaml).toBe(0);
      expect(r.inspect(x).rules[0]?.outcome, expectYaml).toBe('fail');
    }
  });

  it('waits for the end when the words looked at are the last ones, whatever the operator', () => {
    const x = call([a('好的好的'), c('那就这样'), a('感谢您的来电,再见')]);
    for (const expectYaml of [
      '{ phrases: { none: [好的], turns: { last: 1 } } }',
      '{ regex: { none: "好的", turns: { last: 1 } } }',
      '{ phrases: { of: [好的], atMost: 1, turns: { last: 1 } } }',
    ]) {
      const r = rules(expectYaml);
      expect(r.alertsFor({ ...x, turns: x.turns.slice(0, 1) }, 0), expectYaml).toEqual([]);
      expect(feed(r, x).size, expectYaml).toBe(0);
      expect(r.inspect(x).rules[0]?.outcome, expectYaml).toBe('pass');
    }
  });

  it('alerts a customer situation left unanswered once its window has passed, not before', () => {
    const trigger = (within: string) =>
      rules(
        `{ trigger: { when: { phrases: { role: customer, any: [投诉] } }, then: { phrases: { any: [抱歉] } }${within} } }`,
      );
    const x = call([a('您好'), c('我要投诉你们'), a('请讲'), c('就是上次那件事'), a('好的我记下了')]);
    const within2 = feed(trigger(', within: 2'), x);
    expect([...within2.keys()]).toEqual([4]);
    // The agent's reply is what failed: its turn, with what the customer said in the note.
    expect(within2.get(4)?.[0]).toMatchObject({
      turn: 2,
      evidence: '请讲 (第2句客户说"投诉", 坐席第3、5句未说: 抱歉)',
    });
    // Without a window the apology may still come: nothing before hang-up.
    expect(feed(trigger(''), x).size).toBe(0);
    // Apologised in time: nothing.
    const ok = call([a('您好'), c('我要投诉你们'), a('非常抱歉'), c('嗯'), a('好的')]);
    expect(feed(trigger(', within: 2'), ok).size).toBe(0);
  });

  it('alerts a count over its maximum when the occurrence that goes over is said', () => {
    const r = rules('{ phrases: { of: [好的], atMost: 2 } }');
    const got = feed(r, call([a('好的'), c('嗯'), a('好的'), c('嗯'), a('好的好的'), c('行')]));
    expect([...got.keys()]).toEqual([4]);
    // Every occurrence is part of the finding: the earlier ones too.
    expect(got.get(4)?.map((x) => x.turn)).toEqual([0, 2, 4]);
  });

  it('reads conditions: not, all, cases, when', () => {
    const x = call([a('您好'), c('在吗'), a('你说什么')]);
    expect(feed(rules('{ not: { regex: { any: "你(?!们)" } } }'), x).get(2)?.[0]?.evidence).toBe('你');
    const both = rules(
      '{ all: [{ phrases: { any: [您好], turns: { first: 1 } } }, { regex: { none: "你" } }] }',
    );
    expect([...feed(both, x).keys()]).toEqual([2]);
    // The first child may still fail later: the second one's failure is not the call's yet.
    const openFirst = rules('{ all: [{ phrases: { of: [再见], atMost: 0 } }, { regex: { none: "你" } }] }');
    expect(feed(openFirst, x).size).toBe(0);
    // An all of none word checks is one: each occurrence is the call's as said, whichever child.
    const noneOfAll = rules('{ all: [{ phrases: { none: [再见] } }, { regex: { none: "你" } }] }');
    const y = call([a('您好'), c('在吗'), a('你说什么'), c('我说话费'), a('再见')]);
    const got = feed(noneOfAll, y);
    expect([...got.keys()]).toEqual([2, 4]);
    expect(got.get(4)?.map((f) => f.evidence)).toEqual(['再见']);
    expect(noneOfAll.inspect(y).rules[0]?.occurrences).toBe(2);
    const byDirection = rules(
      '{ cases: [{ when: { direction: outbound }, then: { regex: { none: "你" } } }] }',
    );
    expect(feed(byDirection, x).size).toBe(0);
    expect(feed(byDirection, { ...x, direction: 'outbound' }).size).toBe(1);
    // A rule applies once its `when` holds for good; `when` a customer said nothing may still flip.
    const spoke = rules('{ regex: { none: "你" } }', '    when: { count: { role: customer, min: 1 } }\n');
    expect([...feed(spoke, x).keys()]).toEqual([2]);
    const silent = rules('{ regex: { none: "你" } }', '    when: { count: { role: customer, max: 0 } }\n');
    expect(feed(silent, call([a('你好'), a('你好')])).size).toBe(0);
  });

  it('alerts a hold without consent at the hold event (turns fed at their start), an interruption as it happens', () => {
    const holdRule = '{ holds: { before: { phrases: { any: [稍等] } }, within: 1 } }';
    const hold = rules(holdRule, '', { turnsArrive: 'start' });
    const events: CallEvent[] = [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 1000 },
      { type: 'hold', at: 9000 },
      { type: 'unhold', at: 30_000 },
    ];
    const x = call(
      [
        a('您好', 2000, 3000),
        c('帮我查下保单', 3500, 5000),
        a('我查一下', 5500, 8000),
        a('查到了', 31_000, 33_000),
      ],
      events,
    );
    const got = feed(hold, x);
    // At the hold (event 2), on the agent's last words before it; not again after the hold.
    expect([...got.keys()]).toEqual(['e2']);
    expect(got.get('e2')?.[0]).toMatchObject({ turn: 2, rule: 't.rule' });
    expect(got.get('e2')?.[0]?.evidence).toContain('我查一下');
    // The words are the finding's at hang-up: the hold named by its start, its end not needed.
    expect(hold.inspect(x).findings.map((f) => [f.turn, f.evidence])).toEqual([
      [2, got.get('e2')?.[0]?.evidence],
    ]);
    // Asked afresh about the turn after the hold (a resumed call, a replay), it is not raised again.
    expect(rules(holdRule, '', { turnsArrive: 'start' }).alertsFor(x, 3)).toEqual([]);
    // Turns as posted (live: an ASR's words before the hold may come after it): not at the hold
    // but at the agent's first turn after it, the same words; asked afresh, the same.
    const posted = feed(rules(holdRule), x);
    expect([...posted.keys()]).toEqual([3]);
    expect(posted.get(3)).toEqual(got.get('e2'));
    expect(rules(holdRule).alertsFor(x, 3)).toEqual(got.get('e2'));
    // Without relying on the call staying timed, holds wait for hang-up.
    const careful = rules('{ holds: { before: { phrases: { any: [稍等] } }, within: 1 } }', '', {
      timingsStay: false,
    });
    expect(feed(careful, x).size).toBe(0);

    const cut = rules('{ interruption: { by: agent, minOverlapMs: 500, minChars: 2 } }');
    const y = call([
      a('您好', 0, 1000),
      c('我想问一下那个保单的事情', 1200, 5000),
      a('您说的是哪个保单', 4000, 6000),
    ]);
    expect(feed(cut, y).get(2)?.[0]).toMatchObject({ turn: 2 });
  });

  it('does not take the turns before a hold as known while a late transcript may still add one', () => {
    const hold = rules('{ holds: { before: { phrases: { any: [稍等] } }, within: 1 } }');
    const events: CallEvent[] = [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 1000 },
      { type: 'hold', at: 9000 },
      { type: 'unhold', at: 30_000 },
    ];
    const turns = [a('您好', 2000, 3000), c('帮我查下保单', 3500, 5000), a('我查一下', 5500, 7000)];
    // The hold is known, the agent's last words before it may still arrive (ASR is late).
    expect(hold.alertsFor(call(turns, events), 2)).toEqual([]);
    const whole = call([...turns, a('请您稍等', 7500, 8800), a('查到了', 31_000, 33_000)], events);
    expect(hold.alertsFor(whole, 4)).toEqual([]);
    expect(hold.inspect(whole).rules[0]?.outcome).toBe('pass');
    // Nor does the hold event, the turns being posted (after their words: 请您稍等 may come yet).
    expect(hold.alertsAt(call(turns, events), 2)).toEqual([]);
    // Fed at their start (a replay), every turn started before the hold is there at the hold.
    const replayed = rules('{ holds: { before: { phrases: { any: [稍等] } }, within: 1 } }', '', {
      turnsArrive: 'start',
    });
    expect(replayed.alertsAt(call(turns, events), 2).map((al) => al.turn)).toEqual([2]);
  });

  it('does not describe a hold by its length before it is over', () => {
    const hold = rules('{ holds: { before: { phrases: { any: [稍等] } }, within: 1 } }');
    const events: CallEvent[] = [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 1000 },
      { type: 'hold', at: 9000 },
      { type: 'unhold', at: 30_000 },
    ];
    // The agent speaks during the hold: the hold is known, its end not yet.
    const x = call(
      [
        a('您好', 2000, 3000),
        a('我查一下', 5500, 7000),
        a('喂?', 12_000, 12_500),
        a('查到了', 31_000, 33_000),
      ],
      events,
    );
    const final = hold.inspect(x).findings;
    for (const alerts of feed(hold, x).values())
      for (const al of alerts)
        expect(final.some((f) => f.turn === al.turn && f.evidence === al.evidence)).toBe(true);
  });

  it('does not report a passing alternative while an earlier one may still pass instead', () => {
    const r = rules('{ not: { any: [{ phrases: { any: [再见] } }, { phrases: { any: [好的] } }] } }');
    const x = call([a('好的'), c('嗯'), a('好的,再见')]);
    const got = feed(r, x);
    const final = r.inspect(x).findings;
    expect(final.map((f) => f.evidence)).toEqual(['再见']);
    for (const alerts of got.values()) for (const al of alerts) expect(al.evidence).toBe('再见');
  });

  it('raises each alert once, and the same alerts for a turn however it is asked (resume, replay)', () => {
    const x = call([a('你好'), c('在吗'), a('你说'), c('嗯'), a('您请讲'), c('你好'), a('好的你等一下')]);
    const fed = feed(rules('{ regex: { none: "你" } }'), x);
    expect([...fed.entries()].map(([k, v]) => [k, v.map((al) => al.turn)])).toEqual([
      [0, [0]],
      [2, [2]],
      [6, [6]],
    ]);
    for (const k of [2, 6]) {
      // A fresh LiveRules (a resumed socket) and the whole call (a replay) agree with the live one.
      expect(
        rules('{ regex: { none: "你" } }').alertsFor({ ...x, turns: x.turns.slice(0, k + 1) }, k),
      ).toEqual(fed.get(k));
      expect(rules('{ regex: { none: "你" } }').alertsFor(x, k)).toEqual(fed.get(k));
    }
    // Customer turns raise nothing (their consequences come with the next agent turn).
    expect(rules('{ regex: { none: "你", role: any } }').alertsFor(x, 5)).toEqual([]);
  });

  it('notices a corrected transcript under the same call id', () => {
    const r = rules('{ regex: { none: "你" } }');
    expect(r.alertsFor(call([a('您好'), c('在吗'), a('您说')]), 2)).toEqual([]);
    const corrected = call([a('你好'), c('在吗'), a('您说'), c('嗯'), a('你说')]);
    // The same alerts as a LiveRules that never saw the first version.
    expect(feed(r, corrected)).toEqual(feed(rules('{ regex: { none: "你" } }'), corrected));
    expect([...feed(r, corrected).keys()]).toEqual([0, 4]);
  });

  it('inspects at hang-up exactly as the Inspector does', () => {
    const yaml = `version: 1\nname: t\nrules:\n  - id: t.rule\n    title: T\n    points: 10\n    sources: [{ seed: "002", section: "x" }]\n    expect: { regex: { none: "你" } }\n`;
    const inspector = new Inspector(parseScorecard(yaml, 't.yaml'), catalog);
    const x = call([a('你好'), c('在吗')]);
    expect(new LiveRules(inspector).inspect(x)).toEqual(inspector.inspect(x));
  });
});

describe('LiveRules.saysIn (the stages checklist asks what a turn says of a rule)', () => {
  const farewell =
    '{ any: [{ phrases: { any: [再见], exclude: [不说再见], turns: { last: 1 } } }, { regex: { any: "祝您工作顺利", turns: { last: 1 } } }] }';

  it('judges one agent turn with the rule’s words, wherever the rule looks', () => {
    const r = rules(farewell);
    const x = call([a('好的,再见'), c('嗯'), a('我们不说再见'), a('祝您工作顺利'), a('好的')]);
    const said = (k: number) => r.saysIn(x, k)('t.rule');
    // Turn 0 is not the last agent turn the rule looks at: it still says the words.
    expect([0, 1, 2, 3, 4].map(said)).toEqual([true, null, false, true, false]);
    expect(r.saysIn(x, 0)('no.such-rule')).toBeNull();
  });

  it('reads a turn as quality inspection does: the sentence cut over two turns by speech recognition', () => {
    const r = rules(farewell);
    const x = call([c('谢谢'), a('那祝您工作'), a('顺利')]);
    expect(r.saysIn(x, 2)('t.rule')).toBe(true);
    expect(r.inspect(x).rules[0]?.outcome).toBe('pass');
  });

  it('a rule for other channels, or one with no words to say, cannot tell', () => {
    const phone = rules(farewell, '    channels: [phone]\n');
    expect(phone.saysIn(call([a('再见')], [], { channel: 'chat' }), 0)('t.rule')).toBeNull();
    expect(phone.saysIn(call([a('再见')]), 0)('t.rule')).toBe(true);
    expect(rules('{ hangup: { first: customer } }').saysIn(call([a('再见')]), 0)('t.rule')).toBeNull();
  });
});
