// The UI's two dictionaries have the same keys, no empty text, and the same {placeholders}.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { en } from '../../web/src/i18n/en.ts';
import { zh } from '../../web/src/i18n/zh.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the UI dictionaries', () => {
  it('have the same keys in Chinese and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('translate every key, with the same placeholders', () => {
    for (const [key, zhText] of Object.entries(zh)) {
      const enText = (en as Record<string, string>)[key] ?? '';
      expect(zhText.trim(), key).not.toBe('');
      expect(enText.trim(), key).not.toBe('');
      expect(placeholders(enText), key).toEqual(placeholders(zhText));
    }
  });

  it('keep the Chinese dictionary in Chinese', () => {
    // Every Chinese text has a 汉字, except the switch's "English" and the full-width
    // punctuation (the colon, a count's brackets: 待复核（2）).
    const same = Object.entries(zh).filter(([, text]) => !/\p{Script=Han}/u.test(text));
    expect(same.map(([key]) => key).sort()).toEqual(['common.colon', 'common.withCount', 'lang.switch']);
  });

  it('name every rule of the shipped scorecard (a finding shows its title, not its id)', () => {
    const card = parse(readFileSync(new URL('../../scorecards/default.yaml', import.meta.url), 'utf8')) as {
      rules: { id: string }[];
    };
    const missing = card.rules.map((r) => `console.rule.${r.id}`).filter((key) => !(key in zh));
    expect(missing).toEqual([]);
  });
});
