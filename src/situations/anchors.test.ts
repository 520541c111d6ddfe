import { describe, expect, it } from 'vitest';
import { readSeedLines } from '../../scripts/situations-data.ts';
import { normalizeText } from '../text/normalize.ts';
import { anchorsOf } from './anchors.ts';
import { prepareText } from './features.ts';
import { LEXICON } from './lexicon.ts';

const usable = (l: string) => normalizeText(l) === l;
const sorted = (source: string) => {
  const a = anchorsOf(source, usable);
  return { literals: a.literals && [...a.literals].sort(), literalOnly: a.literalOnly };
};

describe('lexicon anchors: literals every match contains', () => {
  it('reads alternations, groups, classes and quantifiers', () => {
    expect(sorted('投诉|举报')).toEqual({ literals: ['举报', '投诉'], literalOnly: true });
    expect(sorted('(你|您)贵姓')).toEqual({ literals: ['你贵姓', '您贵姓'], literalOnly: true });
    expect(sorted('怎么(设置|用)')).toEqual({ literals: ['怎么用', '怎么设置'], literalOnly: true });
    expect(sorted('回(个|我)?电(话)?')).toEqual({ literals: ['回'], literalOnly: false });
    expect(sorted('说好[^。!?]{0,10}(又|却)')).toEqual({ literals: ['说好'], literalOnly: false });
    expect(sorted('第[0-9两]+次')).toEqual({ literals: ['第'], literalOnly: false });
    expect(sorted('[!?]{2,}')).toEqual({ literals: ['!', '?'], literalOnly: false });
    expect(sorted('\\bsb\\b')).toEqual({ literals: ['sb'], literalOnly: false });
    expect(sorted('(?<!不)满意')).toEqual({ literals: ['满意'], literalOnly: false });
    expect(sorted('\\.{4,}')).toEqual({ literals: ['.'], literalOnly: false });
  });

  it('claims nothing it cannot prove', () => {
    // 吗? is an optional 吗: the expression matches every text.
    expect(anchorsOf('吗?|\\?', usable).literals).toBeNull();
    expect(anchorsOf('a|.', usable).literals).toBeNull();
    expect(anchorsOf('[^,]{2}', usable).literals).toBeNull();
    expect(anchorsOf('(a)\\1', usable).literals).toEqual(['a']);
    // A space between Han characters vanishes in normalization: the phrase matcher could not
    // find 你 好 as written, so it is no anchor (and nothing else is).
    expect(anchorsOf('你 好', usable).literals).toBeNull();
  });

  it('reads escapes whole: no part of one is a literal of its own, none throws', () => {
    expect(sorted('\\x41bc')).toEqual({ literals: ['Abc'], literalOnly: true });
    expect(anchorsOf('\\cJab', () => true)).toEqual({ literals: ['\nab'], literalOnly: true });
    expect(sorted('\\u5bf9吧')).toEqual({ literals: ['对吧'], literalOnly: true });
    expect(sorted('\\u{4e0d}行')).toEqual({ literals: ['行'], literalOnly: false });
    expect(sorted('\\p{Script=Han}{2}好')).toEqual({ literals: ['好'], literalOnly: false });
    expect(sorted('(?<x>对)\\k<x>')).toEqual({ literals: ['对'], literalOnly: false });
    expect(anchorsOf('\\P{L}', usable).literals).toBeNull();
  });

  it('keeps a character beyond the BMP whole, and claims nothing of a class holding one', () => {
    expect(sorted('😏+')).toEqual({ literals: ['😏'], literalOnly: false });
    expect(sorted('\\uD83D\\uDE0F+')).toEqual({ literals: ['😏'], literalOnly: false });
    expect(anchorsOf('[😀😏]', usable).literals).toBeNull();
    expect(anchorsOf('\\uD83D', usable).literals).toBeNull();
  });

  it('every lexicon expression that matches a seed line holds one of its anchors there', () => {
    const texts = readSeedLines().map((l) => prepareText(l.text));
    let checked = 0;
    for (const [id, l] of Object.entries(LEXICON)) {
      for (const re of [l.strong, l.cues, l.traps]) {
        if (!re) continue;
        const a = anchorsOf(re.source, usable);
        const test = new RegExp(re.source);
        for (const t of texts) {
          const hasAnchor = a.literals === null || a.literals.some((x) => t.includes(x));
          const match = test.test(t);
          if (match) expect(hasAnchor, `${id} /${re.source.slice(0, 40)}/ on ${t}`).toBe(true);
          if (a.literalOnly) expect(match, `${id} literal-only on ${t}`).toBe(hasAnchor);
          if (match) checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
