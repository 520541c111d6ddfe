// Recall where it matters (issue 11 §1), through the default scorecard and the shipped
// playbooks: complaints in any words, forbidden language as patterns with exclusions that never
// hide a fault, holds seen in the text, and speech-recognition text (fillers, stutters).
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import type { CallResult } from './result.ts';
import { loadScorecard, parseScorecard, ScorecardError } from './scorecard.ts';

const catalog = Catalog.load();
const inspector = new Inspector(loadScorecard(), catalog);

const a = (text: string, start?: number, end?: number): Turn => ({ speaker: 'agent', text, start, end });
const c = (text: string, start?: number, end?: number): Turn => ({ speaker: 'customer', text, start, end });

function call(turns: Turn[], events: CallEvent[] = [], extra: Partial<Call> = {}): Call {
  return { id: 'x', direction: 'inbound', brand: 'zhonghua', events, turns, ...extra };
}

const outcome = (r: CallResult, rule: string) => r.rules.find((x) => x.id === rule)?.outcome;
const evidence = (r: CallResult, rule: string) =>
  r.findings.filter((f) => f.rule === rule).map((f) => f.evidence);

/** What the agent's one line, answering a question, is found to say, per rule. */
function said(line: string, rule: string): string[] {
  return evidence(inspector.inspect(call([c('请问这个怎么办?'), a(line)])), rule);
}

describe('complaints in any words: the trigger rules read the shared situation detector', () => {
  const COMPLAINTS = [
    '我强烈抗议你们的做法',
    '你们就是流氓公司',
    '你们这是骗人',
    '作为甲方,不接受这种无理拖延',
  ];

  it.each(COMPLAINTS)('"%s" handled without apology, contact and deadline fails both rules', (words) => {
    expect(words).not.toContain('投诉');
    const r = inspector.inspect(
      call([a('您好,中华保险1024号为您服务'), c(words), a('您说一下是什么业务。')]),
    );
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('fail');
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('fail');
    // The finding is the agent's reply, not the customer's words.
    expect(r.findings.find((f) => f.rule === 'complaint.contact-and-deadline')?.turn).toBe(2);
  });

  it.each(COMPLAINTS)('"%s" handled as seed 000 B.七.5 says passes both', (words) => {
    const r = inspector.inspect(
      call([
        a('您好,中华保险1024号为您服务'),
        c(words),
        a('很抱歉,谢谢您反映的问题,请您留下联系方式,我们会在24小时之内与您联系。'),
      ]),
    );
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('pass');
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('pass');
  });

  it('an apology alone is not enough for a complaint: contact and deadline are still missing', () => {
    const r = inspector.inspect(call([a('您好'), c('你们就是流氓公司'), a('非常抱歉给您添麻烦了。')]));
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('pass');
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('fail');
  });

  it('the caller apologising is answered with 没关系 (seed 000 B.七.2)', () => {
    const rude = inspector.inspect(call([a('您好'), c('不好意思,我刚才说错了'), a('那您再说一遍。')]));
    expect(outcome(rude, 'emotion.apology-reply')).toBe('fail');
    expect(rude.findings.find((f) => f.rule === 'emotion.apology-reply')?.suggestion).toContain('没关系');
    const kind = inspector.inspect(
      call([a('您好'), c('不好意思,我刚才说错了'), a('没关系,您不必介意,请讲。')]),
    );
    expect(outcome(kind, 'emotion.apology-reply')).toBe('pass');
    expect(
      outcome(inspector.inspect(call([a('您好'), c('我想查话费'), a('好的')])), 'emotion.apology-reply'),
    ).toBe('n/a');
  });

  it('the caller who waited long gets an apology (seed 002 一.(七)); one who could not get through complained', () => {
    const rude = inspector.inspect(call([a('您好'), c('我排队等了二十分钟才有人接'), a('您要办什么业务?')]));
    expect(outcome(rude, 'emotion.long-wait-apology')).toBe('fail');
    const kind = inspector.inspect(
      call([a('您好'), c('我排队等了二十分钟才有人接'), a('对不起,让您久等了!请问有什么可以帮您?')]),
    );
    expect(outcome(kind, 'emotion.long-wait-apology')).toBe('pass');
    // 打了半天都打不通 is a complaint about the hotline: the complaint's apology rule, not this one.
    const line = inspector.inspect(
      call([a('您好'), c('打了半天都打不通,等了二十分钟'), a('您要办什么业务?')]),
    );
    expect(outcome(line, 'emotion.long-wait-apology')).toBe('n/a');
    expect(outcome(line, 'emotion.apology-on-complaint')).toBe('fail');
  });

  it('the caller sorry for keeping the agent waiting waited for nothing (session 38)', () => {
    const sorry = (words: string) =>
      outcome(
        inspector.inspect(
          call([
            a('您好,请问您的手机号是多少?'),
            c('您等一下我找找'),
            a('好的,不着急'),
            c(words),
            a('好的,查到了'),
          ]),
        ),
        'emotion.long-wait-apology',
      );
    expect(sorry('不好意思啊让你等半天,号码是一三八零零一三八零零零')).toBe('n/a');
    expect(sorry('抱歉让您久等了,号码是一三八零零一三八零零零')).toBe('n/a');
    // The caller's own wait, said in the same words' neighbourhood, is still one.
    expect(sorry('我排队等了二十分钟才有人接,号码是一三八零零一三八零零零')).toBe('fail');
  });
});

describe('forbidden language as patterns', () => {
  describe('hedge (模糊性语言: 推测口吻)', () => {
    const rule = 'language.forbidden.hedge';
    it('finds a guess given as the answer', () => {
      expect(said('应该是数据线坏了', rule)).toEqual(['应该是']);
      expect(said('应该可以了吧', rule)).toEqual(['应该可以了吧']);
      // 可能会…吧 is a guess, and its 可能 the seed's word (one finding: the two patterns overlap).
      expect(said('可能会晚一点吧', rule)).toEqual(['可能会晚一点吧']);
      expect(said('可能会晚一点吧', 'language.forbidden.vague')).toEqual(['可能会']);
      // 可能会 with a delay hedges when (vague); 可能会产生费用 says what a service can do.
      expect(said('可能会晚一点', 'language.forbidden.vague')).toEqual(['可能会']);
      expect(said('开通后可能会产生流量费用', 'language.forbidden.vague')).toEqual([]);
    });
    it('an estimate with its figure answers; with 吧 it is a guess', () => {
      expect(said('大概三个工作日到账', rule)).toEqual([]);
      expect(said('大概三天吧', rule)).toEqual(['大概三天吧']);
    });
    it('leaves what should have been, a question back, and what the vague rule counts', () => {
      expect(said('这个不应该是您承担的', rule)).toEqual([]);
      expect(said('本来应该是昨天到的', rule)).toEqual([]);
      expect(said('应该是您本人办理的吧?', rule)).toEqual([]);
      expect(said('应该是的吧', rule)).toEqual([]);
      expect(said('应该是的吧', 'language.forbidden.vague')).toEqual(['应该是的吧']);
      expect(said('这种可能性很小', rule)).toEqual([]);
    });
    it('an excluded question does not hide a hedge in the same sentence', () => {
      expect(said('应该是您本人办理的吧?应该是系统的问题', rule)).toEqual(['应该是']);
      expect(said('这个不应该是您承担的,应该是快递的问题', rule)).toEqual(['应该是']);
    });
  });

  describe('vague (模糊性语言): a harmless phrase hides its own words only', () => {
    const rule = 'language.forbidden.vague';
    it("finds the agent's own not knowing before a polite question's words", () => {
      expect(said('我不知道您这边的订单为什么没发货', rule)).toEqual(['不知道']);
      expect(said('我也不知道您现在还能不能退', rule)).toEqual(['不知道']);
      expect(said('不知道您这边现在方便接听吗?', rule)).toEqual([]);
      expect(said('如果您不知道订单号,我用手机号帮您查', rule)).toEqual([]);
    });
    it('finds 大概 with no figure or as a guess, and leaves a firm estimate', () => {
      expect(said('大概一会儿就好了', rule)).toEqual(['大概']);
      expect(said('大概需要一段时间', rule)).toEqual(['大概']);
      expect(said('大概需要等等看', rule)).toEqual(['大概']);
      expect(said('大概三天吧', rule)).toEqual(['大概']);
      expect(said('大概三个工作日到账', rule)).toEqual([]);
      expect(said('退款大概需要三到五个工作日', rule)).toEqual([]);
      expect(said('大概的流程是先提交申请', rule)).toEqual([]);
    });
    it('finds 不一定 run into 要看 (no comma in a transcript), and leaves 不一定要 (need not)', () => {
      expect(said('这个不一定要看具体情况', rule)).toEqual(['不一定']);
      expect(said('您不一定要亲自来', rule)).toEqual([]);
    });
    it('counts a fault once when the list and a pattern both find it', () => {
      expect(said('我不清楚具体情况', rule)).toEqual(['不清楚']);
      expect(said('好像是这样', rule)).toEqual(['好像是这样']);
    });
  });

  describe('blame (指责客户)', () => {
    const rule = 'language.forbidden.blame';
    it('finds the customer blamed', () => {
      expect(said('下次遇到这样的情况希望您听清楚再办理', rule)).toEqual(['下次遇到这样的情况希望']);
      expect(said('下次记得带身份证', rule)).toEqual(['下次记得']);
      expect(said('这是您自己设置的', rule)).toEqual(['是您自己设置的']);
      expect(said('是您自己没看清楚', rule)).toHaveLength(1);
      expect(said('这是您自己的问题', rule)).toEqual(['您自己的问题']);
    });
    it('leaves a fact, an option, an offer and clearing the customer', () => {
      expect(said('您自己的账户余额是50元', rule)).toEqual([]);
      expect(said('您自己也可以在官网查询', rule)).toEqual([]);
      expect(said('下次您也可以直接拨打热线', rule)).toEqual([]);
      expect(said('欢迎您下次再来电', rule)).toEqual([]);
      expect(said('这不是您自己的问题', rule)).toEqual([]);
      expect(said('这不怪您', rule)).toEqual([]);
    });
    it('an exclusion does not hide a fault in the same sentence', () => {
      expect(said('这不是您自己的问题,是您自己没看清楚', rule)).toEqual(['您自己没看']);
      expect(said('不怪您,但下次记得带身份证', rule)).toEqual(['下次记得']);
    });
  });

  describe('lecture (教训口吻)', () => {
    const rule = 'language.forbidden.lecture';
    it('finds the customer lectured', () => {
      expect(said('您应该先打电话预约', rule)).toEqual(['您应该']);
      expect(said('你必须带上发票', rule)).toEqual(['你必须']);
      expect(said('我早就告诉过您了', rule)).toEqual(['早就告诉过']);
      expect(said('您要带身份证原件才行', rule)).toEqual(['您要带身份证原件才行']);
      expect(said('这次听好了', rule)).toEqual(['这次听好']);
    });
    it('leaves what the customer can expect, a requirement stated, and a guess (the hedge rule)', () => {
      expect(said('您应该已经收到短信了', rule)).toEqual([]);
      expect(said('您应该可以看到退款', rule)).toEqual([]);
      expect(said('需要带身份证原件才可以办理', rule)).toEqual([]);
      expect(said('您应该是开通了来电提醒', rule)).toEqual([]);
      // 您应该…吧 is a hedge, counted once, there.
      expect(said('您应该先重启一下吧', rule)).toEqual([]);
      expect(said('您应该先重启一下吧', 'language.forbidden.hedge')).toEqual(['应该先重启一下吧']);
    });
    it('an exclusion does not hide a fault in the same sentence', () => {
      expect(said('您应该已经收到短信了,您应该先看短信', rule)).toEqual(['您应该']);
      expect(said('您应该先重启一下吧,早就跟您说过', rule)).toEqual(['早就跟您说过']);
    });
  });

  // Issue 11, second pass (training/qa-dev/language/spoken.yaml): the same faults in other words,
  // word orders and particles, and the harmless look-alikes beside them. [line, evidence]: what the
  // inspector highlights; [] for a line that must pass.
  const cases = (rule: string, rows: [string, string[]][]) =>
    it.each(rows)(`${rule}: %s → %j`, (line, found) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual(found),
    );
  describe('in other words, both ways', () => {
    cases('vague', [
      ['这个我这边也不是很清楚', ['不是很清楚']],
      ['这个我不太晓得', ['不太晓得']],
      ['我也说不上来', ['说不上来']],
      ['具体几号到账真不好说', ['不好说']],
      ['我没法确定快递在哪', ['没法确定']],
      ['什么时候修好我不敢保证', ['不敢保证']],
      ['我没法给您准话', ['没法给您准话']],
      ['这个没准儿', ['没准']],
      ['也说不定明天就到了', ['说不定']],
      ['您的退款可能会晚两天到账', ['可能会']],
      ['不知道您的订单为什么没发货', ['不知道']],
      ['大概是下周', ['大概']],
      ['这个不太好说', ['不太好说']],
      ['我现在也没办法确定', ['没办法确定']],
      // A harmless phrase hides its own words only.
      ['您不清楚的话没关系,其实我也不清楚', ['不清楚']],
      ['不知道您方便吗?这个我也不太晓得', ['不太晓得']],
      ['不知道您对这次服务是否满意?', []],
      ['不知道您贵姓?', []],
      ['不知道我解释清楚了没有?', []],
      ['大概是三点到五点之间上门', []],
      ['请问您大概什么时候方便?', []],
      ['您要是不知道卡号,报身份证号也行', []],
      ['不清楚的话我再给您说一遍', []],
      ['我这边听不太清楚', []],
      ['您不是很清楚的话我再讲一遍', []],
      ['您不一定需要换卡', []],
      ['您没准备身份证的话也可以线上办', []],
      ['快递员没准时送达', []],
      ['谁都可能遇到这种情况', []],
      ['您是做这行的,这个还不知道?', []],
    ]);
    cases('hedge', [
      ['应该就是网络波动导致的', ['应该就是']],
      ['应该没啥问题', ['应该没啥问题']],
      ['可能吧', ['可能吧']],
      ['大概率是网络的问题', ['大概率']],
      ['看样子是扣费失败了', ['看样子是']],
      ['似乎是卡被锁了', ['似乎']],
      ['好像系统还没同步', ['好像']],
      ['估计明天能修好', ['估计']],
      ['我估摸着是线路老化', ['估摸']],
      ['这笔不可能吧', []],
      ['好像您刚才说的是尾号1234,对吗?', []],
      ['看样子您是老客户了?', []],
      ['就好像在银行取钱一样', []],
      ['估计费用两百元', []],
    ]);
    cases('excuse', [
      ['今天就我一个人值班,实在顾不过来', ['顾不过来']],
      ['这两天咨询量特别大', ['咨询量特别大']],
      ['我们这边排队的人太多了', ['排队的人太多']],
      ['系统一直在转圈', ['系统一直在转圈']],
      ['我们这边网络不好', ['网络不好']],
      ['我们这边今天人特别少', ['我们这边今天人特别少']],
      ['系统老是崩', ['系统老是崩']],
      ['营业厅现在人少,您可以过去办', []],
      // The cause and the miss it explains are one excuse, one finding.
      ['电脑死机了,所以刚才没听到', ['电脑死机了,所以刚才没听到']],
      ['上次那个同事离职了,所以没人跟进', ['上次那个同事离职了,所以没人跟进']],
      ['我刚才在忙别的客户,没看到您的消息', ['在忙别的客户,没看到']],
      ['因为交接班,您的工单就漏掉了', ['因为交接班,您的工单就漏掉']],
      ['因为我们系统升级,所以给您扣错了', ['因为我们系统升级,所以给您扣错']],
      ['是技术那边没处理', ['技术那边没处理']],
      ['那是快递公司的责任', ['那是快递公司的责任']],
      ['这单是夜班的同事接的', ['是夜班的同事']],
      ['人家也是刚来的', ['人家也是刚来']],
      // Session 11: the reason (没权限) is the excuse; the matter pushed away without one is
      // provoking only (seed 002 lists 这事不归我们管 there).
      ['这个我们客服没权限,您自己找售后吧', ['我们客服没权限']],
      ['这个事您别找我们,找厂家去', []],
      // One finding; since session 10 its words run from the cause to the miss (所以没给您办).
      ['系统出了点问题,所以没给您办上', ['系统出了点问题,所以没给您办']],
      // Seed 002 二.(一)/(二): the system's fault with the remedy excuses nothing.
      ['不好意思,系统有点慢,请您稍等一下', []],
      ['系统出了点问题,我先手工帮您登记', []],
      ['我是新来的客服小王,很高兴为您服务', []],
      ['您那边网络不好的话可以换个地方', []],
      ['如出现网速慢的情况请重启光猫', []],
      ['可能会误删系统文件导致死机', []],
      ['快递的问题我们来帮您解决', []],
      ['我帮您找售后问一下', []],
      ['您可以找售后的师傅上门', []],
      ['您的卡过期了,所以没扣款成功', []],
    ]);
    cases('blame', [
      ['您那边自己操作有问题', ['您那边自己操作有问题']],
      ['当时您要是仔细看一下就不会这样了', ['您要是仔细看一下就不会这样']],
      ['您怎么不早说呢?', ['您怎么不早']],
      ['谁叫您不按提示操作的', ['谁叫您']],
      ['您没按时还款,所以才产生了滞纳金', ['您没按时还款,所以才']],
      ['本来就是您填错了地址嘛', ['本来就是您填错']],
      ['亲,这个是您自己选错了颜色哦', ['您自己选错']],
      ['下回注意点,别再输错密码了', ['下回注意']],
      ['麻烦您下次看清楚再下单哦', ['下次看清楚']],
      ['您之前办理的时候我们都有告知的', ['办理的时候我们都有告知的']],
      ['别人用着都没问题,就您这儿不行', ['别人用着都没问题,就您这儿不行']],
      ['您没激活当然用不了', ['您没激活当然用不了']],
      ['以后有任何问题,记得随时联系我们', []],
      ['如果您没有收到,我们再给您补发', []],
      ['您如果绑定了银行卡就不会有手续费', []],
      ['大家都可以参加这个活动', []],
      ['您怎么称呼?', []],
      ['您没注意到也很正常', []],
    ]);
    cases('lecture', [
      ['您这个得先去银行挂失才行啊', ['您这个得先去银行挂失才行']],
      ['您记住了,下次一定要带身份证', ['您记住了']],
      ['我不是跟您说了吗,要先关机', ['不是跟您说了吗']],
      ['刚刚不是已经告诉您了嘛', ['不是已经告诉您了嘛']],
      ['都跟您说了要先激活', ['都跟您说了']],
      ['我说了多少遍了', ['说了多少遍']],
      ['我再说最后一遍', ['最后一遍']],
      ['说过了我刚才', ['说过了']],
      ['您听清楚了,这个不能退', ['您听清楚了']],
      ['您先搞明白流程再来问', ['您先搞明白']],
      ['您这样做是不对的', ['您这样做是不对']],
      ['这种事您自己心里要有数', ['心里要有数']],
      ['您作为车主应该知道这个规定', ['您作为车主应该知道']],
      ['这是常识啊', ['这是常识']],
      ['您都说了好几次了,我理解您的着急', []],
      ['我听清楚了,您说的是尾号1234', []],
      ['您能听清楚吗?', []],
      ['我心里有数了', []],
      ['您的卡应该在三个工作日内寄到', []],
      ['您得到的优惠是五十元', []],
      ['刚才跟您说的那个办法您试了吗?', []],
    ]);
    cases('provoking', [
      ['您找谁都没用', ['找谁都没用']],
      ['您爱办不办', ['爱办不办']],
      ['您爱找谁找谁', ['爱找谁']],
      ['跟您说了也白说', ['说了也白说']],
      ['没得商量', ['没得商量']],
      ['这事我们管不着', ['我们管不着']],
      ['您信不信都行', ['信不信都行']],
      ['您去哪儿投诉都一样', ['去哪儿投诉都一样']],
      ['我们这边也无能为力', ['无能为力']],
      ['我们没这个义务', ['我们没这个义务']],
      ['那我也没辙', ['没辙']],
      ['我也帮不了您', ['我也帮不了']],
      ['我们也是没办法的事', ['我们也是没办法']],
      // Two of the list's phrases (这是规定 said alone: session 11), two findings.
      ['没办法,这是规定', ['没办法', '这是规定']],
      ['公司就是这么规定的', ['就是这么规定']],
      ['不是我们不想帮您,是规定不允许', ['是规定不允许']],
      ['您要不信就自己去营业厅问', ['您要不信']],
      ['你去投诉好啦', ['去投诉好啦']],
      ['不归我们这边处理', ['不归我们这边处理']],
      ['您听懂我的意思了吗?', ['听懂我的意思了吗']],
      ['您清楚了吗?', ['清楚了吗']],
      ['我跟您讲,这个是不能退的', ['我跟您讲']],
      ['那是快递公司的责任,不是我们的问题', ['不是我们的问题']],
      ['线上没办法的话可以去营业厅', []],
      ['目前确实没有办法直接退款,我帮您申请补偿', []],
      ['我们想办法帮您协调', []],
      ['我说清楚了吗?', []],
      ['我跟您讲一下流程', []],
      ['如果您对处理结果不满意,可以拨打投诉热线反映', []],
      ['您随便看看', []],
      ['我帮您转投诉部门', []],
    ]);
    cases('rhetorical', [
      ['我哪知道啊?', ['我哪知道']],
      ['那您说怎么办?', ['您说怎么办']],
      ['您自己说呢?', ['您自己说呢']],
      ['您究竟想要怎么样?', ['您究竟想要怎么样']],
      ['这都还不明白?', ['还不明白']],
      ['谁说的能退?', ['谁说的']],
      ['这不是明摆着的吗?', ['明摆着']],
      ['难不成还要我们上门给您取?', ['难不成']],
      ['您到底听明白没有?', ['明白没有']],
      ['这个问题还用我说吗?', ['还用我说']],
      ['有啥不懂的?', ['有啥不懂']],
      ['那您想让我怎么办?', ['您想让我怎么办']],
      ['这还需要我教您吗?', ['还需要我教']],
      ['需要我教您怎么操作吗?', []],
      ['您想要怎样的套餐?', []],
      ['您说怎么办我们就怎么办', []],
      ['不知道我解释清楚了没有?', []],
      ['您明白没关系,我再确认一下', []],
      ['您想怎么处理呢?', []],
      ['您知道哪里可以办吗?', []],
    ]);
  });

  // Issue 11, third pass: the faults real help-desk agents commit in wordings the first two passes
  // never used (measured on scripts/corpus-language-labels.tsv), in lines written here.
  describe('real help-desk wordings, both ways', () => {
    cases('provoking', [
      // Sent elsewhere instead of helped (the matter pushed to another department or party).
      ['这个问题建议您咨询一下售后', ['建议您咨询一下售后']],
      ['麻烦您联系一下快递公司', ['麻烦您联系一下快递公司']],
      ['充值的问题请您致电银行查询', ['请您致电银行']],
      ['您可以联系当地客服了解', ['您可以联系当地客服']],
      ['那您自行处理吧', ['您自行处理']],
      ['我们不是负责的部门', ['不是负责的部门']],
      // A regulation cited as the answer (seed 002: 我们公司的规定是).
      ['根据公司规定,不允许退货', ['根据公司规定,不允许']],
      // A sneer emoticon in a chat reply.
      ['已经帮您记录了[呵呵]', ['[呵呵]']],
      ['[白眼]您再看看', ['[白眼]']],
      ['我帮您联系售后,稍后给您回电', []],
      ['售后会在24小时内联系您', []],
      ['您可以自行在官网查询进度', []],
      ['我们会转给负责的部门处理', []],
      ['根据您的需求,推荐这个套餐', []],
      ['不客气[呵呵]', []],
      ['感谢您的支持[呵呵]', []],
    ]);
    cases('excuse', [
      ['现在话务繁忙,接通率有所降低', ['话务繁忙,接通率有所降低']],
      ['线路繁忙,请您谅解', ['线路繁忙']],
      ['月底客户集中咨询,回复慢了', ['集中咨询']],
      ['这个是第三方软件的问题', ['是第三方软件的问题']],
      ['信号差是附近居民装了放大器导致的', ['居民装了放大器导致']],
      // A referral is provoking, not an excuse.
      ['这个问题建议您咨询一下售后', []],
      ['是我们软件的问题,我们马上修复', []],
      ['软件的问题我帮您反馈', []],
      ['话务员稍后会联系您', []],
      ['是他人私接线路造成的干扰', ['他人私接线路造成的干扰']],
      // A warning is no excuse: 以免/避免/防止…造成 tells what may come, not who is to blame.
      ['请您保管好密码,不要告诉他人,以免造成资金损失', []],
      ['验证码请勿透露给他人,避免造成损失', []],
    ]);
    cases('blame', [
      ['购买的时候您是否有仔细查看说明?', ['是否有仔细查看']],
      ['是不是您装反了?', ['是不是您装反']],
      ['受理单上有详细说明', ['受理单上有详细说明']],
      ['合同上都有写明', ['合同上都有写明']],
      ['请问您是否方便提供订单号?', []],
      ['我们会仔细查看您的订单', []],
      ['合同的说明我发给您', []],
      ['是不是信号的问题,我帮您查一下', []],
    ]);
    cases('lecture', [
      ['这种陌生来电请不要轻信', ['不要轻信']],
      ['请您放心,这是我们的官方号码', []],
    ]);
    cases('hedge', [
      ['不排除是网络的问题', ['不排除']],
      ['可能和您的路由器有关', ['可能和您的路由器有关']],
      ['可能出了点问题', ['可能出了点问题']],
      ['可能由于网络原因没收到', ['可能由于']],
      ['排除故障后我们会通知您', []],
      ['和您的套餐有关的费用如下', []],
      // Negated, it is certain: 不可能.
      ['这个不可能有问题的,您放心', []],
      ['不可能是因为您的操作', []],
      ['这不可能和您的套餐有关', []],
    ]);
    cases('vague', [
      ['我们不保证一定能修好', ['不保证']],
      ['我们保证三天内修好', []],
    ]);
  });

  it('each pattern rule deducts per occurrence up to its cap, with a correct line that passes it', () => {
    const r = inspector.inspect(
      call([c('怎么还没到?'), a('应该是快递的问题。应该是路上堵了。应该是仓库慢了。应该是天气原因。')]),
    );
    const hedge = r.rules.find((x) => x.id === 'language.forbidden.hedge');
    expect(hedge).toMatchObject({ outcome: 'fail', occurrences: 4, points: -15 });
    const line = r.findings.find((f) => f.rule === 'language.forbidden.hedge')?.suggestion ?? '';
    expect(said(line, 'language.forbidden.hedge')).toEqual([]);
  });
});

describe('嗯: feedback (listen.no-en) and filler (language.filler) are two faults, each with its fix', () => {
  it('嗯 as the only feedback, at a clause start or the end of the turn, is listen.no-en', () => {
    for (const line of ['嗯', '嗯嗯', '嗯,您说', '好的嗯'])
      expect([said(line, 'listen.no-en').length, said(line, 'language.filler')]).toEqual([1, []]);
  });

  it('嗯 or 呃 inside the agent’s own sentence is 口头语', () => {
    expect(said('这个嗯我帮您查一下', 'language.filler')).toEqual(['嗯']);
    expect(said('这个嗯我帮您查一下', 'listen.no-en')).toEqual([]);
    expect(said('呃,这个我查一下', 'language.filler')).toEqual(['呃']);
    expect(said('额…这个我查一下', 'language.filler')).toEqual(['额']);
    // 额 of 余额 / 额度 is a word.
    expect(said('您的余额是10元,额度是5000元', 'language.filler')).toEqual([]);
  });

  it('the two give different correct lines, each passing its own rule', () => {
    const r = inspector.inspect(call([c('我的宽带断了'), a('嗯,这个嗯我帮您查一下')]));
    const en = r.findings.find((f) => f.rule === 'listen.no-en')?.suggestion ?? '';
    const filler = r.findings.find((f) => f.rule === 'language.filler')?.suggestion ?? '';
    expect(en).not.toBe(filler);
    expect(said(en, 'listen.no-en')).toEqual([]);
    expect(said(filler, 'language.filler')).toEqual([]);
  });
});

describe('holds seen in the text (no hold events from the telephone system)', () => {
  const rules = (r: CallResult) =>
    ['hold.consent', 'hold.limit', 'hold.thanks-after'].map((id) => outcome(r, id));

  it('请您稍等 then a long gap is a hold: consent given, thanks missing', () => {
    const r = inspector.inspect(
      call([
        a('您好,中华保险1024号为您服务', 0, 3000),
        c('帮我查一下保单', 3500, 5000),
        a('请您稍等,我帮您查询一下', 5500, 8000),
        c('好的', 8200, 8600),
        a('查到了,您的保单有效', 38_600, 41_000),
      ]),
    );
    expect(rules(r)).toEqual(['pass', 'n/a', 'fail']);
    const f = r.findings.find((x) => x.rule === 'hold.thanks-after');
    expect(f?.turn).toBe(4);
    // From the end of the ask (8 s), not of the caller's 好的.
    expect(f?.evidence).toContain('0:08-0:39等待30.6秒');
  });

  it('a long gap and a 久等 return without asking first fails consent', () => {
    const r = inspector.inspect(
      call([
        a('您好', 0, 2000),
        c('帮我查一下保单', 2500, 4000),
        a('我看一下', 4500, 5500),
        a('让您久等了,查到了', 30_000, 32_000),
      ]),
    );
    expect(rules(r)).toEqual(['fail', 'n/a', 'pass']);
    expect(r.findings.find((x) => x.rule === 'hold.consent')?.turn).toBe(2);
  });

  it('over the limit (the brand’s 60 s) without offering a callback fails the limit', () => {
    const r = inspector.inspect(
      call([
        a('您好', 0, 2000),
        c('帮我查一下保单', 2500, 4000),
        a('请您稍等', 4500, 5500),
        a('让您久等了,还在查', 80_000, 82_000),
      ]),
    );
    expect(rules(r)).toEqual(['pass', 'fail', 'pass']);
    const ok = inspector.inspect(
      call([
        a('您好', 0, 2000),
        c('帮我查一下保单', 2500, 4000),
        a('请您稍等', 4500, 5500),
        a('让您久等了,暂时没有查到,稍后我给您回拨好吗?', 80_000, 84_000),
      ]),
    );
    expect(rules(ok)).toEqual(['pass', 'pass', 'pass']);
  });

  it('without timings: 稍等 then a 久等 return is a hold of unknown length (no limit judged)', () => {
    const r = inspector.inspect(call([a('您好'), c('帮我查一下'), a('请您稍等'), c('好'), a('让您久等了')]));
    expect(rules(r)).toEqual(['pass', 'n/a', 'pass']);
  });

  it('no hold: a short gap after 稍等 without a return, an opening 久等, a customer’s long talk', () => {
    const short = call([
      a('您好', 0, 2000),
      c('查话费', 2500, 4000),
      a('请稍等', 4500, 5500),
      a('是50元', 8000, 9000),
    ]);
    expect(rules(inspector.inspect(short))).toEqual(['n/a', 'n/a', 'n/a']);
    const opening = call([a('让您久等了,请问有什么可以帮您'), c('查话费'), a('好的')]);
    expect(rules(inspector.inspect(opening))).toEqual(['n/a', 'n/a', 'n/a']);
    const talk = call([a('请您稍等'), c('好'), c('我还想问'), c('另外一件事'), a('让您久等了')]);
    expect(rules(inspector.inspect(talk))).toEqual(['n/a', 'n/a', 'n/a']);
  });

  it('the telephone system’s hold events, when there are any, are the holds', () => {
    const events: CallEvent[] = [
      { type: 'hold', at: 6000 },
      { type: 'unhold', at: 20_000 },
    ];
    const turns = [
      a('您好', 0, 2000),
      c('查话费', 2500, 4000),
      a('我看一下', 4500, 5500),
      a('查到了', 21_000, 22_000),
    ];
    // The 15 s gap would be a text hold without consent; the events say the same hold.
    expect(rules(inspector.inspect(call(turns, events)))).toEqual(['fail', 'n/a', 'fail']);
    // A gap with no hold event among events that have none is read from the text.
    expect(rules(inspector.inspect(call(turns, [{ type: 'ring', at: 0 }])))).toEqual(['n/a', 'n/a', 'n/a']);
  });

  it('the caller checking in during the hold (喂?还在吗) leaves it one hold, from the ask to the return', () => {
    const r = inspector.inspect(
      call([
        a('您好,中华保险1024号为您服务', 0, 3000),
        c('帮我查一下保单', 3500, 5000),
        a('请您稍等,我帮您查询一下', 5500, 8000),
        c('喂?还在吗', 30_000, 31_000),
        a('查到了,您的保单有效', 38_000, 41_000),
      ]),
    );
    expect(rules(r)).toEqual(['pass', 'n/a', 'fail']);
    expect(r.findings.find((x) => x.rule === 'hold.thanks-after')?.evidence).toContain('0:08-0:38等待30秒');
  });

  it('the hold runs from the end of the agent’s 请您稍等 to the start of the return: over the limit', () => {
    const r = inspector.inspect(
      call([
        a('您好,中华保险1024号为您服务', 0, 3000),
        c('帮我查一下保单', 3500, 5000),
        a('请您稍等', 5500, 8000),
        c('好的', 8200, 8600),
        c('喂?还在吗', 60_000, 61_000),
        a('让您久等了,查到了', 75_000, 78_000),
      ]),
    );
    expect(rules(r)).toEqual(['pass', 'fail', 'pass']);
    expect(r.findings.find((x) => x.rule === 'hold.limit')?.evidence).toContain('0:08-1:15等待67秒');
  });

  it('the agent answering a check-in with 在的,请您再稍等 does not split the hold in two', () => {
    const r = inspector.inspect(
      call([
        a('您好,中华保险1024号为您服务', 0, 3000),
        c('帮我查一下保单', 3500, 5000),
        a('请您稍等', 5500, 8000),
        c('喂?还在吗', 40_000, 41_000),
        a('在的,请您再稍等', 41_500, 43_000),
        a('查到了', 75_000, 78_000),
      ]),
    );
    expect(rules(r)).toEqual(['pass', 'fail', 'fail']);
    const held = r.findings.filter((x) => x.rule.startsWith('hold.'));
    expect(held.map((x) => [x.rule, x.turn])).toEqual([
      ['hold.limit', 5],
      ['hold.thanks-after', 5],
    ]);
    expect(held[0]?.evidence).toContain('第3句请客户等待, 0:08-1:15等待67秒');
  });

  it('the caller’s own question after 请您稍等, answered at once, is no hold', () => {
    const r = inspector.inspect(
      call([
        a('您好,中华保险1024号为您服务', 0, 3000),
        c('帮我查一下保单', 3500, 5000),
        a('请您稍等,我帮您查询一下', 5500, 8000),
        c('对了,我还想问一下这个保单能不能改受益人,还有缴费方式能不能从年缴改成月缴', 8500, 22_000),
        a('可以的,受益人和缴费方式都可以变更', 23_000, 26_000),
      ]),
    );
    expect(rules(r)).toEqual(['n/a', 'n/a', 'n/a']);
  });

  it('consent is judged alike on a text hold and the telephone system’s (the seed’s 请您稍等 asks it)', () => {
    const turns = (line: string, back: string) => [
      a('您好,中华保险1024号为您服务', 0, 3000),
      c('帮我查一下保单', 3500, 5000),
      a(line, 5500, 8000),
      a(back, 30_000, 32_000),
    ];
    const events: CallEvent[] = [
      { type: 'hold', at: 8500 },
      { type: 'unhold', at: 29_000 },
    ];
    const cases: [string, string, string][] = [
      ['我查一下,请稍等', '查到了', 'pass'],
      ['我查一下', '让您久等了,查到了', 'fail'],
    ];
    for (const [line, back, consent] of cases) {
      expect(outcome(inspector.inspect(call(turns(line, back))), 'hold.consent'), line).toBe(consent);
      expect(outcome(inspector.inspect(call(turns(line, back), events)), 'hold.consent'), line).toBe(consent);
    }
  });

  it('a scorecard naming an unknown phrase set in textHolds is refused at load', () => {
    const text = `version: 1\nname: t\ntextHolds: { ask: [$nope], back: [久等], minGapMs: 5000 }\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "000", section: "x" }]\n    expect: { holds: { after: { phrases: { any: [久等] } } } }\n`;
    expect(() => parseScorecard(text, 't.yaml')).toThrow(ScorecardError);
    expect(() => parseScorecard(text, 't.yaml')).toThrow(/textHolds/);
  });
});

describe('speech-recognition text: phrases still match', () => {
  it('a filler, a stutter, a space inside a forbidden phrase', () => {
    for (const line of ['这个不嗯知道', '这个不知知道', '这个不…不知道', '这个不知 道'])
      expect(said(line, 'language.forbidden.vague'), line).toHaveLength(1);
    // The filler is its own fault as well.
    expect(said('这个不嗯知道', 'language.filler')).toEqual(['嗯']);
  });

  it('harmless words stay harmless through a filler too; a fault beside them still counts', () => {
    expect(said('不知道您是否方便', 'language.forbidden.vague')).toEqual([]);
    expect(said('不嗯知道您是否方便', 'language.forbidden.vague')).toEqual([]);
    expect(said('这种可能性很小', 'language.forbidden.vague')).toEqual([]);
    expect(said('不知道您是否方便,我也不嗯知道', 'language.forbidden.vague')).toEqual(['不嗯知道']);
  });

  it('a homophone, a variant character and a dropped 的 in the lines a rule looks for', () => {
    const closing = (line: string) =>
      outcome(inspector.inspect(call([a('您好'), c('好的'), a(line)])), 'closing.more-questions');
    expect(closing('请问您还有其它问题吗?')).toBe('pass');
    const farewell = (line: string) =>
      outcome(inspector.inspect(call([a('您好'), c('好的'), a(line)])), 'closing.farewell');
    expect(farewell('感谢您来电,在见!')).toBe('pass');
    const sorry = inspector.inspect(call([a('您好'), c('你们就是流氓公司'), a('很报歉给您添麻烦了')]));
    expect(outcome(sorry, 'emotion.apology-on-complaint')).toBe('pass');
  });
});

describe('one line, two faults (seed 002 lists blaming and lecturing lines as provoking)', () => {
  it('a blaming line fails blame and provoking, on the same words', () => {
    expect(said('这是您自己没看清楚', 'language.forbidden.blame')).toEqual(['您自己没看']);
    expect(said('这是您自己没看清楚', 'language.forbidden.provoking')).toEqual(['您自己没看']);
    expect(said('我刚才已经说过了', 'language.forbidden.lecture')).toEqual(['我刚才已经说过']);
    expect(said('我刚才已经说过了', 'language.forbidden.provoking')).toEqual(['我刚才已经说过']);
    // Another department's business: an excuse and pushing the matter away.
    expect(said('那是另一个部门的事', 'language.forbidden.excuse')).toEqual(['部门的事']);
    expect(said('那是另一个部门的事', 'language.forbidden.provoking')).toEqual(['部门的事']);
  });

  it('counts each fault once however many parts of the rule find it, and two faults twice', () => {
    const once = inspector.inspect(call([c('怎么还没来?'), a('你去投诉好了')]));
    expect(once.rules.find((x) => x.id === 'language.forbidden.provoking')).toMatchObject({
      outcome: 'fail',
      occurrences: 1,
      points: -10,
    });
    const twice = inspector.inspect(call([c('怎么还没来?'), a('规定就是这样,下次记得早点预约')]));
    expect(twice.rules.find((x) => x.id === 'language.forbidden.provoking')).toMatchObject({
      outcome: 'fail',
      occurrences: 2,
      points: -20,
    });
    expect(evidence(twice, 'language.forbidden.provoking')).toEqual(['规定就是这样', '下次记得']);
  });
});

describe('daily lines of a call centre the widened patterns must leave alone (review of issue 11)', () => {
  const quiet = (rule: string, lines: string[]) =>
    it.each(lines)(`${rule}: %s`, (line) => expect(said(line, `language.forbidden.${rule}`)).toEqual([]));
  const fires = (rule: string, rows: [string, string[]][]) =>
    it.each(rows)(`${rule}: %s → %j`, (line, found) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual(found),
    );
  // The wait apology itself (seed 002 一.(七)), and another way to be served, name the busy line.
  quiet('excuse', ['非常抱歉,刚才话务繁忙,让您久等了', '现在是话务高峰,您也可以通过微信公众号办理']);
  fires('excuse', [['现在话务繁忙,我也没办法', ['话务繁忙']]]);
  // Session 38: an outside cause told in a turn that apologises for the trouble is the explanation
  // seed 004 asks for, in another sentence of the turn too; not when the turn excuses the agent's own
  // miss (所以…, 没及时…, new staff), pushes the fault away (不是我们的责任) or gives our own busy line
  // as the reason, apologised or not.
  quiet('excuse', [
    '很抱歉给您带来不便。这是微信那边的原因,图片会被压缩。',
    '非常抱歉。是物业那边的施工导致的停水。',
  ]);
  fires('excuse', [
    ['这是微信那边的原因,图片会被压缩。', ['这是微信那边的原因']],
    ['非常抱歉让您不方便了。月底来电集中,话务繁忙的时候接通会慢一些。', ['话务繁忙']],
    ['不好意思,今天话务太忙了,所以没及时给您回电话。', ['今天话务太忙了,所以没及时']],
    ['很抱歉,我是新来的,所以这个业务还不太熟。', ['我是新来的']],
    ['抱歉啊。那是快递公司的责任,不是我们的问题。', ['那是快递公司的责任']],
  ]);
  // The notice form of the anti-fraud reminder is a service, not a lecture; said to a caller
  // who was taken in (请不要轻信…), the inspector reads it as lecturing (labels of real threads).
  quiet('lecture', ['请勿轻信陌生来电']);
  fires('lecture', [
    ['您不要轻信这种东西', ['不要轻信']],
    ['请您不要轻信陌生人的电话', ['不要轻信']],
  ]);
  // A disclosure the regulator asks for.
  quiet('vague', ['理财产品不保证本金和收益']);
  fires('vague', [['什么时候能到我不保证', ['不保证']]]);
  // A troubleshooting question is no blame. (Pointing a caller who disputes a fee to the form's
  // explanation, 可以看看受理单上的说明, is: real threads were labelled so.)
  quiet('blame', ['麻烦您核实一下是否输错了密码']);
  fires('blame', [
    ['是不是您自己输错了', ['是不是您自己输错']],
    ['受理单上有说明的', ['受理单上有说明']],
  ]);
  // Telling a fraud victim to have the bank freeze the card is help, not pushing away.
  quiet('provoking', ['请您尽快联系银行冻结卡片', '退货的运费需要您自行承担']);
  fires('provoking', [
    ['这个问题建议您咨询一下银行', ['建议您咨询一下银行']],
    ['后果您自行承担', ['您自行承担']],
  ]);
});

describe('issue 11 §1, session 10: faults in more words, and their look-alikes', () => {
  const quiet = (rule: string, lines: string[]) =>
    it.each(lines)(`${rule} leaves: %s`, (line) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual([]),
    );
  const fires = (rule: string, rows: [string, string[]][]) =>
    it.each(rows)(`${rule} finds: %s → %j`, (line, found) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual(found),
    );
  // Not knowing in more words; the customer's not being sure, a clause about what may be unclear.
  fires('vague', [
    ['这个我这边也没把握', ['没把握']],
    ['我心里也没底', ['心里也没底']],
    ['这个我也拿不准', ['拿不准']],
    ['原因我也摸不准', ['摸不准']],
    ['政策我这边不掌握', ['不掌握']],
    ['我们也没个准信', ['没个准信']],
    ['我也不是很懂', ['不是很懂']],
    ['这个不好确定', ['不好确定']],
    ['具体数额我一时也说不上', ['说不上']],
  ]);
  quiet('vague', [
    '您拿不准的话可以拍照给我',
    '您心里没底的话可以先试用',
    '这个我有把握,明天一定到',
    '有不是很明白的地方随时问我',
    '他说不上话',
  ]);
  // The fault put on the customer; a policy on the customer's own reason, a guess (the hedge
  // rule's), a question, a condition.
  fires('blame', [
    ['问题出在您这边', ['问题出在您']],
    ['是您下单时选错了规格', ['是您下单时选错']],
    ['是您这边没填对地址', ['是您这边没填']],
    ['这是您的操作导致的', ['您的操作导致']],
    ['这是您个人原因造成的', ['是您个人原因']],
    ['您也不看看自己填的什么', ['您也不看看']],
    ['你自己不注意怪不了别人', ['怪不了别人']],
    ['您当初要是听我的,就没这事了', ['您当初要是听我的,就没这事']],
    ['您要是仔细看一眼说明书,也不至于这样', ['您要是仔细看一眼说明书,也不至于']],
    ['说明书写了,您没看吧?', ['您没看吧']],
    ['您没及时缴费,才停机的', ['您没及时缴费,才']],
    ['您自个儿把密码输错了', ['您自个儿把密码输错']],
  ]);
  quiet('blame', [
    '如因您个人原因退货,运费由您承担',
    '如是您个人原因退货需承担运费',
    '不是您的操作导致的',
    '可能是您输错密码次数太多',
    '是您填错了吗?',
    '如果是您填错了可以修改',
    '您没有收到短信的话,才需要重发',
  ]);
  // Talking down; the customer's repeats, the agent checking the explanation, a notice, a step.
  fires('lecture', [
    ['跟您说过多少回了', ['说过多少回']],
    ['我都重复了好几遍了', ['重复了好几遍']],
    ['我已经给您解释得很清楚了', ['我已经给您解释得很清楚了']],
    ['您这边需要搞清楚一点', ['您这边需要搞清楚']],
    ['您要学会看订单', ['您要学会']],
    ['您做事得长点心', ['长点心']],
    ['不是我说您', ['不是我说您']],
    ['请您仔细听好,我只说一次', ['您仔细听好', '只说一次']],
    ['你得先把问题想清楚再打过来', ['想清楚再打']],
    ['这个道理很简单嘛', ['道理很简单']],
    ['您先听我说完行不行', ['听我说完']],
    ['看清规则再下单,这是最基本的。', ['最基本的']],
  ]);
  quiet('lecture', [
    '您都说了好几回了',
    '刚才我解释得清楚吗?',
    '我解释得清楚了吗',
    '请您留心查收短信',
    '这是最基本的套餐',
    '您得先实名认证才能办理',
  ]);
  // Brushing off and pushing away; seed 003's professional lines and options stay.
  fires('provoking', [
    ['您爱怎么想就怎么想吧', ['爱怎么想就怎么想']],
    ['这个问题您跟我说没用的', ['跟我说没用']],
    ['那您自己看着办吧', ['您自己看着办']],
    ['不行就是不行', ['不行就是不行']],
    ['你急也没用啊', ['急也没用']],
    ['您嫌贵可以不买啊', ['嫌贵可以不买啊']],
    ['我这边也管不到', ['我这边也管不到']],
    ['那是银行的事', ['那是银行的事']],
    ['这个不在我的职责范围内', ['不在我的职责范围']],
    ['别的我不管', ['别的我不管']],
  ]);
  quiet('provoking', [
    '这是我们公司的问题,我马上处理',
    '这跟您的操作无关',
    '您的要求不在我们的服务范围内,请您挂机,再见!',
    '如果不需要可以不用开通',
    '这是银行的问题吗?',
  ]);
  // Excuses in more words; notices, conditions and offers that are none. An exclusion never hides
  // the excuse said next to it (所以没…).
  fires('excuse', [
    ['我今天第一天上班', ['第一天上班']],
    ['这单不是我跟的', ['不是我跟的']],
    ['系统在升级,所以才没给您发短信', ['系统在升级,所以才没给您发']],
    ['近期销售火爆', ['销售火爆']],
    ['人员安排不足', ['人员安排不足']],
    ['这个是微信的原因', ['这个是微信的原因']],
    ['抱歉,咨询量大,所以回复慢了', ['咨询量大,所以回复慢']],
    ['话务高峰,所以没接到您的电话,建议您避开高峰', ['话务高峰,所以没接到']],
  ]);
  quiet('excuse', [
    '每天上午9点到10点是话务高峰,建议您避开这个时段来电',
    '今天门店人比较少,您现在过去办理正好',
    '如果快递没有送到请联系我们',
    '为防止他人冒用导致损失,请妥善保管验证码',
    '您忙不过来的话可以委托家人代办',
    '抱歉,目前咨询量较大,我会尽快为您处理',
    '如果手机网络不好可以连WiFi再试',
    '手机系统卡顿的话可以清一下缓存',
    '我们新人有专享优惠券',
    '商家没有发货的话会自动退款',
    '这是正常现象的原因',
  ]);
  fires('hedge', [['猜测是因为浏览器拦截', ['猜测是']]]);
  quiet('hedge', ['请不要猜测', '无法推测是谁']);

  // Linear time: a long turn (8,000 characters, no punctuation, the patterns' anchors repeated)
  // is inspected fast. A nested unbounded quantifier would take seconds or more here.
  it.each([
    '是您这边'.repeat(2000),
    '您没'.repeat(4000),
    '我刚才已经'.repeat(1600),
    '这个是'.repeat(2666),
    '话务高峰'.repeat(2000),
    '人少'.repeat(4000),
    `${'您要是'.repeat(1000)}${'就'.repeat(5000)}`,
  ])('an 8,000-character turn stays fast (%#)', (text) => {
    inspector.inspect(call([c('请问?'), a('好的')])); // compiles the patterns outside the timing
    const started = performance.now();
    inspector.inspect(call([c('请问?'), a(text)]));
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('review of session 10: everyday agent lines the widened patterns must leave, the faults beside them', () => {
  const quiet = (rule: string, lines: string[]) =>
    it.each(lines)(`${rule} leaves: %s`, (line) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual([]),
    );
  const fires = (rule: string, rows: [string, string[]][]) =>
    it.each(rows)(`${rule} finds: %s → %j`, (line, found) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual(found),
    );
  // Checking the caller understood (002 三.(三)), a security notice, a remote judgement handed to a
  // visit, a word that only holds 准 or 说不上 (标准信息, 说不上门), owning a slip (没把握好).
  quiet('vague', [
    '还有哪里不是很明白的吗?',
    '有不是很懂的可以随时问我',
    '也就是说不上门安装的话费用会低一点',
    '抱歉,这次是我们没把握好发货时间',
    '拿不准的话可以拍照发给我们看一下',
    '我们不掌握您的银行卡密码,请放心',
    '我們不掌握您的銀行卡密碼,請放心',
    '具体故障电话里不好判断,我帮您预约师傅上门检测',
    '目前没有统一标准信息,我帮您查一下',
    '很多客户心里没底,我给您详细介绍一下',
    '不好确定的部分我帮您记录下来,核实后回复您',
  ]);
  fires('vague', [
    ['这个我也不是很明白', ['不是很明白']],
    ['补贴怎么算我不掌握', ['不掌握']],
    ['这个我说不上来', ['说不上来']],
    ['这个不好判断', ['不好判断']],
    ['我心里也没数', ['心里也没数']],
  ]);
  // Confirming the caller's words, directions, an anti-fraud notice, an offer with another choice.
  quiet('provoking', [
    '您刚才跟我说没有用过这个功能,对吗',
    '您看着办事大厅的指示牌走就可以',
    '您放心,这类短信与我们公司无关,请勿点击链接',
    '您放心,這類簡訊與我們公司無關,請勿點擊連結',
    '如果对这个套餐不满意,您可以不办,我再给您推荐别的',
  ]);
  fires('provoking', [
    ['这个您跟我说没用', ['跟我说没用']],
    ['那是银行的事,跟我们无关', ['那是银行的事', '跟我们无关']],
    ['嫌贵可以不买', ['嫌贵可以不买']],
  ]);
  // A device diagnosed, a rule for whichever side erred, a policy, "no wonder", an offer to resend,
  // advice for next time.
  quiet('blame', [
    '经检测,问题出在您家里的路由器上,我们可以派师傅帮您更换',
    '无论是您填错了还是我们录错了,我们都会免费帮您修改',
    '要是您填错了,可以联系我们修改',
    '只要是您没有确认的订单,系统会在24小时后自动取消',
    '要是您个人原因退货,运费由您承担',
    '如因您的操作导致的损失,需由您本人承担',
    '为避免因您的操作导致资金损失,请勿向他人透露验证码',
    '哦,怪不得我们这边查不到,原来是用另一个号码注册的',
    '您没看到的话我重发一下吧',
    '您要是现在开通自动还款,以后就不会出现这种情况了',
  ]);
  fires('blame', [
    ['就是您填错了', ['就是您填错']],
    ['是您个人原因造成的', ['是您个人原因']],
    ['您没看到通知吧', ['您没看到通知吧']],
    ['您当时要是早点处理,就没这事了', ['您当时要是早点处理,就没这事']],
    ['问题出在您那边的路由器上', ['问题出在您']],
  ]);
  // Pressing a third party, a system message, a notice to remember, an anti-fraud warning, a
  // security practice, a promised call back, reassurance, a value stated.
  quiet('lecture', [
    '我已经跟仓库强调了好几次,一定尽快发货',
    '我们跟厂家说了好几回了,这周一定给您答复',
    '系统提示重复了好几次',
    '您的新密码是六位数字,您需要记住,下次登录要用',
    '最近诈骗电话多,您多留个心眼,不要透露验证码',
    '您留个心,注意查收短信',
    '为了安全,密码我只说一遍,请您准备好纸笔',
    '我先帮您查一下,弄清楚了再打给您',
    '这是很简单的事情,您放心,我马上帮您处理',
    '您放心,隐私保护是最基本的。',
  ]);
  fires('lecture', [
    ['我已经跟您说了好几遍了', ['我已经跟您说了']],
    ['我都重复了好几遍了', ['重复了好几遍']],
    ['这种事您得多留个心眼', ['留个心眼']],
    ['你先想清楚再打过来', ['想清楚再打']],
    ['这么简单的道理都不懂', ['这么简单的道理']],
  ]);
  // Notices of volume and sales, an event's first day, the customer's own step explained; never the
  // excuse said after the apology (没及时回复).
  quiet('excuse', [
    '您的订单还没付款,所以没给您发货',
    '活动第一天来电的客户可以领取礼品',
    '最近订单量比较大,预计3天内发货',
    '商品销售火爆,暂时缺货,到货后第一时间通知您',
    '这款产品卖得很火爆,建议您尽早下单',
  ]);
  fires('excuse', [
    ['我今天第一天来,不太熟', ['第一天来']],
    ['上一个客服没给您登记,所以没处理', ['上一个客服没给您登记,所以没处理']],
    ['最近订单量太大,所以没给您发', ['最近订单量太大,所以没给您发']],
    ['不好意思,最近咨询量比较大,没及时回复您', ['咨询量比较大']],
    ['抱歉啊,话务繁忙,没接到您的电话', ['话务繁忙']],
  ]);
});

describe('issue 11 §1, session 11: kinds of wording the patterns lacked, and their look-alikes', () => {
  // One line per new pattern (scorecards/default.yaml, session 11), and the look-alike it must
  // leave; whole lines in training/qa-dev/language/batch-s11.yaml.
  const quiet = (rule: string, lines: string[]) =>
    it.each(lines)(`${rule} leaves: %s`, (line) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual([]),
    );
  const fires = (rule: string, rows: [string, string[]][]) =>
    it.each(rows)(`${rule} finds: %s → %j`, (line, found) =>
      expect(said(line, `language.forbidden.${rule}`)).toEqual(found),
    );
  fires('vague', [
    ['这个业务我也不太懂', ['不太懂']],
    ['这个我答不上来', ['答不上来']],
    ['原因我也搞不明白', ['搞不明白']],
    ['什么时候好真难说', ['难说']],
    ['这个我说不太准', ['说不太准']],
    ['批不批我也吃不准', ['吃不准']],
    ['具体哪天我记不清了', ['记不清']],
    ['我也是一头雾水', ['一头雾水']],
    ['这个没个定数', ['没个定数']],
    ['看情况吧', ['看情况吧']],
    ['这个因人而异', ['因人而异']],
    ['这个没法说', ['没法说']],
  ]);
  quiet('vague', [
    '我不太懂您说的那个按钮,是指哪个?',
    '您记不清也没关系',
    '这个不难说明',
    '您吃不准的话我帮您查',
    '您搞不明白的地方我来演示',
  ]);
  // Judging the customer, belittling, daring a complaint, dismissing (seed 003 压力缓解).
  fires('provoking', [
    ['您这是无理取闹', ['无理取闹']],
    ['请注意您的态度', ['注意您的态度']],
    ['您说话文明点', ['说话文明点']],
    ['您得先向我道歉', ['向我道歉']],
    ['您跟我发火有什么用', ['发火有什么用']],
    ['别嚷了', ['别嚷']],
    ['这有啥好生气的', ['有啥好生气的']],
    ['至于吗', ['至于吗']],
    ['不就少了两块钱嘛', ['不就少了两块钱嘛']],
    ['这点小事也要投诉', ['这点小事也要']],
    ['您爱退就退', ['爱退就退']],
    ['那您去告吧', ['去告吧']],
    ['要投诉您请便', ['请便']],
    ['我无所谓', ['我无所谓']],
    ['不要拉倒', ['拉倒']],
    ['您另请高明吧', ['另请高明']],
    ['您可以找别家', ['找别家']],
    ['跟您解释了您也不懂', ['解释了您也不懂']],
    ['您到底懂不懂', ['您到底懂不懂']],
    ['您有没有在听', ['您有没有在听']],
    ['不能退就是不能退', ['不能退就是不能退']],
    ['这是公司规定', ['这是公司规定']],
    ['系统就是这样设置的', ['系统就是这样设置的']],
    ['您自己想办法吧', ['自己想办法']],
    ['我们就这服务', ['我们就这服务']],
    ['这锅我们不背', ['锅我们不背']],
  ]);
  quiet('provoking', [
    '对不起,我的工号是2048号,名字不方便告知,这是公司的规定',
    '这是公司规定,需要本人带身份证办理',
    '您会不会用到这个功能?',
    '不用您自己想办法,我们来处理',
    '收到诈骗短信直接举报好了',
    '您先别着急,慢慢说',
    '请您大声一点好吗?',
  ]);
  fires('blame', [
    ['您理解错了', ['您理解错']],
    ['这是您的责任', ['您的责任']],
    ['责任全在您', ['责任全在您']],
    ['您早干什么去了', ['早干什么']],
    ['您到现在才说', ['您到现在才说']],
    ['都一个礼拜了您才来问', ['都一个礼拜了您才来']],
    ['您不早说', ['您不早说']],
    ['套餐您自己选的', ['您自己选的']],
    ['您没按步骤操作', ['您没按步骤']],
    ['您把密码输错了,当然会锁卡', ['您把密码输错了,当然会锁']],
    ['是您安装不当', ['您安装不当']],
    ['这是自找的', ['自找的']],
    ['又不是我们逼您办的', ['又不是我们逼您']],
    ['您想都不想就签了', ['想都不想']],
    ['说明书您自己不看', ['您自己不看']],
  ]);
  quiet('blame', [
    '如果您填错了可以改',
    '要是您记错了也没关系,我帮您查',
    '可能是您输错了',
    '不是您的问题',
    '责任在我们',
    '您现在才发现也不要紧',
    '您自己选的套餐包含五个G',
    '您放心,当然不会收费',
    '如因您使用不当造成损坏,不在保修范围',
  ]);
  fires('lecture', [
    ['上次就给您解释过了', ['上次就给您解释过']],
    ['跟您讲过很多遍了', ['讲过很多遍']],
    ['您这么想就不对了', ['您这么想就不对']],
    ['您不能这么说', ['您不能这么说']],
    ['您也得讲点道理', ['您也得讲点道理']],
    ['弄清楚了再来找我们', ['弄清楚了再来']],
    ['这都是基础知识', ['这都是基础知识']],
    ['您别插嘴', ['别插嘴']],
    ['公告早就发了', ['早就发了']],
    ['您长点记性吧', ['长点记性']],
    ['这么简单都不会', ['这么简单都不会']],
  ]);
  quiet('lecture', [
    '上次跟您说的优惠已经到账了',
    '我们不能这样要求您',
    '您讲的道理我明白',
    '早就给您办好了',
    '您先别着急',
    '我弄清楚了再给您回电',
  ]);
  // Excuses in other words; a cause owned, or told with what is being done, excuses nothing.
  fires('excuse', [
    ['我就是个打工的', ['我就是个打工的']],
    ['这个我做不了主', ['我做不了主']],
    ['我也是刚接手', ['刚接手']],
    ['我这边电脑太卡了', ['电脑太卡']],
    ['我们也很无奈', ['我们也很无奈']],
    ['又不是我们造成的', ['不是我们造成的']],
    ['这个我们也控制不了', ['我们也控制不了']],
    ['刚才在开会没看到消息', ['在开会没看到']],
    ['实在顾不上', ['顾不上']],
    ['订单处理不过来', ['处理不过来']],
    ['退货的太多了', ['退货的太多']],
    ['都是快递闹的', ['都是快递闹的']],
    ['这是微信那边的系统问题', ['这是微信那边的系统问题']],
    ['厂家一直不发货', ['厂家一直不发']],
  ]);
  quiet('excuse', [
    '是仓库发错了,这是我们的责任,马上给您换',
    '系统出了故障,技术人员正在修复',
    '快递延误了,我已经帮您催了',
    '我是新来的客服小王,马上为您查询',
    '您电脑卡的话可以重启一下',
    '如果厂家一直不发货,我们给您退款',
    '这个我做不了主,我帮您申请主管审批',
  ]);
  fires('vague', [['这个我从来没听说过', ['没听说过']]]);
  quiet('vague', ['您听说过我们的会员日吗?']);
  fires('provoking', [
    ['您急什么', ['急什么']],
    ['我又有什么办法', ['我又有什么办法']],
    ['这关我们什么事', ['关我们什么事']],
    ['您对我讲有什么用', ['对我讲有什么用']],
  ]);
  quiet('provoking', ['我看看我们有什么办法帮您解决', '您叫什么名字?']);
  fires('blame', [
    ['这就是您的不对了', ['就是您的不对']],
    ['您自己忘了续费', ['您自己忘了']],
    ['是您自己把订单取消了', ['您自己把订单取消了']],
  ]);
  quiet('blame', ['您自己没空的话可以让家人来', '不是您的不对']);
  fires('excuse', [
    ['是系统不让', ['是系统不让']],
    ['关我什么事', ['关我什么事']],
  ]);
  // Pushed away without a reason: provoking (seed 002 lists 这事不归我们管 there), no excuse;
  // another department made the one at fault: both. A cause on the customer's side told with
  // its fix (seed 004), or one the agent acts on, excuses nothing.
  it('reads a push without a reason as provoking only', () => {
    expect(said('这个归售后管', 'language.forbidden.provoking')).toEqual(['归售后管']);
    expect(said('这个归售后管', 'language.forbidden.excuse')).toEqual([]);
    expect(said('那是技术部门的问题', 'language.forbidden.excuse')).toEqual(['那是技术部门的问题']);
  });
  quiet('excuse', ['这是浏览器的原因,您换个浏览器试试就好了', '这是快递的原因,我帮您联系快递加急']);
  fires('blame', [
    ['那是您那边的问题', ['您那边的问题']],
    ['您也有一定的责任', ['您也有一定的责任']],
  ]);
  quiet('blame', ['我们也有责任,运费我们承担', '不是您这边的问题']);
  fires('lecture', [['您好好听我讲', ['您好好听我讲']]]);
  quiet('lecture', ['我会认真听您说完']);
  fires('provoking', [['那您爱咋咋地', ['爱咋咋']]]);
  quiet('provoking', ['您爱人也可以代办']);
  fires('excuse', [['之前没人跟我说过', ['没人跟我说过']]]);
  quiet('excuse', ['同事已经告诉我您的情况了']);
  // An owned or remedied cause does not hide the agent's own miss excused beside it.
  it('still finds 所以没… beside a remedy', () =>
    expect(said('系统太卡了,所以没及时回复您,我马上帮您处理', 'language.forbidden.excuse')).not.toEqual([]));
});

describe('customer lines the trigger patterns must leave alone (review of issue 11)', () => {
  it('a word hard to type or a game level hard to beat is no hard line; the hotline is', () => {
    const hardLine = (words: string) =>
      outcome(
        inspector.inspect(call([a('您好'), c(words), a('好的,我帮您看一下')])),
        'emotion.apology-on-complaint',
      );
    expect(hardLine('这个字太难打了,我用拼音吧')).toBe('n/a');
    expect(hardLine('这一关太难打了,怎么过')).toBe('n/a');
    expect(hardLine('你们这电话太难打了')).toBe('fail');
  });
  it('a question about a product and 态度好好的 are no praise that needs a thanks reply', () => {
    const praise = (words: string) =>
      outcome(inspector.inspect(call([a('您好'), c(words), a('这款是新上市的')])), 'emotion.thanks-reply');
    expect(praise('美女这个很好用吗?')).toBe('n/a');
    expect(praise('你态度好好的,怎么说变就变')).not.toBe('fail');
    expect(praise('美女你真耐心')).toBe('fail');
  });
  it('a promise is a complaint broken and ours: not the caller’s own, nor 没问题 (review of session 15)', () => {
    const rules = ['emotion.apology-on-complaint', 'complaint.contact-and-deadline'];
    const outcomes = (words: string) =>
      rules.map((rule) =>
        outcome(inspector.inspect(call([a('您好'), c(words), a('好的,您说一下是什么业务。')])), rule),
      );
    expect(outcomes('我保证下次按时还款,也没什么别的问题了')).toEqual(['n/a', 'n/a']);
    expect(outcomes('我答应了我儿子,这次还是让他来办,没问题吧')).toEqual(['n/a', 'n/a']);
    expect(outcomes('上周说好三天之内退款,到现在一分钱都没到')).toEqual(['fail', 'fail']);
    expect(outcomes('你们客服答应我三天之内处理,结果到现在也没人联系我')).toEqual(['fail', 'fail']);
  });
});

describe('review of session 11 (training/qa-dev/language/review-s11.yaml): false alarms on correct speech', () => {
  // One case per narrowed pattern: the everyday line it wrongly found, and a fault it still finds.
  const both = (rule: string, rows: [string, string, string[]][]) =>
    it.each(rows)(`${rule} leaves %s, finds %s → %j`, (harmless, fault, found) => {
      expect(said(harmless, `language.forbidden.${rule}`)).toEqual([]);
      expect(said(fault, `language.forbidden.${rule}`)).toEqual(found);
    });
  both('vague', [
    ['额度因人而异,您这张卡的额度是两万元', '这个因人而异', ['因人而异']],
    ['密保问题答不上来也没关系,可以用手机验证码验证', '这个我答不上来', ['答不上来']],
    ['这个账单很多人都搞不明白,我来给您讲讲', '原因我也搞不明白', ['搞不明白']],
    ['这种情况难说是哪里的问题,我安排师傅上门检测一下', '什么时候好真难说', ['难说']],
    ['您说不太准具体日期也没关系,我按手机号帮您查', '这个我说不太准', ['说不太准']],
    ['订单号记不清的话,报一下手机号也可以', '具体哪天我记不清了', ['记不清']],
    ['很多客户第一次看账单都一头雾水,我给您逐项解释', '我也是一头雾水', ['一头雾水']],
    ['不是您搞错了,是我们页面写得不清楚', '这个我不清楚', ['不清楚']],
  ]);
  both('provoking', [
    ['说明书写得比较简单,您不懂很正常,我来给您讲', '您怎么还不懂', ['您怎么还不懂']],
    ['您现在最急什么,我先帮您处理什么', '急什么,还没到时间呢', ['急什么']],
    ['好的,您请便,我在线等您回来', '您要投诉,请便', ['请便']],
    ['您放心,不用去找别家,我们这边就能办', '嫌贵您可以找别家', ['找别家']],
    ['错了就是错了,这次是我们的失误,非常抱歉', '规定就是规定', ['规定就是规定']],
    ['新版系统就是这样的,原来的入口移到了我的页面里,我带您找一下', '系统就是这样的', ['系统就是这样的']],
    ['政策就是这样规定的:满一年返两百元,您已经符合条件了', '我们一直就是这么规定的', ['就是这么规定']],
    ['这是规定,也是为了保护您的账户安全,请您谅解', '这是规定', ['这是规定']],
    ['您的要求一点也不是无理取闹,我们完全理解', '您这是无理取闹', ['无理取闹']],
    ['至于打款的时间嘛,一般是下午三点前', '至于打这么多电话吗', ['至于打这么多电话吗']],
    ['这么点小事还要您亲自跑一趟,真是不好意思', '这点小事也要投诉', ['这点小事也要']],
    ['能麻烦您把电视调小点声吗?我这边听不太清您的声音', '您小点声', ['小点声']],
    ['上门时间您定,我们都无所谓,以您方便为准', '您投诉吧,我们无所谓', ['我们无所谓']],
    ['您会不会用手机银行?不会的话我在电话里帮您办', '您到底会不会用', ['您到底会不会用']],
    ['不会没办法的,我一定帮您想办法', '没办法的,您别打了', ['没办法的']],
  ]);
  both('blame', [
    ['您看错了也正常,这两个数字长得像,我再给您念一遍', '是您看错了', ['是您看错']],
    ['您现在才告诉我们也完全来得及,我马上给您改', '您现在才说有什么用', ['您现在才说']],
    ['这种故障一般不是您操作不当造成的,是零件老化,我们免费换', '这是您操作不当造成的', ['您操作不当']],
    ['您自己取消了也没关系,我帮您重新开通', '是您自己取消了', ['您自己取消了']],
    ['您是老客户,当然没问题,马上给您办', '您没交费当然用不了', ['您没交费当然用不了']],
  ]);
  both('lecture', [
    ['您上次就说过想换套餐,今天我帮您办好吗?', '上次就跟您说过了', ['上次就跟您说过']],
    ['上次已经跟您说过的那个优惠,今天开始可以办了', '上次已经跟您说过了', ['上次已经跟您说过']],
    ['听到提示音后不要说话,系统会自动录音', '您先别说话', ['别说话']],
    ['我们早就通知了物流,今天下午一定送到', '早就通知了,您没看吗', ['早就通知了']],
    ['这些是基本操作步骤,我发您一份图文说明', '这是基本操作', ['这是基本操作']],
    ['您不应该这样被收费,我马上帮您申请退回', '您不能这样要求', ['您不能这样要求']],
    ['我最后一遍跟您确认一下地址', '我再说最后一遍', ['最后一遍']],
    ['这是安全常识,任何人问您要验证码都不要给', '这是常识', ['这是常识']],
  ]);
  both('excuse', [
    ['我们刚接手这个工单,今天下午给您回复', '我刚接手,不太清楚', ['刚接手']],
    ['电脑有点卡是吧?您先清一下缓存试试', '电脑太卡了', ['电脑太卡']],
    ['页面有点慢,请您稍等,我正在帮您提交', '页面太慢了,没办法', ['页面太慢']],
    ['智能门锁我们控制不了,需要您本人在App里授权', '天气我们也控制不了', ['我们也控制不了']],
    ['这个责任我们来背,不会让您背锅', '我们可不想背锅', ['背锅']],
    ['您忙着顾不上接电话也没关系,我们会短信通知您', '我这边顾不上', ['顾不上']],
    ['厂家不给换的话,我们直接给您退款', '厂家不给发货', ['厂家不给']],
  ]);
});

describe('issue 11 §1/§4, session 12: the faults in the shapes calls give them, and everyday look-alikes', () => {
  // One case per new pattern (scorecards/default.yaml, session 12): the everyday line it must leave,
  // and a fault it finds; whole lines in training/qa-dev/language/batch-s12.yaml.
  const both = (rule: string, rows: [string, string, string[]][]) =>
    it.each(rows)(`${rule} leaves %s, finds %s → %j`, (harmless, fault, found) => {
      expect(said(harmless, `language.forbidden.${rule}`)).toEqual([]);
      expect(said(fault, `language.forbidden.${rule}`)).toEqual(found);
    });
  both('vague', [
    ['您心里没底的话,可以先试用七天', '这个我心里也没个底', ['没个底']],
    ['您对规则没印象也没关系,我给您发一份说明', '规则我也没什么印象了', ['没什么印象']],
    ['您对APP不太熟悉的话,我一步步教您', '这块业务我不太熟悉', ['不太熟悉']],
    ['这个我可以打包票,明天一定送到', '这个我真的不好打包票', ['不好打包票']],
    ['电话里不好判断,我安排师傅上门检测', '啥时候能修好,我也估不准', ['估不准']],
    [
      '暂时没法给您一个确切的时间,我们查询后两小时内给您回电',
      '其实这个我也没法给您一个确切的时间',
      ['没法给您一个确切的时间'],
    ],
    ['请问谁知道您的密码?', '这个谁说得准呢?', ['谁说得准']],
  ]);
  both('hedge', [
    ['我觉得您这个方案挺好的,我这就帮您办', '我个人觉得是系统扣错了', ['觉得是']],
    ['我猜您是想问退款进度,对吧?', '感觉是快递那边的问题', ['感觉是']],
    ['我印象中您上次也是这个问题,这次我直接帮您升级处理', '我印象中是九十九元一个月', ['印象中是']],
    ['退款三个工作日左右到账', '三天左右吧', ['左右吧']],
    ['具体哪天能到,不好估计', '估计是明天', ['估计是']],
    ['大约三点给您回电吧', '大约下周吧', ['大约下周吧']],
  ]);
  both('blame', [
    [
      '这个是因为您的套餐不包含国际漫游,我帮您开通一个好吗?',
      '这个是因为您当时没勾选自动续费',
      ['因为您当时没勾选'],
    ],
    ['不是因为您没有及时取消,是我们系统没同步', '是因为您没有及时取消订阅', ['因为您没有及时']],
    ['下次您来的时候记得带上身份证原件', '建议您下次下单前认真核对一下地址', ['下次下单前认真']],
    ['自己在家就能办,不用跑营业厅', '自己没看清楚就下单了', ['自己没看']],
    ['当时没给您讲清楚,是我的问题', '当时没仔细看合同吧?', ['当时没仔细看合同吧']],
    ['您是不是刚才点了两次支付?我帮您查一下', '您怎么会把地址填错呢?', ['您怎么会把地址填错']],
    ['我又没看到您的留言,抱歉,这就回复您', '是不是又没仔细看短信?', ['又没仔细看']],
    ['很多客户都会问这个,我给您讲一下', '这种情况一般都是客户自己操作不当导致的', ['客户自己操作不当']],
    [
      '经核实,该笔扣款系银行系统重复扣款所致,已为您退回',
      '该笔扣款系您本人未及时解除绑定所致',
      ['系您本人未及时解除绑定所致'],
    ],
  ]);
  both('lecture', [
    ['您最好带上购买发票,师傅上门时要看', '您最好先把说明书看一遍再来问', ['最好先把说明书看一遍再来问']],
    ['我查清楚再打电话给您', '请您以后先看公告再来咨询', ['先看公告再来咨询']],
    ['建议您好好休息,有进展我们短信通知您', '建议您好好看看合同条款', ['您好好看看']],
    ['请您认真听一下语音提示,按3号键', '麻烦您认真听一下我说的', ['您认真听一下我说']],
    ['您已经问了三次了,实在抱歉,是我们没答复清楚', '同样的问题您已经问了三遍了', ['您已经问了三遍']],
    ['本来就该我们承担的运费,已经给您退了', '本来就该提前预约的', ['本来就该']],
    ['前面已经跟您说过的地址,我再核对一下', '上面已经说过了哦', ['上面已经说过了']],
    ['我再跟您重复一遍地址', '我再重复最后一次', ['最后一次']],
    [
      '这个问题我们已在邮件中详细说明,附件是操作指引',
      '此问题我们已在前两封邮件中反复说明',
      ['已在前两封邮件中反复说明'],
    ],
  ]);
  both('excuse', [
    ['今天排队的人特别多,我先帮您登记一个号', '今天排队的人特别多,没来得及处理', ['排队的人特别多']],
    ['您这次的订单量比较大,我帮您申请批发价', '最近订单量大,所以没及时发货', ['最近订单量大,所以没及时']],
    ['网络不好的时候视频会卡,您可以先下载再看', '我们这边网络不好', ['网络不好']],
    ['技术那边没处理完之前,您先别重装系统', '技术那边没处理', ['技术那边没处理']],
    ['这个是商家的原因,我们平台先行赔付给您', '这个是商家的原因', ['这个是商家的原因']],
    ['因为线路有杂音,刚才没听到您说的地址,麻烦您再说一遍', '因为在忙,没听到您的电话', ['因为在忙,没听到']],
    [
      '快递那边今天没派件是因为暴雨,明天我们会优先给您派送',
      '主要是物流公司那边给耽误了',
      ['物流公司那边给耽误了'],
    ],
    ['我们是新店开业,所以优惠力度比较大', '我才来两个礼拜,业务还没上手', ['我才来两个礼拜', '业务还没上手']],
    ['由于近期订单量较大,发货时间会延长至三天内,敬请谅解', '最近仓库爆单了,您多担待', ['爆单']],
    [
      '因为我们这边还没收到退货,所以退款还没发起',
      '因春节期间人员放假,您的工单未能及时处理',
      ['因春节期间人员放假,您的工单未能及时'],
    ],
    ['对不起,我不是故意打断您的', '又不是我故意的', ['又不是我故意']],
  ]);

  // Reviewing the new patterns' reach: everyday lines near their words they must leave.
  it.each([
    ['lecture', '您可以先看一下说明书有问题再来问我'],
    ['blame', '没及时回复您,才让您多等了,非常抱歉'],
    ['blame', '自己没看到的话,可以让家人帮忙看'],
    ['blame', '我们会联系您处理导致的问题'],
    ['blame', '说白了就是您可以免费用一年'],
    ['lecture', '您好好想想还有什么需要'],
    ['lecture', '您已经说了两次了,我记下了'],
    ['lecture', '本来就应该给您退的'],
    ['lecture', '我们已经多次提醒物流尽快派送'],
    ['vague', '这个价格没个底线'],
    ['vague', '您家里还有谁知道?'],
    ['hedge', '我也觉得是这样,我帮您反馈'],
    ['hedge', '下午三点左右吧,您看行吗?'],
    ['hedge', '您没记错的话,就是这个订单'],
    ['excuse', '您还没上手的话我教您'],
    ['excuse', '这也不是我们想看到的,非常抱歉'],
  ])('%s leaves: %s', (rule, line) => expect(said(line, `language.forbidden.${rule}`)).toEqual([]));

  // Speech recognition (src/qa/spoken-reading.ts): the patterns read the agent's words as meant —
  // a filler or a word said twice inside them, a homophone for a word, a sentence cut over two of
  // the agent's turns — and the evidence is the words as written.
  it('finds a fault through a filler, a stutter and a homophone inside its words', () => {
    expect(said('我心里没,呃,没底', 'language.forbidden.vague')).toEqual(['心里没,呃,没底']);
    expect(said('是您自己,呃,没看清楚', 'language.forbidden.blame')).toEqual(['您自己,呃,没看']);
    expect(said('我刚才以经跟您说过了', 'language.forbidden.lecture')).toEqual(['我刚才以经跟您说过']);
    expect(said('具体原因我也不知到', 'language.forbidden.vague')).toEqual(['不知到']);
    expect(said('这个我也不太清除', 'language.forbidden.vague')).toEqual(['不太清除']);
    expect(said('好象是昨天发的货', 'language.forbidden.hedge')).toEqual(['好象']);
    expect(said('是您自己填措了', 'language.forbidden.blame')).toEqual(['您自己填措']);
    // The filler is its own fault as well.
    expect(said('我心里没,呃,没底', 'language.filler')).toEqual(['呃']);
  });

  it('leaves the words a homophone would be taken for where they are other words', () => {
    for (const line of ['请您清除缓存后再试', '我们以经济实惠为主', '这些措施都已落实', '您说的情况我知道了'])
      for (const rule of ['vague', 'lecture', 'blame', 'hedge'])
        expect(said(line, `language.forbidden.${rule}`), `${rule}: ${line}`).toEqual([]);
  });

  it('reads a sentence cut over two agent turns as one, the evidence on the second turn', () => {
    const cut = inspector.inspect(call([c('什么时候能修好?'), a('这个我也不'), a('太确定')]));
    expect(evidence(cut, 'language.forbidden.vague')).toEqual(['太确定']);
    const blamed = inspector.inspect(call([c('为什么没收到?'), a('是您自己'), a('没看清楚')]));
    expect(evidence(blamed, 'language.forbidden.blame')).toEqual(['没看']);
    // Not across the customer's turn, nor after a sentence the agent ended.
    const between = inspector.inspect(call([c('为什么没收到?'), a('是您自己'), c('嗯'), a('没看清楚')]));
    expect(evidence(between, 'language.forbidden.blame')).toEqual([]);
    const ended = inspector.inspect(call([c('为什么没收到?'), a('是您自己。'), a('没看清楚')]));
    expect(evidence(ended, 'language.forbidden.blame')).toEqual([]);
  });

  it('leaves the next turn alone when the previous agent turn ended its sentence or had the fault', () => {
    // Review of session 12, finding 4: the hedge is turn 1's, once.
    for (const [first, second] of [
      ['这个应该没问题吧', '您先试一下吧'],
      ['大概要三天吧', '您到时候查一下吧'],
      // No particle: the match running on into the turn is the one turn 1 already has.
      ['这个应该没问题', '您先试一下吧'],
    ] as const) {
      const r = inspector.inspect(call([c('能用吗?'), a(first), a(second)]));
      const turns = r.findings.filter((f) => f.rule === 'language.forbidden.hedge').map((f) => f.turn);
      expect(turns, `${first} | ${second}`).toEqual([1]);
    }
    for (const [first, second] of [
      ['这是我们应该做的', '那您先忙吧'],
      ['这都是应该的', '那您有事再打过来吧'],
    ] as const) {
      const r = inspector.inspect(call([c('谢谢'), a(first), a(second)]));
      expect(evidence(r, 'language.forbidden.hedge'), `${first} | ${second}`).toEqual([]);
    }
  });

  it('counts a fault once when the words as written and as meant both find it', () => {
    const r = inspector.inspect(call([c('什么时候到?'), a('我也说不准'), a('我也说不准')]));
    expect(evidence(r, 'language.forbidden.vague')).toEqual(['说不准', '说不准']);
  });
});

describe('issue 11 §1/§4, session 15: wordings no pass held, and causes that shift nothing', () => {
  // One case per new pattern (scorecards/default.yaml, session 15): the everyday line it must leave,
  // and a fault it finds; whole lines in training/qa-dev/language/batch-s15.yaml.
  const both = (rule: string, rows: [string, string, string[]][]) =>
    it.each(rows)(`${rule} leaves %s, finds %s → %j`, (harmless, fault, found) => {
      expect(said(harmless, `language.forbidden.${rule}`)).toEqual([]);
      expect(said(fault, `language.forbidden.${rule}`)).toEqual(found);
    });
  both('vague', [
    ['您心里不是特别有数的话,我把费用明细发给您', '具体政策我心里不是特别有数', ['不是特别有数']],
    ['这个价格没个数字我也不好报给您,我查一下马上告诉您', '这个时间我还真没个数', ['没个数']],
    ['这个天知道您有多着急,我马上处理', '能不能批下来,天知道', ['天知道']],
    ['您拿不太准的话,我帮您对比一下两个套餐', '这个问题小客服也拿不太准', ['拿不太准']],
    ['到账时间因银行而异,工商银行一般两小时内', '到账时间因银行而异', ['因银行而异']],
    ['您的情况不能一概而论,我帮您单独核实', '这个要看具体情况,不好一概而论', ['不好一概而论']],
    ['我们也很纳闷怎么会扣两次,已经提交技术排查,今天下午五点前给您回复', '我也纳闷呢', ['我也纳闷']],
    [
      '暂时给不了您准确答复,我们核实后两小时内给您回电',
      '这个我这边真的给不了您准确答复',
      ['给不了您准确答复'],
    ],
    ['我也没办法跟您说清楚,我查一下马上给您回电', '这个要看情况,我也没办法跟您说准', ['没办法跟您说准']],
    ['这个我敢给您打包票,明天一定到', '具体我也不敢给您打包票', ['不敢给您打包票']],
  ]);
  both('hedge', [
    ['这个大致的流程我给您讲一下', '大致是这样吧', ['大致是这样吧']],
    ['这个可能性不是没有,我帮您申请试试', '这事儿吧,也不是没可能', ['也不是没可能']],
  ]);
  both('blame', [
    ['您这是第一次办理吗?', '您这是没按说明书操作啊', ['您这是没按']],
    [
      '密码连续输错五次后系统会自动锁卡,我教您怎么解锁',
      '密码连续输错五次,卡肯定被锁了呀',
      ['错五次,卡肯定被锁'],
    ],
    ['没带身份证的话肯定办不了,您来之前可以先拍照确认', '没带身份证肯定办不了啊', ['没带身份证肯定办不了']],
    ['问题主要出在路由器上,我教您重启一下', '问题还是出在您这边', ['问题还是出在您这边']],
    ['您要是现在下单,明天就能到,也不会耽误您用', '您要是按时还款哪有这么多事', ['您要是按时还款哪有']],
    ['当时为什么没联系您,我查一下记录', '您那时候怎么不打电话问问呢?', ['那时候怎么不打']],
    ['短信里写了验证码,您收到了吗?', '说明书第一页就写了不能水洗,您没看到吗?', ['您没看到吗']],
    [
      '您这是没收到短信吗?我再给您发一遍',
      '您收到短信的时候就没点开看看吗?',
      ['您收到短信的时候就没点开看看吗'],
    ],
    [
      '因您泄露验证码造成的损失,需要您本人承担',
      '您的验证码是自己告诉别人的,这个责任只能您自己承担',
      ['责任只能您自己承担'],
    ],
  ]);
  both('lecture', [
    ['这类问题您要自己联系厂家吗?我可以帮您联系', '这种事情您得自己提前规划好', ['这种事情您得自己']],
    ['您先听我把方案说完,再决定要不要办', '您听我把话说完行不行?', ['听我把话说完']],
    ['同样的问题您之前也反映过,这次直接给您升级处理', '同样的问题不要反复问', ['同样的问题不要反复问']],
    ['每次来电都可以问同一个客服', '每次都问同样的问题,您记一下吧', ['每次都问同样的问题']],
    ['请不要重复提交申请,我们已经收到了', '请您不要再重复来信', ['不要再重复来信']],
    ['页面上写得很明白,我给您念一下', '页面上写得很明白了,请仔细阅读哦', ['写得很明白了,请仔细阅读']],
    ['我再跟您强调一遍注意事项:七天内可以无理由退货', '我再强调一遍,七天后就不能退了', ['再强调一遍']],
    ['这些规则您可以在APP上查看', '这些基本规则是要知道的', ['这些基本规则是要知道']],
    ['这么大的包裹,我们安排上门取件', '这么大人了,这点常识都没有吗?', ['这么大人了', '这点常识都没有']],
    ['我们动动脑子,一起想想办法', '做事之前要先动动脑子', ['动动脑子']],
    ['所以说,这个套餐更适合您', '所以说嘛,办业务前一定要先问清楚', ['所以说嘛,办业务前一定要']],
    ['我讲了半天,您看还有哪里没听清楚?', '讲了半天您还是没听进去', ['讲了半天您还是没听']],
    ['您可以学学这个新功能,挺方便的', '您该学学怎么用手机银行了', ['您该学学']],
  ]);
  both('provoking', [
    ['随您方便,什么时候来都可以', '随您怎么想', ['随您怎么想']],
    ['规定就是为了保护您的账户安全', '规定就是规定哈', ['规定就是规定']],
    ['一直都这么办的话,您每个月能省二十块', '我们一直都这么办的', ['一直都这么办']],
    ['别家的套餐我们也可以帮您对比', '别家也一样', ['别家也一样']],
    ['嫌麻烦的话,我帮您在线办理', '嫌麻烦就别办了', ['嫌麻烦就别办']],
    ['您可以拨打消协电话,我们也会配合处理', '那就去消协告我们吧', ['去消协告我们吧']],
    ['我们不再另行收费', '我司不再另行答复', ['我司不再另行答复']],
    ['这点钱我们马上退给您', '这点钱您也计较', ['这点钱您也计较']],
    ['您跟我说,我来帮您解决', '您冲我嚷嚷也解决不了问题', ['冲我嚷嚷也解决不了']],
    ['别的问题我也可以帮您看看', '能办的我都办了,别的真管不了', ['别的真管不了']],
  ]);
  both('excuse', [
    [
      '系统升级,所以暂停充值两小时,升级完成后短信通知您',
      '今天系统升级,所以您的单子没提交上去',
      ['系统升级,所以您的单子没提交'],
    ],
    ['师傅今天休息,我帮您改约明天上午', '那天同事请假了,您的回访就给落下了', ['同事请假了,您的回访就给落下']],
    [
      '主要是快递那边出了点问题,我已经帮您催了,明天上午送到',
      '主要是快递那边,派送出了点问题',
      ['主要是快递那边,派送出了点问题'],
    ],
    ['是厂家那边发错型号了,我们马上给您换新的', '是厂家那边发错型号了', ['是厂家那边发错']],
    ['是另一位同事帮您登记的,我这就帮您查', '这个单子之前是另一个同事跟的', ['是另一个同事跟的']],
    ['上一个同事已经帮您申请了补发', '这是上一个班组遗留的问题', ['上一个班组遗留']],
    ['我在帮您处理别的订单,请您稍等', '我刚才在处理别的客户,没听见', ['在处理别的客户,没听见']],
    [
      '交接班的时候我已经把您的单子交代给同事了',
      '那会儿我正好在交接班,就没顾上您的单子',
      ['交接班,就没顾上'],
    ],
    ['电脑太卡的话,您可以先关掉其他程序再试试', '电脑太卡了,刚才没保存上', ['电脑太卡了,刚才没保存']],
    [
      '您那边网络不好,所以没听到您说的地址,麻烦您再说一遍',
      '我这边网络不好,所以没听到您说的地址',
      ['我这边网络不好,所以没听到'],
    ],
    ['我是新来的小王,这个问题我请教一下组长,两分钟内给您答复', '我是新来的,这个还不太会', ['我是新来的']],
  ]);
  // Review of session 15 (training/qa-dev/language/review-s15.yaml): causes that shift nothing.
  both('excuse', [
    [
      '网络有点卡,我这边页面还在加载,请您稍等',
      '网络有点卡,所以刚才没听到您说的',
      ['网络有点卡,所以刚才没听到'],
    ],
    ['银行那边处理比较慢,我帮您催一下,今天下午给您回复', '银行那边处理慢', ['银行那边处理慢']],
    [
      '系统刚才超时了,我重新帮您提交了一次',
      '系统刚才超时了,您的单子我也不知道',
      ['系统刚才超时了,您的单子我也不知道'],
    ],
  ]);
  it('finds not mine as provoking and an excuse (seed 002 lists 我们公司的规定是)', () => {
    for (const [line, found] of [
      ['又不是我定的', '又不是我定的'],
      ['上头的规定,我们下面的人也改不了', '上头的规定,我们下面的人也改不了'],
      ['这个价格是厂家定的,我们也没办法', '厂家定的,我们也没办法'],
    ] as const) {
      expect(said(line, 'language.forbidden.provoking'), line).toEqual([found]);
      expect(said(line, 'language.forbidden.excuse'), line).toEqual([found]);
    }
    expect(said('这个规定是总部定的,我帮您申请特批', 'language.forbidden.excuse')).toEqual([]);
    expect(
      said('这个价格是厂家统一定的,我们这边可以给您申请一张优惠券', 'language.forbidden.excuse'),
    ).toEqual([]);
  });
  it('reads 您想咋样 as seed 002 .(三).3 你到底想怎么样, and 这点常识都没有吗 as a rhetorical question', () => {
    expect(said('那,那您想咋样嘛', 'language.forbidden.rhetorical')).toEqual(['您想咋样']);
    expect(said('这点常识都没有吗?', 'language.forbidden.rhetorical')).toEqual(['这点常识都没有吗']);
    expect(said('您想咋样处理都可以,我来安排', 'language.forbidden.rhetorical')).toEqual([]);
  });
});

describe('review of session 15: harmless lines its new patterns failed, the faults beside them', () => {
  // Each row: the harmless line (no finding), the fault in like words, what the fault is found as.
  const both = (rule: string, rows: [string, string, string[]][]) =>
    it.each(rows)(`${rule} leaves "%s", finds "%s"`, (harmless, fault, found) => {
      expect(said(harmless, `language.forbidden.${rule}`)).toEqual([]);
      expect(said(fault, `language.forbidden.${rule}`)).toEqual(found);
    });
  // 天知道 is the word, not 明天 + 知道.
  both('vague', [['审核结果明天知道,到时候我第一时间给您回电话', '能不能批下来,天知道。', ['天知道']]]);
  // The customer's own evening, a condition; a colleague named with what we do (*excuse-owned).
  both('excuse', [
    ['如果您下班以后没看到短信,可以随时再打我们电话', '我下班以后没看到消息', ['下班以后没看到']],
    [
      '这个工单是另一位同事负责的,我马上帮您联系他跟进',
      '是另一个同事跟的,我也不清楚。',
      ['是另一个同事跟的'],
    ],
  ]);
  // A safety notice, others' questions; reassurance, advice for later; an offer of another way.
  for (const rule of ['lecture', 'provoking'])
    both(rule, [
      ['我再强调一遍,验证码千万不要告诉任何人', '我再强调一遍,这个要您自己带身份证', ['再强调一遍']],
      ['很多客户每次都咨询这个问题,我给您详细说一下', '您每次都咨询这个问题', ['每次都咨询这个问题']],
    ]);
  for (const rule of ['blame', 'provoking'])
    both(rule, [
      ['您这期还没还,不过还在宽限期内,肯定不会冻结您的卡', '您没还款,肯定会冻结', ['没还款,肯定会冻结']],
      ['您要是开通自动还款,每个月也不会错过还款日了', '您要是早点还款也不会逾期了', ['您要是早点还款也不会']],
    ]);
  both('provoking', [['嫌麻烦的话不用来营业厅,在APP上就可以办理', '嫌贵的话就别买', ['嫌贵的话就别买']]]);
});

describe('review of session 15: a 20,000-character turn is inspected in bounded work', () => {
  // Only outcomes are asserted, never the clock. A pattern whose work grows with the square of a
  // turn (an unbounded lookahead, an address tried from every letter) takes seconds on each such
  // turn; the calls are inspected one per task, so the timeout can end the test between them.
  const TIMES = 24;
  const eachCall = async (make: () => Call, check: (r: CallResult) => void) => {
    for (let i = 0; i < TIMES; i++) {
      check(inspector.inspect(make()));
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  it('因人而异 before 20,000 digits is still vague', { timeout: 20_000 }, async () => {
    const line = `因人而异${'1'.repeat(20_000)}`;
    await eachCall(
      () => call([c('请问要多久?'), a(line)]),
      (r) => expect(evidence(r, 'language.forbidden.vague')).toEqual(['因人而异']),
    );
  });
  it('20,000 letters before an @ are no email address: the complaint still lacks a contact', {
    timeout: 30_000,
  }, async () => {
    const words = `你们乱扣了我的钱,我要投诉,我的邮箱是${'a'.repeat(20_000)}@`;
    await eachCall(
      () => call([a('您好,很高兴为您服务'), c(words), a('非常抱歉给您添麻烦了。')]),
      (r) => expect(outcome(r, 'complaint.contact-and-deadline')).toBe('fail'),
    );
  });
});

describe('whole calls (training/qa-dev/calls): faults inside long turns, complaints in more words, the closing after a settled complaint', () => {
  const both = (rule: string, rows: [string, string, string[]][]) =>
    it.each(rows)(`${rule} leaves "%s", finds "%s"`, (harmless, fault, found) => {
      expect(said(harmless, `language.forbidden.${rule}`)).toEqual([]);
      expect(said(fault, `language.forbidden.${rule}`)).toEqual(found);
    });
  // A colleague told to take care is no lecture of the customer; a time phrase between 您 and 没.
  for (const rule of ['blame', 'provoking'])
    both(rule, [
      [
        '我会把情况反馈给他的主管,让他以后注意一下',
        '已经帮您解锁了,下次您记得把密码记好,别再输错了',
        ['下次您记得'],
      ],
      [
        '您出国前没有开通的话,我现在就可以帮您开通漫游套餐',
        '您出国前没有开通国际漫游套餐,所以才产生了这么多费用',
        ['您出国前没有开通国际漫游套餐,所以才'],
      ],
    ]);
  // A colleague new to the job as the reason (seed 002 我是新员工); our product disowned.
  both('excuse', [
    [
      '我是新来的客服小李,这个问题我马上帮您查',
      '小何是新来的顾问,业务还不太熟,把时间记错了',
      ['新来的顾问,业务还不太熟'],
    ],
    [
      '这是您家电压不稳造成的,我帮您预约电工师傅上门检查线路',
      '这是电压不稳造成的,不是我们产品造成的',
      ['不是我们产品造成的'],
    ],
  ]);

  const complaint = (words: string) =>
    inspector.inspect(call([a('您好,很高兴为您服务'), c(words), a('好的,我帮您看一下')]));
  it.each([
    '上周约好师傅星期六上门,结果等了一整天人都没来',
    '油烟机上个月才修过,现在又坏了',
    '你们那个顾问,我问了两句他就很不耐烦',
    '我买的电饭煲显示签收了,我根本没收到,你们这快递怎么回事啊',
    '我买的黑色来的是白色,这都第二次了',
    '真是谢谢你们了,一个快递从广州到深圳送了十天,还没到',
  ])('hears a complaint in %s (the apology is owed)', (words) => {
    expect(outcome(complaint(words), 'emotion.apology-on-complaint')).toBe('fail');
  });
  it.each([
    '不好意思啊,我刚才语气有点冲,主要是着急用',
    '新买的空调会不会坏得很快?',
    '我约好了明天上午去营业厅办理',
  ])('hears none in %s', (words) => {
    expect(outcome(complaint(words), 'emotion.apology-on-complaint')).toBe('n/a');
  });

  it('reads 排了半个小时的队终于轮到了 as a wait, not 要排半个小时才轮到吗', () => {
    const wait = (words: string) =>
      outcome(
        inspector.inspect(call([c(words), a('请问您要办理什么业务?')], [], { channel: 'chat' })),
        'emotion.long-wait-apology',
      );
    expect(wait('我排了半个小时的队终于轮到了,想问下退货运费')).toBe('fail');
    expect(wait('等了二十多分钟了才有人回,我问一下优惠券')).toBe('fail');
    expect(wait('是不是要排半个小时才轮到?')).toBe('n/a');
  });

  it('takes the number named by its last digits as the contact (打您尾号8806的手机)', () => {
    const r = inspector.inspect(
      call([
        a('您好,很高兴为您服务'),
        c('说好十天出结果,现在快二十天了,一点消息都没有'),
        a('非常抱歉,理赔专员会在明天下午五点前给您回电,打您尾号8806的手机可以吗?'),
        c('可以'),
      ]),
    );
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('pass');
  });

  it('a complaint settled in the call needs no contact when the closing follows the settling reply', () => {
    const turns = (settle: string) => [
      a('您好,很高兴为您服务'),
      c('我昨天下的单明明满九十九包邮,凭什么还扣了我十块钱运费'),
      a('非常抱歉,请您提供一下订单号,我马上帮您核实'),
      c('2026120188213'),
      a(settle),
      c('好的,那没事了'),
      a('请问还有其他问题需要帮您处理吗?'),
      c('没有了'),
      a('感谢您的来电,再见!'),
    ];
    expect(
      outcome(
        inspector.inspect(call(turns('我已经为您把十元运费退回到原支付账户了'))),
        'complaint.contact-and-deadline',
      ),
    ).toBe('n/a');
    // Something left for later is still owed a contact and a time limit.
    expect(
      outcome(
        inspector.inspect(call(turns('运费的事我反馈给财务,核实后会联系您'))),
        'complaint.contact-and-deadline',
      ),
    ).toBe('fail');
  });
});

describe('whole calls, round 2: outbound calls someone else answers, in more first words', () => {
  const outbound = (answer: string, ask: string, end: string) =>
    inspector.inspect(
      call(
        [a('您好,我是客服中心的工作人员,工号1316,请问是韩涛先生吗?'), c(answer), a(ask), c('好'), a(end)],
        [],
        { direction: 'outbound', brand: 'generic' },
      ),
    );
  it.each([
    '他在洗澡呢,你有什么事?',
    '她睡着了,我是她老伴儿',
    '他在开车,手机在我这儿,你说吧',
    '我帮他接的,他人在医院做检查',
  ])('%s: someone else answers (the contact and a time owed, not the closing question)', (answer) => {
    const asked = outbound(answer, '请问他什么时间方便接电话?', '好的,那我们晚点再联系,谢谢您,再见!');
    expect(outcome(asked, 'outbound.not-the-customer')).toBe('pass');
    expect(outcome(asked, 'closing.more-questions')).toBe('n/a');
    const none = outbound(answer, '好的,那麻烦您转告一下', '那我晚点再打,拜拜。');
    expect(outcome(none, 'outbound.not-the-customer')).toBe('fail');
  });
  it('是我,我在开车 is the customer, busy: the closing question is owed', () => {
    const r = outbound(
      '是我,我在开车,你长话短说',
      '您的宽带下周一到期,可以在APP上续费',
      '好的,不打扰您了,再见。',
    );
    expect(outcome(r, 'outbound.not-the-customer')).toBe('n/a');
    expect(outcome(r, 'closing.more-questions')).toBe('fail');
  });
});

describe('session 24: outbound calls someone else answers — said later, private business told, the customer fetched', () => {
  const outbound = (...turns: Turn[]) =>
    inspector.inspect(call(turns, [], { direction: 'outbound', brand: 'generic' }));
  const open = a('您好,我是客服中心的工作人员,工号1316,请问是韩涛先生吗?');
  const asked = a('请问他什么时间方便接电话?');
  const end = a('好的,谢谢您,再见!');
  it('who answered says so after a 喂? and the question again: the rule applies, the closing question does not', () => {
    const r = outbound(
      open,
      c('喂?'),
      a('您好,请问是韩涛先生吗?'),
      c('我是他儿子,他出去了'),
      asked,
      c('晚上'),
      end,
    );
    expect(outcome(r, 'outbound.not-the-customer')).toBe('pass');
    expect(outcome(r, 'closing.more-questions')).toBe('n/a');
    const none = outbound(
      open,
      c('喂?'),
      a('您好,请问是韩涛先生吗?'),
      c('他不在家,我是他老婆'),
      a('好的,拜拜'),
    );
    expect(outcome(none, 'outbound.not-the-customer')).toBe('fail');
  });
  it.each([
    '韩先生的信用卡已经逾期两个月了,麻烦您提醒他',
    '韩先生的宽带欠费两百多,再不交就要停机了',
    '韩先生送修的冰箱检测过了,压缩机坏了',
    '韩先生的车险现在续保可以打八五折',
  ])(
    '%s: the customer’s private business told to whoever answered fails, though the time is asked',
    (told) => {
      const r = outbound(open, c('我是他妈,他上班去了'), a(told), c('哦'), asked, c('晚上'), end);
      expect(outcome(r, 'outbound.not-the-customer')).toBe('fail');
    },
  );
  it('naming what the call is about is no private business', () => {
    const r = outbound(
      open,
      c('我是他同事,他在开会'),
      a('我们是想跟韩先生确认一下保单的信息'),
      c('好'),
      asked,
      c('四点'),
      end,
    );
    expect(outcome(r, 'outbound.not-the-customer')).toBe('pass');
  });
  it('our own number left for a call back asks neither the contact nor a time; 韩先生有手机号码吗 does', () => {
    const message = outbound(
      open,
      c('他不在,我是他同事'),
      a('麻烦您转告他回个电话,我们的联系电话是4008123456'),
      c('好'),
      end,
    );
    expect(outcome(message, 'outbound.not-the-customer')).toBe('fail');
    const mobile = outbound(open, c('这是他办公室,他不在座位上'), a('请问韩先生有手机号码吗?'), c('有'), end);
    expect(outcome(mobile, 'outbound.not-the-customer')).toBe('pass');
  });
  it('a number now someone else’s is answered by someone else', () => {
    const r = outbound(
      open,
      c('不是,这个号码我刚办的,我不认识他'),
      a('请问您知道韩先生的其他联系方式吗?'),
      c('不知道'),
      end,
    );
    expect(outcome(r, 'outbound.not-the-customer')).toBe('pass');
  });
  it('the answerer fetches the customer: the customer is served, the closing is owed and given', () => {
    const r = outbound(
      open,
      c('我是他老婆,你等一下,我去叫他'),
      c('喂,我是韩涛,什么事?'),
      a('韩先生您好,您反映的网络问题已经处理好了'),
      c('好的'),
      a('请问您还有其他问题吗?'),
      c('没有了'),
      a('好的,有任何问题再与我们联系,再见!'),
    );
    expect(outcome(r, 'outbound.not-the-customer')).toBe('n/a');
    // Seed 000 B.二.3's outbound closing is owed and given: the question, then 有任何问题再与我们联系
    // (said alone it confirms nothing: round-s34.test.ts).
    expect(outcome(r, 'closing.more-questions')).toBe('pass');
  });
});

describe('session 24: the closing question asked, one more matter, then the caller says nothing is left', () => {
  const closing = (last: string) =>
    outcome(
      inspector.inspect(
        call([
          a('您好,很高兴为您服务'),
          c('我想查一下话费'),
          a('您的话费余额还有三十二元'),
          a('请问您还有其他问题吗?'),
          c('对了,流量包怎么没生效'),
          a('流量包是次月生效的'),
          a('这个月一号已经生效了'),
          c('那现在用的算在包里吗'),
          a('是的,都算在包里'),
          c(last),
          a('不客气,感谢您的来电,再见'),
        ]),
      ),
      'closing.more-questions',
    );
  it.each(['好的,那没有了,谢谢', '好,就这些了', '没别的事了,谢谢'])('%s confirms it: pass', (last) =>
    expect(closing(last)).toBe('pass'),
  );
  it.each(['好的,谢谢', '行,那我晚上再看看'])('%s leaves it unconfirmed after a new matter: fail', (last) =>
    expect(closing(last)).toBe('fail'),
  );
});

describe('session 24: chat threads — how they end', () => {
  const chat = (...turns: Turn[]) => {
    const r = inspector.inspect(call(turns, [], { channel: 'chat', brand: 'generic' }));
    return [outcome(r, 'closing.more-questions'), outcome(r, 'closing.farewell')];
  };
  const ask = c('新手机发热很厉害,耗电也快,怎么回事');
  it('an invitation to come back with any question passes both closing rules', () => {
    expect(chat(ask, a('建议您升级到最新系统,有什么疑问可随时与我们联系的'))).toEqual(['pass', 'pass']);
    expect(chat(ask, a('建议您先升级系统,如果之后再出现这个情况的话,您可以再联系我们'))).toEqual([
      'pass',
      'pass',
    ]);
  });
  it('advice to check something oneself is no follow-up awaited: the closing is owed', () => {
    expect(chat(ask, a('您可通过网上营业厅,进入详单查询中核查一下流量明细'))).toEqual(['fail', 'fail']);
    // The agent's own check still awaits its result.
    expect(chat(ask, a('我帮您查一下,稍后回复您'))).toEqual(['n/a', 'n/a']);
  });
  it.each(['好的,我再试试', '不用抱歉,支持你们,期待更新!', '哦耶太好了'])(
    '%s signs off: the closing is owed',
    (last) => expect(chat(ask, a('建议您升级到最新系统'), c(last))).toEqual(['fail', 'fail']),
  );
  it('a thread stopping on the agent’s question, advice after it, awaits the answer', () =>
    expect(chat(ask, a('您的系统版本是多少呢?建议您重启一下看看哈'))).toEqual(['n/a', 'n/a']));
  it('工作人员核查后会为您解答 awaits a follow-up', () =>
    expect(chat(ask, a('工作人员核查后会为您解答的哦'))).toEqual(['n/a', 'n/a']));
});

describe('session 24: one apology answers a grievance the caller goes on with', () => {
  const apology = (...turns: Turn[]) =>
    outcome(inspector.inspect(call(turns)), 'emotion.apology-on-complaint');
  const open = a('您好,很高兴为您服务');
  it('a complaint repeated after the apology needs no fresh one', () =>
    expect(
      apology(
        open,
        c('你们的宽带三天两头断网,太差劲了'),
        a('非常抱歉给您带来不便,请问您的宽带账号是多少?'),
        c('账号是02012345,你们这服务真是越来越差了'),
        a('好的,我帮您登记报修'),
      ),
    ).toBe('pass'));
  it('without any apology each complaint fails', () =>
    expect(
      apology(
        open,
        c('你们的宽带三天两头断网,太差劲了'),
        a('请问您的宽带账号是多少?'),
        c('账号是02012345,你们这服务真是越来越差了'),
        a('好的,我帮您登记报修'),
      ),
    ).toBe('fail'));
  it('a complaint long after the apology (more than two replies) is owed a new one', () =>
    expect(
      apology(
        open,
        c('你们的宽带三天两头断网,太差劲了'),
        a('非常抱歉给您带来不便,请问您的宽带账号是多少?'),
        c('02012345'),
        a('好的,请问您的地址是?'),
        c('天河路一号'),
        a('好的,已经帮您登记了'),
        c('上次登记完也没人来,你们就是骗人'),
        a('师傅会在今天下午联系您'),
        c('好吧'),
        a('请问还有其他问题吗?'),
      ),
    ).toBe('fail'));
});

describe('session 24: complaints in short everyday words', () => {
  const apology = (words: string) =>
    outcome(
      inspector.inspect(
        call([a('您好,很高兴为您服务'), c(words), a('好的,我帮您看一下'), a('请问还有其他问题吗?')]),
      ),
      'emotion.apology-on-complaint',
    );
  it.each([
    '刚买的电饭煲就不加热了,这是什么质量啊',
    '装修师傅把我家地板刮花了,你们得给我个交代',
    '停电一整天冰箱里的东西全坏了,你们要赔我损失',
    '你每次都说在处理,别再敷衍我了',
    '提前一天退票就要扣一半的钱,你们还讲不讲道理',
    '这台洗衣机修了三次还是坏的',
    '跟你说不清楚,叫你们领导来跟我说',
    '这种处理方式我不能接受',
    '说了半天等于没说',
    '你们就是欺负老百姓',
    '我要去法院起诉你们',
    '上次的问题到现在也没解决',
    '这都三天了还没修好',
    '我根本没有开通这个业务',
    '莫名其妙多了一笔扣费',
    '信号差得要命',
    '你们说话不算话',
    '真是服了你们了',
    '这个问题已经反映过很多次了',
    '我真后悔买了你们的东西',
    '我花钱是来受气的吗',
    '一个月了还没发货',
    '刚才那个客服直接挂我电话',
    '我对你们太失望了',
    '每次都说马上处理,结果呢',
    '宣传的和实际的完全不一样',
    '收了钱不办事',
    '能不能给我解决一下,我都打了十几个电话了',
    // Session 32: a fix recalled is no complaint (below), one that failed again is.
    '我上周反映过一次,师傅已经修好了,可是又不行了,这次是想问保修',
  ])('%s is a complaint: no apology fails', (words) => expect(apology(words)).toBe('fail'));
  it.each([
    '你们这款电饭煲质量怎么样',
    '我找一下你们的王经理,上次是他帮我办的',
    '这台空调修过两次,现在挺好的,我想再加一个延保',
    '账单上多了一笔十元的费用,想请您给我解释一下',
    '这个方案我可以接受,就按这个办吧',
    '我上周反映过一次,师傅已经修好了,这次是想问保修',
    '办这个需要多长时间,我怕浪费时间白跑一趟',
    '早知道这么方便,后悔没早点办',
    '到底选哪个套餐比较划算',
    '这台机器我用了三年了还没坏过,想再买一台',
    '我打了两次电话都是您接的,真巧',
  ])('%s is no complaint', (words) => expect(apology(words)).toBe('n/a'));
  it('nobody has contacted me after a week is a long wait for our answer: its apology is owed', () =>
    expect(
      outcome(
        inspector.inspect(
          call([a('您好,很高兴为您服务'), c('我等了一个星期了还没人联系我'), a('好的,我帮您看一下')]),
        ),
        'emotion.long-wait-apology',
      ),
    ).toBe('fail'));
});

describe('session 24: a complaint answered by the agent’s call back', () => {
  const contact = (reply: string) =>
    outcome(
      inspector.inspect(
        call([c('订单维权一个月了,为什么没有人和我联系!'), a(reply), c('好吧')], [], {
          channel: 'chat',
          brand: 'generic',
        }),
      ),
      'complaint.contact-and-deadline',
    );
  it('the agent has already phoned the caller about it: nothing is owed later', () => {
    expect(contact('您好,我司工作人员刚已致电您沟通,退款需退货后办理,还请理解')).toBe('n/a');
    expect(contact('您好,我是刚刚给您回电的客服,费用我们会为您调整')).toBe('n/a');
  });
  it('a call that did not get through answers nothing', () =>
    expect(contact('您好,我们刚才给您打电话没人接,您的问题我们会尽快处理')).toBe('fail'));
});

describe('session 24: the closing question in more words', () => {
  it.each(['还需要我做什么吗?', '除此之外还有吗?', '您还想了解点什么?'])('%s asks it', (q) =>
    expect(
      outcome(
        inspector.inspect(
          call([
            a('您好,很高兴为您服务'),
            c('我想查话费'),
            a('您的话费余额是三十元'),
            c('好的'),
            a(q),
            c('没了'),
            a('感谢来电,再见'),
          ]),
        ),
        'closing.more-questions',
      ),
    ).toBe('pass'),
  );
});

describe('review of session 16: harmless lines the session’s new patterns failed, the faults beside them', () => {
  const outbound = (answer: string) =>
    inspector.inspect(
      call(
        [
          a('您好,我是客服中心的工作人员,工号1316,请问是韩涛先生吗?'),
          c(answer),
          a('您的宽带提速已经审核通过,请问您还有其他问题吗?'),
          c('没有了'),
          a('好的,感谢您的接听,再见!'),
        ],
        [],
        { direction: 'outbound', brand: 'generic' },
      ),
    );
  it.each(['嗯,是我。我在医院陪她做检查,你说吧', '对对,你说,我刚送他到医院,有点忙'])(
    '%s: the customer answers, busy with someone else — the closing rules apply',
    (answer) => {
      const r = outbound(answer);
      expect(outcome(r, 'outbound.not-the-customer')).toBe('n/a');
      expect(outcome(r, 'closing.more-questions')).toBe('pass');
    },
  );
  it.each(['嗯,他在医院做检查', '你找我老公啊?他在睡觉', '啊,你说什么?他在医院'])(
    '%s: someone else answers',
    (answer) => expect(outcome(outbound(answer), 'outbound.not-the-customer')).toBe('fail'),
  );
  // The customer's words: a complaint asks for an apology, harmless words leave the rule n/a.
  const complaint = (words: string) =>
    outcome(
      inspector.inspect(call([a('您好,很高兴为您服务'), c(words), a('好的,我帮您看一下')])),
      'emotion.apology-on-complaint',
    );
  it.each([
    ['办过的,这已经是第二次了,流程我都知道', '这都第二次了,还是没修好'],
    ['你们那个积分是怎么回事,能换什么东西', '你们这快递怎么回事,能不能快点'],
    ['上次来的师傅态度真的不差,我想再约他', '上次来的师傅态度一点都不好'],
    [
      '真是谢谢你们了,要不是你们上次提醒,我到现在还没发现这个优惠',
      '真是谢谢你们了,一个快递从广州到深圳送了十天,还没到',
    ],
  ])('"%s" is no complaint; "%s" is', (harmless, fault) => {
    expect(complaint(harmless)).toBe('n/a');
    expect(complaint(fault)).toBe('fail');
  });
  // Reassurance about new staff, new customers, the customer comforted (review-s16.yaml).
  it.each([
    '您放心,新来的师傅也都培训过,不会不熟悉的',
    '新来的客户可以领新人礼包,您忘了领的话我帮您补上',
    '没关系,这个业务不太熟很正常,我一步一步教您',
    '我们的业务员都很熟悉流程,新来的也会有老员工带着,不会弄错的',
  ])('excuse leaves "%s"', (line) => expect(said(line, 'language.forbidden.excuse')).toEqual([]));
  it.each([
    ['他是新来的,把您的预约时间记错了', '新来的,把您的预约时间记错'],
    ['新来的那个同事不太熟悉流程,所以给您办错了', '新来的那个同事不太熟'],
  ])('excuse finds "%s"', (line, found) => expect(said(line, 'language.forbidden.excuse')).toContain(found));
  // A rule told as a condition (…没…的话,我们才会…) blames nobody; the omission as the cause does.
  for (const rule of ['blame', 'provoking'])
    it.each([
      ['您到时没收到的话,我们才会安排补发,您先别着急', '您到时没去取,所以才会被退回'],
      ['您下单时没选加急的话,我们才会按普通件发', '您下单时没选加急,所以才会按普通件发的'],
    ])(`${rule} leaves "%s", finds "%s"`, (harmless, fault) => {
      expect(said(harmless, `language.forbidden.${rule}`)).toEqual([]);
      expect(said(fault, `language.forbidden.${rule}`)).toHaveLength(1);
    });
});

describe('issue 11 §1/§4, session 19: the seeds’ faults in a transcript’s shapes (training/qa-dev/language/batch-s19.yaml)', () => {
  it('the agent’s 不知道 before 您 in a run-on turn: the 吗 of a later closing question does not make it a question', () => {
    expect(said('具体哪天到不知道您可以查一下物流还有其他问题吗', 'language.forbidden.vague')).toEqual([
      '不知道',
    ]);
    // Polite questions stay harmless, the closing one included.
    expect(said('不知道您还有其他问题吗?', 'language.forbidden.vague')).toEqual([]);
    expect(said('不知道您这个是什么时候办的呢', 'language.forbidden.vague')).toEqual([]);
  });
  it.each(['可能会有点延迟您耐心等一下', '这个时间可能会慢一些具体以短信通知为准'])(
    '可能会 with a delay in more words is vague: %s',
    (line) => {
      expect(said(line, 'language.forbidden.vague')).toEqual(['可能会']);
    },
  );
  it('可能会 saying what a service can do stays harmless', () => {
    expect(said('可能会产生一定的手续费具体以页面显示为准', 'language.forbidden.vague')).toEqual([]);
  });
  it('the seed’s 这个是有差异的 without 这个 is vague; a condition or a question is not', () => {
    expect(said('每个人的情况是有差异的', 'language.forbidden.vague')).toEqual(['是有差异的']);
    expect(said('如果价格是有差异的话我们给您补差价', 'language.forbidden.vague')).toEqual([]);
    expect(said('两个套餐不是有差异的吗?', 'language.forbidden.vague')).toEqual([]);
  });
  it('blame: 是您下单的时候…填错 (a time between 您 and the slip); not as a condition', () => {
    expect(said('亲,是您下单的时候地址填错了哦', 'language.forbidden.blame')).not.toEqual([]);
    expect(said('如果是您下单的时候地址填错了,可以申请修改', 'language.forbidden.blame')).toEqual([]);
  });
  it('the seeds’ own lines that name a cause are no excuse (004 外部原因, 000 B.一.6, 002 一.(五))', () => {
    for (const line of [
      '您刚才反映的不属全家乐电器产品的质量问题,而是电力原因所造成的,请您先找相关专业人员检查,还不行的话,再打电话来好吗?',
      '非常抱歉 刚才电话断线了',
      '对不起,他现在正在接电话,请问您找他有什么事情?我能帮您解决吗?',
    ]) {
      expect(said(line, 'language.forbidden.excuse')).toEqual([]);
    }
  });
});

describe('session 19: outbound calls someone else answers, in more words (training/qa-dev/calls/batch-s19.yaml)', () => {
  const outbound = (answer: string, ask: string, end: string) =>
    inspector.inspect(
      call([a('您好,我是客服中心的工作人员,请问是张伟先生吗?'), c(answer), a(ask), c('好'), a(end)], [], {
        direction: 'outbound',
        brand: 'generic',
      }),
    );
  it.each([
    '我是她闺女,她出去买菜了',
    '我是张伟的爱人,他手机落家里了',
    '他还没下班呢,你有什么事',
    '我是他同学,他在洗手间',
    '他去上班了,我是他家里人',
    '他不在,我是他太太',
  ])('%s: someone else answers', (answer) => {
    const asked = outbound(answer, '请问他什么时候方便接电话?', '好的,谢谢您,再见!');
    expect(outcome(asked, 'outbound.not-the-customer')).toBe('pass');
    expect(outcome(asked, 'closing.more-questions')).toBe('n/a');
    expect(outcome(outbound(answer, '好的', '那我改天再打,再见'), 'outbound.not-the-customer')).toBe('fail');
  });
  it.each(['我是张伟,你说', '我是中华保险的客户,你说吧'])('%s: the customer answers (n/a)', (answer) => {
    expect(
      outcome(outbound(answer, '请问他什么时候方便接电话?', '谢谢您,再见'), 'outbound.not-the-customer'),
    ).toBe('n/a');
  });
  it('the time or the contact asked in more words; seed 003’s 麻烦您了 / 那就拜托您了 end the call as 谢谢您 does', () => {
    const away = '他不在家';
    expect(
      outcome(outbound(away, '请问我几点打过来合适?', '好的,谢谢您,再见'), 'outbound.not-the-customer'),
    ).toBe('pass');
    expect(
      outcome(outbound(away, '请问他还有别的电话吗?', '好的,谢谢您,再见'), 'outbound.not-the-customer'),
    ).toBe('pass');
    expect(
      outcome(outbound(away, '请问他什么时候方便接电话?', '好的,麻烦您了,再见'), 'outbound.not-the-customer'),
    ).toBe('pass');
    expect(
      outcome(outbound(away, '请问他什么时候方便接电话?', '那就拜托您了,再见'), 'outbound.not-the-customer'),
    ).toBe('pass');
    // Without thanks the ending still fails.
    expect(
      outcome(outbound(away, '请问他什么时候方便接电话?', '好的,再见'), 'outbound.not-the-customer'),
    ).toBe('fail');
  });
});

describe('session 19, round 3 (batch-s19-r3.yaml): another department’s matter handed over; seed 003’s habitual phrasings', () => {
  it.each([
    '这个业务不是我们这边负责的 我帮您转接到售后部门 请您稍等',
    '理赔进度是理赔部门负责的,不是我们客服处理的,我这边帮您催一下,两个小时内给您回电',
    '这个属于银行那边的事 我帮您查一下银行的客服电话',
  ])('whose matter it is, with the transfer or help in the same sentence, is information: %s', (line) => {
    expect(said(line, 'language.forbidden.provoking')).toEqual([]);
    expect(said(line, 'language.forbidden.excuse')).toEqual([]);
  });
  it.each(['这个不是我们部门负责的 您找别人吧', '那是财务部门的事 我管不了'])(
    'the matter pushed away is still provoking and an excuse: %s',
    (line) => {
      expect(said(line, 'language.forbidden.provoking')).not.toEqual([]);
      expect(said(line, 'language.forbidden.excuse')).not.toEqual([]);
    },
  );
  it.each(['您没有弄明白 我再说一遍', '您还是没听明白'])(
    'seed 003’s 你没有弄明白 in call words lectures: %s',
    (line) => {
      expect(said(line, 'language.forbidden.lecture')).not.toEqual([]);
      expect(said(line, 'language.forbidden.provoking')).not.toEqual([]);
    },
  );
  it.each(['如果您没听明白的话我再说一遍', '您没听明白吗?我再说一遍', '有您没弄明白的地方随时问我'])(
    'a condition, the line checked or an offer is no lecture: %s',
    (line) => {
      expect(said(line, 'language.forbidden.lecture')).toEqual([]);
    },
  );
  it('blame: the customer’s misuse named (您这个属于操作不当造成的); not a policy nor clearing them', () => {
    expect(said('您这个属于操作不当造成的', 'language.forbidden.blame')).not.toEqual([]);
    expect(said('如果您这个是操作不当造成的,就不在保修范围内', 'language.forbidden.blame')).toEqual([]);
    expect(said('不是说您这是操作失误,是我们系统的问题', 'language.forbidden.blame')).toEqual([]);
  });
});

describe('a third writer’s faults inside courteous words (batch-s25): the cause put on the customer, and what stays harmless', () => {
  const rules = (line: string) => {
    const r = inspector.inspect(call([c('请问这个怎么办?'), a(line)]));
    return ['vague', 'provoking', 'excuse', 'blame', 'lecture'].filter(
      (k) => outcome(r, `language.forbidden.${k}`) === 'fail',
    );
  };
  it.each([
    ['订单被取消是因为您超时没付款,这个系统是不等人的。', ['provoking', 'blame']],
    ['师傅本来约的是九点,结果您家一直没人开门。', ['provoking', 'blame']],
    ['您把收件人填成了您同事的名字,所以包裹才退回去了。', ['provoking', 'blame']],
    ['作为车主,您本来就应该按时年检。', ['provoking', 'lecture']],
    ['这是我第三次跟您说明了,补贴只发一次。', ['provoking', 'lecture']],
    ['这个不在我们的受理范围内,所以我们这边处理不了。', ['provoking', 'excuse']],
    ['快递公司那边一直不回复,我们这边也只能干等着。', ['excuse']],
    ['维修什么时候完成,目前还是个未知数。', ['vague']],
  ])('%s → %j', (line, expected) => {
    expect(rules(line)).toEqual(expected);
  });
  it.each([
    '不是您的原因,是我们的系统多算了一个月,差价会退回您的账户。',
    '因为您的订单还没付款,所以系统没有发货,您付款后会马上发出。',
    '如果是因为您没有开通漫游,我现在帮您开通。',
    '您把地址填错了也没关系,我帮您改过来。',
    '您这个诉求属于区住建局的职责,我已经帮您派单过去了。',
    '今天片区装机的单子比较多,师傅排到了下午四点左右。',
  ])('harmless: %s', (line) => {
    expect(rules(line)).toEqual([]);
  });
  it('a guess about the customer’s card is a hedge, not blame (可能是您的卡没有开通)', () => {
    expect(rules('可能是您的卡没有开通。')).not.toContain('blame');
  });
});
