// Issue 11 §1, round s36 (training/qa-dev/calls/batch-s36.yaml): words an agent puts in quotation
// marks are someone else's — a surveyor's rude words read back for the complaint desk, a text
// message's or a button's words — and fail no forbidden-language rule; the agent's own words beside
// them still do (quoted-words.ts). A caller's quotation is theirs to make: the complaint it holds
// is still heard.
import { describe, expect, it } from 'vitest';
import { a, answered, c, outcome } from '../../test/support/inspect-turns.ts';

const PROVOKING = 'language.forbidden.provoking';
const VAGUE = 'language.forbidden.vague';
const EXCUSE = 'language.forbidden.excuse';
const BLAME = 'language.forbidden.blame';
const APOLOGY = 'emotion.apology-on-complaint';

/** A calm question answered by `reply`, then the closing: `rule`'s outcome. */
const served = (reply: string, rule: string, channel: 'phone' | 'chat' = 'phone') =>
  answered('你好,我想问一下我上个月的那张单子怎么处理的。', reply, rule, { channel });

describe('words read back in quotation marks are not the agent’s', () => {
  it.each([
    [PROVOKING, "好的,我记录一下:查勘员对您说了'你到底懂不懂,别耽误我时间',我记录得对吗?"],
    [PROVOKING, '客服回复您“爱买不买”是完全不对的,我已经提交给主管处理。'],
    [PROVOKING, '您是说邻居讲「电表是两家共用的,跟我们没关系」,对吗?'],
    [VAGUE, '您在登录页点“不知道密码?点这里”,验证后就能重设密码。'],
    [EXCUSE, '師傅說「我是新來的,不知道怎麼裝」就離開,這是我們安排不當。'],
    [VAGUE, '師傅說「我是新來的,不知道怎麼裝」就離開,這是我們安排不當。'],
    // The language classifier reads these lines whole as the fault when the quoted words count.
    [BLAME, '师傅当时说“谁让您当初不买保险”,这样说是不对的。'],
    [PROVOKING, '师傅当时说“您早干嘛去了”,这样说是不对的。'],
    [EXCUSE, '师傅当时说“我们这边人手不够,忙不过来”,这样说是不对的。'],
    [VAGUE, '师傅当时说“这个我也说不准”,这样说是不对的。'],
  ])('%s: %s → pass', (rule, reply) => {
    expect(served(reply, rule)).toBe('pass');
    expect(served(reply, rule, 'chat')).toBe('pass');
  });

  it.each([
    [PROVOKING, '查勘员对您说了你到底懂不懂,别耽误我时间吗?', '你到底懂不懂 said with no marks'],
    [PROVOKING, '条款里写的就是“不在赔付范围”,这个没有为什么。', '没有为什么 after the quotation'],
    [PROVOKING, '营业员说“是你自己没看清楚合同”不合适,不过这个我们也没办法。', '我们也没办法 after it'],
    [VAGUE, '老师说“下周开始”,应该是下周吧,具体我也说不好。', 'the guess after it'],
    [BLAME, '您自己不看说明书,能怪谁呢。', 'the same words as the agent’s own'],
    [BLAME, '师傅当时说“不对”,谁让您当初不买保险。', 'the classifier’s fault outside the quotation'],
    [PROVOKING, '他说"不知道,反正你到底懂不懂', 'a mark never closed'],
  ])('%s: %s (%s) → fail', (rule, reply) => {
    expect(served(reply, rule)).toBe('fail');
  });
});

describe('a caller’s quotation is the caller’s: the complaint it holds is heard', () => {
  const call = (first: string, reply: string) =>
    outcome(
      [
        a('您好,客服中心,工号6620,请问有什么可以帮您?'),
        c(first),
        a(reply),
        c('行。'),
        a('请问还有其他可以帮您的吗?'),
        c('没有了。'),
        a('感谢您的来电,再见!'),
      ],
      APOLOGY,
    );
  const complaint = '你们营业员对我说“是你自己没看清楚合同”,什么态度!';

  it('no apology after it fails', () => {
    expect(call(complaint, '请问您是在哪个营业厅办理的?')).toBe('fail');
  });

  it('the apology passes', () => {
    expect(call(complaint, '非常抱歉让您不愉快了,请问您是在哪个营业厅办理的?')).toBe('pass');
  });
});
