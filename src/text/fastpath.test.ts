// The fast paths of normalization and spoken matching against the slow, obvious ones: same
// text, same offsets, same matches, on every seed line, every corpus turn and random texts.
import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from './match.ts';
import { type Normalized, normalize, normalizeSlow, normalizeText } from './normalize.ts';
import { corpus, seed } from './testdata.ts';

const SEEDS = ['000', '001', '002', '003', '004'];

function texts(): string[] {
  return [
    ...SEEDS.flatMap((id) => [seed(id), ...seed(id).split('\n')]),
    ...corpus().flatMap((d) => d.turns.map((t) => t.text)),
  ];
}

/** Every offset of `a` maps where `b`'s does. */
function sameMap(a: Normalized, b: Normalized): boolean {
  if (a.text !== b.text) return false;
  for (let i = 0; i <= a.text.length; i++) if (a.toOriginal(i) !== b.toOriginal(i)) return false;
  for (let i = 0; i < a.text.length; i++) {
    const x = a.originalSpan(i, i + 1);
    const y = b.originalSpan(i, i + 1);
    if (x.start !== y.start || x.end !== y.end) return false;
  }
  return true;
}

/** Random texts over the characters every rule starts with, Han, letters, pinyin, spaces. */
function randomTexts(count: number): string[] {
  const pieces = [
    ...'(（?？<>…‥.．。｡„—―\ufffd，、：；！"“”～',
    ...'您好请问不知道谢谢嗯呃的了業聽為',
    ...'abyeI /span',
    ' ',
    '\n',
    '\u200b',
    '(yè)',
    '（tīng）',
    '?qū)',
    '<b>',
    '</span>',
    '𠮷',
    '\ud800',
  ];
  let seedValue = 42;
  const rnd = () => {
    seedValue = (seedValue * 1103515245 + 12345) % 2147483648;
    return seedValue / 2147483648;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    const n = Math.floor(rnd() * 12);
    for (let i = 0; i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)];
    out.push(s);
  }
  return out;
}

describe('normalize: the fast path agrees with the clean-up pass', () => {
  it('on every seed (whole and line by line) and every corpus turn', () => {
    let differ = 0;
    for (const t of texts()) {
      if (!sameMap(normalize(t), normalizeSlow(t))) differ++;
      if (normalizeText(t) !== normalizeSlow(t).text) differ++;
    }
    expect(differ).toBe(0);
  });

  it('on random texts made of the characters every rule starts with', () => {
    const bad = randomTexts(50_000).filter(
      (t) => !sameMap(normalize(t), normalizeSlow(t)) || normalizeText(t) !== normalizeSlow(t).text,
    );
    expect(bad).toEqual([]);
  });

  it('on single marks before Han characters, letters and the end', () => {
    const marks = [...'(（?？<…‥.．。｡„—―\ufffd，'];
    for (const m of marks)
      for (const s of [`${m}`, `好${m}`, `${m}好`, `好${m}${m}好`, `好${m}a`, `好${m}/span>`, `好${m}yè)`])
        expect(sameMap(normalize(s), normalizeSlow(s)), s).toBe(true);
  });

  it('returns the text itself when nothing changes, and folds full width', () => {
    const s = '您好,请问有什么可以帮您?';
    expect(normalize(s).text).toBe(s);
    expect(normalize('您好，请问。有什么可以帮您？').text).toBe('您好,请问。有什么可以帮您?');
  });
});

describe('spoken matching: the one-pass read agrees with the separate look-then-match passes', () => {
  // The dense matcher reads spoken text exactly until a filler or stutter would be skipped and
  // hands over to the spoken pass there; the edge-list matcher (maxTableSize 0) still looks for
  // such a character first and then runs the spoken pass from the start.
  const fixed = ['不知道', '知道', '感谢您的来电', '其他问题', '抱歉', '谢谢', '感谢', '您好', '请问', '嗯'];
  const turns = corpus().flatMap((d) => d.turns.map((t) => t.text));
  // Phrases drawn from the corpus at run time (2 to 5 characters), so that matches are dense.
  const drawn: string[] = [];
  for (let k = 0; k < turns.length && drawn.length < 400; k += 7) {
    const t = normalizeText(turns[k] ?? '');
    const len = 2 + (k % 4);
    if (t.length > len + 2) drawn.push(t.slice(1, 1 + len));
  }
  const entries = [...fixed, ...drawn].map((phrase, value) => ({ phrase, value }));
  const withoutFiller = entries.filter((e) => e.phrase !== '嗯');
  const stutter = (t: string, k: number) => {
    // A filler and a stuttered character at spots depending on k: exercises the hand-over.
    if (t.length < 4) return `${t}嗯嗯`;
    const at = 1 + (k % (t.length - 2));
    return `${t.slice(0, at)}${k % 2 ? '呃' : (t[at] ?? '')}${t.slice(at)}`;
  };

  for (const [name, list] of [
    ['with 嗯 as a phrase', entries],
    ['with fillers skipped', withoutFiller],
  ] as const) {
    it(`findAll, count, test and scan agree on every corpus turn and seed line (${name})`, () => {
      const dense = new PhraseMatcher(list, { spoken: true });
      const sparse = new PhraseMatcher(list, { spoken: true, maxTableSize: 0 });
      expect(dense.dense).toBe(true);
      expect(sparse.dense).toBe(false);
      const all = [...turns, ...SEEDS.flatMap((id) => seed(id).split('\n'))];
      let matches = 0;
      let differ = 0;
      all.forEach((raw, k) => {
        for (const t of [raw, stutter(raw, k), `嗯${raw}${raw.slice(0, 3)}${raw.slice(0, 3)}`]) {
          const n = normalize(t);
          const a = dense.findAll(n);
          const b = sparse.findAll(n);
          const seen: string[] = [];
          const seenSparse: string[] = [];
          dense.scan(n.text, (v, s, e) => seen.push(`${v}@${s}-${e}`));
          sparse.scan(n.text, (v, s, e) => seenSparse.push(`${v}@${s}-${e}`));
          if (
            JSON.stringify(a) !== JSON.stringify(b) ||
            dense.count(n) !== b.length ||
            dense.test(n) !== b.length > 0 ||
            seen.join() !== seenSparse.join()
          )
            differ++;
          matches += a.length;
        }
      });
      expect(differ).toBe(0);
      expect(matches).toBeGreaterThan(10_000);
    });
  }

  it('on random texts of fillers, doubles and phrase characters', () => {
    const list = [...fixed, '知知', '谢谢您', '不不'].map((phrase, value) => ({ phrase, value }));
    for (const l of [list, list.filter((e) => e.phrase !== '嗯')]) {
      const dense = new PhraseMatcher(l, { spoken: true });
      const sparse = new PhraseMatcher(l, { spoken: true, maxTableSize: 0 });
      let seedValue = 7;
      const alphabet = [...'不知道感谢您的来电其他它问题抱歉谢嗯呃好请 ,'];
      for (let k = 0; k < 20_000; k++) {
        let t = '';
        const len = k % 16;
        for (let i = 0; i < len; i++) {
          seedValue = (seedValue * 1103515245 + 12345) % 2147483648;
          t += alphabet[seedValue % alphabet.length];
        }
        const n = normalize(t);
        expect(dense.findInTurns([n, n]), t).toEqual(sparse.findInTurns([n, n]));
      }
    }
  });
});
