// Issue 11 §1, round s41 (training/qa-dev/calls/batch-s41a.yaml: complaints handled on the phone;
// batch-s41b.yaml: help-desk threads; batch-s41c.yaml: the agent's forbidden language; three new
// writers): a complaint whose outcome the caller sees come in the call (已经到账了, 退回来了, 看到那笔
// 记录了, 短信收到了, 重启完好了) owes no contact and time limit — the agent's check in the call (我马上
// 帮您核实一下, 核实好了) and the refund submitted before it arrived are no follow-up, nor is a review
// offered and declined; the caller praising the explanation with thanks accepts it; the number on file
// named by its first digits (还是打您这个一三七开头的号码吗) is the contact; complaints in more words
// (服了, 物流一动不动, 一点通知都没有, 明明改过地址的, 审核个啥, 你们这怎么送的, 说换就换, 太闹心了, a
// promise counted in days (说明天就送到,结果今天都第五天了), 以为你们不管了, 越修越坏, two hand-offs in a row)
// — not 衣服了 / 客服了, nor the caller blaming themselves (怪我自己…) or praising our staff
// (客服小姐姐特别耐心); sarcastic thanks at a repair that keeps failing is owed no 不客气; 请您直接向该
// 支行反映 pushes the matter away; the agent quoting the caller's 不知道 or asking 不知道您孩子上几年级
// is no vague answer. Each case but the look-alikes gives another outcome with the scorecard before the
// round.
import { describe, expect, it } from 'vitest';
import { a, answered, c, outcome, unapologetic } from '../../test/support/inspect-turns.ts';

const CONTACT = 'complaint.contact-and-deadline';
const APOLOGY = 'emotion.apology-on-complaint';
const VAGUE = 'language.forbidden.vague';
const PROVOKING = 'language.forbidden.provoking';
const THANKS = 'emotion.thanks-reply';
const WAIT = 'emotion.long-wait-apology';

/** A complaint met with an apology and a check, the agent's `step`, the caller's `seen`, then the closing. */
function settledInCall(step: string, seen: string) {
  return outcome(
    [
      a('您好,客服中心,工号5306,很高兴为您服务。'),
      c('我这个月的会员费被扣了两次,每次三十,你们这是怎么回事?'),
      a('非常抱歉给您添麻烦了,我马上帮您核实一下,请问您的手机号是多少?'),
      c('一三九零零一二三四五六。'),
      a(`核实好了,第二笔确实是重复扣款,是我们的差错。${step}`),
      c(seen),
      a('不客气,再次向您道歉。请问还有其他可以帮您的吗?'),
      c('没有了。'),
      a('感谢您的来电,再见。'),
    ],
    CONTACT,
  );
}

describe('the outcome seen in the call settles the complaint', () => {
  it.each([
    ['我现在就把三十元原路退回,已经提交成功了。', '嗯,来了,已经到账了。行,谢谢啊。'],
    ['我现在给您原路退回。', '我看看,三十块退回来了,好,谢谢。'],
    ['我在系统里给您冲回了,您在账单明细里能看到。', '嗯……看到了。行吧。'],
    ['退款记录已经发短信给您了。', '短信收到了,写着退款三十元。'],
  ])('%s / %s: contact n/a', (step, seen) => {
    expect(settledInCall(step, seen)).toBe('n/a');
  });

  it('a fix the caller tries and confirms (重启完好了) on a chat thread', () => {
    expect(
      outcome(
        [
          c('@星联通信客服 流量突然用不了\n信号满格 网页就是打不开\n你们网络又抽风了?人在外地急死了'),
          a(
            '抱歉给您带来不便 经查询您的号码和所在区域网络都正常 麻烦您试一下:设置-移动网络-接入点名称 点“重置为默认设置” 再重启手机',
          ),
          c('重置完重启 好了!\n谢谢谢谢'),
          a('不客气 请问还有其他问题吗'),
          c('没了'),
          a('好的 有问题随时联系我们 祝您出行顺利'),
        ],
        CONTACT,
        { channel: 'chat' },
      ),
    ).toBe('n/a');
  });

  it('still owed when the money has not come (还没到账)', () => {
    expect(settledInCall('我现在就把三十元给您申请退回,会尽快处理。', '嗯,还没到账,那我等等吧。')).toBe(
      'fail',
    );
  });

  it('still owed when the agent then promises an answer later', () => {
    expect(
      outcome(
        [
          a('您好,客服中心,工号5306,很高兴为您服务。'),
          c('我这个月的会员费被扣了两次,每次三十,你们这是怎么回事?'),
          a('非常抱歉给您添麻烦了,第一笔我已经给您退回了。'),
          c('嗯,第一笔到账了。那第二笔呢?'),
          a('第二笔我提交给后台核实,核实后会联系您。'),
          c('好吧。'),
          a('请问还有其他可以帮您的吗?'),
          c('没有了。'),
          a('感谢您的来电,再见。'),
        ],
        CONTACT,
      ),
    ).toBe('fail');
  });
});

describe('an explanation accepted with thanks for it, a review offered and declined', () => {
  const turns = (last: string) => [
    a('您好,客服中心,工号2290,很高兴为您服务。'),
    c('我的理赔被拒了,说是在等待期,交了钱却不赔,这也太坑了吧。'),
    a('非常抱歉,这个结果让您失望了,我帮您核实一下,请问您的保单号是多少?'),
    c('保单号是八八六六一二。'),
    a(
      '核实好了,您的保单等待期是九十天,这次住院还在等待期内。如果您对认定有异议,可以提交复核,我现在就可以帮您登记。',
    ),
    c(last),
    a('不客气,请问还有其他问题吗?'),
    c('没有了。'),
    a('感谢来电,再见。'),
  ];
  it('accepted: n/a', () => {
    expect(outcome(turns('不用了,是我之前没搞清楚,你解释得挺清楚的,谢谢你。'), CONTACT)).toBe('n/a');
  });
  it('still disputed: owed', () => {
    expect(outcome(turns('那我还是觉得不合理,你们什么时候给我个说法?'), CONTACT)).toBe('fail');
  });
});

describe('the number on file named by its first digits is the contact', () => {
  it('还是打您现在这个一三七开头的号码吗', () => {
    expect(
      answered(
        '孩子的老师说换就换,之前一点通知都没有',
        '非常抱歉,没有提前通知是我们的疏忽。明天下午五点前教务老师给您回电,还是打您现在这个一三七开头的号码吗?',
        CONTACT,
      ),
    ).toBe('pass');
  });
});

describe('complaints in more words', () => {
  it.each([
    'app更新完就闪退\n登都登不上\n服了',
    '五天了物流一动不动,一直显示到达转运中心',
    '孩子换老师了,之前一点通知都没有',
    '买的电饭煲寄到老地址去了,我明明改过地址的',
    '材料交上去半个月了,审核个啥能审半个月',
    '包裹放错柜子了,我找了半天,你们这怎么送的?',
    '这学期的课你们说换就换',
    '上周刚装的空调,今天开制冷吹的都是热风,太闹心了',
    '你们说明天就送到,结果今天都第五天了',
    '我都以为你们不管了',
    '洗衣机修了三回,越修越坏',
    '第一次让我找课程顾问,课程顾问让我找教务',
  ])('%s is owed an apology', (first) => {
    expect(unapologetic(first)).toBe('fail');
  });

  it.each([
    '我已经买好衣服了,想问下电子发票怎么开',
    '网上没找到入口,只好来问客服了,电子发票怎么开',
    '唉,怪我自己,本来上周就知道去不了,拖到现在才退,要是早几天退就不扣了',
    '机票退款今天到账了\n昨天帮我处理的客服小姐姐特别耐心',
  ])('%s is no complaint of ours', (first) => {
    expect(unapologetic(first)).toBe('n/a');
  });
});

describe('sarcastic thanks at a repair that keeps failing', () => {
  it('is a complaint, owed no 不客气', () => {
    expect(
      answered(
        '真是谢谢你们啊,洗衣机修了三回,越修越坏',
        '非常抱歉,我马上给您安排师傅,请问您的地址是?',
        THANKS,
      ),
    ).toBe('n/a');
  });
});

describe('the matter pushed to one of our branches', () => {
  const queue = '城西支行取个号等了两个小时,十个柜台就开一个';
  it('请您直接向该支行反映 fails', () => {
    expect(answered(queue, '网点排队的情况请您直接向该支行反映,支行电话0571-88236410。', PROVOKING)).toBe(
      'fail',
    );
  });
  it('the agent passing it on does not', () => {
    expect(
      answered(queue, '非常抱歉,我把您反映的情况转给城西支行负责人,今天下班前给您回电。', PROVOKING),
    ).toBe('pass');
  });
});

describe('no vague answer', () => {
  it("quoting the caller's 不知道", () => {
    expect(
      answered(
        '我当时不知道有免赔',
        '条款是您当时签了字的,投保单上写得很清楚,现在再说不知道就没道理了。',
        VAGUE,
      ),
    ).toBe('pass');
  });
  it('不知道您孩子上几年级, asked without its question mark', () => {
    expect(answered('想问一下秋季班', '您好,不知道您孩子秋季是上几年级', VAGUE)).toBe('pass');
  });
  it('but not knowing the answer still fails', () => {
    expect(answered('秋季班几号开课', '不知道,还没通知', VAGUE)).toBe('fail');
  });
});

// Unchanged by the round (a known miss of batch-s41a.yaml): the engine's reading, stated.
describe('the apology rule on a repeat of the same complaint', () => {
  it('a caller still unhappy at the end after an apology three replies back is owed a fresh one', () => {
    expect(
      outcome(
        [
          a('您好,客服中心,工号4428,很高兴为您服务。'),
          c('你们业务员说随时能退不会亏,我觉得自己被骗了。'),
          a('实在抱歉,当初没有把退保的损失讲清楚。'),
          c('那能不能全退?'),
          a('退保按现金价值算,没办法全退。'),
          c('分红呢?'),
          a('分红要看当年的结算。'),
          c('算了,反正我是不满意。'),
          a('好的,感谢来电,再见。'),
        ],
        APOLOGY,
      ),
    ).toBe('fail');
  });
});

// The written policy probed phrase by phrase (session 41, after the round): a time limit in other
// words, the contact in other words, and a refund done in other words.
describe('the contact rule in more of the policy’s words', () => {
  const owed = (reply: string, channel?: 'chat') =>
    outcome(
      [a('您好,客服中心'), c('你们扣费扣错了,太坑了'), a(`非常抱歉,${reply}`)],
      CONTACT,
      channel ? { channel } : {},
    );
  it.each(['24h内', '当天', '次日', '隔天'])('%s is a time limit', (when) => {
    expect(owed(`请私信我们您的手机号,我们核实后${when}回复您`, 'chat')).toBe('pass');
  });
  it('尽快 is none', () => {
    expect(owed('请私信我们您的手机号,我们核实后尽快回复您', 'chat')).toBe('fail');
  });
  it.each(['24小时内给您回电,还是打139开头的这个号吗', '我们24小时内回电到您来电的这个号码'])(
    '%s takes the contact',
    (reply) => {
      expect(owed(reply)).toBe('pass');
    },
  );
  it('a text message alone confirms no number', () => {
    expect(owed('24小时内短信回复您')).toBe('fail');
  });

  const settled = (fix: string, ok: string) =>
    outcome(
      [
        a('您好,客服中心'),
        c('你们怎么又多扣了我二十块钱,太不像话了'),
        a(`非常抱歉,${fix}`),
        c(ok),
        a('请问还有其他可以帮您的吗?'),
        c('没有了'),
        a('感谢您的来电,再见'),
      ],
      CONTACT,
    );
  it.each([
    ['马上为您处理,已经退了', '收到了,谢谢啊'],
    ['我给您申请了退费,二十元已经返还到您的话费里了', '嗯嗯 好的'],
  ])('%s / %s: settled in the call', (fix, ok) => {
    expect(settled(fix, ok)).toBe('n/a');
  });
  it('a refund applied for and still under review is not (one with its time is: session 42)', () => {
    expect(settled('我给您申请了退费,审核通过后三个工作日内返还', '嗯嗯 好的')).toBe('fail');
    expect(settled('我给您申请了退费,三个工作日内返还', '嗯嗯 好的')).toBe('n/a');
  });
});

describe('owning the fault is an apology (002 服务态度.(五))', () => {
  const reply = (words: string) =>
    outcome(
      [a('您好,客服中心'), c('你们这个服务也太差了,修了三次都没修好'), a(`${words},我马上给您安排师傅。`)],
      APOLOGY,
    );
  it.each(['是我们的问题', '确实是我们这边的问题', '都是我们的错'])('%s passes', (words) => {
    expect(reply(words)).toBe('pass');
  });
  it.each(['这不是我们的问题', '如果是我们的问题', '是我们的问题吗'])('%s does not', (words) => {
    expect(reply(words)).toBe('fail');
  });
});

describe('waits on our line in more words', () => {
  const served = (first: string, rule: string) => answered(first, '您的话费余额是50元。', rule);
  it('好不容易打进来 is the line hard to get through: the apology rule’s, not the long wait’s', () => {
    expect(served('好不容易打进来,查下话费', APOLOGY)).toBe('fail');
    expect(served('好不容易打进来,查下话费', WAIT)).toBe('n/a');
  });
  it('…said with understanding (估计这会儿人多) stays a calm wait', () => {
    expect(served('好不容易打进来,估计这会儿人多,查下话费', WAIT)).toBe('fail');
  });
  it('你们人工怎么这么慢 is a complaint', () => {
    expect(served('等了快半小时了,你们人工怎么这么慢', APOLOGY)).toBe('fail');
  });
  it('but not 你们这个电话怎么这么难打 as a contact owed (the hard line owes none)', () => {
    expect(served('你们这个电话怎么这么难打,查下话费', CONTACT)).toBe('n/a');
  });
});
