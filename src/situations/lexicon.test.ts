// Help-desk and phone wordings of the lexicon (issue 9 §2): every expression added fires on a
// line it was written for and stays quiet on a harmless look-alike. Lines of our own, written
// from the guidelines (training/situations/GUIDELINES.md), never corpus text.
import { describe, expect, it } from 'vitest';
import { lexiconHits, prepareText } from './features.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from './ids.ts';

type Kind = 'strong' | 'cue' | 'trap';

function fires(text: string, id: DetectedSituation, kind: Kind): boolean {
  return lexiconHits(prepareText(text))[kind][DETECTED_SITUATION_IDS.indexOf(id)] === true;
}

/** [line it must fire on, look-alike it must not fire on] per expression. */
function both(id: DetectedSituation, kind: Kind, pairs: readonly (readonly [string, string])[]): void {
  for (const [yes, no] of pairs) {
    expect(fires(yes, id, kind), `${id} ${kind} should fire: ${yes}`).toBe(true);
    expect(fires(no, id, kind), `${id} ${kind} should not fire: ${no}`).toBe(false);
  }
}

describe('lexicon: help-desk wordings, each both ways', () => {
  it('angry: heat, scorn and mock laughter, not their harmless look-alikes', () => {
    both('angry', 'strong', [
      ['呵呵,又断网了', '用心呵护每一位用户'],
      ['这网络真是垃圾', '每天收到垃圾短信,能拦截吗'],
      ['这次更新是什么鬼', '这次更新是什么功能'],
      ['我也是醉了', '朋友喝醉了'],
      ['太无耻了', '维修是无偿的'],
      ['坑爹的套餐', '路上有个坑'],
      ['简直丧心病狂', '我病了,请假一天'],
      ['你们客服都是吃干饭的吗', '晚上吃米饭'],
      ['该死的网络', '应该死机了,我重启一下'],
      ['特么又扣钱', '特别满意'],
      ['简直扯淡', '我扯了一下网线'],
      ['这也太扯了', '拉扯孩子不容易'],
      ['再也不用你们的卡了', '再也不用担心流量了'],
      ['这也能扣钱?!', '真的吗?好的!'],
      ['你们也太坑了', '这个视频太搞笑了'],
      ['真够差劲的', '路面太坑洼'],
    ]);
  });

  it('tech-question: how/why questions about a device, app, network, account or bill', () => {
    both('tech-question', 'strong', [
      ['提示错误代码是什么意思', '我的意思是明天来'],
      ['还有什么办法恢复数据', '没有办法了'],
    ]);
    both('tech-question', 'cue', [
      ['为什么我的流量用得这么快', '为什么你不早说'],
      ['流量包为何没生效', '我们为何不早点出发'],
      ['这张卡能开通国际漫游吗?', '你好吗?'],
    ]);
  });

  it('product-fault: a device or service not working, in many wordings', () => {
    both('product-fault', 'strong', [
      ['登录一直失败', '这手机一直很好用'],
      ['短信收不到', '我用不到这么多流量'],
      ['新版本下载不了', '看不起人'],
      ['家里没网了', '我没有网购过'],
      ['新版本耗电特别快', '这款耗电少吗'],
      ['手机自己关机', '我自己关机的'],
      ['应用有bug', '买了个bugatti模型'],
      ['客户端无法登录', '这个解释无法接受'],
    ]);
  });

  it('repeat-unresolved: raised before and still not solved, not a first time or plain persistence', () => {
    both('repeat-unresolved', 'strong', [
      ['这是第三次了', '第一次用你们的宽带'],
      ['又来了,网又断了', '又是新的一年'],
      ['重装以后问题依旧', '问题已经解决了'],
      ['打了五次电话', '我依然支持你们'],
    ]);
  });

  it('suggestion: a proposal, not the hope that one’s own problem gets fixed', () => {
    both('suggestion', 'strong', [
      ['要是晚上也营业就更好了', '现在更好了'],
      ['多送点流量呀', '多给了我五块钱'],
    ]);
    both('suggestion', 'trap', [['希望尽快解决', '希望你们能增加夜间客服']]);
    expect(fires('希望你们能增加夜间客服', 'suggestion', 'strong')).toBe(true);
    both('suggestion', 'cue', [['应该早点通知大家', '应该是网络问题']]);
  });

  it('complaint: a demand that we act, not a question of who is in charge', () => {
    both('complaint', 'strong', [['网速这么慢,你们到底管不管', '售后管不管上门安装?']]);
  });

  // Second round (issue 9 §2): more help-desk wordings, and traps for over-firing ones.
  it('angry, second round: swearing-lite, stock replies, refused apologies, fed up', () => {
    both('angry', 'strong', [
      ['卧槽,又断网了', '我靠近窗户信号好点'],
      ['还要不要脸了', '我要洗脸了'],
      ['每天十几条短信,有完没完', '事情办完没有'],
      ['凭什么扣我的钱', '凭发票可以退吗'],
      ['网又断了,我要疯了', '我要去疯狂购物'],
      ['别拿套话敷衍我', '我们套餐话费多少'],
      ['回复全是复制粘贴', '怎么复制文件'],
      ['道歉有什么用', '这个功能有什么用处'],
      ['我不想听这些', '我想听听你的意见'],
      ['真让人心寒', '冬天心里暖暖的'],
      ['再也不信任你们了', '我信任你们的售后'],
      ['服务好烂', '好烂漫的风景'],
    ]);
    both('angry', 'cue', [
      ['找你们有什么用', '这有什么用途'],
      ['难道要我自己修吗', '这道题很难'],
      ['是不是故意多扣钱', '是不是欠费了'],
      ['再这样我就转网了', '转发一下网址'],
      ['竟然又停机了', '竟日'],
      ['干得漂亮,又把我的卡停了', '这衣服真漂亮'],
      ['[怒]又扣费', '[微笑]收到了'],
      ['神一样的效率', '效率提高了'],
    ]);
  });

  it('tech-question, second round: where to get it done, whether a plan rolls over, explain it', () => {
    both('tech-question', 'cue', [
      ['哪里可以办副卡', '那里风景很好'],
      ['没用完的流量会清零吗', '我把记录清零了'],
      ['能解释一下这笔费用吗', '我解释过了'],
    ]);
  });

  it('product-fault, second round: errors shown, crashes, weak network, still broken after trying', () => {
    both('product-fault', 'strong', [
      ['安装时提示空间不足', '提示音很好听'],
      ['服务器宕机了吧', '服务器在哪'],
      ['图标自己变小了', '我自己变更了套餐'],
      ['这里信号很差', '信号很好'],
      ['重启也恢复不了', '已经恢复了'],
      ['充了话费还没到账', '话费到账了'],
      ['来电不显示号码', '显示号码了'],
      ['试了几次还是不行', '试了一下可以了'],
    ]);
    expect(fires('刚才信号不好,你再说一遍', 'product-fault', 'strong')).toBe(false);
    both('product-fault', 'cue', [
      ['重装了还是不行', '还是你们好'],
      ['这个方法不管用', '管用的方法'],
      ['上网老是出错', '出差回来了'],
      ['网络不稳定', '心情稳定'],
      ['屏幕变成空白', '变更套餐'],
    ]);
  });

  it('long-wait, second round: nobody got back, lines busy, days passed, still waiting', () => {
    both('long-wait', 'strong', [
      ['没有人跟我联系', '有人跟我联系了'],
      ['客服电话全忙', '全都办好了'],
      ['我还在等你们答复', '我在等公交'],
      ['怎么不回私信了', '怎么回私信'],
      ['已经三天了', '已经办好了'],
      ['问题提了就石沉大海', '大海很美'],
    ]);
    both('long-wait', 'cue', [
      ['你们回复太慢', '慢慢来'],
      ['快递还没到', '快递到了'],
      ['投诉第五天', '第五个'],
      ['到现在还没装', '现在装好了'],
    ]);
  });

  it('suggestion and repair-request, second round: advice given to the caller and repairs told of are not theirs', () => {
    both('suggestion', 'trap', [
      ['客服竟然建议我换手机', '建议你们晚上也营业'],
      ['希望能给我一个说法', '希望能增加夜间客服'],
    ]);
    expect(fires('建议你们晚上也营业', 'suggestion', 'strong')).toBe(true);
    both('repair-request', 'trap', [
      ['维修人员说要等配件', '请派维修人员上门'],
      ['手机反复维修还是坏', '手机需要维修'],
      ['上周报修了', '我要报修'],
      ['快递上门取件', '请师傅上门看看'],
    ]);
    expect(fires('请派维修人员上门', 'repair-request', 'strong')).toBe(true);
  });
});
