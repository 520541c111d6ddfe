// The fast paths of normalization and spoken matching against the slow, obvious ones: same
// text, same offsets, same matches, on every seed line, every corpus turn and random texts.
import { describe, expect, it } from 'vitest';
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
