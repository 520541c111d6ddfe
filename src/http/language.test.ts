import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { bilingual, pick, preferredLanguage, translate } from './language.ts';

describe('preferredLanguage', () => {
  it('is Chinese by default and English when English is preferred, honouring q-values', () => {
    expect(preferredLanguage(undefined)).toBe('zh');
    expect(preferredLanguage('')).toBe('zh');
    expect(preferredLanguage('*')).toBe('zh');
    expect(preferredLanguage('fr-FR, de')).toBe('zh');
    expect(preferredLanguage('en')).toBe('en');
    expect(preferredLanguage('EN-us')).toBe('en');
    expect(preferredLanguage('en-GB;q=0.8')).toBe('en');
    expect(preferredLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(preferredLanguage('zh-TW;q=0.5, en-US;q=0.9')).toBe('en');
    expect(preferredLanguage('fr, en;q=0.1')).toBe('en');
    expect(preferredLanguage('en;q=0, zh')).toBe('zh');
    expect(preferredLanguage('en;q=0')).toBe('zh');
    expect(preferredLanguage('en, zh')).toBe('en'); // a tie: the first named
    expect(preferredLanguage(['en-US', 'zh;q=0.1'])).toBe('en');
    expect(preferredLanguage('en;q=abc')).toBe('en'); // a malformed q is ignored
  });
});

describe('messages in two languages', () => {
  it('an AppError with both texts answers each; one with a plain string falls back to it', () => {
    const both = new AppError('not-found', { zh: '没有工单“7”', en: "no ticket '7'" });
    expect(both.messageIn('zh')).toBe('没有工单“7”');
    expect(both.messageIn('en')).toBe("no ticket '7'");
    expect(both.message).toBe("no ticket '7'"); // logs and code that read .message get the English
    const english = new AppError('conflict', 'not translated yet');
    expect(english.messageIn('zh')).toBe('not translated yet');
    expect(english.messageIn('en')).toBe('not translated yet');
  });

  it('pick and translate fall back to the English', () => {
    expect(pick('only English', 'zh')).toBe('only English');
    expect(pick({ en: 'hello' }, 'zh')).toBe('hello');
    expect(pick({ zh: '你好', en: 'hello' }, 'zh')).toBe('你好');
    expect(pick({ zh: '你好', en: 'hello' }, 'en')).toBe('hello');
    const en = bilingual({ zh: '应为工号', en: 'expected an agent number' });
    expect(en).toBe('expected an agent number');
    expect(translate(en, 'zh')).toBe('应为工号');
    expect(translate(en, 'en')).toBe('expected an agent number');
    expect(translate('never registered', 'zh')).toBe('never registered');
  });
});
