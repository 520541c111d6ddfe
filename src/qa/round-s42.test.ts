// Issue 11 §1, session 42: a complaint whose outcome the agent schedules or reports done in the
// call, in more of the words the development writers use (training/qa-dev/calls: batches s29b, s36b,
// s39a, s39b, s41b, s41c; their known misses). The contact and time limit are not owed for:
// - a refund or an exchange applied for with its outcome's time (已为您申请退款,三个工作日内退回), where
//   one still under review (审核通过后…) still owes them;
// - an outcome on a named date (最晚二十号到账), where a past one (系统显示十五号到账了) is none and a
//   plan change taking effect (次月1号生效) answers no complaint;
// - an offer the caller declines (也可以我这边帮您登记 — 我自己网上下单吧), where a conditional offer
//   was already none;
// - an invitation to write again should it recur (如果再掉线可以直接私信我们), where a hand-off to
//   private messages (请私信我们您的账号) still defers the answer;
// - the caller seeing it work now (现在好像稳了), or seeing what the agent reported done (看到了 after
//   已经…补回), where 看到了 after a visit booked for tomorrow (已经约好明天…) sees nothing yet.
// A visit booked for 明天(周六)上午9点到12点 names its time, a weekday in brackets between the day
// and the hour. 43 of the file's 95 cases give another outcome with the scorecard the session
// started with; the others are look-alikes and guards.
import { describe, expect, it } from 'vitest';
import { a, c, outcome } from '../../test/support/inspect-turns.ts';

const CONTACT = 'complaint.contact-and-deadline';

/** A phone complaint about a refund, the agent's `reply` after the check, the caller's `then`, the closing. */
function refund(reply: string, then: string) {
  return outcome(
    [
      a('您好,优选商城客服,工号5138,很高兴为您服务。'),
      c('你们这个退款也太慢了吧,我十五号退的货,都三天了钱还没到。'),
      a('非常抱歉,让您着急了。请您提供一下订单号,我帮您查一下退款进度。'),
      c('YX2406150839。'),
      a(reply),
      c(then),
      a('好的,请问还有其他需要帮您的吗?'),
      c('没了。'),
      a('感谢您的来电,再见!'),
    ],
    CONTACT,
  );
}

describe('an outcome scheduled with its time: no contact owed (n/a)', () => {
  it.each([
    ['a refund applied for with its time', '已经为您申请退款,三个工作日内退回到您的银行卡。'],
    ['an exchange submitted with its time', '换货单已经帮您提交了,新的鞋子两天内发出。'],
    ['a named date', '查到了,退款当天就原路退回了,银行处理需要三到五个工作日,最晚二十号到账。'],
  ])('%s: n/a', (_, reply) => {
    expect(refund(reply, '哦,那我再等两天。')).toBe('n/a');
  });

  it.each([
    ['an application under review', '已经为您申请退款,审核通过后三个工作日内退回到您的银行卡。'],
    ['a date past', '系统显示十五号到账了,可能是银行卡那边的问题,您再去银行问问。'],
  ])('%s: the contact and time still owed, fail', (_, reply) => {
    expect(refund(reply, '哦,那我再看看。')).toBe('fail');
  });

  it('a plan change taking effect on a date answers no complaint about a missed callback', () => {
    const call = (first: string) =>
      outcome(
        [
          a('您好,畅联宽带客服2290号,请问有什么可以帮到您?'),
          c(first),
          a('非常抱歉,给您添麻烦了。请问您要办理什么?'),
          c('我想把宽带升到300兆。'),
          a('已经为您提交升级,次月1号生效。请问还有其他可以帮您的吗?'),
          c('没有了。'),
          a('感谢您的来电,再见!'),
        ],
        CONTACT,
      );
    expect(call('说好的昨天回电,到现在都没人打给我,你们怎么回事?')).toBe('fail');
  });
});

describe('an offer declined and an invitation to come back are no follow-up', () => {
  const quote = (offer: string, then: string) =>
    outcome(
      [
        a('您好,超越平台,很高兴为您服务!'),
        c('你好,我想问下代理记账的年度套餐多少钱?'),
        a('年度套餐是三千六百元。'),
        c('不对吧,网页上写的是两千八,你这报的怎么差这么多?'),
        a('两千八的是小规模纳税人套餐,三千六的是一般纳税人的。'),
        c('那我是小规模的,就是两千八对吧?'),
        a(`对,小规模纳税人是两千八百元一年,可以在网页上直接下单,${offer}`),
        c(then),
        a('好的,感谢您的来电,再见!'),
      ],
      CONTACT,
    );
  it('也可以我这边帮您登记, declined (我自己网上下单吧): n/a', () => {
    expect(quote('也可以我这边帮您登记。', '行,我自己网上下单吧。')).toBe('n/a');
  });
  it('a registration made (已经帮您登记了) is a follow-up: fail', () => {
    expect(quote('我已经帮您登记了,会有专人跟进。', '行,我自己网上下单吧。')).toBe('fail');
  });

  const broadband = (after: string) =>
    outcome(
      [
        c('@极速宽带 你们家宽带真稳啊,一晚上断了八回,打游戏直接掉线,绝了'),
        a('非常抱歉给您带来这么糟的体验!麻烦私信一下宽带账号,我们马上帮您查线路。'),
        c('私信你了'),
        a('收到。已经帮您重置了端口,麻烦您把光猫断电1分钟再重新开机试试。'),
        c('重启了…现在好像稳了,测了下速也正常'),
        a(`好的,我们这边也看到连接恢复正常了。${after}请问还有其他问题吗?`),
        c('暂时没了,先这样'),
        a('好的,祝您游戏愉快,再见~'),
      ],
      CONTACT,
      { channel: 'chat' },
    );
  it('今晚如果再掉线可以直接私信我们, after the fix seen: n/a', () => {
    expect(broadband('今晚如果再掉线可以直接私信我们,')).toBe('n/a');
  });
  it('a hand-off to private messages for the answer still defers it: fail', () => {
    expect(broadband('还需要您私信提供一下地址,我们核实后回复您。')).toBe('fail');
  });
});

describe('the caller sees it done', () => {
  const lessons = (report: string) =>
    outcome(
      [
        a('您好,动力健身在线客服,工号217,很高兴为您服务'),
        c('我这个月约了三次私教课,三次都是开课前一小时被取消,现在真是越想越觉得冤'),
        a('非常抱歉,连着三次临时取消,打乱了您的安排。请问您在哪家门店上课?'),
        c('万达店,约的是何教练'),
        a(report),
        c('看到了,12节,明晚七点也在。行吧'),
        a('好的,请问还有其他可以帮您的吗?'),
        c('没有了'),
        a('感谢您的咨询,再见'),
      ],
      CONTACT,
      { channel: 'chat' },
    );
  it('看到了 after the lessons reported given back (已经补回): n/a', () => {
    expect(
      lessons(
        '这是我们的安排失误。我已经把您剩下的课转给同店的邓教练,被取消的三次课时也已经补回,现在账户里是12节',
      ),
    ).toBe('n/a');
  });
  it('看到了 after a visit booked for tomorrow (已经约好明天…) sees nothing done: fail', () => {
    expect(lessons('这是我们的安排失误。已经约好明天晚上七点店长给您补课时。')).toBe('fail');
  });
});

describe('a visit booked names its time with the weekday in brackets', () => {
  const fridge = (booking: string) =>
    outcome(
      [
        c('@全家乐电器 买了不到半年的冰箱,晚上嗡嗡响到睡不着,这质量真的让人很失望'),
        a('真对不起,给您添了不少麻烦!想请问一下是冷藏室还是冷冻室那边在响?'),
        c('冷冻那边 差不多上礼拜开始'),
        a(`这在保修范围内。${booking}地址是您账户登记的中山区松江路那边对吗?`),
        c('对 那就明天吧'),
        a('好的,师傅出发前会先打电话给您。使用中有什么问题请随时找我们,再见!'),
      ],
      CONTACT,
      { channel: 'chat' },
    );
  it('明天(周六)上午9点到12点上门: the contact and its time, pass', () => {
    expect(fridge('已经帮您安排师傅明天(周六)上午9点到12点上门检修,')).toBe('pass');
    expect(fridge('已经帮您安排师傅明天（週六）上午9點到12點上門檢修,')).toBe('pass');
  });
  it('a visit with no day or hour still owes its time: fail', () => {
    expect(fridge('已经帮您安排师傅上门检修,')).toBe('fail');
  });
});

// Session 42, closing rules on a chat thread (training/qa-dev/corpus: tuned-on known misses; the
// calibration's second readers agree on the two they read): the thread is concluded — the closing
// question owed — when the agent's last reply only opens with a tag question (…是吗?) and then
// answers, ends on the softener 的呢 (请您见谅的呢!), or the customer signs off with thanks and the
// agent's nickname (谢谢小V), an acknowledgement 没事,… or …就可以 / 就行. Their look-alikes still go on.
describe('a chat thread concluded in more words', () => {
  const MORE = 'closing.more-questions';
  const thread = (agentLast: string, customerLast?: string) =>
    outcome(
      [
        c('@客服 手机里的短信删了还能找回来吗?'),
        a(agentLast),
        ...(customerLast === undefined ? [] : [c(customerLast)]),
      ],
      MORE,
      { channel: 'chat' },
    );
  it('a tag question opening the answer (您之前备份过的是吗?如果是…): concluded, fail', () => {
    expect(thread('您之前是有备份过的是吗?如果是通过电脑备份的,默认路径在我的文档下面的备份文件夹里。')).toBe(
      'fail',
    );
    expect(thread('您之前是有备份过的是吗?')).toBe('n/a');
    expect(thread('请问您之前有没有备份过呢?')).toBe('n/a');
  });
  it('请您见谅的呢! ends no question: concluded, fail', () => {
    expect(thread('已删除的短信只有备份过才能找回,给您带来不便,请您见谅的呢!')).toBe('fail');
    expect(thread('已删除的短信只有备份过才能找回,您用的是哪个版本的呢')).toBe('n/a');
  });
  const asked = '您好,手机是否开启了云备份呢?若开启了,可以登录云服务恢复短信。';
  const told = '您好,短信删除后只能从云备份恢复,这是系统的设计。';
  it.each([
    [asked, '谢谢小V', '谢谢小V,那我的照片还能找回来吗'],
    [told, '没事,明白不是你们的原因就行', '没事,但是什么时候能修好'],
    [told, 'o ,是真的就可以.', '那这样也不行啊'],
  ])('after %s the customer signs off (%s): concluded, fail; not %s', (answer, signOff, goesOn) => {
    expect(thread(answer, signOff)).toBe('fail');
    expect(thread(answer, goesOn)).toBe('n/a');
  });
});

// Round s42 (training/qa-dev/calls/batch-s42a.yaml: complaints told without the usual words;
// batch-s42b.yaml: how help-desk threads end; batch-s42c.yaml: thanks and waits; three new writers):
// sarcastic thanks after the grievance (…还没通…真是谢谢你们了啊), a promise recalled with the time since
// (你们不是说…吗 这都俩月了), 你们看着办吧, 就再没消息了, 这不是第一次了, 怎么又有一笔…; waits on our line told
// after a hold (等了好一会儿了), to a chat desk (等了半个多小时了,有人吗?; 留的言…等了一晚上), or 排了…才通;
// threads signed off with 行吧, emoticons alone, or the customer's own next step (行,那我明天…); the
// number given at sign-up (打您报名时留的手机); a claim paid (已经打款) and a review done (审核通过了), not
// one to come (审核通过后); another department's miss (…所以一直没寄) and our own volume (案子太多) as
// excuses, a slip owned (是我们录入有误) none; 不太熟 said of a colleague no vague answer.
describe('round s42: complaints in more words', () => {
  const APOLOGY = 'emotion.apology-on-complaint';
  const THANKS = 'emotion.thanks-reply';
  /** The caller says `first`, the agent answers without an apology, then closes. */
  const heard = (first: string, rule = APOLOGY) =>
    outcome(
      [
        a('您好,客服中心,工号4021,请问有什么可以帮您?'),
        c(first),
        a('好的,我马上为您查一下,请问您的手机号是多少?'),
        c('一三九零零一二三四五六。'),
        a('查到了,已经为您处理好了。请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      rule,
    );
  it.each([
    [
      'sarcastic thanks after the grievance',
      '上礼拜说好换完表当天就通气 结果到今天还没通 天天叫外卖 真是谢谢你们了啊',
    ],
    ['a promise recalled with the time since', '你们不是说课程结束一个月之内寄出来吗 这都俩月了'],
    ['resignation', '报案三周了,定损员来过一次就再没消息了。算了,你们看着办吧。'],
    ['a repeat', '酸奶又给我换成豆浆了,而且这不是第一次了'],
    ['a charge back again', '麻烦问一下,我这个月话费里怎么又有一笔十五块的彩铃包月?'],
  ])('%s is a complaint: the missing apology fails', (_, first) => {
    expect(heard(first)).toBe('fail');
  });
  it.each([
    ['thanks for a fix', '上礼拜的问题今天已经修好了,真是谢谢你们了'],
    ['a plain question about a promise', '你们不是说可以线上办吗?在哪里办?'],
    ['a first-time question', '我是第一次买你们的保险,想问一下怎么理赔'],
  ])('%s is none (n/a)', (_, first) => {
    expect(heard(first)).toBe('n/a');
  });
  it('真是谢谢你们了 after the grievance is owed no 不客气; thanks for a fix is', () => {
    expect(heard('结果到今天还没通 天天叫外卖 真是谢谢你们了啊', THANKS)).toBe('n/a');
    expect(heard('昨天说好的今天修 今天一早就修好了 真是谢谢你们了啊', THANKS)).toBe('fail');
  });
});

describe('round s42: waits on our line in more words', () => {
  const WAIT = 'emotion.long-wait-apology';
  const phone = (wait: string, reply: string) =>
    outcome(
      [
        a('您好,超越教育,工号4102,很高兴为您服务!'),
        c('你好,我想查一下孩子寒假班哪天开课。'),
        a('好的,请您稍等,我帮您查询一下排课信息。'),
        c(wait),
        a(`${reply}查到了,1月20日开课,在城东校区。请问还有其他问题吗?`),
        c('没有了。'),
        a('感谢来电,再见!'),
      ],
      WAIT,
    );
  it('等了好一会儿了 after a hold: the wait owed an apology or thanks', () => {
    expect(phone('在呢,等了好一会儿了,查到了吗?', '')).toBe('fail');
    expect(phone('在呢,等了好一会儿了,查到了吗?', '不好意思让您久等了!')).toBe('pass');
    expect(phone('在呢,查到了吗?', '')).toBe('n/a');
    expect(phone('在呢,我等了好久的快递还没到,顺便问一下。', '')).toBe('n/a');
  });
  const chat = (first: string) =>
    outcome([c(first), a('您好,可以延期的,请问您报的是哪门课?')], WAIT, { channel: 'chat' });
  it.each([
    ['等了半个多小时了,有人吗?想问下我的课能不能延期'],
    ['昨晚十点留的言,等了一晚上,没事。想问下我的课能不能延期'],
  ])('a chat desk slow to reply (%s): fail without the apology', (first) => {
    expect(chat(first)).toBe('fail');
  });
  it('a wait to come (要等多久?) is none', () => {
    expect(chat('想问下我的课能不能延期,要等多久才有结果?')).toBe('n/a');
  });
  it('the queue come through as 才通', () => {
    const call = (first: string) =>
      outcome(
        [
          a('您好,顺达快递,工号7802,很高兴为您服务。'),
          c(first),
          a('请您报一下运单号,我帮您看一下。'),
          c('SD 8830 2716 5549。'),
          a('显示明天上午送达。请问还有其他问题吗?'),
          c('没有了。'),
          a('感谢来电,再见。'),
        ],
        WAIT,
      );
    expect(call('你好,排了快二十分钟才通,没事没事。我想问一下我的件到哪了。')).toBe('fail');
    expect(call('你好,我想问一下我的件到哪了,昨天刚寄的。')).toBe('n/a');
  });
});

describe('round s42: a thread signed off in more words', () => {
  const MORE = 'closing.more-questions';
  const thread = (last: string) =>
    outcome(
      [
        c('@客服 我想再买两块层板,上个月买的那个柜子'),
        a('已为您登记两块层板,付款链接已发到您的订单消息里,付款后明天发出。'),
        c(last),
      ],
      MORE,
      { channel: 'chat' },
    );
  it.each(['行吧。', '[赞][赞]', '行,那我明天一早去付款', '好嘞,那我这两天先把房间收拾出来[哈哈]'])(
    '%s signs off: concluded, the closing question owed (fail)',
    (last) => {
      expect(thread(last)).toBe('fail');
    },
  );
  it.each(['行,那我什么时候能收到?', '好,那我还是不太明白怎么付款', '[赞] 那颜色能换吗'])(
    '%s goes on: n/a',
    (last) => {
      expect(thread(last)).toBe('n/a');
    },
  );
});

describe('round s42: the contact, the outcome and the words around them', () => {
  const CONTACT_RULE = 'complaint.contact-and-deadline';
  const answered = (reply: string) =>
    outcome(
      [
        a('您好,超越教育,工号1506,很高兴为您服务。'),
        c('说实话有点失望,报名时说每周一次直播答疑,一个多月了就开过一次。'),
        a('非常抱歉,让您失望了。我已经把您的情况提交给教学主管了,明天中午十二点前给您答复补课安排。'),
        c('好。'),
        a(reply),
        c('对。'),
        a('好的,请问还有其他问题吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT_RULE,
    );
  it('打您报名时留的手机 is the contact: pass; no number named: fail', () => {
    expect(answered('到时候打您报名时留的手机,对吗?')).toBe('pass');
    expect(answered('到时候会有老师跟您说,好吗?')).toBe('fail');
  });
  const claim = (report: string) =>
    outcome(
      [
        a('您好 请问是刘先生吗 我是中华保险客服 工号5208 关于您的理赔 跟您同步一下进展'),
        c(
          '哦 是我 你们可算打来了 上礼拜那个小姑娘跟我说三天之内给我回话 这都第七天了 我还以为这事没人管了呢',
        ),
        a(`非常抱歉 让您等了这么久 ${report}`),
        c('行 那谢谢了'),
        a('不客气 请问还有其他问题吗'),
        c('没有了'),
        a('好的 祝您生活愉快 再见'),
      ],
      CONTACT_RULE,
    );
  it('the claim reviewed and paid (审核通过了…已经打款…两个工作日内到账): settled, n/a', () => {
    expect(claim('您的案子今天上午已经审核通过了 赔款今天下午已经打款到您的卡上了 两个工作日内到账')).toBe(
      'n/a',
    );
  });
  it('still under review (审核通过后…): the contact and time owed, fail', () => {
    expect(claim('您的案子已经提交审核了 审核通过后两个工作日内到账')).toBe('fail');
  });
});

describe('round s42: forbidden language', () => {
  const EXCUSE = 'language.forbidden.excuse';
  const VAGUE_RULE = 'language.forbidden.vague';
  const said = (line: string, rule: string) =>
    outcome(
      [a('您好,客服中心,工号6620。'), c('我的证书怎么还没寄到?'), a(line), c('好的。'), a('感谢来电,再见!')],
      rule,
    );
  it('another department as the reason our miss (…所以一直没寄): an excuse', () => {
    expect(said('是教务那边一直没把邮寄名单报上来,所以一直没寄。', EXCUSE)).toBe('fail');
    expect(said('证书11月20号做好了,今天已经给您寄出,单号短信发您了。', EXCUSE)).toBe('pass');
  });
  it('our own volume as the reason (最近案子太多): an excuse', () => {
    expect(said('最近案子太多,审核排得慢了,您再等等。', EXCUSE)).toBe('fail');
  });
  it('a slip owned (是我们录入有误) is no excuse', () => {
    expect(
      said('之前登记的邮箱少录了一个字母,所以一直没发出去,是我们录入有误。我已经改正过来了。', EXCUSE),
    ).toBe('pass');
    expect(said('之前登记的邮箱少录了一个字母,所以一直没发出去。', EXCUSE)).toBe('fail');
  });
  it('不太熟 said of a colleague is the excuse, not a vague answer', () => {
    expect(said('昨天接待您的同事刚入职不久,流程不太熟,我这边已经重新为您寄出。', VAGUE_RULE)).toBe('pass');
    expect(said('这个流程我不太熟,您再问问别人吧。', VAGUE_RULE)).toBe('fail');
  });
});

// Round s42, second part (training/qa-dev/calls/batch-s42d.yaml: provoking replies on help-desk threads;
// batch-s42e.yaml: provoking words on the phone; two more writers).
describe('round s42 (second part): provoking in more words', () => {
  const PROVOKING = 'language.forbidden.provoking';
  const BLAME = 'language.forbidden.blame';
  const said = (line: string, rule = PROVOKING) =>
    outcome([c('你好,我想问一下我的事怎么办。'), a(line), c('哦。'), a('感谢来电,再见!')], rule);
  it.each([
    '呵呵,那没办法,软件问题只能等下个版本修复了,您说呢?',
    '报价是业务员给您算的,这个您找业务员去问吧,我们客服这边不管报价。',
    '对方车修多少,您找对方自己的保险公司去,那个不是我们这边的事。',
    '大爷 您到底是要装还是要修啊 您说重点行不行',
    '这个您自己上官网看呗',
  ])('%s: provoking, fail', (line) => {
    expect(said(line)).toBe('fail');
  });
  it.each([
    '这个确实没办法当场退,我帮您登记一下,今天下班前给您回电。',
    '我们不管怎样都会给您一个答复。',
    '您可以找物业看一下线路,我们这边也可以帮您联系。',
    '这不是我们这边的事吗?我帮您查一下。',
    '您到底想办哪一项?我帮您一项一项来。',
  ])('%s: pass', (line) => {
    expect(said(line)).toBe('pass');
  });
  it('what the customer was told when buying, thrown back (投保的时候都会说明的): blame; owned: none', () => {
    expect(said('这个投保的时候都会说明的。', BLAME)).toBe('fail');
    expect(said('这个投保的时候都会说明的,当时没给您讲清楚,是我们的问题。', BLAME)).toBe('pass');
  });
});

describe('round s42 (second part): complaints about our rules and words, and what the caller accepts', () => {
  const APOLOGY = 'emotion.apology-on-complaint';
  const CONTACT_RULE = 'complaint.contact-and-deadline';
  const heard = (first: string) =>
    outcome(
      [
        a('您好,客服中心,工号4021,请问有什么可以帮您?'),
        c('我想给我儿子的号销户,电话里能办吗?'),
        a('电话里办不了,需要机主本人到营业厅办理。'),
        c(first),
        a('您可以在App上刷脸办理。请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      APOLOGY,
    );
  it.each([
    '你们这规定也太死板了吧,他人在国外怎么回来办?',
    '这也太不近人情了。',
    '你这话什么意思?我又不是故意的。',
    '你们客服连这都不知道啊?',
    '那我这钱不就白交了?',
  ])('%s: a complaint, the missing apology fails', (first) => {
    expect(heard(first)).toBe('fail');
  });
  it.each(['这规定是什么时候定的?', '你这话的意思是要本人去是吧?'])('%s: no complaint (n/a)', (first) => {
    expect(heard(first)).toBe('n/a');
  });
  /** A complaint about a rule, explained with a way forward; the caller's `last` words, then the closing. */
  const explained = (last: string) =>
    outcome(
      [
        a('您好,星联通信,工号3026,很高兴为您服务。'),
        c('我儿子出国了,他的号一直扣月租,你们这规定也太死板了吧,销个号还要本人来?'),
        a(
          '非常抱歉给您添麻烦了。销户要机主本人办理,这是为了保护他名下的银行卡和微信,他回国后带身份证到营业厅就能办。',
        ),
        c(last),
        a('好的,请问还有其他问题吗?'),
        c('没有了,谢谢啊。'),
        a('不客气,感谢来电,再见!'),
      ],
      CONTACT_RULE,
    );
  it.each(['那我先让他回来再办吧。', '好,我马上跟他说。'])('%s accepts the answer: settled, n/a', (last) => {
    expect(explained(last)).toBe('n/a');
  });
  it.each(['那就这样吧。', '那我就等你们电话吧。'])(
    '%s accepts nothing: the contact and time owed, fail',
    (last) => {
      expect(explained(last)).toBe('fail');
    },
  );
});

describe('round s42 (second part): a thread awaiting what the agent promised', () => {
  const MORE = 'closing.more-questions';
  const thread = (agentLast: string) =>
    outcome(
      [
        c('@中华保险 车被刮了,还能报案吗?'),
        a('可以的,报案号已生成,理赔专员会在1个工作日内给您打电话。'),
        c('行,那我等电话'),
        a(agentLast),
      ],
      MORE,
      { channel: 'chat' },
    );
  it('有进展我们会第一时间通知您: going on, n/a; 祝您顺利 alone: concluded, fail', () => {
    expect(thread('好的,有进展我们会第一时间通知您。')).toBe('n/a');
    expect(thread('好的,祝您一切顺利。')).toBe('fail');
  });
});

// Review of session 42: the look-alikes the new patterns first misread, each now read as before the
// session.
describe('round s42 review: look-alikes of the new patterns', () => {
  const agentSays = (line: string, rule: string) =>
    outcome([c('你好,我想问一下。'), a(line), c('哦。'), a('感谢来电,再见!')], rule);
  const callerSays = (line: string) =>
    outcome(
      [
        a('您好,客服中心,工号4021,请问有什么可以帮您?'),
        c(line),
        a('好的,我帮您查一下。请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      'emotion.apology-on-complaint',
    );
  it.each([
    '我这俩天了解了一下你们的宽带套餐',
    '宝宝都俩月了,还能补办医保吗',
    '那个异响后来就没动静了,我就是想问问保修期多久',
    '什么时候上门你们看着办吧,我这周都在家',
    '我们单位报销要求太严了,麻烦发票开详细一点',
    '嗨,您这话说的,又不是你们的错',
    '快递到的时候家里没人,真是谢谢你们帮我放到驿站了',
    '师傅特别耐心,也没收我上门费,真是谢谢你们了',
  ])('the caller: %s — no complaint (n/a)', (line) => {
    expect(callerSays(line)).toBe('n/a');
  });
  it.each([
    ['language.forbidden.excuse', '因为您这边还没付尾款,所以一直没发货,您付完我们马上安排。'],
    ['language.forbidden.excuse', '您选的是预售款,所以没发货,20号统一发出。'],
    ['language.forbidden.provoking', '我们不管刮风下雨都会按时给您送到。'],
    ['language.forbidden.provoking', '我们这边不管新老客户都是一样的价格。'],
    ['language.forbidden.provoking', '我们不管理用户的支付密码,请您放心。'],
    ['language.forbidden.provoking', '我帮您找技术同事去问,您稍等一下。'],
    ['language.forbidden.provoking', '您找个方便的时间过去吧,带上身份证就行。'],
    ['language.forbidden.provoking', '我给您说重点,一共就三步。'],
    ['language.forbidden.provoking', '我先帮您查一下是不是我们这边的事,如果是我们马上处理。'],
    ['language.forbidden.provoking', '呵呵,不客气,这是我们应该做的。'],
    ['language.forbidden.blame', '您注册时系统就会提示的,按提示操作就可以了。'],
    ['language.forbidden.blame', '您到时候办理的时候工作人员都会跟您说明的,您放心。'],
  ])('the agent (%s): %s — pass', (rule, line) => {
    expect(agentSays(line, rule)).toBe('pass');
  });
  it.each([
    ['language.forbidden.blame', '这个投保的时候都会说明的,这是我们的统一条款。'],
    ['language.forbidden.excuse', '是快递那边一直没揽收,所以一直没寄出,可是我们这边也没弄错啊。'],
  ])('the agent (%s): %s — still a fault', (rule, line) => {
    expect(agentSays(line, rule)).toBe('fail');
  });
  const thread = (last: string) =>
    outcome(
      [c('@客服 我想再买两块层板'), a('已为您登记两块层板,付款后明天发出。'), c(last)],
      'closing.more-questions',
      {
        channel: 'chat',
      },
    );
  it.each(['[发怒][发怒]', '行,我去12315投诉你们', '直接给我换个新手机就行'])(
    'a thread ending on %s goes on (n/a)',
    (last) => {
      expect(thread(last)).toBe('n/a');
    },
  );
});
