// Issue 11 §1/§4: the reply and closing rules of the default scorecard — the caller's thanks
// (emotion.thanks-reply), the caller's apology (emotion.apology-reply), the closing question and
// farewell — each pattern and each n/a case both ways. The whole calls are in
// training/qa-dev/replies (test/qa-dev.test.ts).
import { describe, expect, it } from 'vitest';
import type { Call, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import { loadScorecard } from './scorecard.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const a = (text: string): Turn => ({ speaker: 'agent', text });
const c = (text: string): Turn => ({ speaker: 'customer', text });
const outcome = (turns: Turn[], rule: string, channel: Call['channel'] = 'phone') =>
  inspector
    .inspect({ id: 'x', direction: 'inbound', brand: 'generic', channel, events: [], turns })
    .rules.find((x) => x.id === rule)?.outcome;

describe('emotion.thanks-reply: thanks in an opening complaint, thanks with details sent', () => {
  const thread = (turns: Turn[]) => outcome(turns, 'emotion.thanks-reply', 'chat');
  it('thanks in a complaint that opens the thread thanks for nothing done yet: n/a; a gift thanked: fails', () => {
    expect(
      thread([c('感谢贵公司天天给我发广告短信,一天十几条,太贴心了,烦死了!'), a('您可以回复TD退订')]),
    ).toBe('n/a');
    expect(thread([c('收到你们寄来的台历了,很漂亮,谢谢!'), a('您喜欢就好,祝您新年快乐')])).toBe('fail');
    expect(thread([c('收到你们寄来的台历了,很漂亮,谢谢!'), a('不客气,您喜欢就好')])).toBe('pass');
  });
  it('thanks sending the details asked for is cooperation (000 B.七.3): n/a; with the matter solved it is thanks', () => {
    const ask = [c('我的订单一直显示待发货'), a('麻烦您私信一下订单号')];
    expect(thread([...ask, c('谢谢关注,已经把订单号私信给你们了'), a('收到,我们马上查询')])).toBe('n/a');
    expect(thread([...ask, c('已经私信了,问题解决了,谢谢'), a('祝您购物愉快')])).toBe('fail');
  });
});

describe('emotion.thanks-reply: which thanks the agent must answer', () => {
  const unanswered = (customer: string) =>
    outcome([a('您好'), c(customer), a('您的余额是三百元')], 'emotion.thanks-reply');

  it.each([
    ['sarcasm: thanks for being made to do something', '真是谢谢你们了,让我白跑一趟营业厅'],
    ['sarcasm: thanks, then what still is not done', '太感谢你们了,一个月了还没修好'],
    ['a question closed with thanks', '手机充不进电了怎么办,谢谢'],
    ['a question closed with thanks before a Weibo mention', '什么时候补货?告诉我一次就好,谢谢啦@客服'],
    ['a request closed with thanks, on the first of two lines', '麻烦帮我查一下话费,谢谢\n号码是尾号1234的'],
    ['a request closed with 麻烦你了', '那麻烦你帮我登记一下,麻烦你了'],
    ['the courtesy after a number given', '订单号1780608850谢谢!'],
    ['the courtesy after a version given', '2.52的,谢谢'],
    ['giving up on a complaint', '算了,惹不起你们,再见,谢谢'],
    ['giving up, not bothering', '懒得跟你们说了,谢谢'],
    ['a booking asked, the desk tagged, thanked in advance', '周六晚上给我留个大包间!!@某某KTV客服 谢谢~~~'],
    ['a plan change asked, thanked in advance', '给我退掉这个套餐吧,谢谢'],
  ])('%s: no thanks to answer (n/a)', (_, customer) => {
    expect(unanswered(customer)).toBe('n/a');
  });

  it.each([
    ['thanks, then a question', '好的,谢谢了,不过能不能直接停用这个号码?'],
    ['thanks for the reply, then a request closed with thanks', '谢谢你的回复.请尽快帮我确认一下,谢谢'],
    ['麻烦你了 after the help', '麻烦你了啊'],
    ['辛苦了', '好的,辛苦了'],
    ['thanks after the number is no courtesy when the turn says more', '好了,谢谢,问题解决了'],
    ['help told as done (帮我…办下来了), not asked', '上周你们帮我把注册办下来了,特别顺利,谢谢你们!'],
    ['a grumble asked, then thanks for the fix', '你们回复也太慢了吧?现在好了,谢谢'],
    ['a fix thanked', '搞定了,多谢'],
    ['a question, then a fix thanked', '为什么要重启?重启后正常了,谢谢'],
    ['a grumble (还给我发…) is no booking asked', '我早就换了套餐,还给我发旧套餐的广告,谢谢'],
  ])('%s: still thanks, unanswered fails', (_, customer) => {
    expect(unanswered(customer)).toBe('fail');
  });

  it.each([
    '不辛苦,这是我应该做的',
    '不麻烦,应该的',
    '没事没事,您还有别的问题吗',
    '您客气了,快递明天就到',
    '很高兴能帮到您',
    '感谢您一直以来对我们的支持',
    '感谢您的谅解和对我们工作的支持',
    '谢谢您的夸奖',
  ])('answered in other words: %s', (line) => {
    expect(outcome([a('您好'), c('太感谢了'), a(line)], 'emotion.thanks-reply')).toBe('pass');
  });

  it('thanks for understanding alone does not answer thanks', () => {
    expect(outcome([a('您好'), c('多谢了'), a('好的,感谢您的理解')], 'emotion.thanks-reply')).toBe('fail');
  });

  it('a reply in the agent’s second message answers it, not one in the third', () => {
    const turns = (...agent: string[]) => [c('收到了谢谢'), ...agent.map(a)];
    expect(outcome(turns('嗯嗯', '不客气哦'), 'emotion.thanks-reply', 'chat')).toBe('pass');
    expect(outcome(turns('嗯嗯', '好的', '不客气哦'), 'emotion.thanks-reply', 'chat')).toBe('fail');
  });
});

describe('emotion.apology-reply', () => {
  const unanswered = (customer: string) =>
    outcome([a('您好'), c(customer), a('我们周末正常上班')], 'emotion.apology-reply');

  it('不好意思,请问… opens a question: no apology to answer', () => {
    expect(unanswered('不好意思,请问一下你们周末上班吗')).toBe('n/a');
    expect(unanswered('不好意思问一下,这个耳机支持降噪吗')).toBe('n/a');
  });

  it('an apology with the question is still one', () => {
    expect(unanswered('不好意思,我刚才说错了,请问一下你们周末上班吗')).toBe('fail');
    expect(unanswered('不好意思打扰了,请问你们周末上班吗')).toBe('fail');
  });

  it('the agents’ apologies quoted or scorned are no apology of the caller’s', () => {
    expect(unanswered('你们除了会说"对不起,请您耐心等待"还会说别的吗?')).toBe('n/a');
    expect(unanswered('客服说“抱歉,我们只能承担一部分”,这叫什么逻辑')).toBe('n/a');
    expect(unanswered('抱歉也改变不了没信号的结果')).toBe('n/a');
    expect(unanswered('道歉有什么用,赶紧修')).toBe('n/a');
    expect(unanswered('刚才有点生气,不好意思')).toBe('fail');
  });

  it('不着急 answers the caller keeping the agent waiting', () => {
    expect(outcome([a('您好'), c('不好意思让你久等了'), a('没事,不着急')], 'emotion.apology-reply')).toBe(
      'pass',
    );
    expect(outcome([a('您好'), c('不好意思让你久等了'), a('不着急,您慢慢找')], 'emotion.apology-reply')).toBe(
      'pass',
    );
  });
});

describe('closing on a chat thread', () => {
  const closing = (turns: Turn[], channel: Call['channel'] = 'chat') => [
    outcome(turns, 'closing.more-questions', channel),
    outcome(turns, 'closing.farewell', channel),
  ];

  it.each([
    ['the agent asks the customer something', [c('手机一直重启'), a('您好,请问您的手机是什么型号呢?')]],
    ['the agent asks them to try and tell', [c('字体变大了'), a('您卸载重装一下试试呢?看看能否恢复')]],
    ['handed to private messages (私我)', [c('包裹没收到'), a('亲,麻烦私我一下单号')]],
    ['someone will be in touch', [c('信号差'), a('已为您转交工作人员,将通过电话与您联系')]],
    ['keep the phone on', [c('信号差'), a('已经登记了,请您保持电话畅通')]],
    ['being handled', [c('上不了网'), a('我司工作人员正在处理中,请您关注回复.')]],
    ['a named person follows it up', [c('网速慢'), a('可进入网页反馈,我们会有专人为您核查处理')]],
  ] as const)('%s: n/a', (_, turns) => {
    expect(closing([...turns])).toEqual(['n/a', 'n/a']);
  });

  it('the closing question last is no question awaiting the customer', () => {
    expect(closing([c('积分怎么查'), a('在APP首页查看,请问还有其他问题吗?')])).toEqual(['pass', 'fail']);
  });

  it('on the phone the agent’s question last still needs the closing', () => {
    expect(closing([a('您好'), c('手机一直重启'), a('请问您的手机是什么型号呢?')], 'phone')).toEqual([
      'fail',
      'fail',
    ]);
  });

  it.each([
    ['嗯嗯好的', [c('会自动续费吗'), a('开通了自动续费会在到期前扣款'), c('嗯嗯好的')]],
    ['好吧好吧', [c('这是你们发的短信吗'), a('是流量掌厅的自动短信'), c('好吧好吧')]],
    [
      'an answer with someone merely mentioned',
      [c('会黑屏'), a('测试版的问题建议您反馈到论坛,会有专人收集')],
    ],
  ] as const)('signed off or concluded without a closing (%s): fails', (_, turns) => {
    expect(closing([...turns])).toEqual(['fail', 'fail']);
  });

  it('a wish is a farewell (祝您购物愉快, 祝您工作顺利)', () => {
    expect(closing([c('能退货吗'), a('可以的'), c('好的谢谢'), a('不客气哦,祝您购物愉快')])).toEqual([
      'fail',
      'pass',
    ]);
    expect(closing([c('发票寄了吗'), a('寄了,还有别的需要吗'), c('没有了'), a('好的,祝您工作顺利')])).toEqual(
      ['pass', 'pass'],
    );
  });

  it.each(['请问还需要办理其他业务吗', '您还有问题吗', '您看还有要咨询的吗', '还有别的问题吗'])(
    'the closing question in other words: %s',
    (line) => {
      expect(
        closing(
          [a('您好'), c('改一下账单地址'), a(`已经改好了,${line}`), c('没了'), a('好的,再见')],
          'phone',
        ),
      ).toEqual(['pass', 'pass']);
    },
  );

  it('如有疑问请随时联系我们 offers more help and closes, as 有其他疑问可以随时联系我们 does', () => {
    expect(closing([c('账单日是哪天'), a('您的账单日是每月五日,如有疑问请随时联系我们')])).toEqual([
      'pass',
      'pass',
    ]);
  });
});

describe('emotion.thanks-reply: praise of the agent is thanks in other words (002 三.(一))', () => {
  const rule = (praise: string, reply: string) =>
    inspector
      .inspect({
        id: 'p',
        direction: 'inbound',
        brand: 'generic',
        events: [],
        turns: [
          { speaker: 'agent', text: '您好' },
          { speaker: 'customer', text: '帮我查一下积分' },
          { speaker: 'agent', text: '您的积分是三百分' },
          { speaker: 'customer', text: praise },
          { speaker: 'agent', text: reply },
        ],
      })
      .rules.find((x) => x.id === 'emotion.thanks-reply')?.outcome;
  it.each(['你服务态度真好', '你讲得真清楚,太专业了', '你真是帮了我大忙了', '小姑娘真耐心'])(
    '%s: needs a reply',
    (praise) => {
      expect(rule(praise, '还有别的要查吗')).toBe('fail');
      expect(rule(praise, '谢谢您的肯定,这是我们应该做的')).toBe('pass');
    },
  );
  it.each(['你们这款手机拍照挺好的', '你好好查一下', '你说得不清楚', '您说的我不明白', '新版本做得不错'])(
    '%s: no praise of the agent, n/a',
    (words) => {
      expect(rule(words, '还有别的要查吗')).toBe('n/a');
    },
  );
});

describe('emotion.thanks-reply: batch s15 (session 15)', () => {
  const unanswered = (customer: string) =>
    outcome([a('您好'), c(customer), a('我帮您查一下维修进度')], 'emotion.thanks-reply');
  it.each(['谢谢你们这么高的效率啊,一个月都没修好', '感谢你们的办事速度,半个月了还没退款'])(
    'sarcasm at our speed is no thanks: %s',
    (words) => {
      expect(unanswered(words)).toBe('n/a');
    },
  );
  it('thanks for the service with the matter done is owed the reply', () => {
    expect(unanswered('谢谢你们的服务,已经修好了')).toBe('fail');
  });
});

describe('session 19 (training/qa-dev/replies/batch-s19*.yaml): the reply to thanks and the closing question', () => {
  const reply = (agent: string) =>
    outcome(
      [a('您好'), c('营业厅几点关门'), a('晚上六点关门'), c('好的,谢谢'), a(agent)],
      'emotion.thanks-reply',
    );
  it.each([
    '请问还有其他可以帮到您的吗?',
    '请问还有什么能帮到您',
    '您还有其他事吗?没事的话我就先挂了',
    '您没什么问题的话我就先挂了',
  ])('the closing question is no reply to thanks although it holds 帮到您 / 没事 / 没什么: %s', (agent) => {
    expect(reply(agent)).toBe('fail');
  });
  it.each([
    '很高兴能帮到您',
    '没事没事',
    '哪里哪里,这是我的本职工作',
    '举手之劳,您满意就好',
    '没什么,应该的',
  ])('a reply in other words answers the thanks: %s', (agent) => {
    expect(reply(agent)).toBe('pass');
  });
  const closing = (agent: string) =>
    outcome([a('您好'), c('帮我查下话费'), a(agent), c('没了'), a('好的,再见')], 'closing.more-questions');
  it.each([
    '您的余额是三十二元,请问还需要其他帮助吗',
    '已经为您改好了,请问还能为您做点什么吗',
    '已经充好了,您还要办什么业务吗',
    '您的余额是三十二元,别的还有吗',
  ])('the closing question in other words: %s', (agent) => {
    expect(closing(agent)).toBe('pass');
  });
  it.each(['请问我刚才的解释您是否明白?', '您的余额是三十二元,还要麻烦您帮忙确认一下号码'])(
    'no closing question: %s',
    (agent) => {
      expect(closing(agent)).toBe('fail');
    },
  );
});
