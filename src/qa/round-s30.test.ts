// Issue 11 §1/§4, round s30 (training/qa-dev/corpus/batch-s30a.yaml, real help-desk threads labelled
// by id): the default scorecard's readings added for them, each with a look-alike it must leave
// alone — our network or signal called bad with an intensifier is a complaint, a calm fault report
// or a question is not; an invitation to come back with 及时 closes a thread; an acknowledgement
// that opens the customer's last words, a remark after it, signs off.
import { describe, expect, it } from 'vitest';
import type { Call, Turn } from '../calls/model.ts';
import { Catalog } from '../playbook/catalog.ts';
import { Inspector } from './engine.ts';
import { loadScorecard } from './scorecard.ts';

const inspector = new Inspector(loadScorecard(), Catalog.load());
const a = (text: string): Turn => ({ speaker: 'agent', text });
const c = (text: string): Turn => ({ speaker: 'customer', text });
const outcome = (turns: Turn[], rule: string, extra: Partial<Call> = {}) =>
  inspector
    .inspect({ id: 'x', direction: 'inbound', brand: 'generic', events: [], turns, ...extra })
    .rules.find((r) => r.id === rule)?.outcome;
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
