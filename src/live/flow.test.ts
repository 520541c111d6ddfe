// The call-flow engine, procedure by procedure, on an injected clock: each input carries its
// time (ms since the ring) and advance(now) fires the timers. What is asserted is what the agent
// would see on the console: timers, stages, script lines, situations, alerts, the inspection.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Call, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import type { Playbook } from '../playbook/load.ts';
import { Inspector } from '../qa/engine.ts';
import { loadScorecard, parseScorecard } from '../qa/scorecard.ts';
import { createSituationDetector } from '../situations/detect.ts';
import { LiveRules } from './alerts.ts';
import { createFlowFactory, type FlowDeps, type LiveCallFlow, STAGE_IDS } from './flow.ts';
import { Script } from './flow-script.ts';
import { FlowError, type FlowInput, type FlowSetup, type LiveEvent } from './model.ts';
import { replayCall, replayInputs, replaySetup } from './replay.ts';

const catalog = Catalog.load();
const scorecard = loadScorecard();
const inspector = new Inspector(scorecard, catalog);
const deps: FlowDeps = {
  catalog,
  detector: createSituationDetector(),
  rules: new LiveRules(inspector),
  phraseSets: scorecard.phraseSets,
};
const factory = createFlowFactory(deps);

function flow(setup: Partial<FlowSetup> = {}, more: Partial<FlowDeps> = {}): LiveCallFlow {
  const f = Object.keys(more).length ? createFlowFactory({ ...deps, ...more }) : factory;
  return f({ callId: 'c1', brand: 'chaoyue', direction: 'inbound', agent: { id: '1024' }, ...setup });
}

const cti = (type: Extract<FlowInput, { kind: 'cti' }>['type'], at: number, more = {}): FlowInput => ({
  kind: 'cti',
  type,
  at,
  ...more,
});
const agent = (text: string, start?: number, end?: number): FlowInput => ({
  kind: 'turn',
  speaker: 'agent',
  text,
  ...(start !== undefined ? { start } : {}),
  ...(end !== undefined ? { end } : {}),
});
const customer = (text: string, start?: number, end?: number): FlowInput => ({
  kind: 'turn',
  speaker: 'customer',
  text,
  ...(start !== undefined ? { start } : {}),
  ...(end !== undefined ? { end } : {}),
});
const button = (b: Extract<FlowInput, { kind: 'button' }>['button'], at: number): FlowInput => ({
  kind: 'button',
  button: b,
  at,
});

/** Feeds inputs and collects every event (advance to `until` at the end, if given). */
function run(f: LiveCallFlow, inputs: FlowInput[], until?: number): LiveEvent[] {
  const out = inputs.flatMap((i) => f.apply(i));
  if (until !== undefined) out.push(...f.advance(until));
  return out;
}

const timers = (events: LiveEvent[], timer?: string) =>
  events.flatMap((e) =>
    e.kind === 'timer' && (timer === undefined || e.timer === timer)
      ? [`${e.timer} ${e.state} @${e.at}`]
      : [],
  );
const guidance = (events: LiveEvent[]) =>
  events.flatMap((e) => (e.kind === 'guidance' ? [{ at: e.at, scenario: e.scenario, text: e.text }] : []));
const stages = (events: LiveEvent[]) =>
  events.flatMap((e) => (e.kind === 'stage' ? [`${e.stage} ${e.state}`] : []));

function thrown(fn: () => unknown): FlowError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlowError) return err;
    throw err;
  }
  throw new Error('expected a FlowError');
}

describe('ring', () => {
  it('starts at the ring, stops at an answer within the limit, and the greeting line comes at the answer', () => {
    const f = flow();
    const events = run(f, [cti('answer', 8000)]);
    expect(timers(events)).toEqual(['ring started @0', 'ring stopped @8000']);
    expect(guidance(events)).toEqual([
      { at: 8000, scenario: 'opening.greeting', text: '您好,超越平台,很高兴为您服务!' },
    ]);
  });

  it('a call naming its brand in Traditional script or by an alias gets that brand’s lines', () => {
    const greeting = (brand: string) => guidance(run(flow({ brand }), [cti('answer', 4000)]))[0]?.text;
    expect(greeting('中華保險')).toBe(greeting('zhonghua'));
    expect(greeting('中华保险')).toBe(greeting('zhonghua'));
    expect(greeting('全家樂')).toBe(greeting('quanjiale'));
    expect(greeting('全家樂')).toMatch(/全家樂/);
    expect(thrown(() => flow({ brand: '華夏保險' })).message).toContain("unknown brand '華夏保險'");
  });

  it('shows the phone’s lines only: a line written for email or chat (感谢您的来信) is left out', () => {
    const generic = catalog.find('generic') as Playbook;
    const texts = Script.of(catalog, generic)
      .lines('closing.farewell', {})
      .map((l) => l.text);
    expect(texts).toContain('感谢您的来电,祝您生活愉快!');
    expect(texts.filter((t) => /来信|咨询,/u.test(t))).toEqual([]);
  });

  it('expires at rings × ring period; an answer after it gets the long-wait line', () => {
    const f = flow({ brand: 'zhonghua' });
    expect(f.nextDeadline()).toBe(0);
    expect(timers(f.advance(0))).toEqual(['ring started @0']);
    expect(f.nextDeadline()).toBe(15_000);
    expect(f.advance(14_999)).toEqual([]);
    expect(timers(f.advance(15_000))).toEqual(['ring expired @15000']);
    const events = f.apply(cti('answer', 21_500));
    expect(timers(events)).toEqual([]);
    expect(guidance(events)).toEqual([
      { at: 21_500, scenario: 'opening.long-wait', text: '对不起,让您久等了!请问有什么可以帮您?' },
    ]);
  });

  it('an answer at exactly the limit is on time (as quality inspection counts it)', () => {
    const events = run(flow(), [cti('answer', 15_000)]);
    expect(timers(events)).toEqual(['ring started @0', 'ring stopped @15000']);
    expect(guidance(events)[0]?.scenario).toBe('opening.greeting');
  });

  it('an outbound call has no ring limit and opens with the outbound line, filled with the customer', () => {
    const f = flow({ direction: 'outbound', customer: { surname: '赵', title: '先生' } });
    const events = run(f, [cti('answer', 18_000)]);
    expect(timers(events)).toEqual([]);
    expect(guidance(events)).toEqual([
      { at: 18_000, scenario: 'outbound.opening', text: '您好!我是超越平台前台人员,请问赵先生在吗?' },
    ]);
  });

  it('an explicit ring is the one the flow was made at; a second ring is out of order', () => {
    const f = flow();
    expect(timers(f.apply(cti('ring', 0)))).toEqual(['ring started @0']);
    f.apply(cti('answer', 5000));
    expect(thrown(() => f.apply(cti('ring', 6000))).code).toBe('out-of-order');
  });
});

describe('stages', () => {
  const model = [
    cti('answer', 6000),
    agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
    customer('你好,我想问一下商标注册要多久?', 9500, 12_000),
    agent('一般需要九到十二个月。', 12_500, 15_000),
    agent('请问您贵姓?', 15_500, 16_500),
    customer('姓王。', 17_000, 17_500),
    agent('王先生,您咨询的是商标注册的时间,对吗?', 18_000, 21_000),
    customer('对。', 21_500, 22_000),
    agent('建议您先递交申请,递交后一个月左右会收到受理通知书。', 22_500, 27_000),
    agent('请问您还有其他问题需要咨询吗?', 27_500, 30_000),
    customer('没有了,谢谢。', 30_500, 31_500),
    agent('不客气,有任何问题再与我们联系,再见!', 32_000, 35_000),
    cti('hangup', 36_000, { by: 'customer' }),
  ];

  it('are done in order as the agent says them, and the caller hangs up first', () => {
    const events = run(flow(), model);
    expect(stages(events)).toEqual([
      'greeting done',
      'surname done',
      'confirm done',
      'solve done',
      'more-questions done',
      'farewell done',
      'customer-hangs-up-first done',
    ]);
    const f = flow();
    run(f, model);
    expect(f.state().stages).toEqual([
      { stage: 'greeting', state: 'done' },
      { stage: 'surname', state: 'done' },
      { stage: 'confirm', state: 'done' },
      { stage: 'solve', state: 'done' },
      { stage: 'more-questions', state: 'done' },
      { stage: 'farewell', state: 'done' },
      { stage: 'customer-hangs-up-first', state: 'done' },
    ]);
  });

  it('the surname line comes after the caller’s first question is answered, not before', () => {
    const f = flow();
    const before = run(f, [cti('answer', 6000), agent('您好,超越平台,很高兴为您服务!', 7000, 9000)]);
    expect(guidance(before).map((g) => g.scenario)).not.toContain('identify.ask-surname');
    const question = f.apply(customer('我想问一下商标注册要多久?', 9500, 12_000));
    expect(guidance(question).map((g) => g.scenario)).not.toContain('identify.ask-surname');
    const answered = f.apply(agent('一般需要九到十二个月。', 12_500, 15_000));
    expect(guidance(answered)).toEqual([
      { at: 15_000, scenario: 'identify.ask-surname', text: '您好,请问您贵姓?' },
    ]);
  });

  it('answering the first question does not pass the surname; addressing the caller by it is asking it', () => {
    const events = run(flow(), [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
      customer('你好,我的软件著作权登记到哪一步了?', 9500, 12_000),
      agent('登记一般需要三十个工作日,我帮您看一下具体进度。', 12_500, 16_000),
      customer('姓马。', 16_500, 17_000),
      agent('马先生,您的登记已经进入审查阶段了。', 17_500, 20_000),
    ]);
    expect(stages(events)).toEqual(['greeting done', 'confirm missed', 'solve done', 'surname done']);
  });

  it('a stage the call goes past is missed then, the rest at hang-up; the agent hanging up first is missed', () => {
    const events = run(flow(), [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
      customer('你好,我想问一下商标注册要多久?', 9500, 12_000),
      agent('一般九到十二个月。请问您还有其他问题吗?', 12_500, 16_000),
      cti('hangup', 20_000, { by: 'agent' }),
    ]);
    expect(stages(events)).toEqual([
      'greeting done',
      'surname missed',
      'confirm missed',
      'solve missed',
      'more-questions done',
      'farewell missed',
      'customer-hangs-up-first missed',
    ]);
    const missedAt = events.find((e) => e.kind === 'stage' && e.stage === 'surname')?.at;
    expect(missedAt).toBe(16_000);
  });

  it('a turn that answers nothing (不知道, 你去投诉好了) is not a solution; the real answer after it is', () => {
    const events = run(flow(), [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
      customer('我的商标注册申请到底审到哪一步了?', 9500, 12_000),
      agent('这个我也不知道,你去投诉好了。', 12_500, 15_000),
      agent('非常抱歉,您的申请已经进入实质审查阶段,预计下个月出结果。', 16_000, 20_000),
    ]);
    expect(stages(events)).toEqual(['greeting done', 'confirm missed', 'solve done']);
    expect(events.find((e) => e.kind === 'stage' && e.stage === 'solve')?.at).toBe(20_000);
    // The same statement without the fault is an answer at once.
    const plain = run(flow(), [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
      customer('我的商标注册申请到底审到哪一步了?', 9500, 12_000),
      agent('您的申请已经进入实质审查阶段,预计下个月出结果。', 12_500, 15_000),
    ]);
    expect(plain.find((e) => e.kind === 'stage' && e.stage === 'solve')?.at).toBe(15_000);
  });

  it('the checklist lists the stages the brand’s script has lines for; the surname on inbound calls only', () => {
    // chaoyue has every stage's lines; zhonghua has no line to ask the surname.
    expect(flow().stageList).toEqual([...STAGE_IDS]);
    expect(flow({ brand: 'zhonghua' }).stageList).not.toContain('surname');
    expect(flow({ direction: 'outbound' }).stageList).not.toContain('surname');
  });

  it('the greeting stage is decided by the scorecard’s greeting rule on the first agent turn', () => {
    const events = run(flow({ brand: 'generic' }), [cti('answer', 3000), agent('喂,你好。', 4000, 5000)]);
    expect(stages(events)).toEqual(['greeting missed']);
  });

  // One rule set, one result (issue 9 §1): the closing stages are said as the scorecard's rules
  // find the words in a turn — their patterns, exclusions, variants and Traditional script.
  const closing = (ask: string, bye = '好的,感谢您的来电,再见!') => [
    cti('answer', 6000),
    agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
    customer('我的年报提交了吗?', 9500, 12_000),
    agent('您的年报已于三月二日提交,审核状态是已通过。', 12_500, 16_000),
    agent(ask, 16_500, 19_000),
    customer('没有了,谢谢。', 19_500, 21_000),
    agent(bye, 21_500, 23_000),
    cti('hangup', 24_000, { by: 'customer' }),
  ];
  const rule = (f: LiveCallFlow, id: string) => f.inspection?.rules.find((r) => r.id === id)?.outcome;
  const stageAt = (events: LiveEvent[], stage: string) =>
    events.flatMap((e) => (e.kind === 'stage' && e.stage === stage ? [`${e.state} @${e.at}`] : []));

  it('the closing question asked as the scorecard’s pattern, in either script: done as it is asked, and QA passes it', () => {
    for (const ask of ['您还要办理别的业务吗?', '請問您還要辦理別的業務嗎?', '请问您还有其它问题吗?']) {
      const f = flow();
      const events = run(f, closing(ask));
      expect(stageAt(events, 'more-questions'), ask).toEqual(['done @19000']);
      expect(rule(f, 'closing.more-questions'), ask).toBe('pass');
    }
  });

  it('an instruction with the pattern’s words is no closing question for either (您还需要办理一下实名认证)', () => {
    const f = flow();
    const events = run(f, closing('您还需要办理一下实名认证,办好后就可以提交了。', '好的,再见!'));
    expect(stageAt(events, 'more-questions')).toEqual(['missed @23000']);
    expect(rule(f, 'closing.more-questions')).toBe('fail');
  });

  it('a wish is a farewell for both (祝您工作顺利: the rule’s pattern, in no phrase set)', () => {
    const f = flow();
    const events = run(f, closing('请问还有其他问题吗?', '不客气,祝您工作顺利!'));
    expect(stageAt(events, 'farewell')).toEqual(['done @23000']);
    expect(rule(f, 'closing.farewell')).toBe('pass');
  });

  it('a scorecard without the closing rules and phrase sets: the checklist’s own words', () => {
    const own = parseScorecard(
      'version: 1\nname: t\nrules:\n  - id: language.ni\n    title: T\n    points: 1\n    sources: [{ seed: "002", section: "x" }]\n    expect: { phrases: { none: [你] } }\n',
      'own.yaml',
    );
    const judge = new Inspector(own, catalog);
    const ownFlow = () => flow({}, { rules: new LiveRules(judge), phraseSets: own.phraseSets ?? {} });
    const events = run(ownFlow(), closing('请问还有其他问题吗?'));
    expect(stageAt(events, 'greeting')).toEqual(['done @9000']);
    expect(stageAt(events, 'more-questions')).toEqual(['done @19000']);
    expect(stageAt(events, 'farewell')).toEqual(['done @23000']);
    // …which know no pattern: the closing question in other words is missed.
    expect(stageAt(run(ownFlow(), closing('您还要办理别的业务吗?')), 'more-questions')).toEqual([
      'missed @23000',
    ]);
  });

  it('verify applies where the caller’s matter touches account data (generic identity check)', () => {
    const events = run(flow({ brand: 'zhonghua' }), [
      cti('answer', 3000),
      agent('您好!中华保险1024号为您服务。', 4000, 6000),
      customer('我想改一下保单上的手机号码。', 6500, 9000),
      agent('好的,为了保障您的账户安全,麻烦您提供一下身份证号后六位,以便我们进行核实。', 9500, 14_000),
    ]);
    // Verified before the problem was confirmed: the call went past the confirmation.
    expect(stages(events)).toEqual(['greeting done', 'confirm missed', 'verify done']);
  });

  it('verify ticks when the agent asks for or confirms identity data, not on the word 核实 alone', () => {
    const opening = [
      cti('answer', 3000),
      agent('您好!中华保险1024号为您服务。', 4000, 6000),
      customer('我想改一下保单上的手机号码。', 6500, 9000),
    ];
    const verifyOf = (line: string) =>
      stages(run(flow({ brand: 'zhonghua' }), [...opening, agent(line, 9500, 12_000)])).filter((s) =>
        s.startsWith('verify'),
      );
    for (const words of [
      '好的,我帮您核实一下。',
      '这个需要核实,请您稍等。',
      '您是要改手机号吗?',
      '为了保障您的账户安全,我们会尽快处理。',
    ])
      expect(verifyOf(words), words).not.toContain('verify done');
    for (const words of [
      '请问您的身份证号后六位是多少?',
      '麻烦您告诉我一下保单号。',
      '您的预留手机号后四位是5678,对吗?',
      '我先核实一下您的身份,请您提供投保人姓名。',
    ])
      expect(verifyOf(words), words).toEqual(['verify done']);
  });

  it('verify ticks on identity data asked for, not on the matter confirmed, an instruction, or a call without account data (issue 9 review)', () => {
    const zhonghua = [
      cti('answer', 3000),
      agent('您好!中华保险1024号为您服务。', 4000, 6000),
      customer('我想改一下保单上的手机号码。', 6500, 9000),
    ];
    const stagesAfter = (brand: string, opening: FlowInput[], line: string) =>
      stages(run(flow({ brand }), [...opening, agent(line, 9500, 12_000)]));
    // Confirming the matter is the confirmation, not the identity check.
    expect(stagesAfter('zhonghua', zhonghua, '您是要修改保单上的手机号码,对吗?')).toEqual([
      'greeting done',
      'confirm done',
    ]);
    // Telling the caller where to type the data in solves the matter; it asks for nothing.
    const told = stagesAfter(
      'zhonghua',
      zhonghua,
      '您在我们APP里输入手机号和保单号就可以自己修改了,很方便的。',
    );
    expect(told).toContain('solve done');
    expect(told).not.toContain('verify done');
    // The playbook's own verify line, rendered with every typical item, ticks on an order call.
    const order = [
      cti('answer', 3000),
      agent('您好,全家乐客服,很高兴为您服务!', 4000, 6000),
      customer('我的订单一直没发货,帮我查一下。', 6500, 9000),
    ];
    // Every playbook's verify.identity line (brands without their own use generic's).
    const lines = catalog.playbooks.flatMap(
      (pb) => catalog.scenario(pb.brand.id, 'verify.identity')?.lines.map((l) => l.text) ?? [],
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      for (const item of [
        '订单号',
        '预留手机号后四位',
        '邮箱地址',
        '身份证号后六位',
        '会员号',
        '用户名',
        '保单号',
        '账号',
      ])
        expect(stagesAfter('quanjiale', order, line.replaceAll('{verifyItem}', item)), item).toContain(
          'verify done',
        );
    // Registering a caller's name and number on a call with no account data checks no identity.
    const plain = [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('我想咨询一下商标注册的流程。', 6500, 9000),
    ];
    expect(stagesAfter('chaoyue', plain, '请问您的姓名和联系电话是什么?我帮您登记')).not.toContain(
      'verify done',
    );
    // 正确 / 是吗 / 哪个 are no request for the data.
    for (const words of ['您的手机号是正确的,不用改。', '您说的是保单号,是吗?', '您想改哪个手机号?'])
      expect(stagesAfter('zhonghua', zhonghua, words), words).not.toContain('verify done');
  });

  it('an outbound call has no surname stage; a silent line misses only the farewell QA fails; a dropped line none', () => {
    expect(
      flow({ direction: 'outbound' })
        .state()
        .stages.map((s) => s.stage),
    ).not.toContain('surname');
    const silent = run(flow(), [cti('answer', 3000), agent('您好,超越平台,很高兴为您服务!', 4000, 6000)]);
    const f = flow();
    run(f, [cti('answer', 3000), agent('您好,超越平台,很高兴为您服务!', 4000, 6000)]);
    // Quality inspection does not score the closing question nor who hangs up on a silent line;
    // it does score the farewell (the procedure's last line), which the agent never said here.
    expect(stages([...silent, ...f.apply(cti('hangup', 40_000, { by: 'agent' }))])).toEqual([
      'greeting done',
      'more-questions n/a',
      'farewell missed',
      'customer-hangs-up-first n/a',
    ]);
    expect(f.inspection?.rules.find((r) => r.id === 'closing.farewell')?.outcome).toBe('fail');
    const dropped = flow();
    const events = run(dropped, [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('我想问一下。', 6200, 7000),
      cti('hangup', 9000, { cause: 'dropped' }),
    ]);
    expect(stages(events)).toEqual([
      'greeting done',
      'more-questions n/a',
      'farewell n/a',
      'customer-hangs-up-first n/a',
    ]);
    expect(dropped.state().hangup).toEqual({ at: 9000, by: null, cause: 'dropped' });
  });
  // Quality inspection finds the closing rules n/a where nobody could close the call for this
  // agent (scorecards/default.yaml: a transfer, the agent's words handing it over, the caller
  // hanging up on hold, a dropped line): the checklist shows those stages n/a, not missed.
  const ending = (lastAgent: string) => [
    cti('answer', 3000),
    agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
    customer('你好,我上个月提交的软件著作权登记,现在到哪一步了?', 6500, 9000),
    agent(lastAgent, 9500, 14_000),
    customer('好的。', 14_500, 15_000),
  ];
  const closingStages = (events: LiveEvent[]) =>
    stages(events).filter((s) => /^(more-questions|farewell|customer-hangs-up-first) /.test(s));
  const NOT_APPLICABLE = ['more-questions n/a', 'farewell n/a', 'customer-hangs-up-first n/a'];

  it('a transferred call: the closing stages are n/a, as quality inspection finds their rules', () => {
    const byEvent = flow();
    const events = run(byEvent, [
      ...ending('您咨询的是登记进度的问题,请您稍等。'),
      cti('transfer', 16_000, { to: '技术部' }),
      cti('hangup', 17_000, { by: 'agent' }),
    ]);
    expect(closingStages(events)).toEqual(NOT_APPLICABLE);
    for (const id of ['closing.more-questions', 'closing.farewell', 'closing.customer-first'])
      expect(rule(byEvent, id), id).toBe('n/a');
    expect(
      byEvent
        .state()
        .stages.filter((s) => s.state === 'n/a')
        .map((s) => s.stage),
    ).toEqual(['surname', 'solve', 'more-questions', 'farewell', 'customer-hangs-up-first']);
    // The agent's words hand the call over (no transfer event): the same.
    const byWords = flow();
    const said = run(byWords, [
      ...ending('您的问题需要技术部处理,请您稍等,我帮您转接。'),
      cti('hangup', 17_000, { by: 'agent' }),
    ]);
    expect(closingStages(said)).toEqual(NOT_APPLICABLE);
    expect(rule(byWords, 'closing.farewell')).toBe('n/a');
  });

  it('the caller hangs up on hold, or the line drops: the closing stages are n/a, not missed', () => {
    const onHold = flow();
    const held = run(onHold, [
      ...ending('请您稍等,我帮您查询一下登记进度。'),
      cti('hold', 15_500),
      cti('hangup', 120_000, { by: 'customer' }),
    ]);
    expect(closingStages(held)).toEqual(NOT_APPLICABLE);
    expect(rule(onHold, 'closing.customer-first')).toBe('n/a');
    const dropped = flow();
    const cut = run(dropped, [
      ...ending('登记一般需要三十个工作日。'),
      cti('hangup', 16_000, { cause: 'dropped' }),
    ]);
    expect(closingStages(cut)).toEqual(NOT_APPLICABLE);
    // A stage the scorecard does not score is not missed at the hang-up of a dropped line either.
    expect(stages(cut.filter((e) => e.at === 16_000)).filter((s) => s.endsWith(' missed'))).toEqual([]);
  });

  it('an ordinary hang-up still misses the closing stages not said', () => {
    const events = run(flow(), [
      ...ending('登记一般需要三十个工作日。'),
      cti('hangup', 16_000, { by: 'agent' }),
    ]);
    expect(closingStages(events)).toEqual([
      'more-questions missed',
      'farewell missed',
      'customer-hangs-up-first missed',
    ]);
  });

  it('a farewell said mid-call, then more talk: ticked as said, missed at hang-up as QA fails it (issue 9 §3)', () => {
    const f = flow();
    const events = run(f, [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
      customer('你好,我想问一下商标注册要多久?', 9500, 12_000),
      agent('一般需要九到十二个月。请问您还有其他问题吗?', 12_500, 16_000),
      customer('没有了。', 16_500, 17_000),
      agent('好的,再见!', 17_500, 18_500),
      customer('哦对了,受理通知书寄到哪里?', 19_000, 21_000),
      agent('寄到您申请时填写的地址。', 21_500, 24_000),
      cti('hangup', 25_000, { by: 'customer' }),
    ]);
    const farewell = events.filter((e) => e.kind === 'stage' && e.stage === 'farewell');
    expect(farewell.map((e) => e.kind === 'stage' && `${e.state} @${e.at}`)).toEqual([
      'done @18500',
      'missed @25000',
    ]);
    expect(f.inspection?.rules.find((r) => r.id === 'closing.farewell')?.outcome).toBe('fail');
    expect(f.state().stages.find((s) => s.stage === 'farewell')?.state).toBe('missed');
    // The closing question, three agent turns back, still counts for both.
    expect(f.state().stages.find((s) => s.stage === 'more-questions')?.state).toBe('done');
    expect(f.inspection?.rules.find((r) => r.id === 'closing.more-questions')?.outcome).toBe('pass');
  });

  it('a closing stage the checklist missed on the way but QA passes settles done at hang-up', () => {
    // The farewell wish said without the closing question (it goes missed), the caller asks
    // again, the agent answers and asks it then: QA passes it on the last agent turns.
    const f = flow();
    const events = run(f, [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7000, 9000),
      customer('你好,我想问一下商标注册要多久?', 9500, 11_000),
      agent('一般需要九到十二个月,祝您生活愉快。', 11_500, 12_000),
      customer('那递交以后多久有受理通知?', 12_500, 14_000),
      agent('一个月左右会收到受理通知书,请问您还有其他问题吗?', 14_500, 17_000),
      customer('没有了。', 17_500, 18_000),
      agent('好的,再见!', 18_500, 19_500),
      cti('hangup', 20_000, { by: 'customer' }),
    ]);
    expect(stageAt(events, 'more-questions')).toEqual(['missed @12000', 'done @20000']);
    const ruled = (id: string) => f.inspection?.rules.find((r) => r.id === id)?.outcome;
    const state = (s: string) => f.state().stages.find((x) => x.stage === s)?.state;
    expect([
      ruled('closing.more-questions'),
      ruled('closing.farewell'),
      ruled('closing.customer-first'),
    ]).toEqual(['pass', 'pass', 'pass']);
    expect([state('more-questions'), state('farewell'), state('customer-hangs-up-first')]).toEqual([
      'done',
      'done',
      'done',
    ]);
  });

  // The stages quality inspection does not score follow the same ending: n/a where the call never
  // reached them, missed where the agent skipped them before it (seed 000 B.四.1, A.二; seed 001 3.).
  const middle = (events: LiveEvent[]) =>
    stages(events).filter((s) => /^(surname|confirm|verify|solve) /.test(s));
  const account = [
    cti('answer', 3000),
    agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
    customer('我的账户登录不了,软件著作权登记也查不到进度。', 6500, 9000),
  ];

  it('a transfer after the problem was confirmed: surname, verify and solve n/a, nothing red', () => {
    const f = flow();
    const events = run(f, [
      ...account,
      agent('好的,您咨询的是账户登录的问题,您的电话需转接技术部,请您稍等,我帮您转接。', 9500, 14_000),
      cti('transfer', 16_000, { to: '技术部' }),
      cti('hangup', 17_000, { by: 'agent' }),
    ]);
    expect(middle(events)).toEqual(['confirm done', 'surname n/a', 'verify n/a', 'solve n/a']);
    expect(f.state().stages.filter((s) => s.state === 'missed')).toEqual([]);
  });

  it('a transfer without the confirmation: the confirmation is still missed, the rest n/a', () => {
    const events = run(flow(), [
      ...account,
      agent('请您稍等。', 9500, 11_000),
      cti('transfer', 16_000, { to: '技术部' }),
      cti('hangup', 17_000, { by: 'agent' }),
    ]);
    expect(middle(events)).toEqual(['surname n/a', 'confirm missed', 'verify n/a', 'solve n/a']);
  });

  it('a transfer after the first question was answered: the surname was due, so missed', () => {
    const events = run(flow(), [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('登记证书多久能寄到?', 6500, 8000),
      agent('您咨询的是证书寄送的时间,对吗?', 8500, 9500),
      customer('对。', 9800, 10_000),
      agent('证书一般在登记完成后十五个工作日内寄出。', 10_500, 12_000),
      customer('那我还想投诉一下上次的客服。', 12_500, 14_000),
      agent('好的,我帮您转接投诉部。', 14_500, 16_000),
      cti('transfer', 16_500, { to: '投诉部' }),
      cti('hangup', 17_000, { by: 'agent' }),
    ]);
    expect(middle(events)).toEqual(['confirm done', 'solve done', 'surname missed']);
  });

  it('the caller hangs up on hold: surname, verify and solve n/a; a confirmation not said missed', () => {
    const events = run(flow(), [
      ...account,
      agent('请您稍等,我帮您查询一下。', 9500, 11_000),
      cti('hold', 11_500),
      cti('hangup', 70_000, { by: 'customer' }),
    ]);
    expect(middle(events)).toEqual(['surname n/a', 'confirm missed', 'verify n/a', 'solve n/a']);
  });

  it('a failed transfer, or an ordinary hang-up, still misses every stage not done', () => {
    const failed = run(flow(), [
      ...account,
      agent('请您稍等。', 9500, 11_000),
      cti('transfer', 12_000, { to: '技术部' }),
      agent('抱歉,转接失败了。', 20_000, 21_000),
      cti('hangup', 30_000, { by: 'customer' }),
    ]);
    // The call stays with this agent (seed 000 B.四.2): it was theirs to finish.
    expect(middle(failed)).toEqual(['surname missed', 'confirm missed', 'verify missed', 'solve missed']);
    // (请您稍等 as the agent's last words is a hold the caller hung up on, as QA reads it.)
    const ordinary = run(flow(), [...account, agent('好的,我知道了。', 9500, 11_000), cti('hangup', 30_000)]);
    expect(middle(ordinary)).toEqual(['surname missed', 'confirm missed', 'verify missed', 'solve missed']);
  });

  // The failure recorded on the call (the telephone system's transfer-failed, or the agent's
  // button), without the agent's words saying it: the caller stays with the agent (seed 000 B.四.2).
  const busy = [
    ...account,
    agent('好的,您咨询的是账户登录的问题,您的电话需转接技术部,请您稍等,我帮您转接。', 9500, 14_000),
    cti('transfer', 16_000, { to: '技术部' }),
  ];
  const afterFailure = [
    agent('那边占线,您稍后再打吧。', 21_000, 23_000),
    customer('哦。', 23_500, 24_000),
    cti('hangup', 25_000, { by: 'customer' }),
  ];

  it('a transfer, its failure (the event), 那边占线,您稍后再打吧, the caller hangs up: every stage owed, as QA finds', () => {
    const f = flow();
    const events = run(f, [...busy, cti('transfer-failed', 20_000, { to: '技术部' }), ...afterFailure]);
    expect(middle(events)).toEqual(['confirm done', 'surname missed', 'verify missed', 'solve missed']);
    expect(closingStages(events)).toEqual([
      'more-questions missed',
      'farewell missed',
      'customer-hangs-up-first done',
    ]);
    for (const [id, outcome] of [
      ['closing.more-questions', 'fail'],
      ['closing.farewell', 'fail'],
      ['closing.customer-first', 'pass'],
    ])
      expect(rule(f, id as string), id).toBe(outcome);
    // The same call without the failure was handed over: nothing owed.
    const handed = run(flow(), [...busy, ...afterFailure]);
    expect(middle(handed)).toEqual(['confirm done', 'surname n/a', 'verify n/a', 'solve n/a']);
    expect(closingStages(handed)).toEqual(NOT_APPLICABLE);
  });

  it('the transfer-failed button records the failure on the call (once per transfer); the inspection reads it', () => {
    const f = flow();
    const events = run(f, [...busy, button('transfer-failed', 20_000), ...afterFailure]);
    expect(f.call?.().events).toEqual([
      { type: 'ring', at: 0 },
      { type: 'answer', at: 3000 },
      { type: 'transfer', at: 16_000, to: '技术部' },
      { type: 'transfer-failed', at: 20_000, to: '技术部' },
      { type: 'hangup', at: 25_000, by: 'customer' },
    ]);
    expect(middle(events)).toEqual(['confirm done', 'surname missed', 'verify missed', 'solve missed']);
    expect(rule(f, 'closing.farewell')).toBe('fail');
  });

  it('a later transfer after the failure hands over again: n/a', () => {
    const events = run(flow(), [
      ...busy,
      cti('transfer-failed', 20_000),
      agent('技术部占线,您的电话需转接登记部,请您稍等,我帮您转接。', 21_000, 23_000),
      cti('transfer', 24_000, { to: '登记部' }),
      cti('hangup', 25_000, { by: 'agent' }),
    ]);
    expect(middle(events)).toEqual(['confirm done', 'surname n/a', 'verify n/a', 'solve n/a']);
    expect(closingStages(events)).toEqual(NOT_APPLICABLE);
  });

  it('a dropped line excuses no stage skipped before it: those stay missed', () => {
    const f = flow();
    const events = run(f, [
      ...account,
      agent('请问您还有其他问题吗?', 9500, 11_000),
      cti('hangup', 12_000, { cause: 'dropped' }),
    ]);
    // Passed by the closing question; the line dropping afterwards did not cut them short.
    expect(middle(events)).toEqual(['surname missed', 'confirm missed', 'verify missed', 'solve missed']);
    expect(middle(events.filter((e) => e.at === 12_000))).toEqual([]);
    expect(rule(f, 'closing.farewell')).toBe('n/a');
  });

  it('a transfer after the closing words: the stages they passed are n/a, not missed', () => {
    const events = run(flow(), [
      ...account,
      agent('请您稍等,我帮您转接技术部,感谢您的来电。', 9500, 12_000),
      cti('transfer', 13_000, { to: '技术部' }),
      cti('hangup', 14_000, { by: 'agent' }),
    ]);
    // Passed on the way by the farewell, then settled by how the call ended.
    expect(middle(events.filter((e) => e.at === 14_000))).toEqual(['surname n/a', 'verify n/a', 'solve n/a']);
    expect(middle(events)).toContain('confirm missed');
  });

  it('an outbound call someone else answered: the customer’s stages are n/a', () => {
    const f = flow({ direction: 'outbound' });
    const events = run(f, [
      cti('answer', 3000),
      agent('您好!我是超越平台前台人员,请问李先生在吗?', 4000, 6000),
      customer('他不在,出去了。', 6500, 8000),
      agent('好的,请问他什么时候方便接电话?谢谢您,再见!', 8500, 11_000),
      cti('hangup', 14_000, { by: 'customer' }),
    ]);
    expect(rule(f, 'outbound.not-the-customer')).not.toBe('n/a');
    // The question to whoever answered (…方便接电话?谢谢您,再见!) solves nothing: the customer's
    // matter is n/a at the hang-up, no red mark.
    expect(middle(events.filter((e) => e.at === 14_000))).toEqual(['confirm n/a', 'solve n/a']);
    expect(f.state().stages.filter((s) => s.state === 'missed')).toEqual([]);
  });

  // Seed 000 B.五: a harassment call is ended with 对不起,您的要求不在我们的服务范围内,请您挂机,再见!
  // There was no matter to sum up, look into or solve, nor a surname to ask once it was answered.
  const HARASSMENT_ENDING = '对不起,您的要求不在我们的服务范围内,请您挂机,再见!';
  const harasser = [
    cti('answer', 3000),
    agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
    customer('小姑娘声音真好听,陪我聊聊天呗。', 6500, 9000),
    agent('请问您有什么业务需要咨询吗?', 9500, 11_000),
    customer('没有业务,就想听你说话。', 11_500, 13_000),
  ];

  it('a harassment call the agent ends as seed 000 B.五 says: the caller’s stages n/a, the farewell done', () => {
    const f = flow();
    const events = run(f, [
      ...harasser,
      agent(HARASSMENT_ENDING, 13_500, 17_000),
      cti('hangup', 18_000, { by: 'agent' }),
    ]);
    // Quality inspection excuses the closing question and hanging up first, not the farewell.
    expect(rule(f, 'closing.more-questions')).toBe('n/a');
    expect(rule(f, 'closing.customer-first')).toBe('n/a');
    expect(rule(f, 'closing.farewell')).toBe('pass');
    // Its 再见 passed nothing on the way (no red while the line was said); at the hang-up, n/a.
    expect(middle(events.filter((e) => e.at === 18_000))).toEqual([
      'surname n/a',
      'confirm n/a',
      'solve n/a',
    ]);
    expect(f.state().stages).toEqual([
      { stage: 'greeting', state: 'done' },
      { stage: 'surname', state: 'n/a' },
      { stage: 'confirm', state: 'n/a' },
      { stage: 'solve', state: 'n/a' },
      { stage: 'more-questions', state: 'n/a' },
      { stage: 'farewell', state: 'done' },
      { stage: 'customer-hangs-up-first', state: 'n/a' },
    ]);
  });

  it('the harassment ending marks nothing missed while the call is on: the hang-up tells a harasser from a caller with a matter', () => {
    // Walk of 2026-12-03: its 再见 ticked the farewell and crossed out the stages before it, red
    // on the checklist until the hang-up turned them n/a.
    const f = flow();
    const live = run(f, [
      ...harasser,
      button('harassment', 13_200),
      agent(HARASSMENT_ENDING, 13_500, 17_000),
    ]);
    expect(stages(live)).toContain('farewell done');
    expect(stages(live).filter((s) => s.endsWith('missed'))).toEqual([]);
    // The refusal as the first answer: the surname still pending, but no line to ask it now.
    const first = run(flow(), [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('小姑娘声音真好听,陪我聊聊天呗。', 6500, 9000),
      agent(HARASSMENT_ENDING, 9500, 12_000),
    ]);
    expect(guidance(first).map((g) => g.scenario)).not.toContain('identify.ask-surname');
  });

  it('the harassment ending said to a caller with a matter, or a harasser hung up on without it: the stages missed', () => {
    // QA excuses nothing when the caller showed no harassment: the closing is owed, and so was the matter.
    const genuine = flow();
    const owed = run(genuine, [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('我的账户登录不了,软件著作权登记也查不到进度。', 6500, 9000),
      agent(HARASSMENT_ENDING, 9500, 13_000),
      cti('hangup', 14_000, { by: 'agent' }),
    ]);
    expect(rule(genuine, 'closing.more-questions')).toBe('fail');
    // (The refusal is no answer to the matter: the solution is missed, not done.)
    expect(middle(owed)).toEqual(['surname missed', 'confirm missed', 'verify missed', 'solve missed']);
    // The harasser hung up on without the seed's words: the call was the agent's to close.
    const rude = flow();
    const cut = run(rude, [
      ...harasser,
      agent('那我挂了。', 13_500, 14_000),
      cti('hangup', 15_000, { by: 'agent' }),
    ]);
    expect(rule(rude, 'closing.more-questions')).toBe('fail');
    expect(middle(cut)).toEqual(['surname missed', 'confirm missed', 'solve missed']);
    // A scorecard without the closing rules cannot tell how the call ended: missed, as on any call.
    const own = parseScorecard(
      'version: 1\nname: t\nrules:\n  - id: language.ni\n    title: T\n    points: 1\n    sources: [{ seed: "002", section: "x" }]\n    expect: { phrases: { none: [你] } }\n',
      'own.yaml',
    );
    const alone = flow(
      {},
      { rules: new LiveRules(new Inspector(own, catalog)), phraseSets: own.phraseSets ?? {} },
    );
    run(alone, [
      ...harasser,
      agent(HARASSMENT_ENDING, 13_500, 17_000),
      cti('hangup', 18_000, { by: 'agent' }),
    ]);
    expect(alone.state().stages.filter((x) => x.state === 'n/a')).toEqual([]);
    expect(alone.state().stages.find((x) => x.stage === 'solve')?.state).toBe('missed');
  });

  it('an answer that the matter is out of the service area is a solution; only the refusal with 请您挂机 is none', () => {
    for (const answer of [
      '您所在的小区不在服务范围内,师傅上不了门。',
      '这个业务不在我们的服务范围内,需要到当地社保局办理。',
    ]) {
      const events = run(flow(), [
        cti('answer', 3000),
        agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
        customer('你们能派师傅上门修一下热水器吗?', 6500, 9000),
        agent(answer, 9500, 12_000),
      ]);
      expect(stages(events), answer).toContain('solve done');
    }
  });

  it('the harassment ending is the scorecard’s named condition: another closing rule’s when changing does not excuse the caller’s stages', () => {
    // A scorecard whose closing question is not asked on outbound calls (its farewell still is).
    const text = readFileSync(scorecard.file, 'utf8');
    const at = text.indexOf('  - id: closing.more-questions');
    const owner = at + text.slice(at).indexOf('        - count: { role: customer, min: 1 }\n');
    const changed = parseScorecard(
      `${text.slice(0, owner)}        - not: { direction: outbound }\n${text.slice(owner)}`,
      'outbound-no-question.yaml',
    );
    const f = flow(
      { direction: 'outbound' },
      { rules: new LiveRules(new Inspector(changed, catalog)), phraseSets: changed.phraseSets },
    );
    const events = run(f, [
      cti('answer', 3000),
      agent('您好!我是超越平台客服,请问是李先生吗?', 4000, 6000),
      customer('是我,我的账户登录不了,你们怎么回事?', 6500, 9000),
      agent('好的,谢谢您,再见!', 9500, 11_000),
      cti('hangup', 14_000, { by: 'customer' }),
    ]);
    expect(rule(f, 'closing.more-questions')).toBe('n/a');
    expect(rule(f, 'closing.farewell')).toBe('pass');
    // The caller had a matter: what the agent skipped is missed, as on any call.
    expect(middle(events)).toEqual(['confirm missed', 'verify missed', 'solve missed']);
  });
});

describe('silent line', () => {
  it('chaoyue: after the greeting, three attempts 5 s apart, then the farewell line and the hang-up prompt', () => {
    const f = flow();
    const events = run(
      f,
      [cti('answer', 6000), agent('您好,超越平台,很高兴为您服务!', 7300, 10_400)],
      60_000,
    );
    expect(guidance(events).slice(1)).toEqual([
      { at: 15_400, scenario: 'exception.silent-line', text: '您好!请问有什么可以帮助您?' },
      { at: 20_400, scenario: 'exception.silent-line', text: '您好,您的电话已接通,请讲。' },
      { at: 25_400, scenario: 'exception.silent-line', text: '您好,您的电话已接通,请讲。' },
      { at: 30_400, scenario: 'exception.silent-line', text: '对不起,听不到您的声音,请您稍后再拨,再见!' },
      expect.objectContaining({
        at: 30_400,
        scenario: 'exception.silent-line',
        text: expect.stringContaining('挂机'),
      }),
    ]);
    expect(timers(events, 'silent-line').slice(0, 3)).toEqual([
      'silent-line started @10400',
      'silent-line expired @15400',
      'silent-line started @15400',
    ]);
    expect(f.nextDeadline()).toBe(null);
  });

  it('the agent’s words start the pause again: each attempt comes a pause after the agent stops', () => {
    const f = flow();
    const events = run(f, [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7300, 10_400),
      agent('您好!请问有什么可以帮助您?', 15_400, 18_300),
    ]);
    events.push(...f.advance(23_300));
    expect(guidance(events).map((g) => g.at)).toEqual([6000, 15_400, 23_300]);
  });

  it('zhonghua: 2 s pauses, the greeting is the first of three attempts', () => {
    const f = flow({ brand: 'zhonghua', agent: { id: '3318' } });
    const events = run(
      f,
      [cti('answer', 7000), agent('您好!中华保险3318号为您服务。', 8300, 11_900)],
      40_000,
    );
    expect(guidance(events).slice(1)).toEqual([
      { at: 13_900, scenario: 'exception.silent-line', text: '您好!中华保险,3318号为您服务。' },
      { at: 15_900, scenario: 'exception.silent-line', text: '您好!中华保险,3318号为您服务。' },
      {
        at: 17_900,
        scenario: 'exception.silent-line',
        text: '对不起,您的电话没有声音,请您换一部电话再打来,再见。',
      },
      expect.objectContaining({ at: 17_900, text: expect.stringContaining('挂机') }),
    ]);
  });

  it('stops when the caller speaks, and nothing more comes', () => {
    const f = flow();
    const events = run(f, [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7300, 10_400),
      customer('喂?你好,刚才信号不好。', 17_000, 19_000),
    ]);
    events.push(...f.advance(60_000));
    expect(timers(events, 'silent-line')).toEqual([
      'silent-line started @10400',
      'silent-line expired @15400',
      'silent-line started @15400',
      'silent-line stopped @17000',
    ]);
    expect(guidance(events).filter((g) => g.scenario === 'exception.silent-line')).toHaveLength(1);
  });

  it('a late ASR turn stops it as of its start: after an expiry and its line, in time order', () => {
    const f = flow();
    run(f, [cti('answer', 6000), agent('您好,超越平台,很高兴为您服务!', 7300, 10_400)], 16_000);
    // The caller began at 14.0 s; the ASR's turn reaches the server after the 15.4 s expiry.
    const events = f.apply(customer('喂?你好,刚才信号不好。', 14_000, 16_500));
    expect(timers(events, 'silent-line')).toEqual(['silent-line stopped @14000']);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort((a, b) => a - b));
    expect(f.state().timers.filter((t) => t.timer === 'silent-line')).toEqual([]);
    expect(f.nextDeadline()).toBe(null);
    expect(guidance(f.advance(60_000))).toEqual([]);
  });

  it('a late ASR turn that began before the hang-up prompt stops the procedure as of its start', () => {
    const f = flow();
    const before = run(
      f,
      [cti('answer', 6000), agent('您好,超越平台,很高兴为您服务!', 7300, 10_400)],
      31_000,
    );
    expect(guidance(before).at(-1)?.text).toContain('挂机');
    // Speaking since 29.0 s, before the 30.4 s farewell and prompt: the line was not silent.
    const events = f.apply(customer('喂?听得到吗?', 29_000, 30_900));
    expect(timers(events, 'silent-line')).toEqual(['silent-line stopped @29000']);
    // The caller speaking after the prompt is no late turn: nothing more to stop.
    expect(timers(f.apply(customer('我要查保单', 32_000, 33_000)), 'silent-line')).toEqual([]);
  });

  it('a turn after the silence (not late) stops nothing that already ended', () => {
    const f = flow();
    run(f, [cti('answer', 6000), agent('您好,超越平台,很高兴为您服务!', 7300, 10_400)], 31_000);
    expect(timers(f.apply(customer('喂?', 31_000, 31_500)), 'silent-line')).toEqual([]);
  });

  it('a caller who speaks during the greeting never starts it', () => {
    const events = run(flow(), [
      cti('answer', 6000),
      agent('您好,超越平台,很高兴为您服务!', 7300, 10_400),
      customer('你好', 9000, 9500),
    ]);
    expect(timers(events, 'silent-line')).toEqual([]);
  });

  it('the button starts it at once with the first attempt', () => {
    const f = flow();
    run(f, [cti('answer', 6000), customer('你好', 7000, 7500), agent('您好,请讲。', 8000, 9000)]);
    const events = f.apply(button('silent-line', 30_000));
    expect(guidance(events)).toEqual([
      { at: 30_000, scenario: 'exception.silent-line', text: '您好!请问有什么可以帮助您?' },
    ]);
    expect(timers(events)).toEqual(['silent-line started @30000']);
    expect(f.nextDeadline()).toBe(35_000);
  });
});

describe('noisy line and dialect', () => {
  it('the dialect line (…再说一遍好吗?谢谢!) is a request, not an answer: nothing solved, nothing passed', () => {
    // Walk of 2026-12-03: a question closed by 谢谢 read as a statement answering the caller.
    const events = run(flow(), [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('侬好,阿拉想问问伊个账户哪能弄。', 6500, 9000),
      button('dialect', 9200),
      agent('对不起,请您使用普通话再说一遍好吗?谢谢!', 9500, 12_000),
    ]);
    expect(stages(events)).toEqual(['greeting done']);
  });

  it('an answer closed by the closing question or a courtesy still answers (review of the dialect fix)', () => {
    const solved = (answer: string) =>
      stages(
        run(flow(), [
          cti('answer', 3000),
          agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
          customer('我想问一下我的保单现在能不能用', 6500, 9000),
          agent(answer, 9500, 12_000),
        ]),
      ).includes('solve done');
    expect(solved('您的保单明天就能正常使用了,请问还有其他问题吗?谢谢!')).toBe(true);
    expect(solved('您的保单明天就能正常使用了,请问还有其他问题吗?')).toBe(true);
    expect(solved('好的,您的保单状态现在是正常的呢,再见!')).toBe(true);
    expect(solved('您的保单状态现在是正常的,不用担心呢。谢谢')).toBe(true);
    // A question back stays one, closed by a courtesy or not; the closing question alone answers nothing.
    expect(solved('请问您说的是哪一张保单的使用情况呢?谢谢!')).toBe(false);
    expect(solved('请问您还有其他什么问题需要咨询的吗?')).toBe(false);
  });

  it('first press the first line, then the second-level line', () => {
    const f = flow();
    f.apply(cti('answer', 3000));
    const lines = [1, 2, 3].map((i) => guidance(f.apply(button('noisy-line', 10_000 * i)))[0]?.text);
    expect(lines).toEqual([
      '十分抱歉,您的声音不是很清晰,请您重复一下好吗?',
      '很抱歉,依然听不清您的声音,麻烦您换一部电话再拨好吗?',
      '很抱歉,依然听不清您的声音,麻烦您换一部电话再拨好吗?',
    ]);
    expect(guidance(f.apply(button('dialect', 40_000)))[0]?.text).toBe(
      '对不起,请您使用普通话再说一遍好吗?谢谢!',
    );
    expect(guidance(f.apply(button('dialect', 41_000)))[0]?.text).toBe(
      '对不起,请您让家人或朋友转述一下好吗?谢谢!',
    );
  });

  it('a brand without the scenario (zhonghua has no dialect line) shows nothing; a button before the answer is out of order', () => {
    const f = flow({ brand: 'zhonghua' });
    expect(thrown(() => f.apply(button('dialect', 1000))).code).toBe('out-of-order');
    f.apply(cti('answer', 3000));
    expect(f.apply(button('dialect', 5000))).toEqual([]);
  });
});

describe('hold', () => {
  const talk = [
    cti('answer', 3000),
    agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
    customer('我想查一下进度。', 6500, 8000),
  ];

  it('without the agent asking: the consent line first; warning 15 s before the limit, expiry with the callback offer; unhold thanks', () => {
    const f = flow({ customer: { title: '先生' } });
    run(f, [...talk, agent('我查一下。', 8500, 9500)]);
    const held = f.apply(cti('hold', 10_000));
    expect(guidance(held)).toEqual([{ at: 10_000, scenario: 'hold.ask', text: '请您稍等,我帮您查询一下。' }]);
    expect(timers(held)).toEqual(['hold started @10000']);
    expect(f.state().timers).toEqual([
      { timer: 'hold', state: 'started', startedAt: 10_000, deadline: 55_000 },
    ]);
    expect(f.nextDeadline()).toBe(55_000);
    const later = f.advance(70_000);
    expect(timers(later)).toEqual(['hold warning @55000', 'hold expired @70000']);
    expect(guidance(later)).toEqual([
      { at: 70_000, scenario: 'hold.over-limit', text: '对不起,先生,现在暂时没有查询到,稍后我给您回拨好吗?' },
    ]);
    const back = f.apply(cti('unhold', 80_000));
    expect(timers(back)).toEqual(['hold stopped @80000']);
    expect(guidance(back)[0]).toEqual(
      expect.objectContaining({
        at: 80_000,
        scenario: 'hold.return',
        text: expect.stringContaining('让您久等了'),
      }),
    );
  });

  it('with consent asked there is no consent line; an unhold before the limit stops the timer', () => {
    const f = flow();
    run(f, [...talk, agent('请您稍等,我帮您查询一下。', 8500, 10_000)]);
    const events = run(f, [cti('hold', 10_500), cti('unhold', 30_000)]);
    expect(guidance(events).map((g) => g.scenario)).toEqual(['hold.return']);
    expect(timers(events)).toEqual(['hold started @10500', 'hold stopped @30000']);
    expect(f.nextDeadline()).toBe(null);
  });

  it('a hold of exactly the limit has expired (as quality inspection counts it)', () => {
    const f = flow();
    run(f, [...talk, agent('请您稍等。', 8500, 9000), cti('hold', 10_000)]);
    expect(timers(f.apply(cti('unhold', 70_000)))).toEqual([
      'hold warning @55000',
      'hold expired @70000',
      'hold stopped @70000',
    ]);
  });

  it('a short limit warns at 75%; a brand without its own over-limit scenario gets generic’s line', () => {
    const zh = catalog.find('zhonghua') as Playbook;
    const short = { ...zh, settings: { ...zh.settings, holdLimitSeconds: 20 } };
    const f = createFlowFactory({
      ...deps,
      catalog: { find: (b) => (b === 'zhonghua' ? short : catalog.find(b)) },
    })({
      callId: 's',
      brand: 'zhonghua',
      direction: 'inbound',
    });
    run(f, [
      cti('answer', 1000),
      customer('你好,我查保单。', 1200, 1400),
      agent('请您稍等一下。', 1500, 3000),
      cti('hold', 4000),
    ]);
    const events = f.advance(30_000);
    expect(timers(events)).toEqual(['hold warning @19000', 'hold expired @24000']);
    expect(guidance(events)).toEqual([
      {
        at: 24_000,
        scenario: 'hold.over-limit',
        text: '对不起,〔先生/女士〕,现在暂时没有查询到,稍后我给您回拨好吗?',
      },
    ]);
  });

  // One rule set, one result (issue 9 §3): the hold.ask line asks the scorecard's hold.consent
  // rule whether the caller was asked to wait, not a list of its own.
  it('a consent worded only as the scorecard’s rule knows it: no hold.ask line, and the inspection passes it', () => {
    const own = parseScorecard(
      [
        'version: 1',
        'name: t',
        'phraseSets:',
        '  hold-consent: [稍等]',
        'rules:',
        '  - id: hold.consent',
        '    title: T',
        '    points: 3',
        '    sources: [{ seed: "000", section: "A.五.1" }]',
        '    expect: { holds: { before: { phrases: { any: [您先别挂] } }, within: 2 } }',
        '',
      ].join('\n'),
      'own.yaml',
    );
    const ownFlow = () =>
      flow({}, { rules: new LiveRules(new Inspector(own, catalog)), phraseSets: own.phraseSets ?? {} });
    const held = (words: string) => {
      const f = ownFlow();
      const events = run(f, [...talk, agent(words, 8500, 9500), cti('hold', 10_000), cti('unhold', 20_000)]);
      run(f, [cti('hangup', 21_000, { by: 'customer' })]);
      return {
        ask: guidance(events).some((g) => g.scenario === 'hold.ask'),
        rule: f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome,
      };
    };
    expect(held('您先别挂,我查一下。')).toEqual({ ask: false, rule: 'pass' });
    // The phrase set's 稍等 is not this rule's consent: the line asks for it, as the rule fails it.
    expect(held('稍等。')).toEqual({ ask: true, rule: 'fail' });
  });

  it('a consent rule for long holds only (minMs): the line still asks at the hold, whose length is not known yet', () => {
    const own = parseScorecard(
      [
        'version: 1',
        'name: t',
        'rules:',
        '  - id: hold.consent',
        '    title: T',
        '    points: 3',
        '    sources: [{ seed: "000", section: "A.五.1" }]',
        '    expect: { holds: { minMs: 60000, before: { phrases: { any: [请您稍等] } }, within: 2 } }',
        '',
      ].join('\n'),
      'own.yaml',
    );
    const held = (unholdAt: number) => {
      const f = flow({}, { rules: new LiveRules(new Inspector(own, catalog)), phraseSets: {} });
      const events = run(f, [
        ...talk,
        agent('好的,我查一下。', 8500, 9500),
        cti('hold', 10_000),
        cti('unhold', unholdAt),
      ]);
      run(f, [cti('hangup', unholdAt + 1000, { by: 'customer' })]);
      return {
        ask: guidance(events).some((g) => g.scenario === 'hold.ask'),
        rule: f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome,
      };
    };
    // Asked at the hold either way: a prompt then is the only one in time for the caller's consent.
    expect(held(20_000)).toEqual({ ask: true, rule: 'n/a' });
    expect(held(80_000)).toEqual({ ask: true, rule: 'fail' });
  });

  it('the consent is looked for in as many agent turns before the hold as the rule’s within says', () => {
    const scorecard = (within: number) =>
      parseScorecard(
        [
          'version: 1',
          'name: t',
          'rules:',
          '  - id: hold.consent',
          '    title: T',
          '    points: 3',
          '    sources: [{ seed: "000", section: "A.五.1" }]',
          `    expect: { holds: { before: { phrases: { any: [请您稍等] } }, within: ${within} } }`,
          '',
        ].join('\n'),
        'own.yaml',
      );
    // Asked three agent turns before the hold: within 3 reads it, within 1 and 2 do not.
    const held = (within: number) => {
      const own = scorecard(within);
      const f = flow({}, { rules: new LiveRules(new Inspector(own, catalog)), phraseSets: {} });
      const events = run(f, [
        ...talk,
        agent('请您稍等,我帮您查询一下。', 8500, 9000),
        customer('好的。', 9100, 9300),
        agent('您的保单号是多少?', 9400, 9800),
        customer('123456。', 9900, 10_100),
        agent('好的,我查一下。', 10_200, 10_400),
        cti('hold', 10_500),
        cti('unhold', 20_000),
      ]);
      run(f, [cti('hangup', 21_000, { by: 'customer' })]);
      return {
        ask: guidance(events).some((g) => g.scenario === 'hold.ask'),
        rule: f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome,
      };
    };
    expect(held(3)).toEqual({ ask: false, rule: 'pass' });
    expect(held(2)).toEqual({ ask: true, rule: 'fail' });
    expect(held(1)).toEqual({ ask: true, rule: 'fail' });
  });

  // The hold.ask line is the rule's own check before the hold (its words over its window, as
  // quality inspection reads them), not a second copy of it: change the scorecard, the line follows.
  const heldWith = (sc: ReturnType<typeof parseScorecard>, before: FlowInput[]) => {
    const f = flow({}, { rules: new LiveRules(new Inspector(sc, catalog)), phraseSets: sc.phraseSets ?? {} });
    const events = run(f, [...talk, ...before, cti('hold', 10_000), cti('unhold', 20_000)]);
    run(f, [cti('hangup', 21_000, { by: 'customer' })]);
    return {
      ask: guidance(events).some((g) => g.scenario === 'hold.ask'),
      rule: f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome,
    };
  };

  it('the default scorecard with its hold-consent list changed: the line asks for what the list now says', () => {
    const text = readFileSync(new URL('../../scorecards/default.yaml', import.meta.url), 'utf8');
    const changed = parseScorecard(
      text.replace(/^ {2}hold-consent: \[.*\]$/m, '  hold-consent: [您先别挂, 耽误您一点时间]'),
      'changed.yaml',
    );
    const shipped = parseScorecard(text, 'default.yaml');
    const asked = [agent('耽误您一点时间,我查一下。', 8500, 9500)];
    const wait = [agent('请您稍等,我查一下。', 8500, 9500)];
    expect(heldWith(shipped, asked)).toEqual({ ask: true, rule: 'fail' });
    expect(heldWith(changed, asked)).toEqual({ ask: false, rule: 'pass' });
    expect(heldWith(shipped, wait)).toEqual({ ask: false, rule: 'pass' });
    expect(heldWith(changed, wait)).toEqual({ ask: true, rule: 'fail' });
  });

  it('a consent the rule finds across its window (or in the caller’s yes): no line where QA passes the hold', () => {
    const rule = (before: string) =>
      parseScorecard(
        [
          'version: 1',
          'name: t',
          'rules:',
          '  - id: hold.consent',
          '    title: T',
          '    points: 3',
          '    sources: [{ seed: "000", section: "A.五.1" }]',
          `    expect: { holds: { before: ${before}, within: 2 } }`,
          '',
        ].join('\n'),
        'own.yaml',
      );
    // Asked to wait in one turn, told why in the next: the rule wants both in its window.
    const both = rule('{ all: [{ phrases: { any: [请您稍等] } }, { phrases: { any: [帮您查] } }] }');
    const twoTurns = [
      agent('请您稍等。', 8500, 8800),
      customer('嗯。', 8900, 9000),
      agent('我帮您查一下。', 9100, 9500),
    ];
    expect(heldWith(both, twoTurns)).toEqual({ ask: false, rule: 'pass' });
    expect(heldWith(both, [agent('我帮您查一下。', 8500, 9500)])).toEqual({ ask: true, rule: 'fail' });
    // The caller's yes is the consent (a rule reading the customer's turns in the window).
    const yes = rule('{ phrases: { any: [好的, 可以], role: customer } }');
    const agreed = [agent('我帮您查一下可以吗?', 8500, 9000), customer('可以。', 9100, 9500)];
    expect(heldWith(yes, agreed)).toEqual({ ask: false, rule: 'pass' });
    expect(heldWith(yes, [agent('我帮您查一下。', 8500, 9500)])).toEqual({ ask: true, rule: 'fail' });
  });

  it('a hold-consent list written [请您稍等,我帮您查] is refused at load, not split into two phrases', () => {
    const text = readFileSync(new URL('../../scorecards/default.yaml', import.meta.url), 'utf8').replace(
      /^ {2}hold-consent: \[/m,
      '  hold-consent: [请您稍等,我帮您查, ',
    );
    expect(() => parseScorecard(text, 'default.yaml')).toThrow(
      /default\.yaml:\d+:\d+ phraseSets\.hold-consent\[0\]: 请您稍等,我帮您查 reads as 2 items \("请您稍等", "我帮您查"\).*quote it: "请您稍等,我帮您查"/,
    );
  });

  // Issue 9 §4: an alert a CTI event causes comes at the event. With the turns fed at their
  // start, the hold without consent is alerted when the caller is put on hold.
  const alerts = (events: LiveEvent[]) =>
    events.flatMap((e) =>
      e.kind === 'alert' ? [{ at: e.at, turn: e.turn, rule: e.rule, evidence: e.evidence }] : [],
    );

  it('turns fed at their start (replay): a hold without consent asked is alerted at the hold event, once; hang-up finds the same', () => {
    const f = flow({}, { rules: new LiveRules(inspector, { turnsArrive: 'start' }) });
    run(f, [...talk, agent('我查一下。', 8500, 9500)]);
    const held = f.apply(cti('hold', 10_000));
    const consent = alerts(held).filter((a) => a.rule === 'hold.consent');
    expect(consent).toEqual([
      { at: 10_000, turn: 2, rule: 'hold.consent', evidence: expect.stringContaining('我查一下') },
    ]);
    // The hold.ask line and the alert come together.
    expect(guidance(held).map((g) => g.scenario)).toEqual(['hold.ask']);
    const rest = run(f, [
      cti('unhold', 30_000),
      agent('让您久等了,您的登记已经受理了。', 30_500, 34_000),
      customer('好的,谢谢。', 34_500, 35_000),
      agent('请问您还有其他问题吗?', 35_500, 37_000),
      customer('没有了。', 37_500, 38_000),
      agent('感谢您的来电,再见!', 38_500, 40_000),
      cti('hangup', 41_000, { by: 'customer' }),
    ]);
    // Not alerted again after the hold.
    expect(alerts(rest).filter((a) => a.rule === 'hold.consent')).toEqual([]);
    const finding = f.inspection?.findings.find((x) => x.rule === 'hold.consent');
    expect(finding).toMatchObject({ turn: 2, evidence: consent[0]?.evidence });
  });

  it('with consent asked before the hold there is no alert, at the hold or after it', () => {
    const f = flow();
    const events = run(f, [
      ...talk,
      agent('请您稍等,我帮您查询一下。', 8500, 10_000),
      cti('hold', 10_500),
      cti('unhold', 30_000),
      agent('让您久等了,已经查到了。', 30_500, 33_000),
      cti('hangup', 34_000, { by: 'customer' }),
    ]);
    expect(alerts(events).filter((a) => a.rule === 'hold.consent')).toEqual([]);
    expect(f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome).toBe('pass');
  });

  // A live ASR posts a turn once it ends: the agent's last words before the hold may reach the
  // flow after the hold event. The hold's consent is decided once the turns before the hold are
  // known — at the first agent turn starting after it — so no alert the hang-up would not confirm.
  it('ASR lag: consent said before the hold but posted after it is no alert; hang-up agrees', () => {
    const f = flow();
    const events = run(f, [
      ...talk,
      cti('hold', 10_500),
      agent('请您稍等,我帮您查询一下。', 8500, 10_000), // posted after the hold event
      cti('unhold', 30_000),
      agent('让您久等了,已经查到了。', 30_500, 33_000),
      cti('hangup', 34_000, { by: 'customer' }),
    ]);
    expect(alerts(events).filter((a) => a.rule === 'hold.consent')).toEqual([]);
    expect(f.inspection?.rules.find((r) => r.id === 'hold.consent')?.outcome).toBe('pass');
  });

  it('ASR lag: a hold without consent is alerted at the first agent turn after it, once, as found', () => {
    const f = flow();
    const events = run(f, [
      ...talk,
      cti('hold', 10_500),
      agent('我查一下。', 8500, 10_000), // posted after the hold event
      cti('unhold', 30_000),
      agent('让您久等了,已经查到了。', 30_500, 33_000),
      customer('好的,谢谢。', 33_500, 34_000),
      agent('不客气,请问您还有其他问题吗?', 34_500, 36_000),
      cti('hangup', 37_000, { by: 'customer' }),
    ]);
    const consent = alerts(events).filter((a) => a.rule === 'hold.consent');
    expect(consent).toEqual([
      { at: 33_000, turn: 2, rule: 'hold.consent', evidence: expect.stringContaining('我查一下') },
    ]);
    const finding = f.inspection?.findings.find((x) => x.rule === 'hold.consent');
    expect(finding).toMatchObject({ turn: 2, evidence: consent[0]?.evidence });
  });

  it('the lines address the caller by the surname and title the call told: 王先生 once known, 〔先生/女士〕 until then', () => {
    const back = (events: LiveEvent[]) => guidance(events).find((g) => g.scenario === 'hold.return')?.text;
    const asked = [...talk, agent('好的,请问您贵姓?', 8500, 9500), customer('我姓王。', 10_000, 10_500)];
    // The surname said, the title not yet: the line stays as written.
    const early = flow();
    expect(back(run(early, [...asked, cti('hold', 11_000), cti('unhold', 20_000)]))).toBe(
      '〔先生/女士〕,十分抱歉,让您久等了,您要查询的是〔问题〕。',
    );
    // The agent addressed the caller as 王先生: the next lines say 王先生.
    const later = flow();
    const events = run(later, [
      ...asked,
      agent('王先生,请您稍等,我帮您查询一下。', 11_000, 13_000),
      cti('hold', 13_500),
      cti('unhold', 20_000),
    ]);
    expect(back(events)).toBe('王先生,十分抱歉,让您久等了,您要查询的是〔问题〕。');
    // The customer card's surname and title, from the ring.
    const card = flow({ customer: { surname: '李', title: '女士' } });
    expect(back(run(card, [...talk, cti('hold', 9000), cti('unhold', 20_000)]))).toBe(
      '李女士,十分抱歉,让您久等了,您要查询的是〔问题〕。',
    );
  });

  it('a learnt surname and title follow the latest 我姓X and the agent’s latest address; the card’s never change (issue 9 review)', () => {
    const back = (events: LiveEvent[]) => guidance(events).find((g) => g.scenario === 'hold.return')?.text;
    const corrected = flow();
    const events = run(corrected, [
      ...talk,
      agent('好的,请问您贵姓?', 8500, 9500),
      customer('我姓王。', 10_000, 10_500),
      agent('好的王先生。', 11_000, 11_500),
      customer('不对,我姓黄。', 12_000, 12_500),
      agent('抱歉,黄先生,请您稍等,我帮您查询一下。', 13_000, 15_000),
      cti('hold', 15_500),
      cti('unhold', 20_000),
    ]);
    expect(back(events)).toBe('黄先生,十分抱歉,让您久等了,您要查询的是〔问题〕。');
    const retitled = flow();
    const again = run(retitled, [
      ...talk,
      customer('我姓王。', 8200, 8400),
      agent('好的王先生。', 8500, 9500),
      customer('我是女的。', 10_000, 10_500),
      agent('抱歉王女士,请您稍等,我帮您查询一下。', 11_000, 13_000),
      cti('hold', 13_500),
      cti('unhold', 20_000),
    ]);
    expect(back(again)).toBe('王女士,十分抱歉,让您久等了,您要查询的是〔问题〕。');
    // A compound surname is learnt whole.
    const compound = flow();
    const whole = run(compound, [
      ...talk,
      customer('我姓欧阳。', 8200, 8400),
      agent('好的欧阳女士,请您稍等,我帮您查询一下。', 8500, 9500),
      cti('hold', 10_000),
      cti('unhold', 20_000),
    ]);
    expect(back(whole)).toBe('欧阳女士,十分抱歉,让您久等了,您要查询的是〔问题〕。');
    // The card's surname is compared as text: one with a bracket breaks no agent turn.
    const card = flow({ customer: { surname: '王(测试)', title: '先生' } });
    expect(() =>
      run(card, [...talk, agent('王(测试)先生,请您稍等,我帮您查询一下。', 8500, 9500)]),
    ).not.toThrow();
    expect(card.state().stages.find((s) => s.stage === 'surname')?.state).toBe('done');
  });

  it('the caller said the surname before being asked: no 请问您贵姓 prompt after the first answer', () => {
    const f = flow();
    const events = run(f, [
      cti('answer', 3000),
      agent('您好,超越平台,很高兴为您服务!', 4000, 6000),
      customer('你好,我姓王,我想问一下商标注册要多久?', 6500, 9000),
      agent('一般需要九到十二个月。', 9500, 12_000),
    ]);
    expect(guidance(events).map((g) => g.scenario)).not.toContain('identify.ask-surname');
  });

  it('outbound: once someone other than the customer answers, the lines do not learn their surname or title', () => {
    const f = flow({ direction: 'outbound' });
    const events = run(f, [
      cti('answer', 3000),
      agent('您好!我是超越平台前台人员,请问李先生在吗?', 4000, 6000),
      customer('他不在,我是他爱人,我姓张。', 6500, 8000),
      agent('好的张女士。', 8500, 9500),
      button('not-the-customer', 10_000),
    ]);
    const asked = guidance(events).find((g) => g.scenario === 'outbound.not-the-customer')?.text;
    expect(asked).toContain('有效联系方式');
    expect(asked).not.toContain('张');
    // Nor after it: the callee's 我姓张 and the agent's 张女士 are not the customer's.
    run(f, [customer('我姓张,你跟我说就行。', 11_000, 12_000), agent('好的张女士。', 12_500, 13_000)]);
    const again = guidance(f.apply(button('not-the-customer', 14_000)))[0]?.text;
    expect(again).toContain('有效联系方式');
    expect(again).not.toContain('张');
  });

  it('unhold without hold, and a second hold, are out of order', () => {
    const f = flow();
    run(f, talk);
    expect(thrown(() => f.apply(cti('unhold', 9000))).code).toBe('out-of-order');
    f.apply(cti('hold', 9000));
    expect(thrown(() => f.apply(cti('hold', 9500))).code).toBe('out-of-order');
  });
});

describe('dropped line, transfer, outbound', () => {
  it('a call within a minute of a dropped one gets the apology at the answer; later, none', () => {
    const soon = run(flow({ atRing: { repeatCaller: null, blacklisted: false, droppedMsAgo: 30_000 } }), [
      cti('answer', 4000),
    ]);
    expect(guidance(soon).map((g) => g.text)).toEqual([
      '您好,超越平台,很高兴为您服务!',
      '非常抱歉,刚才电话断线了。',
    ]);
    const late = run(flow({ atRing: { repeatCaller: null, blacklisted: false, droppedMsAgo: 90_000 } }), [
      cti('answer', 4000),
    ]);
    expect(guidance(late)).toHaveLength(1);
    const f = flow();
    f.apply(cti('answer', 4000));
    expect(guidance(f.apply(button('reconnected', 5000)))).toEqual([
      { at: 5000, scenario: 'exception.dropped-line', text: '非常抱歉,刚才电话断线了。' },
    ]);
  });

  it('a transfer gives the summary line with where the call goes; a failed transfer its lines in order', () => {
    const f = flow();
    f.apply(cti('answer', 4000));
    expect(guidance(f.apply(cti('transfer', 20_000, { to: '技术部' })))).toEqual([
      {
        at: 20_000,
        scenario: 'transfer.announce',
        text: '好的,您咨询的是〔问题〕问题,您的电话需转接技术部,请您稍等,我帮您转接。',
      },
    ]);
    expect(f.state().transferredTo).toBe('技术部');
    expect(guidance(f.apply(button('transfer-failed', 30_000))).map((g) => g.text)).toEqual([
      '很抱歉,目前无法转接,建议您重新拨打。',
      '请您拨入后〔按键路径〕。',
    ]);
  });

  it('the failed transfer as an event: the same lines, the call no longer transferred; out of order without a transfer', () => {
    const f = flow();
    f.apply(cti('answer', 4000));
    // No transfer to fail: a clear error on the call, nothing recorded.
    const none = thrown(() => f.apply(cti('transfer-failed', 10_000)));
    expect([none.code, none.message]).toEqual([
      'out-of-order',
      'call c1: transfer-failed at 10.0 s without a transfer before it; send the transfer event first',
    ]);
    f.apply(cti('transfer', 20_000, { to: '技术部' }));
    expect(guidance(f.apply(cti('transfer-failed', 30_000, { to: '技术部' }))).map((g) => g.text)).toEqual([
      '很抱歉,目前无法转接,建议您重新拨打。',
      '请您拨入后〔按键路径〕。',
    ]);
    expect(f.state().transferredTo).toBeNull();
    // One failure per transfer.
    const twice = thrown(() => f.apply(cti('transfer-failed', 31_000)));
    expect([twice.code, twice.message]).toEqual([
      'out-of-order',
      'call c1: transfer-failed at 31.0 s: the last transfer already failed at 30.0 s; one transfer-failed per transfer',
    ]);
    // The button now: the caller will not dial again (no second failure recorded).
    expect(guidance(f.apply(button('transfer-failed', 32_000))).map((g) => g.scenario)).toEqual([
      'transfer.refused',
    ]);
    // A new transfer may fail again, with the redial lines again.
    f.apply(cti('transfer', 40_000, { to: '登记部' }));
    expect(f.state().transferredTo).toBe('登记部');
    expect(guidance(f.apply(button('transfer-failed', 50_000))).map((g) => g.scenario)).toEqual([
      'transfer.failed',
      'transfer.failed',
    ]);
    expect(f.call?.().events.filter((e) => e.type.startsWith('transfer'))).toEqual([
      { type: 'transfer', at: 20_000, to: '技术部' },
      { type: 'transfer-failed', at: 30_000, to: '技术部' },
      { type: 'transfer', at: 40_000, to: '登记部' },
      { type: 'transfer-failed', at: 50_000, to: '登记部' },
    ]);
  });

  it('the button with no transfer event (a floor whose telephone system reports none): the lines only', () => {
    const f = flow();
    f.apply(cti('answer', 4000));
    expect(guidance(f.apply(button('transfer-failed', 30_000))).map((g) => g.scenario)).toEqual([
      'transfer.failed',
      'transfer.failed',
    ]);
    expect(f.call?.().events.map((e) => e.type)).toEqual(['ring', 'answer']);
  });

  it('a failed transfer goes on to the refusal: the caller will not dial again → name and number', () => {
    const refusal = '您方便留一下联系电话吗?稍后会有相关人员与您联系!';
    const refused = (events: LiveEvent[]) =>
      guidance(events).filter((g) => g.scenario === 'transfer.refused');
    // By the caller's words after the redial lines (once), not by an acceptance.
    const f = flow();
    f.apply(cti('answer', 4000));
    f.apply(button('transfer-failed', 30_000));
    expect(refused(f.apply(customer('好的,麻烦你了。', 31_000, 32_000)))).toEqual([]);
    expect(refused(f.apply(customer('还要我重新打啊?我不想再打了。', 33_000, 35_000)))).toEqual([
      { at: 35_000, scenario: 'transfer.refused', text: refusal },
    ]);
    expect(refused(f.apply(customer('我不打了。', 36_000, 37_000)))).toEqual([]);
    // Words before any failed transfer are no refusal.
    const g = flow();
    g.apply(cti('answer', 4000));
    expect(refused(g.apply(customer('我不想再打了。', 5000, 6000)))).toEqual([]);
    // By the button pressed again: the refusal's line.
    g.apply(button('transfer-failed', 30_000));
    expect(guidance(g.apply(button('transfer-failed', 40_000)))).toEqual([
      { at: 40_000, scenario: 'transfer.refused', text: refusal },
    ]);
  });

  it('outbound: someone else answers → the not-the-customer lines in order', () => {
    const f = flow({ direction: 'outbound', customer: { surname: '赵', title: '先生' } });
    f.apply(cti('answer', 9000));
    expect(guidance(f.apply(button('not-the-customer', 15_000))).map((g) => g.text)).toEqual([
      '请问您方便告诉我赵先生的有效联系方式和方便联络的时间吗?',
      '谢谢您,再见!',
    ]);
  });

  // The default scorecard judges every brand's outbound call by outbound.not-the-customer: each
  // brand's button gives the lines (from the base playbook where the brand has none of its own).
  it.each([
    ['zhonghua', '请问您方便告诉我赵先生的有效联系方式和方便联络的时间吗?', '谢谢您,再见!'],
    ['generic', '请问您方便告诉我赵先生的有效联系方式和方便联络的时间吗?', '谢谢您,再见!'],
    ['quanjiale', '請問您方便告訴我趙先生的有效聯繫方式和方便聯絡的時間嗎?', '謝謝您,再見!'],
  ])('outbound: someone else answers a %s call → the same lines, in its script', (brand, ask, end) => {
    const f = flow({ brand, direction: 'outbound', customer: { surname: '赵', title: '先生' } });
    f.apply(cti('answer', 9000));
    expect(guidance(f.apply(button('not-the-customer', 15_000))).map((g) => g.text)).toEqual([ask, end]);
  });
});

describe('at ring and state', () => {
  it('a repeat caller gets the confirm line with what they called about, at the ring', () => {
    const f = flow({
      atRing: { repeatCaller: { count: 2, lastSubject: '商标注册' }, blacklisted: false, droppedMsAgo: null },
    });
    expect(guidance(f.advance(0))).toEqual([
      { at: 0, scenario: 'confirm.repeat-caller', text: '请问您之前咨询的是商标注册问题吗?' },
    ]);
    const unknown = flow({
      atRing: { repeatCaller: { count: 2, lastSubject: null }, blacklisted: false, droppedMsAgo: null },
    });
    expect(guidance(unknown.advance(0))[0]?.text).toBe('请问您之前咨询的是〔问题〕问题吗?');
  });

  it('a blacklisted number gets no at-ring line, but the state shows it', () => {
    const f = flow({
      atRing: { repeatCaller: { count: 5, lastSubject: null }, blacklisted: true, droppedMsAgo: null },
    });
    expect(guidance(f.advance(0))).toEqual([]);
    const s = f.state();
    expect(s.atRing?.blacklisted).toBe(true);
    expect(s.status).toBe('ringing');
    expect(s.timers).toEqual([{ timer: 'ring', state: 'started', startedAt: 0, deadline: 15_000 }]);
  });

  it('the state follows the call: talking, on hold, situations so far, wrap-up, ended', () => {
    const f = flow();
    run(f, [cti('answer', 3000), customer('谢谢你们。', 4000, 5000)]);
    expect(f.state()).toEqual(
      expect.objectContaining({ status: 'talking', situations: ['thanks'], turns: 1 }),
    );
    f.apply(cti('hold', 6000));
    expect(f.state().status).toBe('on-hold');
    f.apply(cti('hangup', 7000, { by: 'customer' }));
    expect(f.state().status).toBe('wrap-up');
    expect(f.state().timers).toEqual([
      { timer: 'wrap-up', state: 'started', startedAt: 7000, deadline: 37_000 },
    ]);
    f.advance(37_000);
    expect(f.state().status).toBe('ended');
    expect(f.ended).toBe(true);
  });
});

describe('situations and alerts', () => {
  it('a customer turn → the situations it shows and the brand’s line for them, at the turn’s end', () => {
    const f = flow();
    run(f, [cti('answer', 3000), agent('您好,超越平台,很高兴为您服务!', 4000, 6000)]);
    const events = f.apply(customer('好的,谢谢!', 7000, 8000));
    expect(events.filter((e) => e.kind === 'situation')).toEqual([
      { at: 8000, kind: 'situation', turn: 1, situations: ['thanks'] },
    ]);
    expect(guidance(events)).toEqual([
      { at: 8000, scenario: 'emotion.thanks', text: '不客气,很高兴为您服务。' },
    ]);
  });

  it('a caller saying goodbye before the agent asked about anything else: that question first, then the farewell', () => {
    const f = flow({ brand: 'zhonghua' });
    run(f, [cti('answer', 3000), agent('您好!中华保险1024号为您服务。', 4000, 6000)]);
    const early = guidance(f.apply(customer('好的,那再见。', 7000, 8000)));
    expect(early.map((g) => g.scenario)).toEqual(['closing.more-questions', 'closing.farewell']);
    f.apply(agent('请问您还有其他问题吗?', 9000, 10_000));
    expect(guidance(f.apply(customer('没有了,再见。', 11_000, 12_000))).map((g) => g.scenario)).toEqual([
      'closing.farewell',
    ]);
  });

  it('a line is not repeated while it is the newest; after the agent’s farewell, the caller’s 谢谢,再见 brings none', () => {
    const f = flow({ brand: 'zhonghua' });
    run(f, [cti('answer', 3000), agent('您好!中华保险1024号为您服务。', 4000, 6000)]);
    const scenarios = (input: FlowInput) => guidance(f.apply(input)).map((g) => g.scenario);
    expect(scenarios(customer('谢谢你啊。', 6500, 7000))).toEqual(['emotion.thanks']);
    f.apply(agent('不客气。', 7500, 8000));
    expect(scenarios(customer('太谢谢你了。', 8500, 9000))).toEqual([]);
    expect(scenarios(customer('好的,那再见。', 9500, 10_000))).toEqual([
      'closing.more-questions',
      'closing.farewell',
    ]);
    expect(scenarios(customer('再见再见。', 10_500, 11_000))).toEqual([]);
    f.apply(agent('请问您还有其他问题吗?', 11_500, 12_500));
    // Other lines came on top since the first 谢谢: its line comes again with the farewell's.
    expect(scenarios(customer('没有了,谢谢,再见。', 13_000, 14_000))).toEqual([
      'emotion.thanks',
      'closing.farewell',
    ]);
    f.apply(agent('感谢您的来电,再见!', 14_500, 16_000));
    // The agent said goodbye: 谢谢,拜拜 answers it; neither 不客气 nor the farewell again.
    expect(scenarios(customer('好的谢谢,拜拜。', 16_500, 17_000))).toEqual([]);
    // The call goes on after the farewell: it is owed again, and its line comes again.
    f.apply(agent('对了,您的保单下个月到期,记得续保。', 17_500, 20_000));
    expect(scenarios(customer('好的,再见。', 20_500, 21_000))).toEqual(['closing.farewell']);
  });

  it('a situation again brings its line again once another line is on top (the console keeps 8; F takes the newest)', () => {
    const f = flow({ brand: 'zhonghua' });
    run(f, [cti('answer', 3000), agent('您好!中华保险1024号为您服务。', 4000, 6000)]);
    const scenarios = (input: FlowInput) => guidance(f.apply(input)).map((g) => g.scenario);
    const noisy = scenarios(customer('喂,我听不清你说什么。', 6500, 7000));
    expect(noisy.length).toBeGreaterThan(0);
    // Said again at once: the line is still the newest, on top; not twice.
    expect(scenarios(customer('我听不清你说什么。', 7200, 7500))).toEqual([]);
    const complaint = scenarios(customer('我要投诉你们!', 8000, 8500));
    expect(complaint.length).toBeGreaterThan(0);
    expect(scenarios(customer('我要投诉你们!', 8600, 9000))).toEqual([]);
    // Another line came on top since: the noisy line again, then the complaint line again.
    expect(scenarios(customer('我听不清你说什么。', 9500, 10_000))).toEqual(noisy);
    expect(scenarios(customer('我要投诉你们!', 10_500, 11_000))).toEqual(complaint);
  });

  it('an agent turn with a forbidden phrase → an alert with the evidence and the professional line', () => {
    const f = flow({ brand: 'zhonghua' });
    run(f, [
      cti('answer', 3000),
      agent('您好!中华保险1024号为您服务。', 4000, 6000),
      customer('我的保单什么时候到期?', 6500, 8000),
    ]);
    const events = f.apply(agent('这个我也不清楚。', 9000, 10_000));
    const alerts = events.filter((e) => e.kind === 'alert');
    expect(alerts).toEqual([
      expect.objectContaining({ at: 10_000, turn: 2, rule: 'language.forbidden.vague', evidence: '不清楚' }),
    ]);
    expect(alerts[0]?.kind === 'alert' && alerts[0].suggestion).toBeTruthy();
  });

  it('a typed turn without an end is alerted at its start; one without times at the flow’s time', () => {
    const f = flow({ brand: 'zhonghua' });
    f.apply(cti('answer', 3000));
    expect(f.apply(agent('不知道', 5000)).find((e) => e.kind === 'alert')?.at).toBe(5000);
    f.apply(button('noisy-line', 7000));
    expect(f.apply(agent('不知道')).find((e) => e.kind === 'alert')?.at).toBe(7000);
  });
});

describe('hang-up and inspection', () => {
  it('inspects the call as received (same events and turns) and runs the wrap-up timer', () => {
    const inputs = [
      cti('ring', 0),
      cti('answer', 8000),
      agent('您好,超越平台,很高兴为您服务!', 9300, 12_400),
      customer('我想查一下登记进度。', 13_100, 18_100),
      agent('请您稍等,我帮您查询一下。', 18_800, 21_000),
      cti('hold', 22_000),
      cti('unhold', 40_000),
      agent('十分抱歉,让您久等了,已经受理了。请问您还有其他问题需要咨询吗?', 40_500, 46_000),
      customer('没有了。', 46_500, 47_000),
      agent('感谢您的来电,再见!', 47_500, 49_000),
      cti('hangup', 50_000, { by: 'customer' }),
    ];
    const f = flow({}, { recordRing: false });
    const events = run(f, inputs);
    expect(timers(events, 'wrap-up')).toEqual(['wrap-up started @50000']);
    expect(f.ended).toBe(false);
    const call: Call = {
      id: 'c1',
      brand: 'chaoyue',
      direction: 'inbound',
      agent: { id: '1024' },
      events: inputs.flatMap((i) =>
        i.kind === 'cti' ? [{ type: i.type, at: i.at, ...(i.by ? { by: i.by } : {}) }] : [],
      ),
      turns: inputs.flatMap((i): Turn[] =>
        i.kind === 'turn' ? [{ speaker: i.speaker, text: i.text, start: i.start, end: i.end } as Turn] : [],
      ),
    };
    expect(f.inspection).toEqual(inspector.inspect(call));
    expect(timers(f.advance(80_000))).toEqual(['wrap-up expired @80000']);
    expect(f.ended).toBe(true);
  });

  it('with the ring recorded (the default) the inspection sees the ring; no wrap-up with wrapUpMs 0', () => {
    const f = flow({}, { wrapUpMs: 0 });
    run(f, [
      cti('answer', 20_000),
      agent('您好,超越平台,很高兴为您服务!', 21_000, 23_000),
      cti('hangup', 30_000),
    ]);
    expect(f.ended).toBe(true);
    expect(f.inspection?.rules.find((r) => r.id === 'opening.answer-speed')?.outcome).toBe('fail');
  });
});

describe('script', () => {
  it('a Traditional brand’s lines are in Traditional script; a wrong-number press gives the brand’s line', () => {
    const f = flow({ brand: 'quanjiale', agent: { id: '031' } });
    expect(guidance(f.apply(cti('answer', 4000)))[0]?.text).toBe('您好,全家樂電器服務中心031為您服務。');
    // quanjiale has no wrong-number scenario of its own: the generic one it extends.
    expect(guidance(f.apply(button('wrong-number', 9000)))[0]).toEqual(
      expect.objectContaining({
        scenario: 'exception.wrong-number',
        text: expect.stringContaining('全家樂'),
      }),
    );
  });

  it('close() ends a recording without a hang-up: stages, wrap-up, inspection, no event added', () => {
    const f = flow({}, { recordRing: false });
    run(f, [agent('您好,超越平台,很高兴为您服务!', 1000, 3000), customer('我想问一下。', 3500, 4000)]);
    const events = f.close(10_000);
    expect(timers(events)).toEqual(['wrap-up started @10000']);
    expect(stages(events)).toContain('farewell missed');
    expect(f.inspection?.id).toBe('c1');
    expect(f.state().hangup).toEqual({ at: 10_000, by: null, cause: 'normal' });
    expect(f.inspection).toEqual(
      inspector.inspect({
        id: 'c1',
        brand: 'chaoyue',
        direction: 'inbound',
        agent: { id: '1024' },
        events: [],
        turns: [
          { speaker: 'agent', text: '您好,超越平台,很高兴为您服务!', start: 1000, end: 3000 },
          { speaker: 'customer', text: '我想问一下。', start: 3500, end: 4000 },
        ],
      }),
    );
    expect(thrown(() => f.apply(customer('喂', 11_000))).code).toBe('call-ended');
  });
});

describe('bad input', () => {
  it('time going back, answer twice, a turn after hang-up, a turn too long, an end before the start', () => {
    const f = flow();
    f.apply(cti('answer', 5000));
    expect(thrown(() => f.apply(cti('transfer', 4000))).code).toBe('out-of-order');
    expect(thrown(() => f.apply(cti('answer', 6000))).message).toMatch(/already answered/);
    f.apply(agent('您好', 7000, 8000));
    expect(thrown(() => f.apply(agent('您好', 6000, 6500))).code).toBe('out-of-order');
    expect(thrown(() => f.apply(agent('您好', 9000, 8000))).code).toBe('invalid-turn');
    expect(thrown(() => f.apply(agent('您好', 9000, 9000 + 5 * 3600_000))).message).toMatch(
      /longer than a whole call/,
    );
    expect(thrown(() => f.apply(agent('   ', 9000))).code).toBe('invalid-turn');
    expect(thrown(() => f.apply(cti('answer', Number.NaN))).code).toBe('invalid-input');
    f.apply(cti('hangup', 20_000, { by: 'customer' }));
    const ended = thrown(() => f.apply(customer('喂?', 21_000)));
    expect(ended.code).toBe('call-ended');
    expect(ended.message).toMatch(/^call c1: /);
    expect(thrown(() => f.apply(cti('hangup', 22_000))).code).toBe('call-ended');
  });

  it('a brand the catalog lacks is refused when the call rings', () => {
    expect(thrown(() => flow({ brand: 'nobody' })).code).toBe('invalid-input');
  });
});

describe('replay', () => {
  it('merges events and turns by time, the hang-up after every turn', () => {
    const call: Call = {
      id: 'r',
      direction: 'inbound',
      events: [
        { type: 'ring', at: 0 },
        { type: 'answer', at: 5000 },
        { type: 'hold', at: 9000 },
        { type: 'unhold', at: 12_000 },
        { type: 'hangup', at: 15_000, by: 'customer' },
      ],
      turns: [
        { speaker: 'agent', text: '您好', start: 5000, end: 6000 },
        { speaker: 'customer', text: '你好', start: 7000, end: 10_000 },
        { speaker: 'agent', text: '再见' },
        { speaker: 'customer', text: '再见', start: 14_000, end: 16_000 },
      ],
    };
    const order = replayInputs(call).map((i) =>
      i.kind === 'cti' ? i.type : i.kind === 'turn' ? i.text : i.button,
    );
    expect(order).toEqual(['ring', 'answer', '您好', '你好', '再见', 'hold', 'unhold', '再见', 'hangup']);
    const r = replayCall(factory({ ...replaySetup(call), callId: 'r' }), call);
    expect(r.inspection).toEqual(inspector.inspect({ ...call, brand: 'generic' }));
    expect(r.events.map((e) => e.at)).toEqual([...r.events.map((e) => e.at)].sort((a, b) => a - b));
  });
});
