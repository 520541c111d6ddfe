// Issue 11 §1, round s39 (training/qa-dev/calls/batch-s39a.yaml: chat threads, batch-s39b.yaml: phone
// calls, two new writers): complaints in words the detector does not read (a parcel signed for and never
// received, contempt at a design, a delivery asked "到底还派不派", a cut-off without a word, sarcastic
// praise or thanks at a fault still there, a repeat fault with 急死了, a quote off by so much), an excuse
// whose 所以 comes a word later (所以一直没处理), a line hard to reach told with understanding (a calm
// wait, not a complaint), the caller going on with the advice (好吧,那我试试: the complaint settled), and
// an invoice still to come (no wait on our line).
import { describe, expect, it } from 'vitest';
import { a, answered, c, outcome, unapologetic } from '../../test/support/inspect-turns.ts';

const APOLOGY = 'emotion.apology-on-complaint';
const CONTACT = 'complaint.contact-and-deadline';
const WAIT = 'emotion.long-wait-apology';
const EXCUSE = 'language.forbidden.excuse';
const THANKS = 'emotion.thanks-reply';

describe('complaints in words of their own are heard (the apology is owed)', () => {
  it.each([
    '我的件显示签收了但我根本没收到!!谁签的??',
    '转个账为什么要24小时才到?急着交房租呢,你们这什么设计',
    '你们客服电话打了一上午都是忙音,我的件到底还派不派了',
    '我手机怎么突然停机了?你们连声招呼都不打就停了',
    '我在等一个面试电话,手机停了,耽误了事谁负责?',
    '666 你们家宽带真稳啊,一晚上断了八回,打游戏直接掉线',
    '手机银行又闪退了,登录三次闪退三次,急死了',
    '真是谢谢你们了,买个手机壳走了十二天还在“运输中”',
    '不对吧,网页上写的是两千八,你这报的怎么差这么多?',
    '冰箱买了不到一个月,已经修了两次了,冷藏室还是不制冷',
  ])('%s', (first) => {
    expect(unapologetic(first)).toBe('fail');
  });

  it.each([
    '我的件显示签收了,我已经收到了,想问下怎么开发票',
    '你们这个设计挺好看的,我想问下有没有白色',
    '请问你们今天还派件吗?',
    '我手机停机了,是不是欠费了?',
    '宽带装好了,网速真稳啊,谢谢你们',
    '修了两次都是免费的,这次想问一下保修还有多久',
  ])('no complaint of ours: %s', (first) => {
    expect(unapologetic(first)).toBe('n/a');
  });

  it('sarcastic thanks at a parcel still in transit is no thanks owed a reply', () => {
    expect(
      outcome(
        [
          c('真是谢谢你们了,买个手机壳走了十二天还在“运输中”'),
          a('非常抱歉让您久等包裹了,请问您的订单号是多少?'),
          c('尾号6673'),
          a('查到了,包裹预计后天送达,我已经催促转运中心优先发出。'),
        ],
        THANKS,
        { channel: 'chat' },
      ),
    ).toBe('n/a');
  });
});

describe('an excuse whose 所以 comes a word later is still an excuse', () => {
  it.each([
    ['抱歉,因为我们系统那几天出了点问题,我们这边没看到您的开票申请,所以一直没处理。', 'fail'],
    ['抱歉,系统那几天出了点问题,已经为您补开了发票,今天之内发到您邮箱。', 'pass'],
  ])('%s → %s', (reply, expected) => {
    expect(answered('你好,我上周申请开发票,到现在还没收到。', reply, EXCUSE)).toBe(expected);
  });
});

describe('a line hard to reach told with understanding is a calm wait, not a complaint', () => {
  const call = (first: string, rule: string) =>
    outcome(
      [
        a('您好!中华保险1388号为您服务。'),
        c(first),
        a('好的,请您提供一下报案号。'),
        c('RB0612088。'),
        a('查到了,理赔款已经审核通过,三个工作日内到账。请问还有其他问题吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      rule,
    );

  it.each([
    '打了好几次才打进来,估计这会儿人多吧。我想问下理赔进度',
    '打了好几次才接通,不要紧,我想问下理赔进度',
  ])('%s: the wait is owed its apology, no complaint', (first) => {
    expect(call(first, WAIT)).toBe('fail');
    expect(call(first, APOLOGY)).toBe('n/a');
  });

  it('said as a grievance it stays a complaint', () => {
    expect(call('你们电话也太难打了,打了好几次才打进来!我想问下理赔进度', APOLOGY)).toBe('fail');
  });
});

describe('a caller going on with the advice settles the complaint (no contact and time owed)', () => {
  const call = (last: string) =>
    outcome(
      [
        a('您好,全家乐电器服务中心,21号为您服务。'),
        c('我上礼拜在你们这买的微波炉,一用就跳闸,这质量也太差了吧!'),
        a('非常抱歉给您添麻烦了,请问同一个插座上还插着别的电器吗?'),
        c('有个电热水壶,一起插在那个排插上。'),
        a('两个大功率电器插在一个排插上容易跳闸,分开插到不同的插座上就可以了。'),
        c(last),
        a('好的,请问还有其他需要帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT,
    );

  it.each(['好吧,那我试试。', '行,我回去分开插吧。'])('%s → n/a', (last) => {
    expect(call(last)).toBe('n/a');
  });

  it.each(['好吧,那我等你们电话吧。', '好吧,那我试试,不行的话你们怎么处理?'])(
    '%s → still owed (fail)',
    (last) => {
      expect(call(last)).toBe('fail');
    },
  );
});

describe('an invoice still to come is no wait on our line', () => {
  it('申请开发票,到现在还没收到 → the long-wait rule is n/a', () => {
    expect(unapologetic('你好,我上周四在你们平台申请开发票,到现在还没收到,财务那边催着要。', WAIT)).toBe(
      'n/a',
    );
  });
});
