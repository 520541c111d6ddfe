// One or more cases per operator, each through a one-rule scorecard built here, so that what
// is tested is the operator's semantics, not the default scorecard's wording.
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import type { SituationDetector } from '../situations/detector.ts';
import { InspectionError, Inspector } from './engine.ts';
import type { CallResult } from './result.ts';
import { loadScorecard, parseScorecard } from './scorecard.ts';

const catalog = Catalog.load();

function card(rulesYaml: string, extra = ''): string {
  return `version: 1\nname: test\n${extra}rules:\n${rulesYaml}`;
}

function rule(expectYaml: string, more = ''): string {
  return `  - id: t.rule\n    title: T\n    points: 10\n    sources: [{ seed: "002", section: "x" }]\n${more}    expect: ${expectYaml}\n`;
}

const a = (text: string, start?: number, end?: number): Turn => ({ speaker: 'agent', text, start, end });
const c = (text: string, start?: number, end?: number): Turn => ({ speaker: 'customer', text, start, end });

function call(turns: Turn[], events: CallEvent[] = [], extra: Partial<Call> = {}): Call {
  return { id: 'x', direction: 'inbound', brand: 'zhonghua', events, turns, ...extra };
}

function run(expectYaml: string, theCall: Call, opts: { more?: string; extra?: string } = {}): CallResult {
  const sc = parseScorecard(card(rule(expectYaml, opts.more ?? ''), opts.extra ?? ''), 'test.yaml');
  return new Inspector(sc, catalog).inspect(theCall);
}

const outcome = (r: CallResult) => r.rules[0]?.outcome;

describe('phrases', () => {
  it('any / none on the agent by default, never the customer', () => {
    const x = call([c('我不知道怎么办'), a('您好,请讲')]);
    expect(outcome(run('{ phrases: { none: [不知道] } }', x))).toBe('pass');
    expect(outcome(run('{ phrases: { none: [不知道], role: customer } }', x))).toBe('fail');
    expect(outcome(run('{ phrases: { any: [请讲] } }', x))).toBe('pass');
    expect(outcome(run('{ phrases: { any: [再见] } }', x))).toBe('fail');
  });

  it("finds the customer's phrases too, in turn order beside the agent's (role any, exclusions, counts)", () => {
    // The customer's turns are matched only when a check reads them: the evidence is the same.
    const x = call([a('麻烦您稍等'), c('好的,稍等一下也可以,稍等'), a('稍等稍等'), c('不用等了')]);
    const r = run('{ phrases: { none: [稍等, 等了], exclude: [稍等一下], role: any } }', x);
    expect(r.findings.map((f) => [f.turn, f.evidence])).toEqual([
      [0, '稍等'],
      [1, '稍等'],
      [2, '稍等'],
      [2, '稍等'],
      [3, '等了'],
    ]);
    expect(outcome(run('{ phrases: { of: [稍等], atMost: 1, role: customer } }', x))).toBe('fail');
    expect(outcome(run('{ count: { of: [等], role: customer, max: 1 } }', x))).toBe('fail');
    expect(outcome(run('{ share: { of: [等了], role: customer, min: 0.5, minTurns: 1 } }', x))).toBe('pass');
  });

  it('reports evidence at original offsets, Traditional input included', () => {
    const text = '這個我也不知道啊';
    const r = run('{ phrases: { none: [不知道] } }', call([a(text)]));
    const f = r.findings[0];
    expect(f).toMatchObject({ rule: 't.rule', turn: 0, evidence: '不知道' });
    expect(text.slice(f?.start ?? 0, f?.end ?? 0)).toBe('不知道');
    expect(r.score).toBe(90);
  });

  it('all needs every item; atLeast / atMost count occurrences', () => {
    const x = call([a('您好,中华保险,请讲'), a('好的')]);
    expect(outcome(run('{ phrases: { all: [您好, 中华保险] } }', x))).toBe('pass');
    const miss = run('{ phrases: { all: [您好, 为您服务] } }', x);
    expect(outcome(miss)).toBe('fail');
    expect(miss.findings[0]?.evidence).toContain('为您服务');
    expect(outcome(run('{ phrases: { of: [好], atLeast: 2 } }', x))).toBe('pass');
    expect(outcome(run('{ phrases: { of: [好], atMost: 1 } }', x))).toBe('fail');
  });

  it('exclude ignores occurrences inside harmless words', () => {
    const x = call([a('这种可能性很小,也不可能出现'), a('可能明天到')]);
    const r = run('{ phrases: { none: [可能], exclude: [可能性, 不可能] } }', x);
    expect(r.findings.map((f) => [f.turn, f.evidence])).toEqual([[1, '可能']]);
  });

  it('first / last N turns of the role', () => {
    const x = call([a('喂'), c('你好'), a('您好'), a('再见')]);
    expect(outcome(run('{ phrases: { any: [您好], turns: { first: 1 } } }', x))).toBe('fail');
    expect(outcome(run('{ phrases: { any: [您好], turns: { first: 2 } } }', x))).toBe('pass');
    expect(outcome(run('{ phrases: { any: [再见], turns: { last: 1 } } }', x))).toBe('pass');
  });

  it('after / before another rule’s hit, within N turns', () => {
    const rules =
      '  - id: t.anchor\n    title: A\n    points: 0\n    sources: [{ seed: "002", section: "x" }]\n    expect: { phrases: { any: [稍等] } }\n' +
      rule('{ phrases: { any: [久等], turns: { after: t.anchor, within: 1 } } }');
    const sc = parseScorecard(card(rules), 't.yaml');
    const insp = new Inspector(sc, catalog);
    const res = (turns: Turn[]) => insp.inspect(call(turns)).rules.find((r) => r.id === 't.rule')?.outcome;
    expect(res([a('请您稍等'), a('让您久等了')])).toBe('pass');
    expect(res([a('请您稍等'), a('好的'), a('让您久等了')])).toBe('fail');
    expect(res([a('让您久等了')])).toBe('n/a'); // no anchor: nothing to position after
  });

  it('references: $sets, @brand, @forbidden groups of the call’s playbook', () => {
    const x = call([a('您好,中华保险,我是新员工')]);
    expect(outcome(run('{ phrases: { any: ["@brand"] } }', x))).toBe('pass');
    expect(outcome(run('{ phrases: { any: ["@brand"] } }', { ...x, brand: 'chaoyue' }))).toBe('fail');
    expect(outcome(run('{ phrases: { none: ["@forbidden.excuse"] } }', x))).toBe('fail');
    expect(outcome(run('{ phrases: { any: [$hi] } }', x, { extra: 'phraseSets:\n  hi: [您好]\n' }))).toBe(
      'pass',
    );
  });

  it('is not applicable when the role says nothing', () => {
    expect(outcome(run('{ phrases: { any: [您好] } }', call([c('喂?')])))).toBe('n/a');
  });
});

describe('regex', () => {
  it('matches on normalized text, with an exclusion pattern', () => {
    const x = call([a('喂,您好'), a('迷你版本,你们看')]);
    expect(outcome(run('{ regex: { none: "^喂" } }', x))).toBe('fail');
    expect(outcome(run('{ regex: { none: "你", exclude: "迷你|你们" } }', x))).toBe('pass');
    const full = call([a('请拨打９５５８５')]); // full-width digits are normalized
    expect(outcome(run('{ regex: { any: "\\\\d{5}" } }', full))).toBe('pass');
  });
});

describe('combinators', () => {
  const x = call([a('您好')]);
  it('all / any / not / cases', () => {
    expect(outcome(run('{ all: [{ phrases: { any: [您好] } }, { phrases: { any: [再见] } }] }', x))).toBe(
      'fail',
    );
    expect(outcome(run('{ any: [{ phrases: { any: [再见] } }, { phrases: { any: [您好] } }] }', x))).toBe(
      'pass',
    );
    expect(outcome(run('{ not: { phrases: { any: [您好] } } }', x))).toBe('fail');
    expect(outcome(run('{ not: { answer: {} } }', x))).toBe('n/a'); // n/a stays n/a
    const cases = '{ cases: [{ when: { direction: outbound }, then: { phrases: { any: [我是] } } }] }';
    expect(outcome(run(cases, x))).toBe('n/a');
    expect(outcome(run(cases, { ...x, direction: 'outbound' }))).toBe('fail');
  });

  it('all is n/a when a child is (unless another fails)', () => {
    expect(outcome(run('{ all: [{ phrases: { any: [您好] } }, { answer: {} }] }', x))).toBe('n/a');
    expect(outcome(run('{ all: [{ phrases: { any: [再见] } }, { answer: {} }] }', x))).toBe('fail');
    expect(outcome(run('{ all: [{ silence: { maxMs: 1000 } }, { answer: {} }] }', x))).toBe('n/a');
  });

  it('any that fails shows the first failing child with evidence, not a call-wide fact that has none', () => {
    // The first child fails on the channel alone (no turn to show); the second on the agent's turn.
    const r = run(
      '{ any: [{ all: [{ not: { channel: phone } }, { phrases: { any: [再见] } }] }, { phrases: { any: [再见] } }] }',
      x,
    );
    expect(outcome(r)).toBe('fail');
    expect(r.findings.map((f) => f.turn)).toEqual([0]);
    expect(r.findings[0]?.evidence).toContain('您好');
  });
});

describe('trigger', () => {
  const rule =
    '{ trigger: { when: { phrases: { role: customer, any: [谢谢] } }, then: { phrases: { any: [不客气] } }, within: 1 } }';
  it('requires the response within N agent turns of each trigger', () => {
    expect(outcome(run(rule, call([a('好的'), c('谢谢'), a('不客气')])))).toBe('pass');
    const late = run(rule, call([c('谢谢'), a('好的'), a('不客气')]));
    expect(outcome(late)).toBe('fail');
    // The agent's reply is what failed, whole; the customer's words are named in the note.
    expect(late.findings[0]).toMatchObject({
      turn: 1,
      start: 0,
      end: 2,
      evidence: '好的 (第1句客户说"谢谢", 坐席第2句未说: 不客气)',
    });
    expect(outcome(run(rule, call([a('您好'), c('好')])))).toBe('n/a'); // never triggered
    expect(outcome(run(rule, call([a('您好'), c('谢谢')])))).toBe('n/a'); // no agent turn after it
  });

  it('withTrigger: a check of the then reads the turn that set it off too, the others do not', () => {
    const given = (turns: string) =>
      `{ trigger: { when: { phrases: { role: customer, any: [投诉] } }, then: { phrases: { role: customer, any: [电话], turns: ${turns} } } } }`;
    const inTurn = call([a('您好'), c('我要投诉,我电话是这个'), a('好的')]);
    expect(outcome(run(given('{ withTrigger: true }'), inTurn))).toBe('pass');
    expect(outcome(run(given('{ last: 1 }'), inTurn))).toBe('n/a'); // no customer turn after it
    const later = call([a('您好'), c('我要投诉'), a('好的'), c('我电话是这个')]);
    expect(outcome(run(given('{ withTrigger: true }'), later))).toBe('pass');
    // Only the trigger's turn: a customer turn before it stays out.
    const before = call([c('我电话是这个'), a('您好'), c('我要投诉'), a('好的'), c('嗯')]);
    expect(outcome(run(given('{ withTrigger: true }'), before))).toBe('fail');
    // Of its role only: an agent check does not read the customer's turn.
    const agentSide = `{ trigger: { when: { phrases: { role: customer, any: [投诉] } }, then: { phrases: { any: [电话], turns: { withTrigger: true } } } } }`;
    expect(outcome(run(agentSide, inTurn))).toBe('fail');
  });
});

describe('count and share', () => {
  it('counts turns of a role or phrase occurrences, with brand settings as limits', () => {
    const silent = call([a('您好'), a('您好,电话已接通'), a('对不起,听不到您的声音')]);
    expect(outcome(run('{ count: { role: customer, max: 0 } }', silent))).toBe('pass');
    expect(outcome(run('{ count: { role: agent, min: "@silentAttempts" } }', silent))).toBe('pass'); // 3 at zhonghua
    expect(outcome(run('{ count: { role: agent, min: 4 } }', silent))).toBe('fail');
  });

  it('share of the role’s turns containing a phrase, n/a below minTurns', () => {
    const x = call([a('王先生您好'), a('先生请讲'), a('好的'), a('先生再见')]);
    expect(outcome(run('{ share: { of: [先生], max: 0.5, minTurns: 4 } }', x))).toBe('fail');
    expect(outcome(run('{ share: { of: [先生], max: 0.8, minTurns: 4 } }', x))).toBe('pass');
    expect(outcome(run('{ share: { of: [先生], max: 0.5, minTurns: 5 } }', x))).toBe('n/a');
  });
});

describe('timing operators', () => {
  it('silence between turns; n/a without timings', () => {
    const x = call([a('您好', 0, 1000), c('我想问', 1500, 3000), a('好的', 15000, 16000)]);
    const r = run('{ silence: { maxMs: 10000 } }', x);
    expect(outcome(r)).toBe('fail');
    expect(r.findings[0]).toMatchObject({ turn: 2 });
    expect(outcome(run('{ silence: { maxMs: 10000, after: agent } }', x))).toBe('pass');
    expect(outcome(run('{ silence: { maxMs: 10000 } }', call([a('您好'), c('嗯')])))).toBe('n/a');
  });

  it('answer speed against rings × ring period of the brand (or the scorecard)', () => {
    const at = (ms: number): CallEvent[] => [
      { type: 'ring', at: 0 },
      { type: 'answer', at: ms },
    ];
    expect(outcome(run('{ answer: {} }', call([a('您好')], at(14000))))).toBe('pass');
    const late = run('{ answer: {} }', call([a('您好')], at(16000)));
    expect(outcome(late)).toBe('fail');
    expect(late.findings[0]).toMatchObject({ turn: null, start: null, evidence: '振铃16秒后接起, 上限15秒' });
    expect(
      outcome(run('{ answer: {} }', call([a('您好')], at(14000)), { extra: 'ringPeriodSeconds: 4\n' })),
    ).toBe('fail');
    expect(outcome(run('{ answer: {} }', call([a('您好')])))).toBe('n/a');
  });

  it('holds: over the limit, consent before, words after', () => {
    const events: CallEvent[] = [
      { type: 'hold', at: 10000 },
      { type: 'unhold', at: 80000 },
    ];
    const turns = [
      a('请您稍等,我帮您查询', 5000, 9000),
      c('好', 9200, 9500),
      a('让您久等了,暂时没查到,稍后给您回电好吗', 81000, 85000),
    ];
    expect(outcome(run('{ holds: { maxMs: "@holdLimitMs" } }', call(turns, events)))).toBe('fail');
    expect(
      outcome(run('{ holds: { before: { phrases: { any: [稍等] } }, within: 1 } }', call(turns, events))),
    ).toBe('pass');
    expect(outcome(run('{ holds: { after: { phrases: { any: [回电] } } } }', call(turns, events)))).toBe(
      'pass',
    );
    const noConsent = [a('我查一下', 5000, 9000), ...turns.slice(1)];
    expect(outcome(run('{ holds: { before: { phrases: { any: [稍等] } } } }', call(noConsent, events)))).toBe(
      'fail',
    );
    const short: CallEvent[] = [
      { type: 'hold', at: 10000 },
      { type: 'unhold', at: 30000 },
    ];
    expect(
      outcome(
        run('{ holds: { minMs: "@holdLimitMs", after: { phrases: { any: [回电] } } } }', call(turns, short)),
      ),
    ).toBe('n/a');
    expect(outcome(run('{ holds: { maxMs: 60000 } }', call(turns)))).toBe('n/a');
  });

  it('interruption: overlap and a minimum length of the interrupting turn', () => {
    const x = call([c('我的问题是这样的一直没有解决', 0, 5000), a('您先别着急听我说完', 4000, 7000)]);
    expect(outcome(run('{ interruption: { minOverlapMs: 500, minChars: 4 } }', x))).toBe('fail');
    expect(outcome(run('{ interruption: { minOverlapMs: 1500, minChars: 4 } }', x))).toBe('pass');
    const feedback = call([c('我的问题是这样的', 0, 5000), a('是的', 4000, 4500)]);
    expect(outcome(run('{ interruption: { minOverlapMs: 500, minChars: 4 } }', feedback))).toBe('pass');
  });

  it('speech rate in characters per minute, short turns skipped', () => {
    const fast = call([a('您好中华保险一零二四号为您服务请问有什么可以帮您', 0, 4000)]); // 23 chars in 4 s
    expect(outcome(run('{ speechRate: { maxCpm: 300 } }', fast))).toBe('fail');
    expect(outcome(run('{ speechRate: { maxCpm: 400 } }', fast))).toBe('pass');
    expect(outcome(run('{ speechRate: { maxCpm: 300, minChars: 30 } }', fast))).toBe('n/a');
  });

  it('who hung up first', () => {
    const ev = (by: 'agent' | 'customer'): CallEvent[] => [{ type: 'hangup', at: 1000, by }];
    expect(outcome(run('{ hangup: { first: customer } }', call([a('再见')], ev('customer'))))).toBe('pass');
    expect(outcome(run('{ hangup: { first: customer } }', call([a('再见')], ev('agent'))))).toBe('fail');
    expect(outcome(run('{ hangup: { first: customer } }', call([a('再见')])))).toBe('n/a');
  });
});

describe('repetition', () => {
  it('finds the agent saying back a run of the customer’s own words', () => {
    const x = call([c('我的宽带从昨天晚上开始一直断线'), a('您的宽带从昨天晚上开始一直断线是吗')]);
    const r = run('{ repetition: { minChars: 8 } }', x);
    expect(outcome(r)).toBe('fail');
    expect(r.findings[0]?.evidence).toBe('的宽带从昨天晚上开始一直断线');
    expect(outcome(run('{ repetition: { minChars: 8, max: 1 } }', x))).toBe('pass');
  });
});

describe('situation (the shared detector, on customer turns)', () => {
  const when = (ids: string) =>
    `{ trigger: { when: { situation: { any: [${ids}] } }, then: { phrases: { any: [对不起, 抱歉] } }, within: 1 } }`;

  it('fires on what the customer’s words show, never on the agent’s', () => {
    const x = call([a('您好'), c('你们这是什么态度,气死我了'), a('请问您要办理什么业务?')]);
    const r = run(when('complaint, angry'), x);
    expect(outcome(r)).toBe('fail');
    expect(r.findings[0]).toMatchObject({
      turn: 2,
      evidence: expect.stringContaining('请问您要办理什么业务?'),
    });
    expect(r.findings[0]?.evidence).toMatch(
      /\(第2句客户话语显示"(客户生气|投诉\/不满)", 坐席第3句未说: 对不起 \/ 抱歉\)$/,
    );
    expect(
      outcome(run(when('complaint, angry'), call([a('您好'), c('气死我了'), a('对不起,给您添麻烦了')]))),
    ).toBe('pass');
    // The agent saying it is no situation of the customer's.
    expect(outcome(run(when('angry'), call([a('别生气'), c('好的'), a('请讲')])))).toBe('n/a');
    expect(outcome(run('{ situation: { any: [thanks] } }', call([c('好的'), a('不客气')])))).toBe('fail');
  });

  it('uses the injected detector, each customer turn once per call, with the agent’s turn before', () => {
    const seen: { text: string; previous: string | undefined }[] = [];
    const detector: SituationDetector = {
      detect(text, context) {
        seen.push({ text, previous: context?.previousAgentText });
        return text.includes('😡') ? ['complaint'] : [];
      },
    };
    // Two rules read the situations of the same turns.
    const rules = `${rule(when('complaint'))}${rule('{ situation: { any: [complaint] } }').replace('t.rule', 't.other')}`;
    const sc = parseScorecard(card(rules), 't.yaml');
    const x = call([a('您好'), c('😡'), a('请讲'), c('就是这样')]);
    const r = new Inspector(sc, catalog, { detector }).inspect(x);
    expect(r.rules.map((x) => x.outcome)).toEqual(['fail', 'pass']);
    expect(seen).toEqual([
      { text: '😡', previous: '您好' },
      { text: '就是这样', previous: '请讲' },
    ]);
  });

  it('default scorecard: a complaint handled without an apology fails though 投诉 is never said', () => {
    const inspector = new Inspector(loadScorecard(), catalog);
    const rule = (r: CallResult, id: string) => r.rules.find((x) => x.id === id)?.outcome;
    const rude = call([
      a('您好,中华保险1024号为您服务'),
      c('你们这什么态度!电话打了三次都没人管,气死我了'),
      a('您说一下是什么业务。'),
    ]);
    expect(rule(inspector.inspect(rude), 'emotion.apology-on-complaint')).toBe('fail');
    const kind = call([
      a('您好,中华保险1024号为您服务'),
      c('你们这什么态度!电话打了三次都没人管,气死我了'),
      a('非常抱歉给您添麻烦了,您说一下是什么业务,我马上帮您处理。'),
    ]);
    expect(rule(inspector.inspect(kind), 'emotion.apology-on-complaint')).toBe('pass');
    const thanks = call([a('您好,中华保险1024号为您服务'), c('好的,多谢你'), a('请问还有其他问题吗')]);
    expect(rule(inspector.inspect(thanks), 'emotion.thanks-reply')).toBe('fail');
  });
});

describe('scoring', () => {
  it('deducts points per failed rule and zeroes the call on a fatal failure', () => {
    const x = call([a('你去投诉好了')]);
    expect(run('{ phrases: { none: [投诉] } }', x).score).toBe(90);
    const fatal = run('{ phrases: { none: [投诉] } }', x, { more: '    fatal: true\n' });
    expect(fatal).toMatchObject({ score: 0, fatal: true });
  });

  it('suggests the brand’s script line with the call’s agent number', () => {
    const x = call([a('喂')], [], { agent: { id: '1024' } });
    const r = run('{ regex: { none: "^喂" } }', x, { more: '    scenario: opening.greeting\n' });
    expect(r.findings[0]?.suggestion).toContain('中华保险1024号为您服务');
  });

  it('rejects a call of an unknown brand with the known ones', () => {
    expect(() => run('{ phrases: { any: [您好] } }', call([a('您好')], [], { brand: 'acme' }))).toThrow(
      InspectionError,
    );
    expect(() => run('{ phrases: { any: [您好] } }', call([a('您好')], [], { brand: 'acme' }))).toThrow(
      /known brands: /,
    );
  });
});
