import { describe, expect, it } from 'vitest';
import { type Match, PhraseMatcher } from './match.ts';
import { normalize, normalizeText } from './normalize.ts';
import { corpus, seed } from './testdata.ts';

type Hit = [start: number, end: number, value: string];
const hits = (ms: readonly Match<string>[]): Hit[] => ms.map((m) => [m.start, m.end, m.value]);

/** Every occurrence by brute force, ordered like findAll (start, then end, then entry order). */
function naive(entries: readonly { phrase: string; value: string }[], text: string): Hit[] {
  const out: Hit[] = [];
  for (const e of entries) {
    const p = normalizeText(e.phrase);
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) out.push([i, i + p.length, e.value]);
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

describe('PhraseMatcher', () => {
  it('finds 不知道 in a Traditional turn and points back at the original', () => {
    const turn = '您說的這個問題我也不知道,請問還有別的辦法嗎?';
    const m = new PhraseMatcher([{ phrase: '不知道', value: 'vague' }]);
    const [hit, ...rest] = m.findAll(normalize(turn));
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ value: 'vague', phrase: '不知道', start: 9, end: 12 });
    expect(turn.slice(hit?.originalStart, hit?.originalEnd)).toBe('不知道');
  });

  it('matches Simplified phrases in Traditional text with pinyin artifacts (seed 004)', () => {
    const line = seed('004').split('\n')[2] ?? '';
    const m = new PhraseMatcher([
      { phrase: '全家乐电器服务中心', value: 'brand' },
      { phrase: '为您服务', value: 'greeting' },
    ]);
    const found = m
      .findAll(normalize(line))
      .map((h) => [h.value, line.slice(h.originalStart, h.originalEnd)]);
    expect(found).toEqual([
      ['brand', '全家樂(lè)電器服務(wù)中心'],
      // The span ends after the last matched character: a reading after it is left out.
      ['greeting', '為您服務'],
    ]);
  });

  it('normalizes phrases at build time', () => {
    const m = new PhraseMatcher([
      { phrase: '沒辦法', value: 'trad' },
      { phrase: '我 没 办法', value: 'spaced' },
      { phrase: '稍等～', value: 'fullwidth' },
    ]);
    const text = '我沒辦法,請您稍等~';
    const found = m
      .findAll(normalize(text))
      .map((h) => [h.value, text.slice(h.originalStart, h.originalEnd)]);
    expect(found).toEqual([
      ['spaced', '我沒辦法'],
      ['trad', '沒辦法'],
      ['fullwidth', '稍等~'],
    ]);
  });

  it('never matches across two turns', () => {
    const m = new PhraseMatcher([{ phrase: '不知道', value: 'vague' }]);
    const turns = ['我也说不', '知道你说的是什么'].map(normalize);
    expect(m.findInTurns(turns)).toEqual([]);
    expect(m.findAll(normalize('我也说不知道你说的是什么'))).toHaveLength(1);
  });

  it('never matches across two messages of one turn (a line break)', () => {
    const m = new PhraseMatcher([{ phrase: '不知道', value: 'vague' }]);
    expect(m.findAll(normalize('我也说不\n知道你说的是什么'))).toEqual([]);
    expect(m.findAll(normalize('我也说不 知道'))).toHaveLength(1); // a space is not a boundary
  });

  it('reports the turn and turn-local offsets', () => {
    const m = new PhraseMatcher([
      { phrase: '您好', value: 'hello' },
      { phrase: '再见', value: 'bye' },
    ]);
    const turns = ['您好,请问有什么可以帮您', '没有了,谢谢', '好的,再见。您好'].map(normalize);
    expect(m.findInTurns(turns).map((h) => [h.turn, h.start, h.end, h.value])).toEqual([
      [0, 0, 2, 'hello'],
      [2, 3, 5, 'bye'],
      [2, 6, 8, 'hello'],
    ]);
  });

  it('reports overlapping and nested phrases and duplicate entries', () => {
    const entries = [
      { phrase: '不知道', value: 'a' },
      { phrase: '知道', value: 'b' },
      { phrase: '道了', value: 'c' },
      { phrase: '不知', value: 'd' },
      { phrase: '知道', value: 'e' },
      { phrase: '我不知道了吗', value: 'f' },
    ];
    const m = new PhraseMatcher(entries);
    const n = normalize('我不知道了,不知道');
    expect(hits(m.findAll(n))).toEqual([
      [1, 3, 'd'],
      [1, 4, 'a'],
      [2, 4, 'b'],
      [2, 4, 'e'],
      [3, 5, 'c'],
      [6, 8, 'd'],
      [6, 9, 'a'],
      [7, 9, 'b'],
      [7, 9, 'e'],
    ]);
    expect(m.count(n)).toBe(9);
    expect(m.test(n)).toBe(true);
    expect(m.test(normalize('我明白了'))).toBe(false);
    expect(m.count(normalize('我明白了'))).toBe(0);
  });

  it('finds phrases at both ends of the text and with astral characters', () => {
    const m = new PhraseMatcher([
      { phrase: '𠮷野家', value: 'astral' },
      { phrase: '好', value: 'one' },
    ]);
    expect(hits(m.findAll(normalize('好𠮷野家好')))).toEqual([
      [0, 1, 'one'],
      [1, 5, 'astral'],
      [5, 6, 'one'],
    ]);
  });

  it('rejects empty phrases with a clear error', () => {
    expect(
      () =>
        new PhraseMatcher([
          { phrase: '您好', value: 1 },
          { phrase: '', value: 2 },
        ]),
    ).toThrow(/phrase #1 "" is empty/);
    expect(() => new PhraseMatcher([{ phrase: ' \u200b\u3000', value: 1 }])).toThrow(
      /empty after normalization/,
    );
  });

  it('accepts an empty phrase list', () => {
    const m = new PhraseMatcher<number>([]);
    expect(m.findAll(normalize('您好'))).toEqual([]);
    expect(m.test(normalize('您好'))).toBe(false);
  });

  it('agrees with brute force on random texts, with and without the full table', () => {
    let seedValue = 7;
    const rnd = (n: number) => {
      seedValue = (seedValue * 1103515245 + 12345) & 0x7fffffff;
      return seedValue % n;
    };
    const alphabet = '不知道了我您好再见谢谢请问的是';
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let round = 0; round < 40; round++) {
      const entries = Array.from({ length: 1 + rnd(30) }, (_, i) => ({
        phrase: word(1 + rnd(5)),
        value: `v${i}`,
      }));
      const dense = new PhraseMatcher(entries);
      const sparse = new PhraseMatcher(entries, { maxTableSize: 0 });
      expect(dense.dense).toBe(true);
      expect(sparse.dense).toBe(false);
      for (let t = 0; t < 5; t++) {
        const n = normalize(word(rnd(200)));
        const expected = naive(entries, n.text);
        expect(hits(dense.findAll(n))).toEqual(expected);
        expect(hits(sparse.findAll(n))).toEqual(expected);
        expect(dense.count(n)).toBe(expected.length);
        expect(sparse.count(n)).toBe(expected.length);
        expect(sparse.test(n)).toBe(expected.length > 0);
      }
    }
  });

  it('agrees with brute force whatever form the table takes: lists, whole rows, Int32, edges', () => {
    // The compacted table keeps a state's transitions that differ from the root's as a list,
    // or its whole row past eight of them: 您 followed by twelve characters needs a row, the
    // rest lists. Phrases enough for over 65,536 states take the full Int32 table instead.
    let seedValue = 11;
    const rnd = (n: number) => {
      seedValue = (Math.imul(seedValue, 1103515245) + 12345) & 0x7fffffff;
      return seedValue % n;
    };
    const alphabet = '您好请问不知道了谢再见的是我嗯';
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rnd(alphabet.length)]).join('');
    const wide = [...alphabet.slice(1, 13)].map((c, i) => ({ phrase: `您${c}`, value: `w${i}` }));
    const small = [
      ...wide,
      ...Array.from({ length: 40 }, (_, i) => ({ phrase: word(2 + rnd(5)), value: `v${i}` })),
    ];
    const large = Array.from({ length: 18_000 }, (_, i) => ({ phrase: word(9), value: `x${i}` }));
    for (const entries of [small, large]) {
      const forms = [
        new PhraseMatcher(entries),
        new PhraseMatcher(entries, { maxTableSize: 0 }),
        new PhraseMatcher(entries, { spoken: true }),
        new PhraseMatcher(entries, { spoken: true, maxTableSize: 0 }),
      ];
      for (let t = 0; t < 60; t++) {
        const n = normalize(word(rnd(300)));
        const expected = naive(entries, n.text);
        const [exact, edges, spoken, spokenEdges] = forms.map((m) => hits(m.findAll(n)));
        expect(exact).toEqual(expected);
        expect(edges).toEqual(expected);
        // Spoken matching finds more (through 嗯 and stutters), the same in every form.
        expect(spoken).toEqual(spokenEdges);
        const seen: string[] = [];
        forms[2]?.scan(n.text, (v, s, e) => seen.push(`${v}@${s}-${e}`));
        expect(seen.sort()).toEqual((spokenEdges ?? []).map(([s, e, v]) => `${v}@${s}-${e}`).sort());
      }
    }
  });

  it('agrees with brute force on the real corpus', () => {
    const entries = [
      '您好',
      '谢谢',
      '抱歉',
      '不知道',
      '投诉',
      '对不起',
      '再见',
      '不清楚',
      '私信',
      '您',
      '客服',
      '联通',
    ]
      .map((phrase) => ({ phrase, value: phrase }))
      .concat([{ phrase: '不知', value: 'overlap' }]);
    const dense = new PhraseMatcher(entries);
    const sparse = new PhraseMatcher(entries, { maxTableSize: 0 });
    let total = 0;
    for (const d of corpus()) {
      const turns = d.turns.map((t) => normalize(t.text));
      const found = dense.findInTurns(turns);
      expect(sparse.findInTurns(turns)).toEqual(found);
      turns.forEach((n, turn) => {
        const mine = found.filter((h) => h.turn === turn);
        expect(hits(mine)).toEqual(naive(entries, n.text));
        for (const h of mine) {
          // The original slice normalizes back to the phrase.
          expect(normalizeText(n.original.slice(h.originalStart, h.originalEnd))).toBe(
            normalizeText(h.phrase),
          );
        }
        total += mine.length;
      });
    }
    expect(total).toBeGreaterThan(1000);
  });
});

describe('PhraseMatcher.scanStates', () => {
  it('visits a state wherever phrases end, standing for exactly the values `scan` gives there', () => {
    const phrases = ['您好', '好', '您好吗', '好吗', '谢谢', '谢', '不知道', '知道', '道'];
    const texts = corpus()
      .flatMap((d) => d.turns.map((t) => normalizeText(t.text)))
      .slice(0, 3000);
    texts.push('您好吗谢谢谢不知道好');
    for (const maxTableSize of [undefined, 1]) {
      const m = new PhraseMatcher(
        phrases.map((phrase, value) => ({ phrase, value })),
        maxTableSize === undefined ? {} : { maxTableSize },
      );
      let visits = 0;
      for (const text of texts) {
        const want: number[] = [];
        m.scan(text, (v) => want.push(v));
        const got: number[] = [];
        m.scanStates(text, (state) => {
          visits++;
          expect(state).toBeLessThan(m.states);
          got.push(...m.stateValues(state));
        });
        // In the same order: a state's values are those `scan` gives where it stands.
        expect(got).toEqual(want);
      }
      expect(visits).toBeGreaterThan(1000);
    }
  });

  it('is not for a spoken matcher', () => {
    const m = new PhraseMatcher([{ phrase: '您好', value: 1 }], { spoken: true });
    expect(() => m.scanStates('您好', () => {})).toThrow(/spoken/);
  });
});

describe('PhraseMatcher, spoken (speech-recognition text)', () => {
  const entries = [
    { phrase: '不知道', value: 'vague' },
    { phrase: '知道', value: 'know' },
    { phrase: '感谢您的来电', value: 'farewell' },
    { phrase: '其他问题', value: 'more' },
    { phrase: '抱歉', value: 'sorry' },
    { phrase: '谢谢', value: 'thanks' },
    { phrase: '感谢', value: 'thanks2' },
  ];
  const spoken = new PhraseMatcher(entries, { spoken: true });
  const exact = new PhraseMatcher(entries);
  const found = (text: string, value: string) => {
    const n = normalize(text);
    return spoken
      .findAll(n)
      .filter((m) => m.value === value)
      .map((m) => text.slice(m.originalStart, m.originalEnd));
  };

  it('a filler inside a phrase does not hide it; the match covers what was said', () => {
    expect(found('我不嗯知道', 'vague')).toEqual(['不嗯知道']);
    expect(found('我不呃呃知道', 'vague')).toEqual(['不呃呃知道']);
    expect(exact.findAll(normalize('我不嗯知道')).map((m) => m.value)).toEqual(['know']);
    // A space between the characters is normalization's (不知 道 → 不知道).
    expect(found('不知 道', 'vague')).toEqual(['不知 道']);
  });

  it('a stuttered character does not hide a phrase', () => {
    expect(found('我不知知道', 'vague')).toEqual(['不知知道']);
    expect(found('不不不知道', 'vague')).toHaveLength(1);
    expect(found('不…不知道', 'vague')).toEqual(['不知道']);
  });

  it('a real double stays itself: 谢谢 after 感谢 is found', () => {
    expect(found('感谢谢您', 'thanks')).toEqual(['谢谢']);
    expect(found('感谢谢您', 'thanks2')).toEqual(['感谢']);
  });

  it('a dropped 的 inside a long phrase, a variant character, a homophone', () => {
    expect(found('感谢您来电,再见', 'farewell')).toEqual(['感谢您来电']);
    expect(found('感谢您的来电', 'farewell')).toEqual(['感谢您的来电']); // once, not twice
    expect(found('还有其它问题吗', 'more')).toEqual(['其它问题']);
    expect(found('很报歉', 'sorry')).toEqual(['报歉']);
  });

  it('a filler that is part of a phrase is matched, not skipped', () => {
    const m = new PhraseMatcher(
      [
        { phrase: '嗯', value: 'en' },
        { phrase: '好的', value: 'ok' },
      ],
      { spoken: true },
    );
    expect(m.findAll(normalize('好嗯的')).map((x) => x.value)).toEqual(['en']);
  });

  it('finds every match the exact matcher finds, at the same end, on every corpus turn', () => {
    let checked = 0;
    for (const d of corpus())
      for (const t of d.turns) {
        const n = normalize(`${t.text}嗯嗯`);
        const key = (m: Match<string>) => `${m.value}@${m.end}`;
        const got = new Set(spoken.findAll(n).map(key));
        for (const m of exact.findAll(n)) expect(got.has(key(m)), `${d.id} ${key(m)}`).toBe(true);
        expect(spoken.count(n)).toBe(spoken.findAll(n).length);
        checked++;
      }
    expect(checked).toBeGreaterThan(1000);
  });
});
