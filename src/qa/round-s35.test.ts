// Issue 11 §1/§2, round s35 (training/qa-dev/calls/batch-s35.yaml): what looks like a fault or a
// complaint and is none, each reading with a look-alike it must leave alone. Anger at a neighbour, at
// the weather, or a calm question about a fee is no complaint of ours; a sorry for the noise on the
// agent's line is no apology; a clock time past is no time limit; a complaint settled in the call
// owes no contact when the caller declines the follow-up or the agent only adds an internal check;
// the line hard to get through said as 你们这电话怎么回事 is that grievance alone. Then thanks said in
// sarcasm (谢谢你们啊,又让我白等), praise in other words (又快又稳), causes listed (可能是这几个原因:…),
// and chat threads the agent closed with the closing question.
import { describe, expect, it } from 'vitest';
import { a, answered, c, outcome, unapologetic } from '../../test/support/inspect-turns.ts';
import type { Turn } from '../calls/model.ts';

const THANKS = 'emotion.thanks-reply';
const VAGUE = 'language.forbidden.vague';

/** The caller says `line`; the agent's next two replies hold no 不客气: the thanks rule's outcome. */
const thanksUnanswered = (line: string) =>
  outcome(
    [
      a('您好,全家乐电器服务中心022为您服务。'),
      c(line),
      a('我帮您登记,明天上午十点前师傅上门,还是打您尾号5521的电话吗?'),
      c('对。'),
      a('好的,已经为您登记。请问还有其他需要帮您的吗?'),
      c('没了。'),
    ],
    THANKS,
  );

const APOLOGY = 'emotion.apology-on-complaint';
const CONTACT = 'complaint.contact-and-deadline';

describe('grievances that are none of ours: the apology n/a', () => {
  it.each([
    [
      'anger at a neighbour',
      '楼上那家装修,天天砸墙,把燃气管的护盒都敲变形了。这家人真是太不像话了,说了好几次都不听!',
    ],
    ['a conditional question about a fee', '行。取消的话要扣钱吗?'],
    ['annoyance at the weather', '这几天暴雨下个没完,烦死了,出门都难。我的件到哪了?'],
  ])('%s', (_, first) => {
    expect(unapologetic(first)).toBe('n/a');
  });

  it.each([
    ['our own staff named beside the neighbour', '楼上漏水到我家,你们物业根本不管,这家人也太不像话了!'],
    ['a fee questioned as unfair', '取消的话凭什么扣我的钱?'],
    ['the weather and our broken promise', '下这么大的雨,你们还让我白跑一趟,烦死了!'],
  ])('%s: still a complaint, the missing apology fails', (_, first) => {
    expect(unapologetic(first)).toBe('fail');
  });
});

describe('a sorry for the line is no apology for the complaint', () => {
  const call = (reply: string) =>
    outcome(
      [
        a('您好,全家乐电器服务中心027为您服务。'),
        c('我家空调才装三天就开始滴水,墙上湿了一大片。你们这什么服务啊!'),
        a(reply),
        c('上礼拜五装的。'),
        a('好的,明天上午十点前师傅上门检查,还是打您来电的这个号码吗?'),
        c('对。'),
        a('请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      APOLOGY,
    );

  it('不好意思,我这边有点杂音 then a question: fail', () => {
    expect(call('不好意思,我这边有点杂音,您刚才说是哪天安装的?')).toBe('fail');
  });

  it('不好意思,给您添麻烦了: pass', () => {
    expect(call('不好意思,给您添麻烦了。请问是哪天安装的?')).toBe('pass');
  });
});

describe('complaint.contact-and-deadline in session 35’s calls', () => {
  /** A late parcel: the number on file confirmed, then `promise`. */
  const parcel = (promise: string) =>
    outcome(
      [
        a('您好,迅达快递客服5519号,很高兴为您服务。'),
        c('说好的上午送,我请了半天假在家等,现在都下午两点了还没来。'),
        a('非常抱歉,耽误您时间了。请您提供一下运单号。'),
        c('SD6621079345。'),
        a('查到了,这个件今天早上八点已经到了您那边的派送点,还没有出库。您的联系电话是尾号4417的吗?'),
        c('对。'),
        a(promise),
        c('那就这样吧。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT,
    );

  it('a clock time past (今天早上八点已经到了) is no time limit: 尽快 alone fails', () => {
    expect(parcel('我们会尽快安排派送,有结果了第一时间通知您。请问还有其他可以帮您的吗?')).toBe('fail');
    expect(parcel('今天下午五点前派送员给您送到,送不到我们五点前给您回电。请问还有其他可以帮您的吗?')).toBe(
      'pass',
    );
  });

  /** A fault fixed in the call; the agent offers to call back and the caller answers `answer`. */
  const fixed = (answer: string) =>
    outcome(
      [
        a('您好,畅联宽带客服2254号。'),
        c('我家宽带一到晚上就断,这个礼拜我都打了三次了,每次都说登记,登记完就没下文了。'),
        a('真的非常抱歉,是我们没做好。我在后台给您换一个空闲端口……已经换好了,请您重启一下光猫。'),
        c('我重启一下……好了,网页打开了,测速也正常了。'),
        a('需要的话,我今晚给您回个电话,确认一下晚上的使用情况?'),
        c(answer),
        a('好的。请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT,
    );

  it('the caller declining the follow-up (不用了…有问题我再打) owes nothing: n/a', () => {
    expect(fixed('不用了不用了,能上就行,有问题我再打。')).toBe('n/a');
    // Declining alone, nothing said of calling again, leaves it as it was: still owed.
    expect(fixed('不用了不用了。')).toBe('fail');
  });

  /** A fee refunded in the call, seen by the caller; the agent then says `after`. */
  const refunded = (after: string) =>
    outcome(
      [
        a('您好,全家乐电器服务中心036为您服务。'),
        c('保修期内还收了我八十块上门费,你们这收费也太随便了吧。'),
        a('真对不起,给您添麻烦了。我马上帮您查一下。'),
        c('手机尾号6618。'),
        a('查到了,这八十元是我们的师傅收错了,已经原路退回了,请您看一下有没有收到。'),
        c('收到了,八十块退回来了。'),
        a(after),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT,
    );

  it('an internal check added after the refund (我们也会跟服务网点核实处理) defers nothing to the caller', () => {
    expect(
      refunded('好的,退款已经到账,收错费的事我们也会跟服务网点核实处理。请问还有其他可以帮您的吗?'),
    ).toBe('n/a');
    expect(
      refunded(
        '好的,退款已经到账,收错费的事我们也会跟服务网点核实,核实后给您回电。请问还有其他可以帮您的吗?',
      ),
    ).toBe('fail');
  });

  /** The caller opens with `first`, then a calm errand served and closed. */
  const opener = (first: string) =>
    outcome(
      [
        a('您好,畅联宽带客服2290号,请问有什么可以帮到您?'),
        c(first),
        a('对不起,让您久等了!给您添麻烦了。请问有什么可以帮您?'),
        c('我想把宽带升到300兆。'),
        a('已经为您提交升级,次月1号生效。请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      CONTACT,
    );

  it('你们这电话怎么回事 with the line hard to get through is that grievance alone: no contact owed', () => {
    expect(opener('你们这电话怎么回事?我打了一上午都打不进来,好不容易才通。')).toBe('n/a');
    expect(opener('你们这电话怎么回事?说好的昨天回电,到现在都没人打给我。')).toBe('fail');
  });
});

describe('thanks and praise', () => {
  it('谢谢你们啊,又让我白等一天 is sarcasm: n/a', () => {
    expect(thanksUnanswered('谢谢你们啊,又让我白等一天。')).toBe('n/a');
    expect(thanksUnanswered('谢谢你啊,还帮我催了一遍。')).toBe('fail');
  });

  it('praise of the agent’s work as 又快又稳 is owed a reply', () => {
    expect(thanksUnanswered('补吧。哎呀,你这办事又快又稳,比我家那口子靠谱多了。')).toBe('fail');
    expect(thanksUnanswered('你这办事又快又稳吗?我下次还找你。')).toBe('n/a');
  });
});

describe('vague: causes listed are an explanation', () => {
  it('可能是这几个原因:… followed by the check: pass', () => {
    expect(
      answered(
        '我家宽带晚上看视频老卡。',
        '晚上卡顿可能是这几个原因:线路、光猫或者无线信号。我查了线路,是光猫太旧,我给您换一台。',
        VAGUE,
      ),
    ).toBe('pass');
  });

  it('可能是线路的问题吧 as the answer: fail', () => {
    expect(answered('我家宽带晚上看视频老卡。', '可能是线路的问题吧。', VAGUE)).toBe('fail');
  });
});

describe('a chat thread the agent closed with the closing question', () => {
  const MORE = 'closing.more-questions';
  const chat = (turns: Turn[]) => outcome(turns, MORE, { channel: 'chat' });
  const opening = [
    c('我这个月宽带账单多了十五块,帮我看看是什么费用。'),
    a('您好,多出来的十五元是您本月3号订购的影视会员包。需要帮您退订吗?'),
    c('退了吧。'),
  ];

  it('a reply holding 稍后 and the closing question closes the thread: judged (pass)', () => {
    expect(
      chat([
        ...opening,
        a('已经为您退订成功,确认短信稍后发到您的手机。请问还有其他可以帮您的吗?'),
        c('没有了。'),
      ]),
    ).toBe('pass');
    // Without the closing question, the reply still awaits the SMS follow-up: the thread goes on.
    expect(chat([...opening, a('已经提交退订,稍后会有专人核实后回复您。')])).toBe('n/a');
  });

  it('the customer’s last words ending 没别的了 sign off: the closing is judged', () => {
    const asked = a('已经为您退订,下个月起不再收费。请问还有其他可以帮您的吗?');
    expect(chat([...opening, asked, c('行,明天我看看短信。没别的了。')])).toBe('pass');
    // A new question as the last words: the thread goes on.
    expect(chat([...opening, asked, c('那上个月的能退吗?')])).toBe('n/a');
  });
});

// Round s35b (training/qa-dev/calls/batch-s35b.yaml): short calls where the agent does right in
// words that look like a fault, and thanks owed a reply or not.
describe('round s35b', () => {
  const served = (turns: Turn[], rule: string, extra = {}) => outcome(turns, rule, extra);

  it('已经为您转到下个月那期 moves the booking, it hands the thread to no desk: the closing is judged', () => {
    const thread = (reply: string) =>
      served(
        [
          c('我报了下周的课,单位临时要出差,能不能换到下个月?'),
          a('可以,我帮您把名额转过去,需要现在转吗?'),
          c('可以,麻烦你了,谢谢'),
          a(reply),
          c('没有了'),
        ],
        'closing.more-questions',
        { channel: 'chat' },
      );
    expect(thread('不客气。已经为您转到下个月十八号那期。请问还有其他可以帮您的吗?')).toBe('pass');
    // Handed to another desk or a person: they close it.
    expect(thread('不客气。这个需要课程顾问处理,现在帮您转到课程顾问那边。')).toBe('n/a');
    expect(thread('不客气。王老师负责这个,我现在帮您转给他。')).toBe('n/a');
    expect(thread('不客气。这就帮您转到95585人工。')).toBe('n/a');
  });

  it('a complaint settled by moving the booking (已经给您转到下周六的班) owes no contact', () => {
    const call = (done: string) =>
      served(
        [
          a('您好,超越平台,很高兴为您服务!'),
          c('你们周六的课怎么突然改期了?我昨天晚上十点多才收到短信,假我都请好了,这也太临时了。'),
          a('非常抱歉,通知得这么晚,给您添麻烦了。可以转到下周六的班,您看可以吗?'),
          c('那就转下周六吧。'),
          a(done),
          c('收到了。'),
          a('好的。请问还有其他可以帮您的吗?'),
          c('没有了。'),
        ],
        CONTACT,
      );
    expect(call('好的,已经给您转到下周六上午九点的班,确认短信已经发到您手机上了,您看一下收到没有?')).toBe(
      'n/a',
    );
    expect(call('好的,我先帮您登记,转班的事课程顾问核实后再联系您。')).toBe('fail');
  });

  it('那真是谢谢你们了啊,…又开始滴水 is sarcasm, not thanks', () => {
    expect(thanksUnanswered('那真是谢谢你们了啊,空调修了三次,今天又开始滴水了。')).toBe('n/a');
    expect(thanksUnanswered('真是谢谢你们了,空调修好以后一直很好,这次是想再装一台。')).toBe('fail');
  });

  it('a call made to praise our technician is praise owed a reply, and no complaint', () => {
    const praise =
      '我不是来报修的,是专门打电话来表扬你们的刘师傅。昨天他弄到晚上八点多,走的时候还把地拖干净了,真的很负责。';
    expect(thanksUnanswered(praise)).toBe('fail');
    expect(
      served(
        [
          a('您好,全家乐电器服务中心031为您服务。'),
          c(praise),
          a('谢谢您专门打电话来,这是我们应该做的。请问还有其他需要帮您的吗?'),
          c('没有了。'),
        ],
        APOLOGY,
      ),
    ).toBe('n/a');
  });

  it('你一讲我就懂了 praises the agent; asked back, it does not', () => {
    expect(thanksUnanswered('哦,原来是这么算的,你一讲我就懂了,真专业。')).toBe('fail');
    expect(thanksUnanswered('你一讲我就懂了吗?我还是没明白。')).toBe('n/a');
  });

  it('thanks after giving two numbers is a courtesy; thanks after being told one is owed a reply', () => {
    const chat = (line: string, before = '好的,请提供一下运单号和收件人手机号后四位。') =>
      served(
        [
          c('你好,想改一下派送地址'),
          a(before),
          c(line),
          a('已核实。请问要改到哪个地址?'),
          c('滨江区江南大道288号'),
        ],
        THANKS,
        { channel: 'chat' },
      );
    expect(chat('运单号SD6610258833,手机尾号3386,谢谢')).toBe('n/a');
    expect(chat('好的,记下了,太谢谢你了', '新的派送员电话是13800001111。')).toBe('fail');
  });

  it('这是公司的规定 said of the agent’s name, 工号 offered, is seed 002 二.(五)’s line, no provocation', () => {
    const named = (reply: string) =>
      served(
        [
          a('您好!中华保险1562号为您服务。'),
          c('你叫什么名字?名字不能说啊?'),
          a(reply),
          c('好,没有了。'),
          a('感谢来电,再见!'),
        ],
        'language.forbidden.provoking',
      );
    expect(named('不好意思,这是公司的规定,您记工号1562就可以。请问还有其他可以帮您的吗?')).toBe('pass');
    expect(named('这是公司的规定,没什么好说的。请问还有其他可以帮您的吗?')).toBe('fail');
  });

  it('密码如果记不清 is the customer’s not remembering, not the agent’s', () => {
    expect(
      answered(
        '我信用卡密码输错三次被锁了。',
        '已经为您解除锁定。密码如果记不清,您可以回家后在手机银行重置。',
        VAGUE,
      ),
    ).toBe('pass');
    expect(answered('我信用卡密码输错三次被锁了。', '解锁要几天我也记不清了。', VAGUE)).toBe('fail');
  });

  it('a booking cancelled 也没说为什么 is a complaint owed an apology', () => {
    const call = (line: string) =>
      served(
        [
          a('您好仁康诊所预约中心工号1107很高兴为您服务'),
          c(line),
          a('张医生临时请假了 明天上午李医生还有号 给您改约李医生九点半可以吗'),
          c('那行吧'),
          a('好的已经给您改好了 请问还有其他可以帮您的吗'),
          c('没有了'),
        ],
        APOLOGY,
      );
    expect(call('我约了明天上午张医生的号 刚收到短信说取消了 也没说为什么 我这是排了两个礼拜才约上的')).toBe(
      'fail',
    );
    expect(call('我约了明天上午张医生的号 想改到下午 可以吗')).toBe('n/a');
  });
});
