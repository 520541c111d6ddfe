// Issue 11 §1, round s40 (training/qa-dev/calls/batch-s40a.yaml: phone calls, the agent's forbidden
// language; batch-s40b.yaml: chat threads and calls, thanks, waits and complaints; two new writers): a
// calm queue said without 才 (排了挺长时间的队) and a chat desk slow to reply (回复有点慢…等了快半小时) owe
// the long-wait apology; scorn for an app or a line (什么破APP) and the agent's tone (你说话能不能客气点)
// are complaints; the number the answer goes to named (通知到您这个号码, 发到哪个号码?, the caller's 就发
// 这个号) is the contact; seed 003's own 也许我说的不够清楚 is no vague answer, nor 没法确定 before the
// visit that will tell; a condition (如果当时是您自己找人装的) reproaches no one; 您打财务部的电话问一下吧
// pushes the matter away; sarcastic thanks at a claim dragging on (真是谢谢你们啊…拖了一个多月) is owed no
// 不客气; and the outcome itself scheduled with its time (今天下午六点前一定发出), nothing deferred, owes no
// contact (no answer is left to give later). Each case but the look-alikes gives another outcome with the
// scorecard before the round.
import { describe, expect, it } from 'vitest';
import { a, answered, c, outcome, unapologetic } from '../../test/support/inspect-turns.ts';

const WAIT = 'emotion.long-wait-apology';
const CONTACT = 'complaint.contact-and-deadline';
const VAGUE = 'language.forbidden.vague';
const BLAME = 'language.forbidden.blame';
const PROVOKING = 'language.forbidden.provoking';
const THANKS = 'emotion.thanks-reply';
const EXCUSE = 'language.forbidden.excuse';

describe('a calm wait in more words owes the long-wait apology', () => {
  it('a queue told without 才: unanswered it fails, answered with 抱歉让您久等了 it passes', () => {
    const question = '我排了挺长时间的队。想问一下公司年报今年什么时候截止?';
    expect(answered(question, '企业年报每年六月三十号截止。', WAIT)).toBe('fail');
    expect(answered(question, '非常抱歉让您久等了,企业年报每年六月三十号截止。', WAIT)).toBe('pass');
  });

  it('a chat desk slow to reply, said calmly', () => {
    expect(
      outcome(
        [
          c('在吗'),
          a('您好,在的,请问有什么可以帮您?'),
          c('你们回复有点慢哈,等了快半小时。没事,我就想问下积分什么时候过期'),
          a('您的积分有效期到今年12月31日,兑换入口在“我的-积分商城”。'),
        ],
        WAIT,
        { channel: 'chat' },
      ),
    ).toBe('fail');
  });

  it('a queue somewhere else (at the hospital) is no wait on our line', () => {
    expect(answered('我在医院排了半天的队,想问下住院能报多少', '好的,请问您的保单号?', WAIT)).toBe('n/a');
  });
});

describe('complaints in more words', () => {
  it.each([
    '什么破APP,更新完就一直登不上,点登录就闪退',
    '我又不是干这行的,我怎么知道这些,你说话能不能客气点?',
  ])('%s is owed an apology', (first) => {
    expect(unapologetic(first)).toBe('fail');
  });

  it('asking the agent to speak up is no complaint', () => {
    expect(unapologetic('请问电话里说话声音能不能大一点?')).toBe('n/a');
  });
});

describe('the contact named as where the answer goes', () => {
  const complaint = '我根本没订过这俩业务,你们怎么随便就给我开了,这不乱扣费吗';
  it.each([
    '非常抱歉!本月的四十元需要提交后台核实,核实结果三个工作日内短信通知到您这个号码,您看可以吗?',
    '非常抱歉!本月的四十元需要提交后台核实,三个工作日内短信通知您,您看发到哪个号码?',
  ])('%s', (reply) => {
    expect(answered(complaint, reply, CONTACT)).toBe('pass');
  });

  it('the caller saying the number they are on (就发这个号)', () => {
    expect(
      outcome(
        [
          a('您好,客服中心,工号6620,请问有什么可以帮您?'),
          c(complaint),
          a('非常抱歉!本月的四十元需要提交后台核实,三个工作日内短信告诉您结果。'),
          c('行,就发这个号'),
          a('好的,已经登记。请问还有其他问题吗?'),
          c('没了'),
          a('感谢您的来电,再见!'),
        ],
        CONTACT,
      ),
    ).toBe('pass');
  });
});

describe('vague: the agent owning an explanation, or a visit to tell', () => {
  it.each([
    '也许我说的不够清楚,请允许我再解释一遍。',
    '可能我没说清楚,我再给您解释一遍。',
    '是排水泵还是主板的问题,在师傅上门检测之前我这边没法确定,我先帮您约师傅上门检测。',
  ])('%s passes', (reply) => {
    expect(answered('洗衣机显示E3,怎么回事?', reply, VAGUE)).toBe('pass');
  });

  it.each(['可能是系统的问题吧。', '这个我这边没法确定。'])('%s still fails', (reply) => {
    expect(answered('洗衣机显示E3,怎么回事?', reply, VAGUE)).toBe('fail');
  });
});

describe('blame: a condition reproaches no one', () => {
  it.each([
    '如果当时是您自己找人装的,进出水接口和管件不在保修范围内,机器本身还是免费保修的。',
    '要是当时是您自己找人装的,管件需要收材料费。',
  ])('%s', (reply) => {
    expect(answered('热水器底下的接口一直在滴水', reply, BLAME)).toBe('pass');
    expect(answered('热水器底下的接口一直在滴水', reply, PROVOKING)).toBe('pass');
  });

  it('the fact thrown back still fails', () => {
    expect(answered('热水器底下的接口一直在滴水', '这是您自己找人装的,所以不保修。', BLAME)).toBe('fail');
  });
});

describe('provoking: the matter pushed to another department', () => {
  it.each(['您打财务部的电话问一下吧。', '您可以直接打财务部的电话问一下,工作日九点到五点。'])(
    '%s fails',
    (reply) => {
      expect(answered('保费重复扣款了', reply, PROVOKING)).toBe('fail');
    },
  );

  it.each(['我帮您转接财务部,请稍等。', '我帮您把情况转给财务部,今天下班前给您回电。'])(
    '%s passes',
    (reply) => {
      expect(answered('保费重复扣款了', reply, PROVOKING)).toBe('pass');
    },
  );
});

describe('sarcastic thanks at a claim dragging on', () => {
  it('is no thanks owed 不客气', () => {
    expect(
      answered(
        '真是谢谢你们啊,我那个住院的理赔拖了一个多月了,材料交了三回',
        '不客气,请问您的报案号是多少?',
        THANKS,
      ),
    ).toBe('n/a');
  });
});

describe('the outcome scheduled with its time: no answer is left to give later', () => {
  const complaint = '说好的48小时内发货,这都第五天了还显示待发货,你们就是这么做生意的?';
  it.each([
    [complaint, '非常抱歉,已经帮您联系仓库优先处理了,今天下午六点前一定发出。'],
    ['我根本没订过这个业务,你们怎么乱扣费', '非常抱歉,这笔费用三个工作日内退回到您的话费账户。'],
  ])('%s — %s: n/a', (question, reply) => {
    expect(answered(question, reply, CONTACT)).toBe('n/a');
  });

  it('with the contact taken as well, it passes', () => {
    expect(
      answered(
        complaint,
        '非常抱歉,已经帮您联系仓库优先处理了,今天下午六点前一定发出,发出后短信通知到您这个号码。',
        CONTACT,
      ),
    ).toBe('pass');
  });

  it('an answer still to come (核实后…给您回复) owes the contact', () => {
    expect(answered(complaint, '非常抱歉,我们核实后今天下午六点前给您回复。', CONTACT)).toBe('fail');
  });
});

describe('round s40c: complaints told quietly, excuses in more words', () => {
  it.each([
    '上两次去的都是我们合作网点的师傅 他们那边人手一直比较紧 检查得不会那么细 所以才会反复 这次我直接给您派我们中心自己的高级技师',
    '退款这块是财务部审核的 我们客服这边只负责提交申请 他们最近审核比较慢 所以拖了 具体哪天能退下来我也不清楚',
    '这个是营业厅那边受理时没给您讲清楚,他们那边不归我们线上客服管,我们这边也改不了费用。',
  ])('our own miss put on others is an excuse: %s', (reply) => {
    expect(answered('这事到现在还没弄好', reply, EXCUSE)).toBe('fail');
  });

  it.each([
    '因为您的卡过期了,所以拖了几天,我已经帮您改好了。',
    '营业厅那边没给您讲清楚,是我们的责任,这笔费用我马上帮您退回。',
  ])('the customer’s own step, or the miss owned, is no excuse: %s', (reply) => {
    expect(answered('这事到现在还没弄好', reply, EXCUSE)).toBe('pass');
  });

  it('说明书上都写着的 reproaches the customer; asking about it does not', () => {
    expect(answered('电水壶又不通电了', '这种电水壶的底座是不能沾水的 说明书上都写着的', BLAME)).toBe('fail');
    expect(answered('电水壶又不通电了', '说明书上都写着吗?我帮您查一下。', BLAME)).toBe('pass');
  });

  it.each([
    '喂 你好 那个 我家冰箱又不制冷了 这已经是第三次了 上个月二十号师傅刚来修过',
    '刚收到的一套玻璃杯 六只碎了一只 盒子一角压扁了 包装里就一层薄气泡膜 感觉有点说不过去',
    '物流停在已揽收十天没动了 上周问过一次 说帮我催 到现在还是没动',
  ])('a complaint told quietly is owed an apology: %s', (first) => {
    expect(unapologetic(first)).toBe('fail');
  });

  it('the second time said of a service done before is no complaint', () => {
    expect(unapologetic('我想办宽带移机,办过的,这已经是第二次了,流程我都知道')).toBe('n/a');
  });

  it('the voice unclear is the line, no vague answer', () => {
    expect(answered('洗衣机显示E21', '您好,您的声音有点不清楚,麻烦您大声一点好吗?', VAGUE)).toBe('pass');
  });

  it('a refund scheduled in a range of working days owes no contact; a date past is no schedule', () => {
    expect(
      answered(
        '昨天交电费扣了两次,你们这系统怎么回事',
        '非常抱歉,多扣的186.5元1-3个工作日原路退回到您的支付账户。',
        CONTACT,
      ),
    ).toBe('n/a');
    expect(
      answered(
        '我买的电饭煲五天了还没到,你们到底发没发货?',
        '订单三天前就从仓库发出了,后面是快递公司那边延误了。',
        CONTACT,
      ),
    ).toBe('fail');
  });
});
