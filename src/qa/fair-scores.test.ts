// Fair scores (issue 11 §2), with the default scorecard and the shipped playbooks: rules that
// cannot apply are n/a, not failed; faults counted per occurrence cost per occurrence up to a
// cap; the greeting wants the agent's own 工号 when the brand's greeting has it; a call's
// channel decides which rules apply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { loadPlaybookDir } from '../playbook/load.ts';
import { Inspector } from './engine.ts';
import { type CallResult, isScored, type Outcome } from './result.ts';
import { loadScorecard, parseScorecard, ScorecardError } from './scorecard.ts';
import { BatchTotals } from './summary.ts';

const scorecard = loadScorecard();
const catalog = Catalog.load();
const inspector = new Inspector(scorecard, catalog);

const a = (text: string): Turn => ({ speaker: 'agent', text });
const c = (text: string): Turn => ({ speaker: 'customer', text });

function call(turns: Turn[], events: CallEvent[] = [], extra: Partial<Call> = {}): Call {
  return {
    id: 'x',
    direction: 'inbound',
    brand: 'zhonghua',
    agent: { id: '4402', name: '陈晨' },
    events,
    turns,
    ...extra,
  };
}

const outcomes = (r: CallResult): Record<string, Outcome> =>
  Object.fromEntries(r.rules.map((x) => [x.id, x.outcome]));
const ruleOf = (r: CallResult, id: string) => r.rules.find((x) => x.id === id);

/** A correct inbound call of 中华保险 whose ending the tests vary. */
const OPENING = [
  a('您好!中华保险4402号为您服务。'),
  c('我想查一下保单什么时候到期。'),
  a('好的,您的保单明年三月到期。'),
];
const GOOD_END = [a('请问您还有其他问题吗?'), c('没有了,谢谢。'), a('不客气,感谢来电,再见!')];
const ringAnswer: CallEvent[] = [
  { type: 'ring', at: 0 },
  { type: 'answer', at: 6000 },
];

describe('rules that cannot apply are n/a, not failed', () => {
  it('no agent speech (the transcript has not arrived): every rule n/a, no score until it does', () => {
    const r = inspector.inspect(
      call([], [...ringAnswer, { type: 'hangup', at: 60000, by: 'agent' }], { id: 'no-words' }),
    );
    expect(r.rules.filter((x) => x.outcome !== 'n/a')).toEqual([]);
    expect(isScored(r)).toBe(false);
  });

  it('no agent speech, only the caller’s words (the agent channel missing): not a silent line', () => {
    const r = inspector.inspect(call([c('喂?喂?有人吗?'), c('我要查保单。')], ringAnswer));
    const o = outcomes(r);
    for (const id of ['opening.greeting', 'silence.protocol', 'closing.farewell', 'closing.more-questions'])
      expect(o[id], id).toBe('n/a');
    expect(r.rules.filter((x) => x.outcome === 'fail')).toEqual([]);
  });

  it('a silent line the agent never spoke on is n/a; one the agent handled badly still fails', () => {
    const silent = call([a('您好!中华保险4402号为您服务。'), a('喂?'), a('没人说话我先挂了。')]);
    expect(outcomes(inspector.inspect(silent))['silence.protocol']).toBe('fail');
  });

  it('a dropped line: no closing question, farewell or hang-up order can be asked of it', () => {
    const cut = call(OPENING, [...ringAnswer, { type: 'hangup', at: 40000, cause: 'dropped' }]);
    const o = outcomes(inspector.inspect(cut));
    expect([o['closing.more-questions'], o['closing.farewell'], o['closing.customer-first']]).toEqual([
      'n/a',
      'n/a',
      'n/a',
    ]);
    // The same ending without the cause: the agent just stopped, and the agent hung up.
    const stopped = call(OPENING, [
      ...ringAnswer,
      { type: 'hangup', at: 40000, by: 'agent', cause: 'normal' },
    ]);
    const s = outcomes(inspector.inspect(stopped));
    expect([s['closing.more-questions'], s['closing.farewell'], s['closing.customer-first']]).toEqual([
      'fail',
      'fail',
      'fail',
    ]);
  });

  it('a harassment call the agent ends as seed 000 says: hanging up first and no closing question are right', () => {
    const turns = [
      a('您好!中华保险4402号为您服务。'),
      c('小姑娘声音真好听,陪我聊聊天呗。'),
      a('请问您有什么保险业务需要咨询吗?'),
      c('没有业务,就想听你说话。'),
      a('对不起,您的要求不在我们的服务范围内,请您挂机,再见!'),
    ];
    const hangup: CallEvent = { type: 'hangup', at: 50000, by: 'agent' };
    const o = outcomes(inspector.inspect(call(turns, [...ringAnswer, hangup])));
    expect(o['closing.customer-first']).toBe('n/a');
    expect(o['closing.more-questions']).toBe('n/a');
    expect(o['closing.farewell']).toBe('pass');
    // Without the seed's words, the agent hanging up on a caller is a fault.
    const rude = [...turns.slice(0, 4), a('那我挂了。')];
    expect(outcomes(inspector.inspect(call(rude, [...ringAnswer, hangup])))['closing.customer-first']).toBe(
      'fail',
    );
  });

  it('a complaint the agent meets with silence and a hang-up fails the complaint rules; the caller hanging up at once leaves them n/a', () => {
    const turns = [a('您好!中华保险4402号为您服务。'), c('你们理赔拖了一个月还没到账,太不像话了,我要投诉!')];
    const by = (who: 'agent' | 'customer'): CallEvent => ({ type: 'hangup', at: 40000, by: who });
    const agentHangsUp = inspector.inspect(call(turns, [...ringAnswer, by('agent')]));
    for (const id of ['emotion.apology-on-complaint', 'complaint.contact-and-deadline']) {
      const rule = ruleOf(agentHangsUp, id);
      expect(rule?.outcome, id).toBe('fail');
      expect(agentHangsUp.findings.find((f) => f.rule === id)?.evidence, id).toContain('未再发言即挂机');
    }
    const o = outcomes(inspector.inspect(call(turns, [...ringAnswer, by('customer')])));
    expect(o['emotion.apology-on-complaint']).toBe('n/a');
    expect(o['complaint.contact-and-deadline']).toBe('n/a');
    // An agent who answered and then hung up is judged on the answer, as before.
    const answered = [...turns, a('非常抱歉给您带来不便,我马上为您登记,24小时内给您回电。')];
    expect(
      outcomes(inspector.inspect(call(answered, [...ringAnswer, by('agent')])))[
        'emotion.apology-on-complaint'
      ],
    ).toBe('pass');
  });

  it('the harassment ending said to a genuine caller excuses no closing rule; to an abusive one it does', () => {
    const hangup: CallEvent = { type: 'hangup', at: 50000, by: 'agent' };
    const ending = a('对不起,您的要求不在我们的服务范围内,请您挂机,再见!');
    const genuine = inspector.inspect(
      call([...OPENING, c('那续保要怎么办?'), ending], [...ringAnswer, hangup]),
    );
    const o = outcomes(genuine);
    expect([o['closing.more-questions'], o['closing.customer-first']]).toEqual(['fail', 'fail']);
    expect(genuine.score).toBeLessThan(100);
    const abusive = [a('您好!中华保险4402号为您服务。'), c('你们这帮骗子,滚,老子骂死你'), ending];
    const x = outcomes(inspector.inspect(call(abusive, [...ringAnswer, hangup])));
    expect([x['closing.more-questions'], x['closing.customer-first']]).toEqual(['n/a', 'n/a']);
  });

  it('a call on which no rule applied (unanswered) is counted but not averaged in', () => {
    const unanswered = inspector.inspect(
      call(
        [],
        [
          { type: 'ring', at: 0 },
          { type: 'hangup', at: 30000, by: 'customer' },
        ],
        { id: 'missed' },
      ),
    );
    expect(unanswered.rules.every((x) => x.outcome === 'n/a')).toBe(true);
    const poor = inspector.inspect(call([a('喂?你说。'), c('查保单。'), a('你等着。')], [], { id: 'poor' }));
    expect(poor.score).toBeLessThan(90);
    const totals = new BatchTotals();
    totals.add(unanswered);
    totals.add(poor);
    const s = totals.summary();
    expect(s).toMatchObject({ calls: 2, unscoredCalls: 1, meanScore: poor.score });
    expect(s.agents).toEqual([expect.objectContaining({ agent: '4402', calls: 2, meanScore: poor.score })]);
  });

  it('an answered call where the agent said nothing has no score, like an unanswered one', () => {
    // Answered late and the caller hung up: the answer speed and who hung up are known, yet
    // there is no agent speech to inspect; a 100 would flatter the agent as much as a missed call.
    const events: CallEvent[] = [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 20000 },
      { type: 'hangup', at: 30000, by: 'customer' },
    ];
    for (const turns of [
      [],
      [c('喂,你好,我想问一下保单的事。')],
      [{ speaker: 'agent', text: '  ' } as Turn],
    ]) {
      const r = inspector.inspect(call(turns, events, { id: 'dead-line' }));
      expect(r.rules.every((x) => x.outcome === 'n/a')).toBe(true);
      expect(r.findings).toEqual([]);
      const totals = new BatchTotals();
      totals.add(r);
      expect(totals.summary()).toMatchObject({ calls: 1, unscoredCalls: 1, meanScore: null });
    }
    // One word from the agent and the call is inspected again (the late answer fails).
    const spoke = outcomes(inspector.inspect(call([a('您好!中华保险4402号为您服务。')], events)));
    expect(spoke['opening.answer-speed']).toBe('fail');
  });

  it('an agent who answers and hangs up on a caller who spoke, without a word: customer-first fails, the call is scored', () => {
    const words = [c('喂,你好,我想问一下保单的事。')];
    const hangupBy = (by: 'agent' | 'customer'): CallEvent[] => [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 3000 },
      { type: 'hangup', at: 9000, by },
    ];
    const dropped = inspector.inspect(call(words, hangupBy('agent'), { id: 'dropped-caller' }));
    expect(outcomes(dropped)['closing.customer-first']).toBe('fail');
    // Only who hung up is judged: there are no agent words for the rest.
    expect(dropped.rules.filter((x) => x.outcome !== 'n/a').map((x) => x.id)).toEqual([
      'closing.customer-first',
    ]);
    expect(isScored(dropped)).toBe(true);
    expect(dropped.score).toBeLessThan(100);
    const totals = new BatchTotals();
    totals.add(dropped);
    expect(totals.summary()).toMatchObject({ calls: 1, unscoredCalls: 0 });
    // The caller hung up: nothing the agent did to judge, every rule n/a, unscored.
    const gaveUp = inspector.inspect(call(words, hangupBy('customer')));
    expect(gaveUp.rules.every((x) => x.outcome === 'n/a')).toBe(true);
    expect(isScored(gaveUp)).toBe(false);
  });

  it('n/a rules never count in the score', () => {
    const r = inspector.inspect(
      call([...OPENING, ...GOOD_END], [...ringAnswer, { type: 'hangup', at: 60000, by: 'customer' }]),
    );
    for (const x of r.rules) if (x.outcome !== 'fail') expect(x.points, x.id).toBe(0);
    expect(r.rules.some((x) => x.outcome === 'n/a')).toBe(true);
    expect(r.score).toBe(100);
  });
});

describe('deductions per occurrence, capped', () => {
  const withNi = (n: number) =>
    call([
      a('您好!中华保险4402号为您服务。'),
      c('我想问一下理赔。'),
      ...Array.from({ length: n }, () => a('你把材料发过来就行。')),
      a('请问您还有其他问题吗?'),
      c('没有了。'),
      a('感谢来电,再见!'),
    ]);

  it('one 你 costs less than seven, and seven no more than the cap', () => {
    const one = inspector.inspect(withNi(1));
    const seven = inspector.inspect(withNi(7));
    expect(ruleOf(one, 'language.nin')).toMatchObject({ outcome: 'fail', points: -2, occurrences: 1 });
    expect(ruleOf(seven, 'language.nin')).toMatchObject({ outcome: 'fail', points: -8, occurrences: 7 });
    expect(one.score).toBe(98);
    expect(seven.score).toBe(92);
    // Every occurrence is still a finding.
    expect(seven.findings.filter((f) => f.rule === 'language.nin')).toHaveLength(7);
  });

  it('a fatal rule still zeroes the call; a flat rule deducts its points once', () => {
    const sc = parseScorecard(
      `version: 1
name: t
rules:
  - id: t.fatal
    title: F
    points: 1
    fatal: true
    sources: [{ seed: "002", section: "x" }]
    expect: { phrases: { none: [你去投诉] } }
  - id: t.flat
    title: Flat
    points: 5
    sources: [{ seed: "002", section: "x" }]
    expect: { regex: { none: "你" } }
`,
      't.yaml',
    );
    const r = new Inspector(sc, catalog).inspect(call([a('你去投诉好了'), a('你你你')]));
    expect(r).toMatchObject({ fatal: true, score: 0 });
    expect(ruleOf(r, 't.flat')).toMatchObject({ points: -5, occurrences: 4 });
  });

  const messages = (rule: string): string[] => {
    try {
      parseScorecard(`version: 1\nname: t\nrules:\n${rule}`, 'bad.yaml');
    } catch (e) {
      if (e instanceof ScorecardError) return e.issues.map((i) => `${i.line} ${i.path}: ${i.message}`);
      throw e;
    }
    throw new Error('expected a ScorecardError');
  };
  const head = '  - id: t.r\n    title: T\n    sources: [{ seed: "002", section: "x" }]\n';

  it('a bad deduct is refused at load with where and how to fix', () => {
    expect(
      messages(`${head}    deduct: { perOccurrence: 3, cap: 2 }\n    expect: { regex: { none: "你" } }\n`),
    ).toEqual([
      '7 rules[0].deduct.cap: the cap (2) is below one occurrence (3); expected cap ≥ perOccurrence',
    ]);
    expect(
      messages(
        `${head}    points: 2\n    deduct: { perOccurrence: 1, cap: 2 }\n    expect: { regex: { none: "你" } }\n`,
      )[0],
    ).toContain('rules[0].deduct: give points or deduct, not both');
    expect(messages(`${head}    expect: { regex: { none: "你" } }\n`)[0]).toContain(
      'rules[0].points: give points (deducted once when the rule fails) or deduct',
    );
    expect(
      messages(
        `${head}    fatal: true\n    deduct: { perOccurrence: 1, cap: 2 }\n    expect: { regex: { none: "你" } }\n`,
      )[0],
    ).toContain('a fatal rule zeroes the call');
    expect(
      messages(
        `${head}    deduct: { perOccurrence: 1, cap: 2 }\n    expect: { phrases: { any: [再见] } }\n`,
      )[0],
    ).toContain('does not count occurrences');
    expect(
      messages(`${head}    deduct: { perOccurrence: 0, cap: 2 }\n    expect: { regex: { none: "你" } }\n`)[0],
    ).toContain('rules[0].deduct.perOccurrence');
  });
});

describe('the greeting: company and the agent’s own 工号', () => {
  const greet = (text: string, agent: Call['agent'] | null = { id: '4402' }, brand = 'zhonghua') => {
    const x = call([a(text), c('我想问保单。'), a('好的。')], [], { brand });
    if (agent) x.agent = agent;
    else delete x.agent;
    return inspector.inspect(x);
  };

  it('passes with the own number, fails with another or none, and says which', () => {
    expect(outcomes(greet('您好!中华保险4402号为您服务。'))['opening.greeting']).toBe('pass');
    const wrong = greet('您好!中华保险4403号为您服务。');
    expect(outcomes(wrong)['opening.greeting']).toBe('fail');
    expect(wrong.findings.find((f) => f.rule === 'opening.greeting')?.evidence).toContain(
      '报的工号4403不是本通话坐席的工号4402',
    );
    expect(outcomes(greet('您好!中华保险为您服务。'))['opening.greeting']).toBe('fail');
    expect(outcomes(greet('您好!4402号为您服务。'))['opening.greeting']).toBe('fail');
  });

  it('reads a 工号 spoken as Chinese numerals; the hotline number is a company name, not a 工号', () => {
    expect(outcomes(greet('您好!中华保险四四零二号为您服务。'))['opening.greeting']).toBe('pass');
    expect(outcomes(greet('您好!95585,4402号为您服务。'))['opening.greeting']).toBe('pass');
    expect(outcomes(greet('您好!中华保险95585为您服务。'))['opening.greeting']).toBe('fail');
  });

  it('reads the own 工号 in Chinese numerals with or without 号 (幺 for 一, 两 for 二); another is a fault', () => {
    const g = (text: string, id: string) => outcomes(greet(text, { id }))['opening.greeting'];
    expect(g('您好!中华保险一二三为您服务。', '123')).toBe('pass');
    expect(g('您好,中华保险,工号一零二四。', '1024')).toBe('pass');
    expect(g('您好,中华保险,工号幺零二四,很高兴为您服务。', '1024')).toBe('pass');
    expect(g('您好,中华保险幺零两两为您服务。', '1022')).toBe('pass');
    expect(g('您好,中华保险幺零二四号为您服务。', '1024')).toBe('pass');
    const wrong = greet('您好,中华保险,工号一零二五。', { id: '1024' });
    expect(outcomes(wrong)['opening.greeting']).toBe('fail');
    expect(wrong.findings.find((f) => f.rule === 'opening.greeting')?.evidence).toContain(
      '报的工号1025不是本通话坐席的工号1024',
    );
    expect(g('您好!中华保险四五六为您服务。', '123')).toBe('fail');
  });

  it('a call naming its brand in Traditional script or by an alias is inspected as that brand', () => {
    for (const brand of ['中華保險', '中华保险', 'zhonghua']) {
      const r = greet('您好!中华保险4402号为您服务。', { id: '4402' }, brand);
      expect(r.brand, brand).toBe('zhonghua');
      expect(outcomes(r)['opening.greeting'], brand).toBe('pass');
    }
    expect(greet('您好,全家乐电器服务中心,018为您服务。', { id: '018' }, '全家樂').brand).toBe('quanjiale');
    // The command line's --brand (a default or forced brand) is taken the same way.
    const x = call([a('您好,全家乐电器服务中心,018为您服务。')], [], { agent: { id: '018' } });
    delete x.brand;
    expect(new Inspector(scorecard, catalog, { defaultBrand: '全家樂' }).inspect(x).brand).toBe('quanjiale');
  });

  it('without the call’s agent id, any number of the brand’s form is taken', () => {
    expect(outcomes(greet('您好!中华保险1234号为您服务。', null))['opening.greeting']).toBe('pass');
  });

  it('a brand whose greeting has no 工号 (超越: announcedBy none) does not require one', () => {
    expect(
      outcomes(greet('您好,超越平台,很高兴为您服务!', { id: '1024' }, 'chaoyue'))['opening.greeting'],
    ).toBe('pass');
  });

  it('a brand whose menu announces the 工号 (playbook setting) does not require the agent to say it', () => {
    const menu = new Catalog(
      loadPlaybookDir().map((pb) =>
        pb.brand.id === 'zhonghua'
          ? {
              ...pb,
              brand: { ...pb.brand, agentNumber: { ...pb.brand.agentNumber, announcedBy: 'menu' as const } },
            }
          : pb,
      ),
    );
    const r = new Inspector(scorecard, menu).inspect(
      call([a('您好,中华保险,很高兴为您服务。'), c('查保单。'), a('好的。')]),
    );
    expect(outcomes(r)['opening.greeting']).toBe('pass');
  });
});

describe('channels', () => {
  const PHONE_ONLY = [
    'opening.answer-speed',
    'opening.greeting',
    'opening.no-wei',
    'opening.wait-apology',
    'listen.no-interrupt',
    'hold.consent',
    'hold.limit',
    'hold.thanks-after',
    'closing.customer-first',
    'outbound.not-the-customer',
    'silence.protocol',
    'speech.rate',
  ];

  it('the default scorecard declares the phone-only rules; the others apply everywhere or on chat too', () => {
    const phoneOnly = scorecard.rules.filter((r) => r.channels?.join() === 'phone').map((r) => r.id);
    expect(phoneOnly.sort()).toEqual([...PHONE_ONLY].sort());
  });

  it('a chat thread is not failed for a phone greeting, a 喂, a hang-up or its typing speed', () => {
    const turns: Turn[] = [
      { speaker: 'customer', text: '在吗?我的快递三天没动了', start: 0, end: 0 },
      { speaker: 'agent', text: '喂,在的,请问单号是多少?', start: 100000, end: 100000 },
      { speaker: 'customer', text: '1234567', start: 120000, end: 120000 },
      { speaker: 'agent', text: '好的,已经帮您催促了,请问还有其他问题吗?', start: 130000, end: 130000 },
      { speaker: 'customer', text: '没有了', start: 140000, end: 140000 },
      { speaker: 'agent', text: '感谢您的咨询,再见!', start: 150000, end: 150000 },
    ];
    const events: CallEvent[] = [{ type: 'hangup', at: 160000, by: 'agent' }];
    const chat = inspector.inspect(call(turns, events, { channel: 'chat' }));
    const o = outcomes(chat);
    for (const id of PHONE_ONLY) expect(o[id], id).toBe('n/a');
    expect(o['closing.more-questions']).toBe('pass');
    expect(chat.score).toBe(100);
    // The same words on the phone: the greeting, 喂 and the hang-up order fail.
    const phone = outcomes(inspector.inspect(call(turns, events)));
    expect([phone['opening.greeting'], phone['opening.no-wei'], phone['closing.customer-first']]).toEqual([
      'fail',
      'fail',
      'fail',
    ]);
  });

  it('a rule naming a channel is n/a on the others; an unknown channel is refused at load', () => {
    const sc = parseScorecard(
      `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    channels: [email]\n    sources: [{ seed: "002", section: "x" }]\n    expect: { phrases: { any: [此致] } }\n`,
      't.yaml',
    );
    const insp = new Inspector(sc, catalog);
    expect(insp.inspect(call([a('您好')])).rules[0]?.outcome).toBe('n/a');
    expect(insp.inspect(call([a('您好')], [], { channel: 'email' })).rules[0]?.outcome).toBe('fail');
    expect(() =>
      parseScorecard(
        `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    channels: [fax]\n    sources: [{ seed: "002", section: "x" }]\n    expect: { phrases: { any: [x] } }\n`,
        't.yaml',
      ),
    ).toThrow(/rules\[0\]\.channels\[0\]: .*expected one of: phone, chat, email/);
  });
});

describe('thanks that end a thread (ifUnansweredOn: a chat never hangs up on the agent)', () => {
  const question = [c('请问怎么开发票?'), a('在订单详情里点申请发票就可以。')];
  const thanksOf = (r: CallResult) => ruleOf(r, 'emotion.thanks-reply')?.outcome;
  // The default scorecard with the option turned on for its thanks rule, as a centre would.
  const yaml = readFileSync(join(import.meta.dirname, '../../scorecards/default.yaml'), 'utf8');
  const marker = '        within: 2\n        # A chat thread ending on the customer';
  expect(yaml).toContain(marker);
  const inspector = new Inspector(
    parseScorecard(
      yaml.replace(
        marker,
        `        within: 2\n        ifUnansweredOn: [chat]\n        # A chat thread ending on the customer`,
      ),
      'default+chat.yaml',
    ),
    catalog,
  );

  it('the default scorecard leaves a chat thread ending on unanswered thanks n/a', () => {
    const r = new Inspector(scorecard, catalog).inspect(
      call([...question, c('好的,谢谢')], [], { channel: 'chat' }),
    );
    expect(thanksOf(r)).toBe('n/a');
  });

  it('a chat thread ending on the customer’s thanks fails, with a whole-thread finding saying so', () => {
    const r = inspector.inspect(call([...question, c('好的,谢谢')], [], { channel: 'chat' }));
    expect(thanksOf(r)).toBe('fail');
    const f = r.findings.find((x) => x.rule === 'emotion.thanks-reply');
    expect(f).toMatchObject({ turn: null, evidence: '第3句客户话语显示"客户致谢", 其后坐席未再发言' });
    expect(f?.suggestion).toContain('不客气');
  });

  it('the same words end a phone call (the caller hung up) or an email thread: n/a', () => {
    const end = [...question, c('好的,谢谢')];
    expect(
      thanksOf(inspector.inspect(call(end, [...ringAnswer, { type: 'hangup', at: 30000, by: 'customer' }]))),
    ).toBe('n/a');
    expect(thanksOf(inspector.inspect(call(end, [], { channel: 'email' })))).toBe('n/a');
  });

  it('a sign-off thanks after the agent answered thanks already owes nothing more; after a close without it, it does', () => {
    const answered = [...question, c('好的,谢谢'), a('不客气,还有问题随时找我们哦'), c('好的,谢谢')];
    expect(thanksOf(inspector.inspect(call(answered, [], { channel: 'chat' })))).toBe('pass');
    const closedOnly = [c('请问怎么开发票?'), a('在订单详情里申请就可以,祝您购物愉快'), c('好的,谢谢')];
    expect(thanksOf(inspector.inspect(call(closedOnly, [], { channel: 'chat' })))).toBe('fail');
  });

  it('ifUnansweredOn names channels the scorecard knows: another is refused at load, with where', () => {
    expect(() =>
      parseScorecard(
        `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "002", section: "x" }]\n    expect:\n      trigger:\n        when: { situation: { any: [thanks] } }\n        then: { phrases: { any: [不客气] } }\n        ifUnansweredOn: [sms]\n`,
        't.yaml',
      ),
    ).toThrow(/rules\[0\]\.expect\.trigger\.ifUnansweredOn\[0\]: .*expected one of: phone, chat, email/);
  });
});
