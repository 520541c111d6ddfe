// Issue 11 §1/§2, round s34 (training/qa-dev/calls/batch-s34.yaml, outbound calls): who answered an
// outbound call and whether the closing is owed, each pattern with a look-alike it must leave alone.
// Someone else answering in other words (a switchboard, a nurse, a flatmate, a new number…); a
// customer who puts the call off before any matter is served (在开会…四点以后再打吧) is owed no
// closing question, only the farewell, while a busy customer who lets the agent go on (你快说吧) is
// served and owed both. Then someone else's extension unanswered is no wait on our line, short
// staff as the reason for a delay is an excuse, and a complaint settled in the call (已经为您关闭)
// needs no contact unless an outcome is still to come (三个工作日内退回).
import { describe, expect, it } from 'vitest';
import { a, c, outcome } from '../../test/support/inspect-turns.ts';
import type { Turn } from '../calls/model.ts';

const outbound = (turns: Turn[], rule: string) => outcome(turns, rule, { direction: 'outbound' });

/** An outbound call the answerer opens with 喂?, then says `second`; the agent asks when to call back. */
const answered = (second: string, ask = '请问他什么时候方便接电话?我们再联系他。') =>
  outbound(
    [
      a('您好,我是客服中心的工作人员,工号1538,请问是孟庆华女士吗?'),
      c('喂?'),
      a('您好,请问是孟庆华女士吗?'),
      c(second),
      a(ask),
      c('下午吧'),
      a('好的,谢谢您,再见!'),
    ],
    'outbound.not-the-customer',
  );

describe('someone other than the customer answers, in a new writer’s words', () => {
  it.each([
    ['a switchboard naming itself', '您好,宏达机械总机。您找哪位?'],
    ['a ward’s nurses’ station', '喂,心内二病区护士站。'],
    ['a factory gate', '这是厂里传达室,你找谁?'],
    ['an apprentice', '我是他徒弟,师傅在灶上炒菜呢'],
    ['a flatmate', '晓雯啊,她下楼了,我是跟她合租的'],
    ['a carer', '许奶奶啊?她在做复健,我是白天陪护她的'],
    ['the phone said to be a patient’s', '是12床葛大爷的手机,放护士站充电呢'],
    ['a name then busy (no pronoun)', '海峰在开车呢,高速上不能接'],
    ['a relative away', '你找谁呀?妈妈不在,她去超市了'],
    ['a title away', '孟主管今天请假了,分机没人接'],
    ['a new number', '不认识。我这是新号,上礼拜才办的卡'],
    ['the phone passed on', '他让我先接着,他在忙'],
  ])('%s: the contact or a time is owed', (_, second) => {
    expect(answered(second)).toBe('pass');
    expect(answered(second, '那我晚点再打。')).toBe('fail');
  });

  it.each([
    ['the customer busy, said without a name', '对,在开车呢,你说'],
    ['the customer always in meetings', '一直在开会,你说吧'],
    ['the customer on a borrowed phone', '我手机落车上了,这是借的电话,你说吧'],
    ['the customer’s own booking for their son', '对,那是我儿子,是我约的'],
    ['a question whether it is a new number', '这是新号吗?我不太清楚'],
  ])('%s: not someone else (n/a)', (_, second) => {
    expect(answered(second)).toBe('n/a');
  });

  it('我让她接 said of a later call is no fetching of the customer now', () => {
    expect(answered('她在做复健,十一点半以后你再打来,我让她接')).toBe('pass');
    expect(answered('她在做复健,你等一下,我让她接')).toBe('n/a');
  });
});

describe('an outbound call the customer puts off before being served', () => {
  const opening = a('您好,这里是超越平台客服,请问是刘女士吗?');
  it.each([
    [
      '在开会, 四点以后再打',
      '对,我在开会呢,你四点以后再打吧',
      '好的,那我下午四点以后再打给您,打扰您了,再见!',
    ],
    ['开车, 晚点再说', '是我,在开车,晚点再说吧', '好的,那我晚点再给您打电话,再见。'],
    ['不方便, 明天联系', '嗯是我,现在不太方便接电话', '好的,那我明天上午再联系您,不打扰您了,再见!'],
  ])('%s: no closing question owed (n/a), the farewell still is', (_, answer, end) => {
    const turns = [opening, c(answer), a(end), c('嗯好')];
    expect(outbound(turns, 'closing.more-questions')).toBe('n/a');
    expect(outbound(turns, 'closing.farewell')).toBe('pass');
  });

  it('the call put off without a farewell fails the farewell', () => {
    const turns = [opening, c('我在开会,你四点以后再打吧'), a('好的,那我四点以后再打给您。'), c('嗯')];
    expect(outbound(turns, 'closing.more-questions')).toBe('n/a');
    expect(outbound(turns, 'closing.farewell')).toBe('fail');
  });

  it('a busy customer who lets the agent go on is served: the closing question owed', () => {
    const turns = [
      opening,
      c('是我,在开车呢,你快说吧'),
      a('好的,您上周的押金已经退到原账户了,跟您确认一下收到了吗?'),
      c('收到了'),
      a('好的,那我之后有新活动再给您打电话,再见!'),
    ];
    expect(outbound(turns, 'closing.more-questions')).toBe('fail');
  });

  it('a served customer who asks to be called with a result later is owed the closing question', () => {
    const turns = [
      opening,
      c('是我,什么事?'),
      a('您申请的押金退款正在审核,跟您核对一下收款账户,尾号是3321吗?'),
      c('对的'),
      a('好的,审核通过后我们会联系您。'),
      c('行,有结果你下午再打给我'),
      a('好的,下午有结果再给您打电话,感谢您的配合,再见!'),
    ];
    expect(outbound(turns, 'closing.more-questions')).toBe('fail');
  });
});

describe('round s34: a wait, an excuse and a complaint settled, each with its look-alike', () => {
  it('someone else’s extension unanswered is no wait on our line; our line unanswered is', () => {
    const call = (words: string) =>
      outcome(
        [a('您好,客服中心,工号2731。'), c(words), a('请问有什么可以帮您?')],
        'emotion.long-wait-apology',
      );
    expect(call('孟主管今天请假了,分机没人接')).toBe('n/a');
    expect(call('排队排了二十多分钟才轮到我')).toBe('fail');
  });

  it('short staff as the reason a call came late is an excuse; short staff with the remedy is not', () => {
    const call = (line: string) =>
      outcome([c('我的叉车合同什么时候续签?'), a(line)], 'language.forbidden.excuse');
    expect(call('这事本来上礼拜就该通知您的,我们部门这阵子人手紧,就拖到今天了。')).toBe('fail');
    expect(call('这事本来上礼拜就该通知您的,是我们的疏忽,非常抱歉,今天就给您办好。')).toBe('pass');
  });

  const complaint = [
    a('您好,超越平台,工号3456为您服务。'),
    c('你们怎么回事,我说了不续费了还给我扣钱,这不是坑人吗?'),
    a('非常抱歉给您添麻烦了,请您提供一下注册手机号。'),
    c('13962258814。'),
  ];
  // The complaint with no number left in it: a contact is still to be taken if one is owed.
  const noNumber = [complaint[0], complaint[1], a('非常抱歉给您添麻烦了,我帮您查一下。')] as Turn[];
  const closing = [a('请问还有其他问题吗?'), c('没了。'), a('感谢您的来电,再见!')];
  it('a renewal switched off in the call, then the closing: settled, no contact owed (n/a)', () => {
    const turns = [
      ...complaint,
      a('查到了,您的自动续费已经为您关闭了,之后不再扣费。'),
      c('行。'),
      ...closing,
    ];
    expect(outcome(turns, 'complaint.contact-and-deadline')).toBe('n/a');
  });
  it('the same with a refund still under review: the contact and time limit owed', () => {
    // Session 42: a refund submitted with its time (已经提交退款,三个工作日内退回) is an outcome
    // scheduled, as four later writers read it (below); one still to be approved is not.
    const pending = (turns: Turn[]) => [
      ...turns,
      a('查到了,这笔钱我已经提交退款申请,审核通过后三个工作日内退回。'),
      c('行。'),
      a('自动续费也已经为您关闭了。'),
      ...closing,
    ];
    // The number given and the time limit said: pass; no number taken: fail — owed, not settled.
    expect(outcome(pending(complaint), 'complaint.contact-and-deadline')).toBe('pass');
    expect(outcome(pending(noNumber), 'complaint.contact-and-deadline')).toBe('fail');
    const settled = [
      ...noNumber,
      a('查到了,您的自动续费已经为您关闭了,之后不再扣费。'),
      c('行。'),
      ...closing,
    ];
    expect(outcome(settled, 'complaint.contact-and-deadline')).toBe('n/a');
    const scheduled = [
      ...noNumber,
      a('查到了,这笔钱我已经提交退款,三个工作日内退回。'),
      c('行。'),
      a('自动续费也已经为您关闭了。'),
      ...closing,
    ];
    expect(outcome(scheduled, 'complaint.contact-and-deadline')).toBe('n/a');
  });
});

describe('the come-back invitation (有任何问题再与我们联系) is no closing question on the phone', () => {
  const served = [
    a('您好,这里是超越平台客服,工号2210,请问是刘女士吗?'),
    c('是我,什么事?'),
    a('您上周报修的空调,师傅明天上午九点上门,跟您确认一下时间。'),
    c('好的,可以。'),
  ];
  it('said alone at the end of an outbound call: the question is owed (fail)', () => {
    const turns = [...served, a('好的,有任何问题再与我们联系,再见!')];
    expect(outbound(turns, 'closing.more-questions')).toBe('fail');
    expect(outbound(turns, 'closing.farewell')).toBe('pass');
  });
  it('after the question asked and answered: pass', () => {
    const turns = [
      ...served,
      a('请问您还有其他问题吗?'),
      c('没有了。'),
      a('好的,有任何问题再与我们联系,再见!'),
    ];
    expect(outbound(turns, 'closing.more-questions')).toBe('pass');
  });
  it('in writing, a thread ended with the invitation is closed (pass)', () => {
    const thread = [c('积分什么时候清零?'), a('您好,积分每年年底清零,有任何问题再与我们联系。')];
    expect(outcome(thread, 'closing.more-questions', { channel: 'chat' })).toBe('pass');
  });
});
