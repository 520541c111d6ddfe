// Issue 11 §1/§4, round s29 (training/qa-dev/calls/batch-s29.yaml): the default scorecard's
// words added for a new writer's calls, each pattern with a look-alike it must leave alone —
// someone else answering an outbound call in other words, the time to call back asked as when
// the customer is home or awake, complaints in other words, praise the detector reads as a
// complaint, a wait avoided or spent elsewhere, sarcastic thanks that opens a grievance.
import { describe, expect, it } from 'vitest';
import { a, c, outcome } from '../../test/support/inspect-turns.ts';

/** An outbound call the answerer opens with 喂?, then says `second`; the agent asks when to call back. */
const outbound = (second: string, ask = '请问他什么时候方便?我们再联系他。', end = '好的,谢谢您,再见!') =>
  outcome(
    [
      a('您好,我是客服中心的工作人员,工号1538,请问是王建国先生吗?'),
      c('喂?'),
      a('您好,请问是王建国先生吗?'),
      c(second),
      a(ask),
      c('晚上吧'),
      a(end),
    ],
    'outbound.not-the-customer',
    { direction: 'outbound' },
  );

describe('someone other than the customer answers an outbound call, in other words', () => {
  it.each([
    ['the customer named by the answerer’s relation to them', '哦那是我爷爷,他下楼遛狗去了'],
    ['away after a particle (no punctuation in speech-recognition text)', '老王啊他去工地了手机在家'],
    ['at a place, 他人在…呢', '王头啊他人在架子上呢你啥事'],
    ['a title said of the customer, then away', '王老板出去送货了,有事你跟我说'],
    ['their spouse said as 俺家那口子', '俺家那口子下地去了,手机搁家了'],
    ['the answerer’s role: looking after them, working for them', '我是白天过来照顾他的护工'],
    ['the answerer’s role: the shop’s', '你找王老板啊,我是店里帮忙看店的'],
    ['the phone left behind', '他手机落车上了,我是开车的'],
    ['the phone said to be the customer’s', '这手机是王总的,他在里面开会'],
  ])('%s: the contact or a time is owed', (_, second) => {
    expect(outbound(second)).toBe('pass');
    expect(outbound(second, '那我晚点再打。')).toBe('fail');
  });

  it.each([
    ['the customer answering', '对,是我,什么事'],
    ['the customer about their own phone', '我手机落车上了,这是借的电话,你说吧'],
    ['the customer about their family at home', '嗯你说,我家那口子报的修'],
  ])('%s: not someone else (n/a)', (_, second) => {
    expect(outbound(second)).toBe('n/a');
  });

  it.each([
    ['人不在, no pronoun', '您找的是我们家老爷子吧,人不在,前几天住院了'],
    ['a title on a trip, no pronoun', '这是公司座机,王经理出差了,这礼拜都不在'],
    ['the answerer’s relation said alone', '王叔不在家,我是侄女,过来串门的'],
    ['the one asked for, away, said with a pronoun and no 我 before it', '他这会儿在地里忙着呢'],
  ])('round s29b, %s: someone else', (_, second) => {
    expect(outbound(second)).toBe('pass');
    expect(outbound(second, '那我晚点再打。')).toBe('fail');
  });

  it.each([
    ['saying it is them mid-turn', '王建国?哦哦,你找老王啊,是我是我,工地上都这么叫。啥事?'],
    ['naming themself', '我们家两个姓王的。哦,王建国是我。'],
    ['a bare 我是 before more words', '我是。不过这事一直是小周在跟,她没跟你们说吗?'],
    ['their spouse who placed the order', '那是我老婆下的单,她让我跟你们联系的'],
    ['their son who uses the line, 他 after 我', '是我的号啊 我儿子在用 他前两天跟我说被扣了钱'],
  ])('round s29b, the customer %s: n/a', (_, second) => {
    expect(outbound(second)).toBe('n/a');
  });

  it('the contact asked as 能联系上的电话; a road washed out is no private business told', () => {
    expect(outbound('他出差了', '请问方便告诉我他出差期间能联系上的电话吗?')).toBe('pass');
    expect(outbound('他出去了', '上周路冲坏了没能上门,请问他一般几点回家?')).toBe('pass');
    expect(outbound('他出去了', '他家热水器坏了要换主板,请问他一般几点回家?')).toBe('fail');
  });

  it('asking when the customer is home or awake is asking the time to call', () => {
    expect(outbound('他出去了', '请问他一般几点回家?')).toBe('pass');
    expect(outbound('他睡着了', '那他一般什么时候醒?')).toBe('pass');
  });
});

describe('complaint words of round s29', () => {
  const apology = (said: string, reply = '好的,我看一下。') =>
    outcome(
      [a('您好,客服中心,工号1001,请问有什么可以帮您?'), c(said), a(reply)],
      'emotion.apology-on-complaint',
    );

  it.each([
    ['a promise told with 说 and nothing since', '我报修了两回,说师傅联系我,到现在一个电话都没有'],
    ['damage done by our fitter', '你们师傅走的时候把我家木地板划了一长道'],
    ['a repair reported and no word since', '宽带报了修也没个准信'],
    ['a retort to a satisfaction question', '满意个啥,装是装好了'],
  ])('%s: a complaint, owed an apology', (_, said) => {
    expect(apology(said)).toBe('fail');
    expect(apology(said, '非常抱歉,给您添麻烦了。')).toBe('pass');
  });

  it.each([
    ['a mess left by our fitter', '他上次来把浴室弄得到处是水,擦都没擦就走了'],
    ['a fault within weeks of our work', '这才一个月,客厅那面墙就起皮了'],
    ['goods spoiled on delivery', '花送到的时候都蔫了,两百多块钱的花就这样啊'],
  ])('round s29b, %s: a complaint, owed an apology', (_, said) => {
    expect(apology(said)).toBe('fail');
    expect(apology(said, '真对不起,给您添麻烦了。')).toBe('pass');
  });

  it('a calm report of a repair to come is none', () => {
    expect(apology('我家宽带报了修,师傅说明天上午来,我问一下大概几点')).toBe('n/a');
  });

  it('praise of the agent’s speed and skill is no complaint (the detector read one); sarcasm still is', () => {
    expect(apology('哇这么快 你们这个效率可以啊 小姑娘业务真熟')).toBe('n/a');
    expect(apology('你们这效率可真高啊,一个月了都没修好')).toBe('fail');
  });
});

describe('thanks, waits', () => {
  it('praise of the agent’s skill (业务真熟) owes the thanks reply', () => {
    const turns = (reply: string) => [
      a('您好,客服中心,请问有什么可以帮您?'),
      c('卡被锁了'),
      a('已经帮您解锁了。'),
      c('这么快,小姑娘业务真熟'),
      a(reply),
    ];
    expect(outcome(turns('不客气,这是我们应该做的。'), 'emotion.thanks-reply')).toBe('pass');
    expect(outcome(turns('另外提醒您,年费下个月扣。'), 'emotion.thanks-reply')).toBe('fail');
  });

  const praised = (said: string, reply: string) =>
    outcome(
      [a('您好,客服中心,请问有什么可以帮您?'), c('我想改个时间'), a('已经帮您改好了。'), c(said), a(reply)],
      'emotion.thanks-reply',
    );

  it.each([
    ['a colleague named to the agent', '你们王老师特别负责,我家孩子现在都敢下水了'],
    ['the agent’s speed', '到了到了!你这效率太高了'],
    ['our arrangements, said plainly', '你们这次安排得挺周到的'],
    ['a reminder we sent, 还挺贴心的', '你们上回发短信提醒换芯,还挺贴心的,是我自己没顾上'],
    ['the agent’s service', '你这服务没得说,一个电话就搞定了'],
    ['the agent’s explanation in speech-recognition text', '哦哦 你讲的真名白 一下就懂了'],
  ])('round s29c, praise of %s owes a reply', (_, said) => {
    expect(praised(said, '您客气了,这是我们的本职工作。')).toBe('pass');
    expect(praised(said, '周日上午十点可以吗?')).toBe('fail');
  });

  it.each([
    ['sarcasm with 可真', '你们可真周到啊,修了三回还没好'],
    ['praise followed by a grievance in the clause', '你们师傅挺负责的还没修好'],
  ])('round s29c, %s is no praise', (_, said) => {
    expect(praised(said, '周日上午十点可以吗?')).not.toBe('fail');
  });

  it('sarcastic thanks that thanks twice and opens a grievance is still no thanks', () => {
    const turns = [
      a('您好,客服中心,请问有什么可以帮您?'),
      c('谢谢你们啊 真是谢谢 约的早上八点 现在都十一点了 人影都没见着'),
      a('我帮您查一下。'),
    ];
    expect(outcome(turns, 'emotion.thanks-reply')).toBe('n/a');
    expect(outcome(turns, 'emotion.apology-on-complaint')).toBe('fail');
  });

  it('thanks for the wait in other words (感谢您耐心等了这么久) answers a calm wait', () => {
    const turns = (reply: string) => [
      a('您好,客服中心,请问有什么可以帮您?'),
      c('排了十几分钟队终于轮到了,我想问下退票'),
      a(reply),
    ];
    expect(outcome(turns('感谢您耐心等了这么久,请问是哪一场的票?'), 'emotion.long-wait-apology')).toBe(
      'pass',
    );
    expect(outcome(turns('请问是哪一场的票?'), 'emotion.long-wait-apology')).toBe('fail');
  });

  it('sarcastic thanks opening a grievance (谢谢你们…到现在都没…) is no thanks', () => {
    const turns = [
      a('您好,客服中心,请问有什么可以帮您?'),
      c('谢谢你们啊 真的 宽带断了四天了 到现在一个电话都没有'),
      a('我帮您查一下。'),
    ];
    expect(outcome(turns, 'emotion.thanks-reply')).toBe('n/a');
  });

  const wait = (said: string, reply = '好的,请问您要办理什么业务?') =>
    outcome([a('您好,客服中心,请问有什么可以帮您?'), c(said), a(reply)], 'emotion.long-wait-apology');

  it('a wait on our line, 终于通了, owes 让您久等了', () => {
    expect(wait('等了挺久的哈 终于通了 我想问下宽带提速')).toBe('fail');
    expect(wait('等了挺久的哈 终于通了 我想问下宽带提速', '不好意思,让您久等了。')).toBe('pass');
  });

  it('a wait avoided, or a queue at a hospital, is no wait on our line', () => {
    expect(wait('太好了,本来以为还得一大早去排队挂号')).toBe('n/a');
    expect(wait('我今天在医院排队排了半天,想问下信用卡额度能不能调高')).toBe('n/a');
  });
});
