// The closing rules (closing.more-questions, closing.farewell, closing.customer-first) on calls
// that end other than by this agent closing them, and the hold rules on a caller who hangs up
// on hold: a call transferred to another desk (seed 000 B.四.1), a caller hanging up while on
// hold (the telephone system's hold, or 请您稍等 then the line ends). test/closing-endings-cli.test.ts
// holds `huashu qa` and `huashu replay` to the same results on such calls.
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import type { CallResult } from './result.ts';
import { loadScorecard } from './scorecard.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const CLOSING = ['closing.more-questions', 'closing.farewell', 'closing.customer-first'];

/** Turns two seconds each, half a second apart, from the answer at 4 s. */
function timed(lines: [speaker: 'agent' | 'customer', text: string][]): Turn[] {
  return lines.map(([speaker, text], i) => ({ speaker, text, start: 4500 + i * 2500, end: 6500 + i * 2500 }));
}
const lastEnd = (turns: Turn[]) => turns[turns.length - 1]?.end ?? 0;
function call(turns: Turn[], events: CallEvent[], extra: Partial<Call> = {}): Call {
  return {
    id: 'x',
    brand: 'chaoyue',
    direction: 'inbound',
    agent: { id: '20517' },
    events: [{ type: 'ring', at: 0 }, { type: 'answer', at: 4000 }, ...events],
    turns,
    ...extra,
  };
}
const outcomes = (r: CallResult, ids: string[]) => ids.map((id) => r.rules.find((x) => x.id === id)?.outcome);
const findings = (r: CallResult, rule: string) => r.findings.filter((f) => f.rule === rule);

const opening: ['agent' | 'customer', string][] = [
  ['agent', '您好,超越平台,工号20517,很高兴为您服务!'],
  ['customer', '你好,我想问一下软件著作权登记,系统一直报错提交不了。'],
  ['agent', '好的,请问您贵姓?'],
  ['customer', '姓李。'],
];

describe('a call transferred to another desk: its closing is the next desk’s', () => {
  const announce = '李先生,您咨询的是系统报错的问题,您的电话需转接技术部,请您稍等,我帮您转接。';

  it('the transfer event after the summary line: the closing rules are n/a', () => {
    const turns = timed([...opening, ['agent', announce], ['customer', '好的。']]);
    const end = lastEnd(turns);
    const r = inspector.inspect(
      call(turns, [
        { type: 'transfer', at: end + 1000, to: '技术部' },
        { type: 'hangup', at: end + 2000, by: 'agent' },
      ]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(r.findings.filter((f) => f.rule.startsWith('closing.'))).toEqual([]);
  });

  it('a transcript without events: the agent’s last words handing the call over', () => {
    const r = inspector.inspect(call(timed([...opening, ['agent', announce], ['customer', '好的。']]), []));
    expect(outcomes(r, CLOSING.slice(0, 2))).toEqual(['n/a', 'n/a']);
  });

  it('a transfer that failed stays this agent’s call: its closing is judged', () => {
    const turns = timed([
      ...opening,
      ['agent', announce],
      ['customer', '好的。'],
      ['agent', '很抱歉,目前无法转接,建议您重新拨打。请您拨入后先选择2,再选择1。'],
      ['customer', '行吧。'],
    ]);
    const end = lastEnd(turns);
    const r = inspector.inspect(
      call(turns, [
        { type: 'transfer', at: 17_000, to: '技术部' },
        { type: 'hangup', at: end + 1000, by: 'agent' },
      ]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['fail', 'fail', 'fail']);
  });

  // The telephone system's (or the agent's button's) transfer-failed event: the caller stays with
  // this agent (seed 000 B.四.2), though the agent's words never say the transfer failed.
  const busy: ['agent' | 'customer', string][] = [
    ...opening,
    ['agent', announce],
    ['customer', '好的。'],
    ['agent', '那边占线,您稍后再打吧。'],
    ['customer', '哦。'],
  ];

  it('the transfer event, then its failure (transfer-failed): no handover, the closing is owed', () => {
    const turns = timed(busy);
    const end = lastEnd(turns);
    const events: CallEvent[] = [
      { type: 'transfer', at: 17_000, to: '技术部' },
      { type: 'transfer-failed', at: 18_000, to: '技术部' },
      { type: 'hangup', at: end + 1000, by: 'customer' },
    ];
    const r = inspector.inspect(call(turns, events));
    expect(outcomes(r, CLOSING)).toEqual(['fail', 'fail', 'pass']);
    expect(findings(r, 'closing.farewell')).toHaveLength(1);
    // Without the failure the same call was handed over: nothing owed.
    const handed = inspector.inspect(
      call(
        turns,
        events.filter((e) => e.type !== 'transfer-failed'),
      ),
    );
    expect(outcomes(handed, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
  });

  it('a later transfer after the failure hands over again', () => {
    const turns = timed([
      ...busy.slice(0, -2),
      ['agent', '技术部占线,您的电话需转接登记部,请您稍等,我帮您转接。'],
    ]);
    const end = lastEnd(turns);
    const r = inspector.inspect(
      call(turns, [
        { type: 'transfer', at: 17_000, to: '技术部' },
        { type: 'transfer-failed', at: 18_000 },
        { type: 'transfer', at: end + 500, to: '登记部' },
        { type: 'hangup', at: end + 1000, by: 'agent' },
      ]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
  });

  it('the brand’s 无法转接 line read out on the failed attempt does not undo the later transfer', () => {
    const turns = timed([
      ...opening,
      ['agent', announce],
      ['customer', '好的。'],
      ['agent', '很抱歉,目前无法转接,建议您重新拨打。'],
      ['customer', '那你帮我转别的部门吧。'],
      ['agent', '您的问题登记部也可以处理,我帮您转接到登记部,请您稍等。'],
      ['customer', '好的。'],
    ]);
    const end = lastEnd(turns);
    const r = inspector.inspect(
      call(turns, [
        { type: 'transfer', at: 17_000, to: '技术部' },
        { type: 'transfer-failed', at: 18_000 },
        { type: 'transfer', at: end + 500, to: '登记部' },
        { type: 'hangup', at: end + 1000, by: 'agent' },
      ]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
  });

  it('after a failed transfer the caller left on hold hung up: the hold is theirs to judge (callEnd: hold)', () => {
    const turns = timed([
      ...busy.slice(0, -2),
      ['agent', '请您稍等,我再帮您查询一下。'],
      ['customer', '好的。'],
    ]);
    const end = lastEnd(turns);
    const failedFirst: CallEvent[] = [
      { type: 'transfer', at: 17_000, to: '技术部' },
      { type: 'transfer-failed', at: 18_000 },
    ];
    // The telephone system's hold, never released: cut by the caller (before, any transfer said no).
    const held = inspector.inspect(
      call(turns, [
        ...failedFirst,
        { type: 'hold', at: end + 500 },
        { type: 'hangup', at: end + 90_500, by: 'customer' },
      ]),
    );
    expect(outcomes(held, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(findings(held, 'hold.limit').map((f) => f.evidence)).toEqual([
      '0:25-1:55保持90秒后挂机, 坐席未返回',
    ]);
    // 请您稍等 then the line ends 95 s on (a hold seen in the text).
    const text = inspector.inspect(
      call(turns, [...failedFirst, { type: 'hangup', at: end + 95_000, by: 'customer' }]),
    );
    expect(outcomes(text, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(outcomes(text, ['hold.limit'])).toEqual(['fail']);
  });

  it('words of transfer that hand nothing over (无需转接) leave the closing owed', () => {
    const turns = timed([...opening, ['agent', '这个问题无需转接,您清除浏览器缓存后重新提交就可以了。']]);
    const r = inspector.inspect(call(turns, [{ type: 'hangup', at: lastEnd(turns) + 500, by: 'agent' }]));
    expect(outcomes(r, CLOSING)).toEqual(['fail', 'fail', 'fail']);
  });
});

describe('the caller hangs up while on hold: nobody could close it; the hold is judged to the hang-up', () => {
  const wait: ['agent' | 'customer', string][] = [
    ...opening,
    ['agent', '李先生您好,请您稍等,我帮您查询一下登记进度。'],
    ['customer', '好的。'],
  ];

  it('a hold never released, over the limit (60 s): closing n/a, hold.limit fails on the call', () => {
    const turns = timed(wait);
    const end = lastEnd(turns);
    const r = inspector.inspect(
      call(turns, [
        { type: 'hold', at: end + 500 },
        { type: 'hangup', at: end + 90_500, by: 'customer' },
      ]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(outcomes(r, ['hold.consent', 'hold.limit', 'hold.thanks-after'])).toEqual(['pass', 'fail', 'n/a']);
    expect(findings(r, 'hold.limit').map((f) => [f.turn, f.evidence])).toEqual([
      [null, '0:20-1:50保持90秒后挂机, 坐席未返回'],
    ]);
  });

  it('a hold never released, under the limit: closing n/a, nothing owed after it yet', () => {
    const turns = timed(wait);
    const end = lastEnd(turns);
    const r = inspector.inspect(
      call(turns, [
        { type: 'hold', at: end + 500 },
        { type: 'hangup', at: end + 30_500, by: 'customer' },
      ]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(outcomes(r, ['hold.limit', 'hold.thanks-after'])).toEqual(['n/a', 'n/a']);
  });

  it('seen in the text: 请您稍等, then the caller hangs up 95 s on; not a pause of a few seconds', () => {
    const turns = timed(wait);
    const end = lastEnd(turns);
    const long = inspector.inspect(call(turns, [{ type: 'hangup', at: end + 95_000, by: 'customer' }]));
    expect(outcomes(long, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(outcomes(long, ['hold.consent', 'hold.limit'])).toEqual(['pass', 'fail']);
    expect(findings(long, 'hold.limit')[0]?.evidence).toBe(
      '第5句请客户等待, 0:19-1:54等待95秒后挂机(按文本判断), 坐席未返回',
    );
    // A few seconds after the last words is no hold: the closing was owed.
    const short = inspector.inspect(call(turns, [{ type: 'hangup', at: end + 3000, by: 'customer' }]));
    expect(outcomes(short, CLOSING.slice(0, 2))).toEqual(['fail', 'fail']);
    expect(outcomes(short, ['hold.limit'])).toEqual(['n/a']);
  });

  it('the agent hanging up on a caller told to wait is no caller hanging up on hold', () => {
    const turns = timed(wait);
    const r = inspector.inspect(call(turns, [{ type: 'hangup', at: lastEnd(turns) + 40_000, by: 'agent' }]));
    expect(outcomes(r, CLOSING)).toEqual(['fail', 'fail', 'fail']);
  });

  it('请您稍等,我帮您转接 then the line ends: the transfer, not a caller left on hold', () => {
    const turns = timed([
      ...opening,
      ['agent', '您的电话需转接技术部,请您稍等,我帮您转接。'],
      ['customer', '好。'],
    ]);
    const r = inspector.inspect(
      call(turns, [{ type: 'hangup', at: lastEnd(turns) + 80_000, by: 'customer' }]),
    );
    expect(outcomes(r, CLOSING)).toEqual(['n/a', 'n/a', 'n/a']);
    expect(outcomes(r, ['hold.limit'])).toEqual(['n/a']);
  });
});

describe('outbound, someone else answers: judged by the not-the-customer branch (seed 000 B.二.4)', () => {
  const hello: ['agent' | 'customer', string] = ['agent', '您好!我是超越平台的客服专员小周,请问是赵先生吗?'];
  const outbound = (lines: ['agent' | 'customer', string][], by: 'agent' | 'customer' = 'agent') => {
    const turns = timed(lines);
    return inspector.inspect(
      call(turns, [{ type: 'hangup', at: lastEnd(turns) + 500, by }], {
        direction: 'outbound',
        customer: { surname: '赵', title: '先生' },
      }),
    );
  };
  const RULES = ['outbound.not-the-customer', ...CLOSING];

  // Who hangs up first is still owed (seed 003 拨打电话的礼仪顺序: 等对方放下电话后再轻轻放回).
  it('contact and a convenient time asked, 谢谢您,再见, the answerer hangs up first: passes; the closing question and farewell are n/a', () => {
    const r = outbound(
      [
        hello,
        ['customer', '不是,我是他爱人,他出去了。'],
        ['agent', '请问您方便告诉我赵先生的有效联系方式和方便联络的时间吗?'],
        ['customer', '你晚上七点以后再打这个电话吧。'],
        ['agent', '好的,我们晚上七点以后再联系赵先生。谢谢您,再见!'],
      ],
      'customer',
    );
    expect(outcomes(r, RULES)).toEqual(['pass', 'n/a', 'n/a', 'pass']);
  });

  it('nothing asked, no thanks, the agent hangs up first: fails the branch (one finding) and who hangs up first, not the closing question and farewell', () => {
    const r = outbound([hello, ['customer', '他不在,出门了。'], ['agent', '好的,那我下次再打,再见。']]);
    expect(outcomes(r, RULES)).toEqual(['fail', 'n/a', 'n/a', 'fail']);
    expect(findings(r, 'outbound.not-the-customer')).toHaveLength(1);
  });

  it('the customer answering, or a wrong number: the branch is n/a', () => {
    const served = outbound([hello, ['customer', '我是,什么事?'], ['agent', '有任何问题再与我们联系,再见!']]);
    // 000 B.二.3: 确认用户无其他问题后 — the ending line said with no question before it confirms nothing
    // (session 34: three writers' calls read it so); the farewell is given.
    expect(outcomes(served, RULES).slice(0, 3)).toEqual(['n/a', 'fail', 'pass']);
    const wrong = outbound([hello, ['customer', '不是,你打错了。'], ['agent', '不好意思,打扰了,再见。']]);
    expect(outcomes(wrong, RULES)[0]).toBe('n/a');
  });

  // Review of session 15: 不是 alone is the customer busy, not someone else; 不在意 is no absence.
  it.each(['不是,我现在在开会呢,你明天上午再打吧。', '不在意这点事,你说吧。', '不在乎多等两天,你说吧。'])(
    'the customer answering "%s": the branch is n/a',
    (words) => {
      const r = outbound([hello, ['customer', words], ['agent', '好的,那我明天上午再联系您,再见。']]);
      expect(outcomes(r, RULES)[0]).toBe('n/a');
    },
  );
  it.each(['不是,我是他同学。', '我不是他本人,我帮他接一下。', '不是,她刚好不在。'])(
    'someone else answering "%s": the branch applies',
    (words) => {
      const r = outbound([hello, ['customer', words], ['agent', '好的,那我下次再打,再见。']]);
      expect(outcomes(r, RULES)[0]).toBe('fail');
    },
  );
});

describe('a phone call the caller left before the agent could close it (dev batch calls/batch-s25)', () => {
  const QUESTION_AND_FAREWELL = CLOSING.slice(0, 2);
  const angry: ['agent' | 'customer', string][] = [
    ...opening,
    ['agent', '李先生,这个报错需要技术部核查,一般三个工作日'],
    ['customer', '行了行了,不用说了,我自己想办法'],
  ];

  it('the caller cuts the agent off and hangs up: no closing owed (n/a), with or without the hang-up event', () => {
    const turns = timed(angry);
    const hungUp = inspector.inspect(
      call(turns, [{ type: 'hangup', at: lastEnd(turns) + 500, by: 'customer' }]),
    );
    expect(outcomes(hungUp, QUESTION_AND_FAREWELL)).toEqual(['n/a', 'n/a']);
    expect(outcomes(inspector.inspect(call(turns, [])), QUESTION_AND_FAREWELL)).toEqual(['n/a', 'n/a']);
  });

  it('the agent is recorded hanging up on that caller: the closing is owed and missed', () => {
    const turns = timed(angry);
    const r = inspector.inspect(call(turns, [{ type: 'hangup', at: lastEnd(turns) + 500, by: 'agent' }]));
    expect(outcomes(r, CLOSING)).toEqual(['fail', 'fail', 'fail']);
  });

  it('a caller who signs off before the agent asked still leaves the closing question failed', () => {
    const turns = timed([
      ...opening,
      ['agent', '李先生,您清除浏览器缓存后重新提交就可以了'],
      ['customer', '好的谢谢,再见'],
    ]);
    const r = inspector.inspect(call(turns, [{ type: 'hangup', at: lastEnd(turns) + 500, by: 'customer' }]));
    expect(outcomes(r, ['closing.more-questions'])).toEqual(['fail']);
    expect(findings(r, 'closing.more-questions')).toHaveLength(1);
  });

  it('the agent’s last words await an answer and the caller hangs up: n/a; no hang-up event: owed', () => {
    const turns = timed([...opening, ['agent', '李先生,请问您的登记号是多少?']]);
    const hungUp = inspector.inspect(
      call(turns, [{ type: 'hangup', at: lastEnd(turns) + 500, by: 'customer' }]),
    );
    expect(outcomes(hungUp, QUESTION_AND_FAREWELL)).toEqual(['n/a', 'n/a']);
    // Nothing tells who ended it: the agent may have left the question hanging.
    expect(outcomes(inspector.inspect(call(turns, [])), QUESTION_AND_FAREWELL)).toEqual(['fail', 'fail']);
  });

  it('cutting the agent off to leave is no sign-off though it says goodbye; a served caller’s 挂了啊 is', () => {
    const leaving = timed([
      ...opening,
      ['agent', '好的,我马上通知技术部,另外……'],
      ['customer', '不用说了,我先挂了,我自己想办法'],
    ]);
    expect(outcomes(inspector.inspect(call(leaving, [])), QUESTION_AND_FAREWELL)).toEqual(['n/a', 'n/a']);
    const served = timed([
      ...opening,
      ['agent', '李先生,清除缓存后重新提交就可以了'],
      ['customer', '行,没别的事了,挂了啊'],
    ]);
    expect(outcomes(inspector.inspect(call(served, [])), ['closing.more-questions'])).toEqual(['fail']);
  });

  it('a wrong number guided elsewhere (seed 000 B.五): no other question owed; a served caller who dialled wrong first is owed it', () => {
    const wrong = timed([
      ['agent', '您好,超越平台,工号20517,很高兴为您服务!'],
      ['customer', '喂,是建设银行吗?我卡被锁了'],
      ['agent', '您好,这里是超越平台,建设银行的客服电话是95533,请您查证后再拨'],
      ['customer', '哦,不好意思,打错了'],
      ['agent', '没关系,再见'],
    ]);
    const r = inspector.inspect(call(wrong, [{ type: 'hangup', at: lastEnd(wrong) + 500, by: 'customer' }]));
    expect(outcomes(r, QUESTION_AND_FAREWELL)).toEqual(['n/a', 'pass']);
    const served = timed([
      ['agent', '您好,超越平台,工号20517,很高兴为您服务!'],
      ['customer', '是版权中心吗?哦打错了,不过正好问问你们,软件登记要多久'],
      ['agent', '一般二十个工作日'],
      ['customer', '好的'],
      ['agent', '好的,祝您工作顺利,再见'],
    ]);
    const r2 = inspector.inspect(
      call(served, [{ type: 'hangup', at: lastEnd(served) + 500, by: 'customer' }]),
    );
    expect(outcomes(r2, QUESTION_AND_FAREWELL)).toEqual(['fail', 'pass']);
  });
});
