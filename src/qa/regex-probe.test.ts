import { describe, expect, it } from 'vitest';
import { itemText, readDevSet } from '../../test/support/qa-dev.ts';
import { normalizeText } from '../text/normalize.ts';
import { corpus } from '../text/testdata.ts';
import { regexProbe, startsBroad, topLevelAlternatives } from './regex-probe.ts';
import { loadScorecard } from './scorecard.ts';

describe('topLevelAlternatives', () => {
  it('splits on | outside groups and classes, keeps escapes', () => {
    expect(topLevelAlternatives('a|b(c|d)|[|]|\\||e')).toEqual(['a', 'b(c|d)', '[|]', '\\|', 'e']);
    expect(topLevelAlternatives('(?<!x|y)z|w')).toEqual(['(?<!x|y)z', 'w']);
    expect(topLevelAlternatives('[\\]|]x|y')).toEqual(['[\\]|]x', 'y']);
    expect(topLevelAlternatives('abc')).toEqual(['abc']);
  });

  it('does not split what would change meaning: back references and named groups', () => {
    expect(topLevelAlternatives('(对|好)\\1|是')).toBeNull();
    expect(topLevelAlternatives('(?<x>a)|b')).toBeNull();
    // Lookbehinds are not named groups.
    expect(topLevelAlternatives('(?<=a)b|c')).toEqual(['(?<=a)b', 'c']);
  });
});

describe('startsBroad: alternatives tried at every position', () => {
  it('knows negated classes, dots and negated class escapes, also inside a group', () => {
    for (const a of ['[^,。]{0,30}所以', '.*没办法', '\\S+吧', '(?:[^,。]{0,3})没办法', '(?:(?:.))?x'])
      expect(startsBroad(a), a).toBe(true);
  });
  it('leaves alternatives that start with a character, a class, a group of them or a lookbehind', () => {
    for (const a of [
      '所以',
      '[你您]自己',
      '(?:我们|这边)没办法',
      '\\d{3}',
      '^喂+',
      '(对|好)+',
      '(?<!不)应该',
      '您?必须',
    ])
      expect(startsBroad(a), a).toBe(false);
  });
});

describe('regexProbe answers as the whole expression', () => {
  const cases: [string, string, boolean][] = [
    // Overlapping literals of two alternatives: both are found.
    ['ab|bc', 'xbcx', true],
    ['ab|bcd', 'abcd', true],
    ['abx|bcd', 'abcd', true],
    ['abx|bcx', 'abcd', false],
    // An alternative holding a shorter literal of another.
    ['所以没|所以才没人管', '所以才没人管', true],
    ['所以没|所以才没人管', '所以才有人管', false],
    // An alternative with no literal always runs.
    ['[0-9]{3}|应该吧', '电话123', true],
    ['[0-9]{3}|应该吧', '电话12', false],
    // Lookbehind inside an alternative.
    ['(?<!不)应该是|下次记得', '不应该是', false],
    ['(?<!不)应该是|下次记得', '这应该是', true],
    // A back reference: the whole expression.
    ['(对|好的?)(?:[,、 ]?\\1){2,}|没办法', '对对对', true],
    ['(对|好的?)(?:[,、 ]?\\1){2,}|没办法', '对,好,对', false],
  ];
  it.each(cases)('/%s/ on %s → %s', (source, text, want) => {
    expect(regexProbe(source)(text)).toBe(want);
    expect(new RegExp(source, 'u').test(text)).toBe(want);
  });

  it('on every regex of the default scorecard: every corpus turn and every development line', () => {
    const regexes: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        const re = (node as { regex?: { none?: string; any?: string } }).regex;
        if (re) regexes.push((re.none ?? re.any) as string);
        Object.values(node).forEach(collect);
      }
    };
    for (const r of loadScorecard().rules) collect(r.expect);
    expect(regexes.length).toBeGreaterThanOrEqual(16);
    const texts = [
      ...corpus().flatMap((d) => d.turns.map((t) => normalizeText(t.text))),
      ...readDevSet().map((item) => normalizeText(itemText(item))),
    ];
    // Each text twice over, so a probe that forgot to clear its marks would show.
    let agree = 0;
    let matched = 0;
    for (const source of [...new Set(regexes)]) {
      const probe = regexProbe(source);
      const re = new RegExp(source, 'u');
      for (const t of [...texts, ...texts]) {
        const want = re.test(t);
        if (probe(t) !== want) expect.fail(`/${source.slice(0, 40)}…/ on ${t.slice(0, 30)}: probe ${!want}`);
        agree++;
        if (want) matched++;
      }
    }
    expect(agree).toBeGreaterThan(10_000);
    // The texts hold matches of the patterns, not only misses.
    expect(matched).toBeGreaterThan(500);
  });
});
