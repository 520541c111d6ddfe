import { describe, expect, it } from 'vitest';
import { topicOf } from './subject.ts';

describe('topicOf: what a repeat caller called about, as a line can name it', () => {
  it('drops the caller’s framing and keeps the topic', () => {
    expect(topicOf('我想查一下车险保单的续保日期')).toBe('车险保单的续保日期');
    expect(topicOf('请问一下,怎么退保啊')).toBe('怎么退保');
    expect(topicOf('我想投诉')).toBe('投诉');
    expect(topicOf('意外险理赔范围')).toBe('意外险理赔范围');
  });

  it('says the caller’s 我 as the agent does, and stops at the first clause', () => {
    expect(topicOf('我家宽带从昨天开始就上不了网了,你们到底管不管')).toBe('您家宽带从昨天开始就上不了网');
    expect(topicOf('麻烦帮我查一下我的话费余额')).toBe('您的话费余额');
  });

  it('never reads out a number the caller gave (a policy, ID or card number)', () => {
    expect(topicOf('我的保单号是123456789012,想查一下理赔进度')).toBe('理赔进度');
    expect(topicOf('身份证110101199001011234')).toBeNull();
  });

  it('cuts a long topic at 20 characters; nothing to name is null', () => {
    expect(topicOf('上个月在营业厅办理的那张副卡到现在为止一直都没有收到任何激活短信')?.length).toBe(21);
    expect(topicOf(null)).toBeNull();
    expect(topicOf('嗯,好')).toBeNull();
  });
});
