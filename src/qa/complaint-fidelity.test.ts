// Issue 11 §1/§4: what the complaint, long-wait, reply and closing rules read — the operators
// added for them (`channel`, `lastSpeaker`, a situation's `unless` guard) and the default
// scorecard's words, each pattern and each n/a case both ways. The whole calls are in
// training/qa-dev/complaint (test/qa-dev.test.ts).
import { describe, expect, it } from 'vitest';
import type { Call, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import type { CallResult } from './result.ts';
import { loadScorecard, parseScorecard, ScorecardError } from './scorecard.ts';

const catalog = Catalog.load();
const inspector = new Inspector(loadScorecard(), catalog);
const a = (text: string): Turn => ({ speaker: 'agent', text });
const c = (text: string): Turn => ({ speaker: 'customer', text });
const call = (turns: Turn[], extra: Partial<Call> = {}): Call => ({
  id: 'x',
  direction: 'inbound',
  brand: 'generic',
  events: [],
  turns,
  ...extra,
});
const outcome = (r: CallResult, rule: string) => r.rules.find((x) => x.id === rule)?.outcome;

function oneRule(condition: string): (k: Call) => string | undefined {
  const text = `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "000", section: "x" }]\n    expect: ${condition}\n`;
  const i = new Inspector(parseScorecard(text, 't.yaml'), catalog);
  return (k) => outcome(i.inspect(k), 't.r');
}

describe('operators', () => {
  it('channel: the call’s channel, a call without one being a phone call; never n/a', () => {
    const chat = oneRule('{ channel: chat }');
    expect(chat(call([a('您好')], { channel: 'chat' }))).toBe('pass');
    expect(chat(call([a('您好')]))).toBe('fail');
    expect(oneRule('{ channel: phone }')(call([a('您好')]))).toBe('pass');
  });

  it('lastSpeaker: who spoke the last turn; n/a without turns', () => {
    const customerLast = oneRule('{ lastSpeaker: customer }');
    expect(customerLast(call([a('您好'), c('那什么时候好?')]))).toBe('pass');
    expect(customerLast(call([c('在吗'), a('您好')]))).toBe('fail');
    expect(customerLast(call([]))).toBe('n/a');
  });

  it('situation unless: a turn the guard matches does not show the situation', () => {
    const longWait = oneRule('{ situation: { any: [long-wait], unless: "等到晚上" } }');
    expect(longWait(call([a('您好'), c('我打了好久才打进来')]))).toBe('pass');
    expect(longWait(call([a('您好'), c('那我等到晚上吧')]))).toBe('fail');
  });

  it('situation unless as a list: any of them guards (a shared &anchor with a rule’s own)', () => {
    const longWait = oneRule(
      '{ situation: { any: [long-wait], unless: ["等到晚上", "等到下午|等您消息"] } }',
    );
    expect(longWait(call([a('您好'), c('我打了好久才打进来')]))).toBe('pass');
    expect(longWait(call([a('您好'), c('那我等到晚上吧')]))).toBe('fail');
    expect(longWait(call([a('您好'), c('那我等您消息')]))).toBe('fail');
    // Joined, a part's back reference would point elsewhere: refused, saying what to do.
    expect(() => oneRule('{ situation: { any: [long-wait], unless: ["(等)\\\\1", "x"] } }')).toThrow(
      /no back reference nor named group/,
    );
  });

  it('situation openingUnless: the opening customer turn does not count when it also shows one of these', () => {
    const thanks = oneRule('{ situation: { any: [thanks], openingUnless: [complaint, angry] } }');
    // Opening with a complaint: the thanks in it counts for nothing; the same thanks later does.
    const grumble = '感谢贵公司天天给我发广告短信,一天十几条,太贴心了,烦死了!';
    expect(thanks(call([c(grumble), a('您可以回复TD退订')]))).toBe('fail');
    expect(thanks(call([a('您好'), c(grumble)]))).toBe('pass');
    // An opening thanks that complains of nothing still counts.
    expect(thanks(call([c('收到你们寄来的台历了,很漂亮,谢谢!'), a('您喜欢就好')]))).toBe('pass');
  });

  it('trigger opening: the agent’s opening turn counts too when the customer’s turn answers it', () => {
    const rule = (opening: string) =>
      oneRule(
        `{ trigger: { when: { situation: { any: [long-wait] } }, then: { phrases: { any: [久等] } }, within: 1${opening} } }`,
      );
    const said = call([a('您好,让您久等了'), c('是啊,等了好久才接通'), a('请问有什么可以帮您')]);
    expect(rule('')(said)).toBe('fail');
    expect(rule(', opening: true')(said)).toBe('pass');
    // Said later (back from a hold) it is not the opening: the reproach after it is owed a reply.
    const later = call([a('您好'), c('我查话费'), a('让您久等了,查到了'), c('等了好久'), a('余额三百元')]);
    expect(rule(', opening: true')(later)).toBe('fail');
  });

  it('trigger opening: a failure is the reply after the trigger, never the opening greeting', () => {
    const text = `version: 1\nname: t\nrules:\n  - id: t.r\n    title: T\n    points: 1\n    sources: [{ seed: "000", section: "x" }]\n    expect: { trigger: { when: { situation: { any: [long-wait] } }, then: { phrases: { any: [久等] } }, within: 1, opening: true } }\n`;
    const i = new Inspector(parseScorecard(text, 't.yaml'), catalog);
    const finding = (turns: Turn[]) => i.inspect(call(turns)).findings.find((f) => f.rule === 't.r');
    const greeted = [a('您好,请问有什么可以帮您'), c('我等了好久才打进来')];
    expect(finding([...greeted, a('请问您办理什么业务')])?.turn).toBe(2);
    expect(JSON.stringify(finding([...greeted, a('请问您办理什么业务')]))).toContain('坐席第3句');
    // No reply after it: the call is the evidence, as without `opening`.
    expect(finding(greeted)?.turn).toBeNull();
    expect(JSON.stringify(finding(greeted))).toContain('其后坐席未再发言');
  });

  it('a bad guard or channel is refused at load, naming the field', () => {
    expect(() => oneRule('{ situation: { any: [long-wait], unless: "(" } }')).toThrow(ScorecardError);
    expect(() => oneRule('{ situation: { any: [long-wait], unless: "(" } }')).toThrow(/unless/);
    expect(() => oneRule('{ channel: fax }')).toThrow(/channel/);
    // The opening options: an empty list says how to fix it; a misspelt situation lists the ids.
    expect(() => oneRule('{ situation: { any: [thanks], openingUnless: [] } }')).toThrow(
      /situation\.openingUnless: name at least one situation, or leave openingUnless out/,
    );
    expect(() => oneRule('{ situation: { any: [thanks], openingUnless: [complain] } }')).toThrow(
      /openingUnless\[0\]: got "complain"; expected one of: .*complaint/,
    );
    expect(() =>
      oneRule(
        '{ trigger: { when: { situation: { any: [long-wait] } }, then: { phrases: { any: [久等] } }, opening: yes } }',
      ),
    ).toThrow(/trigger\.opening: expected boolean, got string/);
  });
});

describe('complaint.contact-and-deadline', () => {
  const rule = (reply: string) =>
    outcome(
      inspector.inspect(call([a('您好'), c('我对你们的处理结果很不满意'), a(reply)])),
      'complaint.contact-and-deadline',
    );

  it.each([
    '对不起,还是这个号码联系您吗?我们今天下班前给您答复',
    '对不起,我们核实后打您现在这个电话,明天上午给您回复',
    '对不起,您留个号码,二十四小时之内与您联系',
    '对不起,请留下联系电话,两个工作日内给您答复',
    '对不起,我记录下来反馈给主管,您的电话号码是多少?周五之前给您回复',
    '对不起,我会向上级反映,请您留下联系电话,一周之内给您明确答复',
    '对不起,请留下联系方式,今天下午三点前给您回电',
    '对不起,我马上核实,一小时内回电给您,还是这个号码吧',
    '对不起,还是打您这个号码吧?明天给您回电',
    '对不起,请留一下您的联系电话,半小时后给您回电',
    '对不起,请留下联系方式,我们核实后周一给您答复',
    '对不起,请留下联系方式,四十八小时给您回复',
    '对不起,请留下联系方式,三天后会有专人联系您',
  ])('a contact and a time limit in other words pass: %s', (reply) => {
    expect(rule(reply)).toBe('pass');
  });

  it.each([
    ['尽快 is no time limit', '对不起,请留下联系方式,我们会尽快与您联系'],
    ['稍后 is no time limit', '对不起,请留下联系方式,稍后给您回电'],
    ['过两天 is no time limit', '对不起,请留下联系方式,过两天联系您'],
    ['a day past is no time limit', '对不起,请留下联系方式,我们前两天联系过您'],
    ['no contact', '对不起,我反馈给主管,24小时之内处理'],
    ['no time limit', '对不起,我反馈给主管,到时候打这个电话联系您'],
    ['a denial of the fault', '这个不是我们的问题'],
  ])('%s fails', (_, reply) => {
    expect(rule(reply)).toBe('fail');
  });

  it.each([
    '对不起,已经为您退款了',
    '对不起,我已经帮您改过来了,现在可以正常使用了',
    '抱歉,已为您恢复',
    '抱歉,已经帮您解锁',
  ])('resolved on the spot, no follow-up: n/a (%s)', (reply) => {
    expect(rule(reply)).toBe('n/a');
  });

  it('the caller giving the number unasked is the contact taken', () => {
    const r = inspector.inspect(
      call([
        a('您好'),
        c('我对你们的处理结果很不满意'),
        a('对不起,您说'),
        c('记一下我电话13912345678'),
        a('好的,今天下班前给您回电'),
      ]),
    );
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('pass');
  });

  it('answered on the spot — what the caller can do now — needs no follow-up: n/a', () => {
    expect(rule('对不起,这是到期自动续费,您可以在设置里关闭,下个月就不会再扣了')).toBe('n/a');
    expect(rule('对不起,这个已经帮您在系统里改好了')).toBe('n/a');
    // …unless the agent still owes something (帮您申请): the contact and time are due.
    expect(rule('对不起,您可以在设置里关闭,这笔费用我帮您申请退回')).toBe('fail');
  });

  it('a chat thread handed to private messages, sent to the hotline or awaiting a follow-up still owes the time limit (000 B.七.5)', () => {
    const chat = (reply: string) =>
      outcome(
        inspector.inspect(call([c('你们的客服就是摆设,问题一直不解决'), a(reply)], { channel: 'chat' })),
        'complaint.contact-and-deadline',
      );
    // The hand-off defers the answer: the contact is taken there, the limit is still owed in the
    // thread (002 二.(八)/004 ask the contact; that does not remove 000's limit).
    expect(chat('亲,非常抱歉,麻烦私信我们您的订单号')).toBe('fail');
    expect(chat('非常抱歉,已私信您,请查看')).toBe('fail');
    expect(chat('亲,很抱歉,请私信留下您的手机号,我们二十四小时内联系您')).toBe('pass');
    // 私信 is the contact on a chat thread: with a time limit it passes.
    expect(chat('非常抱歉,麻烦私信我们订单号,今天下班前给您答复')).toBe('pass');
    expect(chat('亲,很抱歉,请您拨打客服热线,会有专人为您处理')).toBe('fail');
    expect(chat('非常抱歉,已为您反馈给相关部门,核实后回复您')).toBe('fail');
    expect(chat('非常抱歉,已为您反馈,请留下您的手机号,二十四小时内回复您')).toBe('pass');
    // On the phone a 私信 takes no contact.
    const phone = inspector.inspect(
      call([
        a('您好'),
        c('你们的客服就是摆设,问题一直不解决'),
        a('非常抱歉,麻烦私信我们订单号,今天下班前给您答复'),
      ]),
    );
    expect(outcome(phone, 'complaint.contact-and-deadline')).toBe('fail');
  });

  it('the customer’s own 私信 is no contact taken by the agent: the agent asks or confirms it', () => {
    const thread = (reply: string) =>
      outcome(
        inspector.inspect(
          call(
            [
              c('宽带断了三天,你们到底管不管!'),
              a('非常抱歉给您带来不便'),
              c('详细情况已经私信你们了'),
              a(reply),
            ],
            {
              channel: 'chat',
            },
          ),
        ),
        'complaint.contact-and-deadline',
      );
    expect(thread('收到,我们今天下班前给您答复')).toBe('fail');
    expect(thread('收到,请私信留下您的联系电话,我们今天下班前给您答复')).toBe('pass');
  });

  it('on a chat thread as on the phone, a complaint only answered or still asked about, not settled, fails', () => {
    const thread = (reply: string, channel: Call['channel'] = 'chat') =>
      outcome(
        inspector.inspect(
          call(
            channel === 'chat'
              ? [c('为什么花钱买的流量包月底就清零,太坑了!'), a(reply)]
              : [a('您好'), c('为什么花钱买的流量包月底就清零,太坑了!'), a(reply)],
            { channel },
          ),
        ),
        'complaint.contact-and-deadline',
      );
    // A thread is judged as a call: stopping on an answer the customer has not accepted, or on
    // a question, leaves the complaint unsettled (000 B.七.5; session 10 kept this).
    const rule = '非常抱歉,流量包当月有效,月底清零,您可以选择半年包,使用期内不清零';
    expect(thread(rule)).toBe('fail');
    expect(thread(rule, 'phone')).toBe('fail');
    expect(thread('抱歉给您带来不便,请问是从什么时候开始的?')).toBe('fail');
    expect(thread('非常抱歉,已为您催促相关部门核查,请您耐心等待')).toBe('fail');
    expect(thread('非常抱歉,请留下您的联系电话,我们会尽快联系您')).toBe('fail');
    // What the caller can do now settles it on the spot: n/a on both channels.
    expect(thread('非常抱歉,您可以在设置里关闭流量提醒,半年包使用期内不清零')).toBe('n/a');
  });

  it('a complaint answered so that the caller accepts it, nothing promised, is settled: n/a', () => {
    const settled = (reply: string, accept: string) =>
      outcome(
        inspector.inspect(call([a('您好'), c('你们把我的名字写错了'), a(reply), c(accept)])),
        'complaint.contact-and-deadline',
      );
    expect(settled('非常抱歉,这是系统显示的简称,您合同上的名字是对的', '哦,原来是这样,那没事了')).toBe('n/a');
    expect(settled('非常抱歉,麻烦您重新登录一下再看', '好了,可以了')).toBe('n/a');
    // A bare 好吧 accepts nothing; a follow-up promised and accepted is still owed.
    expect(settled('非常抱歉,这是系统显示的简称', '好吧')).toBe('fail');
    expect(settled('非常抱歉,我这边帮您反馈一下,会尽快处理', '好的,知道了')).toBe('fail');
  });

  it('the caller thanking for the answer as their last words accepts it: n/a; thanks for a follow-up, a hand-on, a question after it or giving up do not', () => {
    const settled = (reply: string, accept: string) =>
      outcome(
        inspector.inspect(
          call([c('你们多扣了我一个月的月租,太坑了!'), a(reply), c(accept)], { channel: 'chat' }),
        ),
        'complaint.contact-and-deadline',
      );
    const answer = '非常抱歉,多出的是上个月开通的来电显示功能费,每月五元,之前几个月一起补扣了';
    expect(settled(answer, '好的,谢谢')).toBe('n/a');
    expect(settled(answer, '嗯,明白了,谢谢')).toBe('n/a');
    expect(settled(answer, '搞定了,谢谢啊')).toBe('n/a');
    expect(settled(answer, 'OK 非常感谢')).toBe('n/a');
    expect(settled(answer, '好吧,总算得到答复了')).toBe('n/a');
    expect(settled(answer, '好的,我试一下,谢谢')).toBe('n/a');
    expect(settled(answer, '哦,应该是这个原因')).toBe('n/a');
    expect(settled(answer, '谢谢啦')).toBe('n/a');
    expect(settled(answer, '谢谢你们让我白跑一趟')).toBe('fail');
    // Sarcasm, giving up, a question after the thanks, no answer had: nothing accepted.
    expect(settled(answer, '一点都不好,谢谢')).toBe('fail');
    expect(settled(answer, '算了,谢谢')).toBe('fail');
    expect(settled(answer, '好的谢谢,那钱什么时候退给我?')).toBe('fail');
    expect(settled(answer, '还是没得到答复')).toBe('fail');
    // Thanks for a follow-up or for being sent to another line is still owed the contact and limit.
    expect(settled('非常抱歉,已为您反馈给售后部门,会尽快处理', '好的,谢谢')).toBe('fail');
    expect(settled('抱歉给您带来不便,请您拨打客服热线报修处理', '好的谢谢')).toBe('fail');
  });

  it('criticism taken as a suggestion and passed on (000 B.六/B.八) owes nothing later: n/a; with a follow-up or about staff it does', () => {
    const chat = (reply: string) =>
      outcome(
        inspector.inspect(
          call([c('新版本太垃圾了,夜间模式都没了,你们是怎么做产品的'), a(reply)], { channel: 'chat' }),
        ),
        'complaint.contact-and-deadline',
      );
    expect(chat('非常感谢您的宝贵建议,我们会把您的意见反馈给产品部门,不断改进')).toBe('n/a');
    expect(chat('谢谢您提出的宝贵意见,我们将及时反馈给相关负责人员')).toBe('n/a');
    expect(chat('您的建议我们已经记录,会转交产品部门')).toBe('n/a');
    expect(chat('感谢您的建议,另外扣费的问题需要核实后再联系您')).toBe('fail');
    expect(chat('感谢您的建议,我们会尽快修复,请您耐心等待')).toBe('fail');
    expect(chat('非常抱歉,感谢您的建议,我们会加强培训')).toBe('fail');
    expect(chat('非常抱歉,我们会反馈给产品部门')).toBe('fail');
  });

  it('a time a change takes effect (24小时内生效) is no time limit; a time for the answer is', () => {
    const chat = (reply: string) =>
      outcome(
        inspector.inspect(call([c('你们乱给我开通彩铃,还扣钱,凭什么!'), a(reply)], { channel: 'chat' })),
        'complaint.contact-and-deadline',
      );
    expect(chat('非常抱歉,请私信您的号码,取消后24小时内生效,我们转交工作人员跟进')).toBe('fail');
    expect(chat('非常抱歉,请私信您的号码,取消后两个工作日内生效,我们转交工作人员跟进')).toBe('fail');
    expect(chat('非常抱歉,请私信您的号码,我们转交工作人员跟进,24小时内给您回复')).toBe('pass');
  });

  it('a complaint checked and then settled in the agent’s last reply is settled: n/a; a follow-up or a question is not', () => {
    const last = (reply: string) =>
      outcome(
        inspector.inspect(
          call([
            a('您好'),
            c('你们多扣了我五十块钱,我要投诉'),
            a('非常抱歉,我帮您核实一下,请您稍等'),
            c('好'),
            a(reply),
          ]),
        ),
        'complaint.contact-and-deadline',
      );
    expect(last('让您久等了,核实是重复扣费,已经为您退回了')).toBe('n/a');
    expect(last('让您久等了,已经为您反馈给计费部门,他们会尽快联系您')).toBe('fail');
    expect(last('请问现在是否已经退回了?')).toBe('fail');
    expect(last('已经为您退回了,麻烦您提供一下银行卡号以便核查')).toBe('fail');
  });

  it('anger at a swindler is no complaint against us: n/a', () => {
    const r = inspector.inspect(
      call([a('您好'), c('我被骗子骗了两千块,气死我了'), a('您别着急,我马上帮您冻结')]),
    );
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('n/a');
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('n/a');
    const us = inspector.inspect(call([a('您好'), c('我被你们这帮骗子骗了,气死我了'), a('您别着急')]));
    expect(outcome(us, 'emotion.apology-on-complaint')).toBe('fail');
  });

  it('resolved in part with a follow-up promised is not resolved: the contact and time are due', () => {
    expect(rule('对不起,这笔已经为您退款了,另外一笔核实后再联系您')).toBe('fail');
    // Thanking the caller for the report (谢谢您反映) promises nothing.
    expect(rule('对不起,谢谢您反映的问题,已经为您办好了')).toBe('n/a');
  });
});

describe('emotion.apology-on-complaint: what counts as an apology', () => {
  const rule = (reply: string) =>
    outcome(
      inspector.inspect(call([a('您好'), c('你们乱扣我的钱,凭什么'), a(reply)])),
      'emotion.apology-on-complaint',
    );
  it.each([
    '给你添麻烦了',
    '因为我们的服务不周给您带来不便',
    '给您添了不少麻烦',
    '这是我们的失误',
    '我向您道歉',
    '还请谅解',
    '实在对不住',
    '是我们工作没做到位',
    '我代表公司向您致以歉意',
  ])('%s is an apology', (reply) => {
    expect(rule(`${reply},我帮您查一下`)).toBe('pass');
  });
  it.each(['这不是我们的失误', '不是我们的错', '我理解您的心情'])('%s is none', (reply) => {
    expect(rule(`${reply},我帮您查一下`)).toBe('fail');
  });
});

describe('emotion.long-wait-apology: a wait to come is no long wait', () => {
  const rule = (words: string) =>
    outcome(
      inspector.inspect(call([a('您好'), c(words), a('请问有什么可以帮您')])),
      'emotion.long-wait-apology',
    );
  it.each(['那我等到今天晚上吧', '等到下午也没关系', '那我等到明天吧', '到现在还没发货,你们怎么回事'])(
    '%s: n/a',
    (words) => {
      expect(rule(words)).toBe('n/a');
    },
  );
  it.each(['这次没等多久,挺快的', '好的,我等一下', '那我就等通知吧', '你稍等,我拿个笔', '换个屏幕要等多久?'])(
    '%s: n/a',
    (words) => {
      expect(rule(words)).toBe('n/a');
    },
  );
  it.each([
    '还要等多久啊,我都排了二十分钟才接进来',
    '查了这么半天还没好吗',
    '怎么这么久啊',
    '我都等到晚上了还没人回我',
    '我等了二十分钟,等到现在',
    '等了好久终于有人接了',
  ])('%s: fails without apology', (words) => {
    expect(rule(words)).toBe('fail');
  });
  it.each([
    ['money late written 到帐', '我三天前充的一百块话费到现在还没到帐'],
    ['a wait of weeks for paperwork', '我的申请材料交上去一个多月了,等了好久还没有任何消息'],
  ])('%s is no wait on the line: n/a', (_, words) => {
    expect(rule(words)).toBe('n/a');
  });
  it.each([
    [
      'paperwork weeks late, a bank phoned about it',
      '社保卡的材料交了一个多月了,等了好久,我打电话问银行说还没收到',
    ],
    ['a repair days late, an agent quoted', '手机寄去送修了,客服说两个工作日修好,这都几天了'],
    ['a technician late for a visit', '安装师傅说上午来,我等了一上午了'],
    ['waiting for the courier', '我等快递员等了一下午'],
    ['a code slow to come', '等了半天也没收到验证码'],
    ['an app slow to load', '你们app一直转圈,等了好久都打不开'],
    ['a queue in a shop', '我在营业厅排队排了两个小时'],
  ])('%s is no wait on the line nor for the agent: n/a', (_, words) => {
    expect(rule(words)).toBe('n/a');
  });
  it.each([
    ['days for the agent’s reply', '你们几天才回复我,等了好久,不过现在好了'],
    ['days for a repair and the hotline not answering', '送修五天了,打你们热线一直没人接,等了好久'],
    ['the agent slow in chat', '给你们留言三天了才回复我,等了好久'],
    ['the online desk’s queue', '在线客服排队等了好久才轮到我'],
    ['a slow page, then the line', '网页等半天打不开,打你们电话也一直没人接'],
    ['半天 is no day count', '排队等了半天才轮到我'],
    ['days of a line that would not connect', '三天了一直接不通,等了好久'],
    ['days spent dialling', '我拨了两天号,等了好久才有人'],
  ])('%s: still a long wait, fails without apology', (_, words) => {
    expect(rule(words)).toBe('fail');
  });
  it('the apology said already in the agent’s first words passes; a greeting does not', () => {
    const wait = (opening: string) =>
      outcome(
        inspector.inspect(call([a(opening), c('是啊,等了好久才接通,我想查一下话费'), a('好的,请您稍等')])),
        'emotion.long-wait-apology',
      );
    expect(wait('您好,十分抱歉,让您久等了,请问有什么可以帮您?')).toBe('pass');
    expect(wait('您好,很高兴为您服务')).toBe('fail');
  });
  it.each(['我爸的手机一直打不通,帮我查下是不是欠费停机了', '我打电话给快递员一直打不通'])(
    "%s: someone else's phone, n/a",
    (words) => {
      expect(rule(words)).toBe('n/a');
    },
  );
});

describe('the line hard to get through is a complaint (002 一.(七)), not the long-wait rule’s', () => {
  const inspect = (words: string, reply: string) => inspector.inspect(call([a('您好'), c(words), a(reply)]));
  it.each([
    '总算打通了,刚才一直占线',
    '我打了好久才打进来',
    '我打了好几次才打进来',
    '你们这个电话太难打了',
    '打了一上午都打不通',
    '打了半天电话才接通,我的退款还没到账',
    '你们的电话真难接通',
    '打了三次才通',
  ])('%s: the apology rule fails without apology; long wait and contact n/a', (words) => {
    const r = inspect(words, '请问有什么可以帮您');
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('fail');
    expect(outcome(r, 'emotion.long-wait-apology')).toBe('n/a');
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('n/a');
    expect(
      outcome(inspect(words, '对不起,让您久等了,请问有什么可以帮您'), 'emotion.apology-on-complaint'),
    ).toBe('pass');
  });
  it.each([
    '我等了好久',
    '我爸的手机一直打不通',
    '我打电话给快递员一直打不通',
    '打了个电话问过了',
    '新卡信号不好,朋友说经常打不通我的手机',
    // Hard to accept is not hard to reach; power back on a switch is not a line got through;
    // the caller's own number that cannot be reached is a fault of it, not of the hotline.
    '你们这个价格我很难接受',
    '我打开总闸才通电,现在好了',
    '我这个号码打不通了,别人打我说是空号',
  ])('%s: no complaint', (words) => {
    expect(outcome(inspect(words, '请问有什么可以帮您'), 'emotion.apology-on-complaint')).toBe('n/a');
  });
  it.each(['我这个号码打不通了,别人打我说是空号', '我家这个座机一直打不通'])(
    '%s: the own phone is no long wait either',
    (words) => {
      expect(outcome(inspect(words, '请问有什么可以帮您'), 'emotion.long-wait-apology')).toBe('n/a');
    },
  );
});

describe('a process that takes days is no line wait (corpus dev set, session 25)', () => {
  const wait = (words: string) =>
    outcome(
      inspector.inspect(call([a('您好'), c(words), a('请问有什么可以帮您')])),
      'emotion.long-wait-apology',
    );
  it('what a phone agent said about the processing time: n/a', () => {
    expect(wait('电话客服说8天处理时间,希望快点')).toBe('n/a');
  });
  it('the line named: still a long wait', () => {
    expect(wait('打了8天电话都没人接,希望快点')).not.toBe('n/a');
  });
});

describe('thanks and apology replies in other words', () => {
  const reply = (customer: string, agent: string, rule: string) =>
    outcome(inspector.inspect(call([a('您好'), c(customer), a(agent)])), rule);
  it('thanks', () => {
    for (const line of ['不谢,能帮到您就好', '感谢您使用我们的产品', '也谢谢您', '很高兴能为您服务'])
      expect(reply('太感谢了', line, 'emotion.thanks-reply'), line).toBe('pass');
    expect(reply('太感谢了', '还有别的吗', 'emotion.thanks-reply')).toBe('fail');
  });
  it('apology', () => {
    for (const line of ['不麻烦,您请说', '没事,您再说一遍', '没关系,您不必介意'])
      expect(reply('不好意思啊,打扰你们了', line, 'emotion.apology-reply'), line).toBe('pass');
    expect(reply('不好意思啊,打扰你们了', '您请说', 'emotion.apology-reply')).toBe('fail');
  });
});

describe('closing on a chat thread: due only when the matter is concluded in it', () => {
  const closing = (turns: Turn[], channel: Call['channel'] = 'chat') => {
    const r = inspector.inspect(call(turns, { channel }));
    return [outcome(r, 'closing.more-questions'), outcome(r, 'closing.farewell')];
  };
  it.each([
    ['handed to private messages', [c('订单一直没发货'), a('麻烦您私信一下订单号')]],
    ['the customer went to private messages', [c('订单一直没发货'), a('请提供订单号'), c('已私信')]],
    ['a follow-up awaited', [c('退款没到账'), a('已经反馈给财务,核实后回复您,请耐心等待')]],
    ['the agent asks for what it needs', [c('东西坏了怎么办'), a('抱歉,请您提供一下订单号')]],
    ['the customer’s open question last', [c('账户为什么冻结了'), a('是异常登录'), c('那什么时候能解冻?')]],
  ] as const)('%s: n/a', (_, turns) => {
    expect(closing([...turns])).toEqual(['n/a', 'n/a']);
  });
  it.each([
    ['the customer signs off', [c('账户为什么冻结了'), a('已经为您解除了'), c('好的谢谢')]],
    ['the agent’s last reply ends it', [c('积分什么时候过期'), a('积分每年年底清零')]],
    ['the customer’s 好的 last', [c('积分什么时候过期'), a('积分每年年底清零'), c('好的')]],
  ] as const)('%s without a closing: fails', (_, turns) => {
    expect(closing([...turns])).toEqual(['fail', 'fail']);
  });
  it('the customer answers the agent’s question, thanks and all: the thread goes on (n/a); a bare sign-off ends it', () => {
    const asked = [c('这个提示是什么意思?'), a('您好,请问您需要办理什么业务呢?')];
    expect(closing([...asked, c('想办个流量包,谢谢')])).toEqual(['n/a', 'n/a']);
    expect(closing([...asked, c('看不懂你问什么,照图解释就行,谢谢!')])).toEqual(['n/a', 'n/a']);
    expect(closing([...asked, c('好的,谢谢')])).toEqual(['fail', 'fail']);
    expect(closing([...asked, c('好了,能用了,谢谢')])).toEqual(['fail', 'fail']);
    // Not after the closing question itself: 没有了,谢谢 answers it.
    expect(closing([c('积分什么时候过期'), a('年底清零,请问还有其他问题吗?'), c('没有了,谢谢')])).toEqual([
      'pass',
      'fail',
    ]);
  });
  it('the answer sent by private message (已回复,请您留意查收): the thread goes on there (n/a); the complaint still owes its time limit', () => {
    const turns = [
      c('你们营业厅推来推去,气死我了,业务水平真不敢恭维'),
      a('很抱歉给您带来不便,烦请私信提供号码'),
      c('请查私信'),
      a('您好,关于您反映的问题已回复,请您留意查收,谢谢!'),
    ];
    expect(closing(turns)).toEqual(['n/a', 'n/a']);
    // scripts/corpus-replies-labels.tsv holds a DM hand-off to owe the time limit.
    expect(
      outcome(inspector.inspect(call(turns, { channel: 'chat' })), 'complaint.contact-and-deadline'),
    ).toBe('fail');
  });
  it('an offer of more help passes both (有其他疑问可以随时联系我们)', () => {
    expect(closing([c('积分什么时候过期'), a('积分年底清零,有其他疑问可以随时联系我们')])).toEqual([
      'pass',
      'pass',
    ]);
  });
  it('on the phone a follow-up promised or a question last still needs the closing', () => {
    expect(closing([a('您好'), c('退款没到账'), a('核实后回复您')], 'phone')).toEqual(['fail', 'fail']);
    expect(closing([a('您好'), c('退款没到账'), a('已反馈'), c('那要多久?')], 'phone')).toEqual([
      'fail',
      'fail',
    ]);
  });
});

describe('batch 6 (session 12): contacts, time limits, settled on the spot, complaint words', () => {
  const cd = (turns: Turn[], extra: Partial<Call> = {}) =>
    outcome(inspector.inspect(call(turns, extra)), 'complaint.contact-and-deadline');
  const complaint = '你们乱扣我的钱,凭什么';

  it.each([
    ['以内 is a time limit as 之内 is', '对不起,请您留下联系电话,我们会在四十八小时以内处理好'],
    ['a week 以内', '对不起,请您留下联系电话,一周以内处理好'],
    ['the contact asked as a question (怎么联系您)', '对不起,两小时内给您回复,请问怎么联系您比较方便'],
    ['the contact asked as a question (电话多少)', '对不起,明天上午给您回电,您电话多少'],
  ])('%s: pass', (_, reply) => {
    expect(cd([a('您好'), c(complaint), a(reply)])).toBe('pass');
  });

  it('以内生效 is when a change takes effect, not the answer: fails', () => {
    expect(cd([a('您好'), c(complaint), a('对不起,您留个电话,取消后二十四小时以内生效')])).toBe('fail');
  });

  it('a landline the customer gives after the complaint is the contact', () => {
    const turns = [a('您好'), c(complaint), a('对不起,今天下午五点前给您回电'), c('我座机是0571-88886666')];
    expect(cd(turns)).toBe('pass');
    expect(cd([...turns.slice(0, 3), c('好的')])).toBe('fail');
  });

  it('what the customer can do now settles it (n/a); what the agent will do for them does not', () => {
    const chat = { channel: 'chat' as const };
    const grumble = '你们这个月乱扣我流量,一天就跑了一个G,怎么回事';
    expect(cd([c(grumble), a('亲,您可通过手机营业厅的上网记录,核查一下是哪个应用用的流量哦')], chat)).toBe(
      'n/a',
    );
    // A look-up settles it when it names what it will show (是哪个应用) or leaves the door open
    // (有疑问可随时联系); a bare 您可先查询下详单 sends the customer away (review of session 12).
    expect(cd([c(grumble), a('亲,您可先查询下话费详单的,有什么疑问可随时与我们联系的')], chat)).toBe('n/a');
    expect(cd([c(grumble), a('亲,您可先查询下话费详单的')], chat)).toBe('fail');
    expect(cd([c(grumble), a('建议您先重启一下手机试试')], chat)).toBe('n/a');
    expect(cd([c(grumble), a('亲,我们可以帮您查询一下流量明细')], chat)).toBe('fail');
    expect(cd([c(grumble), a('亲,您可以通过私信提供号码,我们帮您查询')], chat)).toBe('fail');
    // The customer's own check later (如您查询后有疑问) defers nothing; the agent's (查询后联系您) does.
    expect(cd([c(grumble), a('您可登录网上营业厅查询详单,如您查询后有疑问可随时咨询')], chat)).toBe('n/a');
  });

  it('the answer accepted in the second-last turn, the last adding no question nor complaint: n/a', () => {
    const chat = { channel: 'chat' as const };
    const head = [
      c('你们的流量包怎么超了就扣这么多钱,太坑了'),
      a('亲,套餐外流量按每兆三毛计费,每天封顶十元哦'),
      c('哦哦,明白了'),
    ];
    expect(cd([...head, c('那这个月只能省着用了')], chat)).toBe('n/a');
    expect(cd([...head, c('那上个月你们多扣的五十块什么时候退?')], chat)).toBe('fail');
  });

  it('praise of the agent as the last words accepts the answer; praise inside a grumble does not', () => {
    const chat = { channel: 'chat' as const };
    const head = [
      c('你们的客服上次把我电话挂了,太不像话了'),
      a('非常抱歉,给您带来不好的体验,我们会加强培训'),
    ];
    expect(cd([...head, c('你服务态度真好')], chat)).toBe('n/a');
    expect(cd([...head, c('你们效率真高啊,一个月了还没修好')], chat)).toBe('fail');
  });

  it.each([
    '你们怎么又扣了我十块钱,谁让你们扣的',
    '你们上次电话里说可以退,现在又说不能退,到底听谁的',
    '你们改了套餐也不通知一声',
    '你们的APP一更新就闪退,还让不让人用了',
  ])('complaint words the detector does not read: %s', (words) => {
    const r = inspector.inspect(call([a('您好'), c(words), a('您说一下具体情况')]));
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('fail');
    expect(outcome(r, 'complaint.contact-and-deadline')).toBe('fail');
  });

  it('apologies in other words: 服务不周, 考虑不周, 工作上的疏漏, 怪我们; not 不能怪我们', () => {
    const ap = (reply: string) =>
      outcome(inspector.inspect(call([a('您好'), c(complaint), a(reply)])), 'emotion.apology-on-complaint');
    for (const reply of [
      '是我们服务不周',
      '是我们考虑不周',
      '这是我们工作上的疏漏',
      '这件事怪我们',
      '给您带来麻烦了',
    ])
      expect(ap(reply), reply).toBe('pass');
    for (const reply of ['这不能怪我们', '这样不会给您带来麻烦']) expect(ap(reply), reply).toBe('fail');
  });

  it('long waits: the agent slow at a check and transfers, said calmly, owe the apology', () => {
    const lw = (words: string, reply: string) =>
      outcome(inspector.inspect(call([a('您好'), c(words), a(reply)])), 'emotion.long-wait-apology');
    expect(lw('查了这么久还没好吗', '系统有点卡,您再等一下')).toBe('fail');
    expect(lw('查了这么久还没好吗', '对不起让您久等了')).toBe('pass');
    expect(lw('转了三次才转到你这,我想问下理赔进度', '请问您的保单号')).toBe('fail');
    // A reply awaited from the desk is the agent's wait even when the matter is a return.
    expect(lw('发了好几条消息,等了一上午才有人回,我想问一下退货地址', '退货地址是文三路100号')).toBe('fail');
  });
});

describe('review of session 12: batch 6 words that caught denials, questions and brush-offs', () => {
  const rule = (turns: Turn[], id: string, extra: Partial<Call> = {}) =>
    outcome(inspector.inspect(call(turns, extra)), id);
  const complaint = '我要投诉你们,服务态度太差了';

  it.each([
    '您怪我们也没用,这是规定',
    '这又不是我们不对',
    '这不是我们的不对',
    '这是快递带来的麻烦,跟我们没关系',
    '这是您自己操作带来的麻烦',
    '您说我们服务不周,这个我不认同',
    '这个要怪我们系统',
    '您怪我们干嘛,是银行那边扣的',
    '这个真不是我们服务不周',
  ])('a denial is no apology: %s', (reply) => {
    expect(rule([a('您好'), c(complaint), a(reply)], 'emotion.apology-on-complaint')).toBe('fail');
  });
  it.each([
    '是我们服务不周',
    '都怪我们没跟您说清楚',
    '是我们不对,没提前通知您',
    '这是我们的不对',
    '给您带来的麻烦我们很过意不去',
    '服务不周,给您带来麻烦了',
  ])('owning the fault is still an apology: %s', (reply) => {
    expect(rule([a('您好'), c(complaint), a(reply)], 'emotion.apology-on-complaint')).toBe('pass');
  });

  it.each([
    '改套餐会不会多收费?',
    '提前还款会多收钱吗?',
    '你们寄过来的时候别压坏了',
    '那还要我跑一趟营业厅吗?',
    '你们包装的时候小心别摔碎了',
    '续费的话会不会又扣一次钱?',
  ])('a neutral question or a request is no complaint: %s', (words) => {
    const turns = [a('您好'), c(words), a('好的,我帮您看一下')];
    expect(rule(turns, 'emotion.apology-on-complaint')).toBe('n/a');
    expect(rule(turns, 'complaint.contact-and-deadline')).toBe('n/a');
  });
  it.each([
    '你们多收了我一百块钱',
    '你们送来的蛋糕都压坏了',
    '又让我跑,我不去',
    '怎么又扣我钱了?',
    '你们把我的名字写错了',
  ])('the complaint words still hear: %s', (words) => {
    expect(rule([a('您好'), c(words), a('您说一下具体情况')], 'complaint.contact-and-deadline')).toBe('fail');
  });

  it.each([
    '非常抱歉,请您到营业厅查询一下扣费明细。',
    '非常抱歉,您可以查看一下短信里的扣费说明。',
    '非常抱歉,可以登录网上营业厅,在账单里查看。',
    '非常抱歉,建议您重新下载APP看看。',
    '非常抱歉,您可以登录APP查询一下扣费记录。',
  ])('sent to look it up is no matter settled: %s', (reply) => {
    const turns = [a('您好'), c('你们又乱扣我的钱,太不像话了'), a(reply)];
    expect(rule(turns, 'complaint.contact-and-deadline')).toBe('fail');
  });

  it('an order or account number with a leading 0 is no landline given', () => {
    const head = [a('您好'), c(complaint), a('对不起,今天下午五点前给您回电')];
    expect(rule([...head, c('订单号02345678901')], 'complaint.contact-and-deadline')).toBe('fail');
    expect(rule([...head, c('我的账号是075512345678')], 'complaint.contact-and-deadline')).toBe('fail');
    expect(rule([...head, c('运单号是138123456789012')], 'complaint.contact-and-deadline')).toBe('fail');
    expect(rule([...head, c('我座机是0571-88886666')], 'complaint.contact-and-deadline')).toBe('pass');
    expect(rule([...head, c('打我手机13912345678')], 'complaint.contact-and-deadline')).toBe('pass');
  });

  it.each([
    ['我电话13812345678', 'pass'],
    ['联系方式是139 1234 5678', 'pass'],
    ['电话138-0013-8000', 'pass'],
    ['回电请打+86 138 0000 1234', 'pass'],
    ['我手機１３９１２３４５６７８', 'pass'],
    ['我电话幺三八幺二三四五六七八', 'pass'],
    ['号码是一三九零零一二三四五六', 'pass'],
    ['我座机是021-5888 6666', 'pass'],
    ['有结果就打这个号找我', 'pass'],
    ['我的订单13912345678一直不发货', 'fail'],
    ['保单号码是15800001234', 'fail'],
    ['多扣了我1380元', 'fail'],
    ['你们天天用13800001111给我打推销电话', 'fail'],
    ['师傅的电话13712345678一直没人接', 'fail'],
    ['账单发到我的旧号码13800002222', 'fail'],
    ['自称你们客服的13355556666天天打电话', 'fail'],
    ['你们老打我这个手机推销', 'fail'],
    ['你们工号1381的客服', 'fail'],
  ])("the caller's own number in the complaint turn itself is the contact: %s (%s)", (words, want) => {
    const turns = [a('您好'), c(`${complaint},${words}`), a('非常抱歉,我提交核查,今天下午五点前给您回电')];
    expect(rule(turns, 'complaint.contact-and-deadline')).toBe(want);
  });

  it('a number given before the complaint (to look the account up) is not the contact taken for it', () => {
    const turns = [
      a('您好'),
      c('我手机号13800001111,帮我查一下话费'),
      a('您这个月话费二百元'),
      c(complaint),
      a('非常抱歉,我提交核查,今天下午五点前给您回电'),
    ];
    expect(rule(turns, 'complaint.contact-and-deadline')).toBe('fail');
  });

  it('an instruction is no closing question; a question in those words is', () => {
    const closing = (line: string) => rule([a('您好'), c('好的'), a(line)], 'closing.more-questions');
    expect(closing('好的已经帮您改好了,您还需要办理一下实名认证,再见')).toBe('fail');
    expect(closing('别的业务您可以在APP上办理,再见')).toBe('fail');
    expect(closing('您还要办理一下停机保号,再见')).toBe('fail');
    expect(closing('请问您还需要办理什么吗?')).toBe('pass');
    expect(closing('您还要办理别的业务吗?')).toBe('pass');
    expect(closing('还需要办理其他业务吗')).toBe('pass');
  });

  it('thanks after a question is no thanks to answer; thanks for what was done is', () => {
    const thanks = (words: string) => rule([a('您好'), c(words), a('正在处理中')], 'emotion.thanks-reply');
    expect(thanks('已经帮我退了吗谢谢')).toBe('n/a');
    expect(thanks('你们已经帮我登记了吗,谢谢')).toBe('n/a');
    expect(thanks('还帮我查了话费,谢谢')).toBe('fail');
  });
});

describe('batch s15 (session 15): apology words that are no apology, complaints without 投诉', () => {
  const rule = (turns: Turn[], id: string) => outcome(inspector.inspect(call(turns)), id);
  const complaint = '你们又乱扣我钱,上个月也是这样';

  it.each([
    '不好意思打断一下,您是在哪个营业厅办理的?',
    '不好意思,请问您的订单号是多少?',
    '不好意思,请您稍等,我查一下',
    '抱歉,我没听清,您说扣了多少钱?',
    '对不起,您再说一遍好吗?',
  ])('a courtesy sorry that asks or interrupts is no apology for the complaint: %s', (reply) => {
    expect(rule([a('您好'), c(complaint), a(reply)], 'emotion.apology-on-complaint')).toBe('fail');
  });
  it.each([
    '非常抱歉,请问您的订单号是多少?',
    '对不起,请您稍等,我马上帮您查',
    '不好意思打断一下,给您添麻烦了,您是在哪个营业厅办理的?',
    '真不好意思,给您带来不便了',
  ])('an apology beside a question or a hold is still one: %s', (reply) => {
    expect(rule([a('您好'), c(complaint), a(reply)], 'emotion.apology-on-complaint')).toBe('pass');
  });

  it.each([
    '上周说好三天之内退款,到现在一分钱都没到',
    '说好今天上午上门安装,我请了假在家等,人影都没见着',
    '答应我昨天给我回电话,结果到现在也没人打',
    '你们效率可真高啊,换个水表一个月了还没换好',
    '一个月了还没修好,你们速度真快',
  ])('a promise broken or sarcasm at our speed is a complaint: %s', (words) => {
    expect(rule([a('您好'), c(words), a('请问您的订单号是多少')], 'emotion.apology-on-complaint')).toBe(
      'fail',
    );
  });
  it.each(['说好的三天能到吗?', '你们效率真高,十分钟就修好了', '说好了明天上午来,我在家等'])(
    'a question about a promise, praise or a plan is none: %s',
    (words) => {
      expect(rule([a('您好'), c(words), a('好的')], 'emotion.apology-on-complaint')).toBe('n/a');
    },
  );

  it.each([
    '我昨天打电话投诉宽带断网,现在已经修好了,那个投诉帮我撤销吧',
    '我想问一下消协的投诉电话是多少,楼下那家饭店不给开发票',
    '请问在哪里可以投诉乱停车的',
  ])('a complaint withdrawn or where to complain about someone else is none of ours: %s', (words) => {
    const turns = [a('您好'), c(words), a('好的')];
    expect(rule(turns, 'emotion.apology-on-complaint')).toBe('n/a');
    expect(rule(turns, 'complaint.contact-and-deadline')).toBe('n/a');
  });
  it('asking the complaint line to complain about us is still a complaint', () => {
    const turns = [a('您好'), c('你们的投诉电话是多少,你们师傅把我家地板刮花了'), a('请问您的订单号')];
    expect(rule(turns, 'emotion.apology-on-complaint')).toBe('fail');
  });
});

describe('batch s15 (session 15): the contact in other words', () => {
  const cd = (turns: Turn[]) => outcome(inspector.inspect(call(turns)), 'complaint.contact-and-deadline');
  const complaint = '你们又乱扣我钱,我要投诉';
  it.each([
    ['请留下您的聯絡電話,我们两小时内给您回电', 'pass'],
    ['投诉专员会在24小时内打您登记的这个电话跟您联系', 'pass'],
    ['今天下午四点前处理结果以短信形式发到您登记的手机上', 'pass'],
    ['请您留一个邮箱,我们24小时内把处理说明发给您', 'pass'],
    ['两个工作日内把结果发到您留的邮箱', 'pass'],
    ['两个工作日内请您把材料发到我们的邮箱', 'fail'],
    ['我们两小时内给您答复', 'fail'],
  ])('%s (%s)', (reply, want) => {
    expect(cd([a('您好'), c(complaint), a(`非常抱歉,${reply}`)])).toBe(want);
  });
  it('an email address the caller writes is the contact; a mention is not', () => {
    const reply = a('非常抱歉,我提交核查,两个工作日内给您答复');
    expect(cd([a('您好'), c(`${complaint},结果发我邮箱li.na@qq.com`), reply])).toBe('pass');
    expect(cd([a('您好'), c(complaint), reply, c('zhangwei@163.com')])).toBe('pass');
    expect(cd([a('您好'), c(`${complaint} @客服小助手`), reply])).toBe('fail');
  });
});

describe('batch s15 (session 15): the turn in the queue come late is a long wait', () => {
  const lw = (words: string, reply: string) =>
    outcome(inspector.inspect(call([a('您好'), c(words), a(reply)])), 'emotion.long-wait-apology');
  it.each([
    '等了好一会儿才轮到我,我要办个停机保号',
    '排了半天才接通,我想查话费',
    '等了十几分钟才有人接,我问下套餐',
  ])('%s', (words) => {
    expect(lw(words, '请问您的手机号码是多少')).toBe('fail');
    expect(lw(words, '感谢您的耐心等待,请问您的手机号码是多少')).toBe('pass');
  });
  it('a wait to come is none: 是不是要等好一会儿才轮到我?', () => {
    expect(lw('是不是要等好一会儿才轮到我?', '请问您的手机号码是多少')).toBe('n/a');
  });
});

describe('batch s15 round 2: more time limits and contacts, nothing owed later', () => {
  const cd = (turns: Turn[]) => outcome(inspector.inspect(call(turns)), 'complaint.contact-and-deadline');
  const complaint = '我要投诉,你们的师傅收了钱不给开票';
  it.each([
    ['下午三点左右给您回电,还是打您的手机吗?', 'pass'],
    ['下午4:30之前给您回电,您留个电话', 'pass'],
    ['这周五之前寄出,寄出后打您的座机通知您', 'pass'],
    ['会有人联系您的,您留个电话', 'fail'],
    ['下午会有人联系您,您留个电话', 'fail'],
  ])('%s (%s)', (reply, want) => {
    expect(cd([a('您好'), c(complaint), a(`非常抱歉,我马上核实,${reply}`)])).toBe(want);
  });
  it('a transfer of the call to the complaint desk now leaves nothing owed by this agent; a forward for later does', () => {
    expect(cd([a('您好'), c(complaint), a('非常抱歉,我现在帮您转接投诉专席,请稍等')])).toBe('n/a');
    expect(cd([a('您好'), c(complaint), a('对不起,我这边马上给您转接过去'), c('好')])).toBe('n/a');
    expect(cd([a('您好'), c(complaint), a('对不起,我转交投诉部门处理,会尽快联系您')])).toBe('fail');
    expect(cd([a('您好'), c(complaint), a('对不起,现在无法转接,您留个电话,会尽快联系您')])).toBe('fail');
  });
  it('the caller asking for no answer later leaves nothing owed; asking whether one comes does not', () => {
    expect(cd([a('您好'), c(`${complaint},我就是反映一下,不用回我电话了`), a('非常抱歉,我记录下来')])).toBe(
      'n/a',
    );
    expect(cd([a('您好'), c(complaint), a('非常抱歉,我记录下来'), c('行,不用回复了')])).toBe('n/a');
    expect(cd([a('您好'), c(`${complaint},不用给我回电话吗?`), a('非常抱歉,我记录下来')])).toBe('fail');
  });
});

describe('the finding names what the customer said', () => {
  it('a complaint heard by a pattern is quoted from the turn, never as an empty quote', () => {
    const r = inspector.inspect(
      // A line the detector does not read as a complaint and the rule's words do (说好三天给我答复,
      // 到现在都没人联系我 was one until the detector learnt such broken promises in session 32).
      call([a('您好,很高兴为您服务'), c('明明说了取消,还是扣了我钱'), a('好的,您还有其他问题吗?')]),
    );
    const notes = r.findings.filter((f) => f.rule === 'emotion.apology-on-complaint').map((f) => f.evidence);
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      expect(note).toContain('第2句客户说"明明说了取消');
      expect(note).not.toContain('客户说""');
    }
  });
});

describe('session 19 (training/qa-dev/complaint/batch-s19*.yaml): apologies, contacts and time limits in more words', () => {
  const complaint = '你们的师傅上门把我家墙弄脏了还不管';
  const apology = (reply: string, words = complaint) =>
    outcome(inspector.inspect(call([a('您好'), c(words), a(reply)])), 'emotion.apology-on-complaint');
  it.each([
    '是我们服务不到位,我马上给您加急派单',
    '真是让您失望了,我帮您看一下',
    '我代表公司给您赔个不是',
    '耽误您时间了,我马上处理',
  ])('an apology in other words: %s', (reply) => {
    expect(apology(reply)).toBe('pass');
  });
  it.each(['这不是我们服务不到位,是您家墙面本身的问题', '我给您说一下步骤,不会耽误您太多时间'])(
    'their denial or a promise is none: %s',
    (reply) => {
      expect(apology(reply)).toBe('fail');
    },
  );
  it('the caller made to come again and again is a complaint (我都跑了两趟了)', () => {
    expect(apology('我给您说一下线上退款的步骤', '你们这个退款流程太麻烦了,我都跑了两趟了')).toBe('fail');
  });
  const cd = (turns: Turn[], brand = 'zhonghua') =>
    outcome(inspector.inspect(call(turns, { brand })), 'complaint.contact-and-deadline');
  const quality = '你们的洗衣机买了一个月就不脱水了,我要投诉';
  it('seed 004: a quality complaint answered with the visit booked and its time needs no contact apart', () => {
    const visit = (reply: string) =>
      cd([a('您好'), c(quality), a(`真对不起,给您添不少麻烦,${reply}`), c('可以')], 'quanjiale');
    expect(visit('您讲的情况我已记录下了,我们在24小时内安排人员上门为您维修,您看可以吗')).toBe('pass');
    expect(visit('我记录下来了,我们尽快安排人员上门为您维修')).toBe('fail');
    expect(visit('我记录下来了,明天之前给您答复,需要安排人员上门吗?')).toBe('fail');
  });
  it.each([
    ['请您留个电话,我们两个钟头之内给您回复', 'pass'],
    ['中午之前给您回电,还是打您这个号码可以吗', 'pass'],
    ['请您留个电话,我们尽快给您回复', 'fail'],
  ])('a time limit as speech says it: %s (%s)', (reply, want) => {
    expect(cd([a('您好'), c(`${complaint},我要投诉`), a(`非常抱歉,${reply}`), c('13512345678')])).toBe(want);
  });
  it('a check reported (核实是…) defers nothing: the complaint settled and accepted is n/a; a check to come still owes', () => {
    const refund = (reply: string) =>
      cd([a('您好'), c('你们重复扣了我两次费,凭什么'), a(`非常抱歉,${reply}`), c('那就好')]);
    expect(refund('核实是系统重复扣费,钱已经退到您原支付账户了')).toBe('n/a');
    expect(refund('我帮您核实一下,核实后联系您')).toBe('fail');
  });
});

describe('complaint words of session 25 (calls/batch-s25b): each family heard, its look-alike left', () => {
  const apology = (words: string, reply = '请问您的订单号是多少?') =>
    outcome(inspector.inspect(call([a('您好'), c(words), a(reply)])), 'emotion.apology-on-complaint');
  it.each([
    ['a fault back days after the fix', '我家网又断了,上礼拜刚修好,这才几天又不行了'],
    ['worn out after two uses', '电饭煲用了两次内胆涂层就掉了'],
    ['a promise quoted and broken', '你们说第二天会有人打给我,结果一整天都没人打'],
    ['passed around', '这个让我打那个,那个让我打你们,到底谁管啊'],
    ['sarcasm, the goods still waiting', '你们效率可真高啊,下单十天了东西还在仓库里躺着'],
    ['careless packing', '杯子碎了两个,你们这包装也太随便了'],
    ['damage laid at our door', '你们装的热水器漏水了,把地板都泡了,这事怎么说'],
  ])('%s: heard, no apology fails', (_, words) => {
    expect(apology(words)).toBe('fail');
    expect(apology(words, '非常抱歉给您添麻烦了,请问您的订单号是多少?')).toBe('pass');
  });
  it.each([
    ['a calm question about durability', '这个电饭煲的内胆涂层能用几年?'],
    ['what the agent said, quoted calmly', '你们说下周会寄新卡过来,我就问一下寄到哪个地址'],
    ['a form handed on, asked where', '这个让我填的表格填好了,交给你们哪个部门'],
    ['anger at swindlers who used our name', '有人冒充你们让我交升级费,差点被骗了,这帮骗子太可恶了'],
  ])('%s: no complaint (n/a)', (_, words) => {
    expect(apology(words)).toBe('n/a');
  });
  it('thanks after nothing came is sarcasm: no thanks owed, the apology is', () => {
    const r = inspector.inspect(
      call([
        a('您好'),
        c('我请了一天假在家等,到现在人影都没有,那可真谢谢你们了'),
        a('请问您的安装单号是多少?'),
      ]),
    );
    expect(outcome(r, 'emotion.thanks-reply')).toBe('n/a');
    expect(outcome(r, 'emotion.apology-on-complaint')).toBe('fail');
  });
  it('the caller’s 好了,显示会员了 after the fix settles the complaint: no contact and deadline owed', () => {
    const turns = [
      a('您好'),
      c('我续了费今天登录还是显示普通用户,再这样我就换一家了'),
      a('非常抱歉给您带来不便,我已经帮您手动刷新,请您重新登录看一下'),
      c('好了,显示会员了'),
      a('好的,请问还有其他问题吗?'),
      c('没有了'),
    ];
    expect(outcome(inspector.inspect(call(turns)), 'complaint.contact-and-deadline')).toBe('n/a');
  });
});
