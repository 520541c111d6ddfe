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
    // Scorecards are user-editable YAML: escapes the anchor analysis used to read as literals
    // of their own (\x41 as "41", \k<x> as "<x>", \cJ as "J"), threw on (\p{…}, \u{…}) or
    // split (an emoji: a lone surrogate, which the `u` flag never finds inside a pair).
    ['\\p{Script=Han}{2}好|[^x]y', '你们好', true],
    ['\\p{Script=Han}{2}好|[^x]y', '你好', false],
    ['\\P{L}好|[^,]{0,3}吧', '1好', true],
    ['\\u{4e0d}行|[^x]y', '不行', true],
    ['\\x41bc|[^,]{0,3}z', 'Abc', true],
    ['\\cJab', '\nab', true],
    ['(?<x>对)\\k<x>|没办法', '对对', true],
    ['(?<x>对)\\k<x>|没办法', '对好', false],
    ['(对)(好)(是)(的)(呀)(啊)(哦)(嗯)(行)(了)\\10|[^,]y', '对好是的呀啊哦嗯行了了', true],
    ['[😀😏]|[^,]{0,3}z', '好😏', true],
    ['😏+|[^,]{0,3}z', '😏😏', true],
    ['\\uD83D\\uDE0F+|x', '😏', true],
    ['(?<=您)自己|[^,]{0,3}去', '您自己', true],
    ['[\\]|]x|[^a]y', ']x', true],
    ['\\|没办法|[^,]没', '|没办法', true],
    ['\\|没办法|[^,]没', '没办法', false],
    ['^好|[^,]{0,3}吧$', '好的', true],
    ['^好|[^,]{0,3}吧$', '吧好', false],
  ];
  it.each(cases)('/%s/ on %s → %s', (source, text, want) => {
    expect(new RegExp(source, 'u').test(text)).toBe(want);
    expect(regexProbe(source)(text)).toBe(want);
  });

  it('with other flags: case-insensitive literals, stateful flags fresh for every text', () => {
    expect(regexProbe('ok吧|[^,]{0,3}sb', 'iu')('OK吧')).toBe(true);
    expect(regexProbe('ok吧|[^,]{0,3}sb', 'iu')('SB')).toBe(true);
    const g = regexProbe('对|[^,]好', 'gu');
    expect([g('对'), g('对'), g('x好'), g('x好')]).toEqual([true, true, true, true]);
  });

  it('equals the whole expression on random patterns of lookarounds, classes, escapes and groups', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)] as T;
    const atoms = [
      '对',
      '好',
      'a',
      'A',
      '[^,]',
      '[对好]',
      '[\\]|]',
      '\\|',
      '.',
      '\\S',
      '\\x41',
      '\\u{5BF9}',
      '\\u5bf9',
      '\\p{sc=Han}',
      '\\P{L}',
      '😏',
      '[😏x]',
      '\\d',
      '\\cJ',
      '[a-c]',
      '\\]',
      '\\w',
      '\\0',
    ];
    const assertions = ['(?<!对)', '(?<=好)', '(?=对)', '(?!好)', '^', '$', '\\b', '(?<!对|好)'];
    const quantifiers = ['', '', '', '?', '*', '+', '{0,3}', '{2}', '??'];
    const expr = (depth: number): string =>
      Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => {
        let s = '';
        for (let j = Math.floor(rnd() * 4); j > 0; j--) {
          const r = rnd();
          if (r < 0.15) s += pick(assertions);
          else if (r < 0.3 && depth < 2) s += `(?:${expr(depth + 1)})${pick(quantifiers)}`;
          else if (r < 0.35 && depth < 2) s += `(${expr(depth + 1)})${pick(quantifiers)}`;
          else if (r < 0.38) s += '\\1';
          else if (r < 0.4 && depth < 2) s += `(?<n${j}${depth}>${expr(depth + 1)})`;
          else s += pick(atoms) + pick(quantifiers);
        }
        return s;
      }).join('|');
    const chars = ['对', '好', 'a', 'A', ',', ']', '|', '😏', '1', ' ', '\n', '\uD83D', 'x'];
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      const source = expr(0);
      const flags = pick(['u', 'iu', 'su', 'mu']);
      let re: RegExp;
      try {
        re = new RegExp(source, flags);
      } catch {
        continue;
      }
      const probe = regexProbe(source, flags);
      for (let n = 0; n < 20; n++) {
        const text = Array.from({ length: Math.floor(rnd() * 8) }, () => pick(chars)).join('');
        const want = re.test(text);
        if (probe(text) !== want)
          expect.fail(`/${source}/${flags} on ${JSON.stringify(text)}: probe ${!want}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30_000);
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
