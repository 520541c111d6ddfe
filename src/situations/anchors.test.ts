import { describe, expect, it } from 'vitest';
import { readSeedLines } from '../../scripts/situations-data.ts';
import { normalizeText } from '../text/normalize.ts';
import { anchorsOf } from './anchors.ts';
import { lexiconHits, prepareText } from './features.ts';
import { DETECTED_SITUATION_IDS } from './ids.ts';
import { LEXICON } from './lexicon.ts';

const usable = (l: string) => normalizeText(l) === l;
const holdsTerm = (terms: string[][][], t: string) =>
  terms.some((term) => term.every((set) => set.some((x) => t.includes(x))));
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
    expect(anchorsOf('\\cJab', () => true)).toEqual({ literals: ['\nab'], literalOnly: true, terms: null });
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

  it('keeps per alternative the sets it requires, leaving out common characters', () => {
    const terms = (source: string) => anchorsOf(source, usable).terms;
    // One of 打/等 and one of 半天/好久: 等 alone in a text no longer runs the expression.
    expect(terms('(打|等)了?(半天|好久)|久等')).toEqual([
      [
        ['半天', '好久'],
        ['打', '等'],
      ],
      [['久等']],
    ]);
    expect(terms('(只|光)(让|叫)我?等')).toEqual([[['光叫', '光让', '只叫', '只让'], ['等']]]);
    // 我 is in most texts: no set of a term; a class of many characters neither.
    expect(terms('害得?我')).toEqual([[['害']]]);
    expect(terms('第[0-9两三]+次')).toEqual([[['第'], ['次']]]);
    // An alternative with nothing provable: no terms, as no literals.
    expect(terms('投诉|.+')).toBeNull();
    // An alternation of plain literals is decided by its literals: no terms.
    expect(terms('投诉|举报')).toBeNull();
  });

  it('says which terms decide a match alone: plain literal alternatives, no assertion', () => {
    const sure = (source: string) => anchorsOf(source, usable).sure;
    // 投诉 in a text is a match; 说好 is not (又 must follow within ten characters).
    expect(sure('投诉|说好.{0,10}又')).toEqual([true, false]);
    expect(sure('(谢谢|感谢)(你|您)|辛苦了?')).toEqual([true, false]);
    // A lookaround, a boundary or a repeated piece: the term is only required.
    expect(sure('应该(?!是)|(?<!不)满意|\\b3q\\b|!{2,}|最好')).toEqual([false, false, false, false, true]);
    expect(sure('(打|等)了?(半天|好久)|久等')).toEqual([false, true]);
    // No terms, nothing sure.
    expect(sure('投诉|举报')).toBeUndefined();
    expect(sure('投诉|.+')).toBeUndefined();
  });

  it('every lexicon expression that matches a seed line holds one of its anchors there', () => {
    const texts = readSeedLines().map((l) => prepareText(l.text));
    let checked = 0;
    for (const [id, l] of Object.entries(LEXICON)) {
      for (const re of [l.strong, l.cues, l.traps, l.decisive]) {
        if (!re) continue;
        const a = anchorsOf(re.source, usable);
        const test = new RegExp(re.source);
        for (const t of texts) {
          const hasAnchor = a.literals === null || a.literals.some((x) => t.includes(x));
          const match = test.test(t);
          if (match) expect(hasAnchor, `${id} /${re.source.slice(0, 40)}/ on ${t}`).toBe(true);
          if (match && a.terms) expect(holdsTerm(a.terms, t), `${id} terms on ${t}`).toBe(true);
          a.terms?.forEach((term, k) => {
            if (a.sure?.[k] && holdsTerm([term], t)) expect(match, `${id} sure term on ${t}`).toBe(true);
          });
          if (a.literalOnly) expect(match, `${id} literal-only on ${t}`).toBe(hasAnchor);
          if (match) checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

/** Every lexicon expression run on the text, no anchor consulted: what `lexiconHits` must find. */
function slowHits(prepared: string) {
  const hits = {
    strong: [] as boolean[],
    cue: [] as boolean[],
    trap: [] as boolean[],
    decisive: [] as boolean[],
  };
  for (const id of DETECTED_SITUATION_IDS) {
    const l = LEXICON[id];
    let t = prepared;
    let trapped = false;
    if (l.traps) {
      t = prepared.replace(new RegExp(l.traps.source, 'g'), (m) => {
        trapped = true;
        return '\u0000'.repeat(m.length);
      });
    }
    hits.trap.push(trapped);
    hits.strong.push(l.strong ? new RegExp(l.strong.source).test(t) : false);
    hits.cue.push(l.cues ? new RegExp(l.cues.source).test(t) : false);
    hits.decisive.push(l.decisive ? new RegExp(l.decisive.source).test(t) : false);
  }
  return hits;
}

describe('lexicon hits behind the anchors: those of every expression run on every text', () => {
  // Texts spliced from pieces of the seed lines, the anchors themselves and fillers, so that
  // most expressions match some and their terms are met in part (等 without 半天) in others.
  const seeds = readSeedLines().map((l) => prepareText(l.text));
  const literals: string[] = [];
  for (const l of Object.values(LEXICON))
    for (const re of [l.strong, l.cues, l.traps, l.decisive]) {
      if (!re) continue;
      const a = anchorsOf(re.source, usable);
      for (const x of (a.terms ?? []).flat(2).concat(a.literals ?? [])) literals.push(x);
    }
  const fillers = [
    '我',
    '的',
    '了',
    '你们',
    '一个',
    '3',
    '12',
    ',',
    '。',
    '?',
    '!',
    ' ',
    '呃',
    '那个',
    '就是',
  ];
  let seed = 11;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const piece = () => {
    const r = random();
    if (r < 0.4) {
      const s = pick(seeds);
      const a = Math.floor(random() * s.length);
      return s.slice(a, a + 1 + Math.floor(random() * 12));
    }
    return r < 0.75 ? pick(literals) : pick(fillers);
  };

  it('on seed lines and 20,000 spliced texts', () => {
    const texts = [...seeds];
    for (let i = 0; i < 20_000; i++) {
      let t = '';
      for (let n = 2 + Math.floor(random() * 7); n > 0; n--) t += piece();
      texts.push(prepareText(t));
    }
    let found = 0;
    const differ: string[] = [];
    for (const t of texts) {
      const fast = lexiconHits(t);
      const slow = slowHits(t);
      found += slow.strong.filter(Boolean).length + slow.cue.filter(Boolean).length;
      if (JSON.stringify(fast) !== JSON.stringify(slow)) differ.push(t);
    }
    expect(differ.slice(0, 5)).toEqual([]);
    // The spliced texts do hit the lexicon (the comparison is not of empty hits).
    expect(found).toBeGreaterThan(20_000);
  });
});
