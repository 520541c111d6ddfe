// Recall where it matters (issue 11 §1), through the default scorecard and the shipped
// playbooks: complaints in any words, forbidden language as patterns with exclusions that never
// hide a fault, holds seen in the text, and speech-recognition text (fillers, stutters).
import { describe, expect, it } from 'vitest';
import type { Call, CallEvent, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { normalizeText } from '../text/normalize.ts';
import { corpus } from '../text/testdata.ts';
import { Inspector } from './engine.ts';
import { regexPrefilter } from './operators.ts';
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

  it('the caller who waited long or could not get through gets an apology (seed 002 一.(七))', () => {
    const rude = inspector.inspect(
      call([a('您好'), c('打了半天都打不通,等了二十分钟'), a('您要办什么业务?')]),
    );
    expect(outcome(rude, 'emotion.long-wait-apology')).toBe('fail');
    const kind = inspector.inspect(
      call([a('您好'), c('打了半天都打不通,等了二十分钟'), a('对不起,让您久等了!请问有什么可以帮您?')]),
    );
    expect(outcome(kind, 'emotion.long-wait-apology')).toBe('pass');
  });
});

describe('forbidden language as patterns', () => {
  describe('hedge (模糊性语言: 推测口吻)', () => {
    const rule = 'language.forbidden.hedge';
    it('finds a guess given as the answer', () => {
      expect(said('应该是数据线坏了', rule)).toEqual(['应该是']);
      expect(said('应该可以了吧', rule)).toEqual(['应该可以了吧']);
      // 可能会 alone is harmless to the vague rule; 可能会…吧 is a guess, and its 可能 the seed's word.
      expect(said('可能会晚一点吧', rule)).toEqual(['可能会晚一点吧']);
      expect(said('可能会晚一点吧', 'language.forbidden.vague')).toEqual(['可能']);
      expect(said('可能会晚一点', 'language.forbidden.vague')).toEqual([]);
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

  it('each pattern rule deducts per occurrence up to its cap, with a correct line that passes it', () => {
    const r = inspector.inspect(
      call([c('怎么还没到?'), a('应该是快递的问题。应该是路上堵了。应该是仓库慢了。应该是天气原因。')]),
    );
    const hedge = r.rules.find((x) => x.id === 'language.forbidden.hedge');
    expect(hedge).toMatchObject({ outcome: 'fail', occurrences: 4, points: -9 });
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
    expect(f?.evidence).toContain('等待30秒');
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

describe('the pattern rules’ quick test (literals every match contains)', () => {
  it('never passes over a turn the expression matches: every regex of the default scorecard, every corpus turn', () => {
    const regexes = loadScorecard().rules.flatMap((r) =>
      'regex' in r.expect ? [(r.expect.regex.none ?? r.expect.regex.any) as string] : [],
    );
    expect(regexes.length).toBeGreaterThanOrEqual(8);
    const texts = corpus().flatMap((d) => d.turns.map((t) => normalizeText(t.text)));
    texts.push('这个不嗯知道', '应该是的吧', '您要带身份证原件才行', '下次记得带身份证', '好的嗯');
    for (const source of regexes) {
      const quick = regexPrefilter(source);
      const re = new RegExp(source, 'u');
      for (const t of texts) if (re.test(t)) expect(quick(t), `${source} on ${t.slice(0, 20)}`).toBe(true);
    }
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
