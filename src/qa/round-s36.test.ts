// Issue 11 §1, round s36 (training/qa-dev/calls/batch-s36.yaml): words an agent puts in quotation
// marks are someone else's — a surveyor's rude words read back for the complaint desk, a text
// message's or a button's words — and fail no forbidden-language rule; the agent's own words beside
// them still do (quoted-words.ts). A caller's quotation is theirs to make: the complaint it holds
// is still heard.
import { describe, expect, it } from 'vitest';
import { a, answered, c, outcome, unapologetic } from '../../test/support/inspect-turns.ts';

const PROVOKING = 'language.forbidden.provoking';
const VAGUE = 'language.forbidden.vague';
const EXCUSE = 'language.forbidden.excuse';
const BLAME = 'language.forbidden.blame';
const APOLOGY = 'emotion.apology-on-complaint';

/** A calm question answered by `reply`, then the closing: `rule`'s outcome. */
const served = (reply: string, rule: string, channel: 'phone' | 'chat' = 'phone') =>
  answered('你好,我想问一下我上个月的那张单子怎么处理的。', reply, rule, { channel });

describe('words read back in quotation marks are not the agent’s', () => {
  it.each([
    [PROVOKING, "好的,我记录一下:查勘员对您说了'你到底懂不懂,别耽误我时间',我记录得对吗?"],
    [PROVOKING, '客服回复您“爱买不买”是完全不对的,我已经提交给主管处理。'],
    [PROVOKING, '您是说邻居讲「电表是两家共用的,跟我们没关系」,对吗?'],
    [VAGUE, '您在登录页点“不知道密码?点这里”,验证后就能重设密码。'],
    [EXCUSE, '師傅說「我是新來的,不知道怎麼裝」就離開,這是我們安排不當。'],
    [VAGUE, '師傅說「我是新來的,不知道怎麼裝」就離開,這是我們安排不當。'],
    // The language classifier reads these lines whole as the fault when the quoted words count.
    [BLAME, '师傅当时说“谁让您当初不买保险”,这样说是不对的。'],
    [PROVOKING, '师傅当时说“您早干嘛去了”,这样说是不对的。'],
    [EXCUSE, '师傅当时说“我们这边人手不够,忙不过来”,这样说是不对的。'],
    [VAGUE, '师傅当时说“这个我也说不准”,这样说是不对的。'],
  ])('%s: %s → pass', (rule, reply) => {
    expect(served(reply, rule)).toBe('pass');
    expect(served(reply, rule, 'chat')).toBe('pass');
  });

  it.each([
    [PROVOKING, '查勘员对您说了你到底懂不懂,别耽误我时间吗?', '你到底懂不懂 said with no marks'],
    [PROVOKING, '条款里写的就是“不在赔付范围”,这个没有为什么。', '没有为什么 after the quotation'],
    [PROVOKING, '营业员说“是你自己没看清楚合同”不合适,不过这个我们也没办法。', '我们也没办法 after it'],
    [VAGUE, '老师说“下周开始”,应该是下周吧,具体我也说不好。', 'the guess after it'],
    [BLAME, '您自己不看说明书,能怪谁呢。', 'the same words as the agent’s own'],
    [BLAME, '师傅当时说“不对”,谁让您当初不买保险。', 'the classifier’s fault outside the quotation'],
    [PROVOKING, '他说"不知道,反正你到底懂不懂', 'a mark never closed'],
  ])('%s: %s (%s) → fail', (rule, reply) => {
    expect(served(reply, rule)).toBe('fail');
  });
});

describe('a caller’s quotation is the caller’s: the complaint it holds is heard', () => {
  const call = (first: string, reply: string) =>
    outcome(
      [
        a('您好,客服中心,工号6620,请问有什么可以帮您?'),
        c(first),
        a(reply),
        c('行。'),
        a('请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      APOLOGY,
    );
  const complaint = '你们营业员对我说“是你自己没看清楚合同”,什么态度!';

  it('no apology after it fails', () => {
    expect(call(complaint, '请问您是在哪个营业厅办理的?')).toBe('fail');
  });

  it('the apology passes', () => {
    expect(call(complaint, '非常抱歉让您不愉快了,请问您是在哪个营业厅办理的?')).toBe('pass');
  });
});

// Round s36b (training/qa-dev/calls/batch-s36b.yaml): complaints said without 投诉 and their look-alikes.
const CONTACT = 'complaint.contact-and-deadline';

describe('anger at someone else is no complaint of ours: the apology n/a', () => {
  it.each([
    [
      'a neighbour scorned after a clause',
      '楼上那家装修把水管打爆了,我家天花板全泡了。那家人还说不关他们的事,什么人啊这是!',
    ],
    [
      'a caller leaving another company for us',
      '我想在你们这装宽带。我现在用的那家简直坑死人,三天两头断,打客服永远是机器人。你们那边能装吗?',
    ],
  ])('%s', (_, first) => {
    expect(unapologetic(first)).toBe('n/a');
  });

  it.each([
    [
      'our staff blamed beside the neighbour',
      '楼上那家把水管打爆了,你们物业也不管,那家人还说不关他们的事,什么人啊这是!',
    ],
    ['the one the caller uses is ours', '我现在用的那家就是你们,三天两头断,我想在你们这换个套餐。'],
    ['a device of theirs (那个, not 那家)', '我想在你们这换个套餐。我现在用的那个路由器三天两头断。'],
  ])('%s: a complaint, the missing apology fails', (_, first) => {
    expect(unapologetic(first)).toBe('fail');
  });
});

describe('a complaint settled in the call, in more words: the contact n/a', () => {
  const call = (fix: string) =>
    outcome(
      [
        a('您好,通汇银行信用卡中心,工号6032,很高兴为您服务。'),
        c('我这张卡从来没透支过,凭什么扣我两百块年费?你们这是变着法子抢钱吗?'),
        a('非常抱歉,让您看到这笔费用心里不舒服。我帮您查一下。'),
        c('好。'),
        a(fix),
        c('嗯,看到了。'),
        a('请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT,
    );

  it.each([
    '这一次我已经给您申请减免,两百元年费刚刚退回到您的卡账户里,您在手机银行就能看到。',
    '之前登记的信息有误,我已经改正过来,两百元刚刚退回到您的卡账户里了。',
  ])('%s → n/a', (fix) => {
    expect(call(fix)).toBe('n/a');
  });

  it.each([
    ['an application still pending', '这一次我已经给您申请减免,审核通过后会退回到您的卡账户里。'],
    ['a visit booked for later', '已经约好明天上午九点网点经理给您办理退费。'],
  ])('%s: the contact and time still owed, fail', (_, fix) => {
    expect(call(fix)).toBe('fail');
  });
});

describe('a preliminary diagnosis before the visit is not vague', () => {
  it('初步判断可能是… then the visit booked: pass', () => {
    expect(
      served(
        '根据您说的情况,初步判断可能是缺氟或者室外机散热不好,需要师傅上门检测,我给您登记明天上午。',
        VAGUE,
      ),
    ).toBe('pass');
  });

  it('a guess as the answer still fails', () => {
    expect(served('可能是缺氟了吧,您再观察观察。', VAGUE)).toBe('fail');
  });
});

describe('words the agent quotes are not what the agent was to say either', () => {
  const call = (reply: string) =>
    outcome(
      [
        a('您好,全家乐电器服务中心027为您服务。'),
        c('你们师傅昨天来装空调,把我家墙弄得一地灰,说了句不好意思就走了,什么服务啊!'),
        a(reply),
        c('昨天下午。'),
        a('好的,明天上午十点前安排人上门清理,还是打您来电的这个号码吗?'),
        c('对。'),
        a('请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      APOLOGY,
    );

  it('the caller’s report read back (师傅只说了句“不好意思”) is no apology: fail', () => {
    expect(call('您是说师傅只说了句“不好意思”就走了,是吗?请问是哪天上门的?')).toBe('fail');
  });

  it('the agent’s own 不好意思 beside the quotation: pass', () => {
    expect(call('真不好意思,师傅只说了句“不好意思”就走了,是我们做得不好。请问是哪天上门的?')).toBe('pass');
  });
});
