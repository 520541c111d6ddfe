// Issue 11 §1/§4, round s30 (training/qa-dev/corpus/batch-s30a.yaml, real help-desk threads labelled
// by id): the default scorecard's readings added for them, each with a look-alike it must leave
// alone — our network or signal called bad with an intensifier is a complaint, a calm fault report
// or a question is not; an invitation to come back with 及时 closes a thread; an acknowledgement
// that opens the customer's last words, a remark after it, signs off. Then (batch-s30c/s30e): more
// complaints in other words, a caller asking not to be phoned again, a fix reported as it worked,
// thanks returned only for support, not for remarks or understanding (the older label set's reading).
import { describe, expect, it } from 'vitest';
import { a, c, outcome } from '../../test/support/inspect-turns.ts';
import type { Turn } from '../calls/model.ts';

const chat = (turns: Turn[], rule: string) => outcome(turns, rule, { channel: 'chat' });

describe('our network called bad with an intensifier is a complaint', () => {
  // The agent asks for the address and the thread stops: a complaint owes the apology.
  const thread = (first: string) => [c(first), a('请您私信提供详细地址,我们核查后联系您。')];
  it.each([
    ['the signal, 好差啊', '火车站这边的4G信号好差啊'],
    ['the broadband, 极其不稳定', '我们小区这几天宽带网络极其不稳定,望派人来看看!'],
    ['the speed, 差得要命', '晚上网速差得要命'],
  ])('%s: the apology is owed', (_, first) => {
    expect(chat(thread(first), 'emotion.apology-on-complaint')).toBe('fail');
  });

  it.each([
    ['a calm fault report', '我家这边信号不好,打电话老断,帮忙看看'],
    ['a question whether it is bad', '请问你们这边网速是不是很差?我想办宽带'],
    ['a question after the words', '最近信号特别差吗?我朋友说的'],
  ])('%s: no complaint (n/a)', (_, first) => {
    expect(chat(thread(first), 'emotion.apology-on-complaint')).toBe('n/a');
  });
});

describe('the end of a chat thread', () => {
  const answered = [c('怎么设置来电黑名单啊'), a('您好,在设置-电话-骚扰拦截里可以添加号码。')];
  it('an invitation to come back with 及时 closes it (farewell pass)', () => {
    const turns = [...answered, a('如在使用过程中有任何疑问请及时联系我们。')];
    expect(chat(turns, 'closing.farewell')).toBe('pass');
  });
  it('an acknowledgement opening the last words, a remark after it: signed off (the closing owed)', () => {
    const turns = [...answered, c('好吧,原来是藏在这里面了.以前的版本在别的地方')];
    expect(chat(turns, 'closing.more-questions')).toBe('fail');
    expect(chat(turns, 'closing.farewell')).toBe('fail');
  });
  it.each([
    ['a question after it', '好吧,那怎么删除已经加进去的号码?'],
    ['an objection after it', '好吧,但是我这个版本里没有这个选项'],
  ])('%s: the thread goes on (n/a)', (_, last) => {
    const turns = [...answered, c(last)];
    expect(chat(turns, 'closing.more-questions')).toBe('n/a');
  });
});

describe('complaints in other words (batch-s30c/s30e)', () => {
  const thread = (first: string) => [c(first), a('请您私信提供您的号码,我们核实后联系您。')];
  it.each([
    ['a rhetorical question at us', '说好的三天发货,难道你们要分配一个星期?'],
    ['the days gone by asked back', '客服说两个工作日就能修好,这都几天了?'],
    ['our reply scorned as boilerplate', '这种套话有用吗?什么时候改?'],
    ['the answer called off the point', '没有正面回答我的问题'],
    ['slowness mocked', '这货是走路来的吧,要等到过年吗'],
    ['an explanation demanded', '宽带老掉线!求解释!'],
    ['a notice owed', '你们升级是否应该提前通知一下?'],
    ['our line tried again and again', '拨了三次10010,人工都是坐席忙,无法接通'],
  ])('%s: the apology is owed', (_, first) => {
    expect(chat(thread(first), 'emotion.apology-on-complaint')).toBe('fail');
  });

  it.each([
    ['a rhetorical question at oneself', '难道是我设置错了?'],
    ['days told calmly', '这个手机我用了几天了,想问下怎么截屏'],
    ['someone else’s line unanswered', '我给我老公打了三次电话都没人接,能帮我查下他的通话记录吗'],
    ['a question when it ships', '请问过年前能发货吗'],
  ])('%s: no complaint (n/a)', (_, first) => {
    expect(chat(thread(first), 'emotion.apology-on-complaint')).toBe('n/a');
  });
});

describe('what a complaint is owed at its end (batch-s30c/s30e)', () => {
  // scripts/corpus-replies-labels.tsv (the older, larger set) holds 请不要打扰我 to leave the limit owed,
  // unlike 不用回复了 (nothing owed later).
  it('a caller who asks not to be phoned again is still owed the contact and limit; the apology too', () => {
    const turns = [
      c('你们的人又打电话来,还是说是我手机的问题,这都第三次了!'),
      a('很抱歉给您带来不便,我们再次为您反馈。'),
      c('没有实际解决办法的话,请不要再打电话给我了'),
      a('好的,抱歉打扰您了。'),
    ];
    expect(chat(turns, 'complaint.contact-and-deadline')).toBe('fail');
    expect(chat(turns, 'emotion.apology-on-complaint')).toBe('pass');
    const waved = [...turns.slice(0, 2), c('不用回复了'), turns[3] as Turn];
    expect(chat(waved, 'complaint.contact-and-deadline')).toBe('n/a');
  });
  const fixed = (last: string) => [
    c('远程协助也太难用了,点了接受就是连不上,你们这系统有bug吧!'),
    a('您好,请问双方网络都正常吗?'),
    c('正常的'),
    a('请您退出后重新发起连接试试。'),
    c(last),
  ];
  it.each([
    ['the connection made', '连接成功了,原来是一边连wifi一边通话造成的'],
    ['a resigned yes with thanks', '好的吧谢谢'],
  ])('%s: settled, no contact owed', (_, last) => {
    expect(chat(fixed(last), 'complaint.contact-and-deadline')).toBe('n/a');
  });
  it('a fix reported with a but: still owed', () => {
    expect(chat(fixed('连接成功了,但是过一会又断了'), 'complaint.contact-and-deadline')).toBe('fail');
  });
});

describe('thanks returned for the caller’s remarks does not answer the thanks', () => {
  const turns = (reply: string) => [
    c('你们官网有在线客服窗口吗?'),
    a('目前没有网页客服窗口,您可以拨打热线或私信我们。'),
    c('好的,谢谢了,不过真的不太方便'),
    a('很抱歉给您带来不便,我们会反馈给相关部门。'),
    c('没事,就是提个意见'),
    a(reply),
  ];
  it('感谢您的宝贵意见 alone: not answered (scripts/corpus-replies-labels.tsv)', () => {
    expect(chat(turns('很感谢您的宝贵意见,我们会努力改进。'), 'emotion.thanks-reply')).toBe('fail');
  });
  it('不客气 with it: answered', () => {
    expect(chat(turns('不客气,也感谢您的宝贵意见。'), 'emotion.thanks-reply')).toBe('pass');
  });
  it('感谢您的理解 alone: not answered (session 8)', () => {
    expect(chat(turns('好的,感谢您的理解。'), 'emotion.thanks-reply')).toBe('fail');
  });
});
