// Normalization against the real texts: the five seed documents and the help-desk corpus.
import { describe, expect, it } from 'vitest';
import { normalize, normalizeText } from './normalize.ts';
import { corpus, seed } from './testdata.ts';

const TONED = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]/;
/** A pinyin-like artifact: lower-case letters with a tone mark before a closing parenthesis. */
const ARTIFACT = /[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]/g;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

describe('seed 004 (Traditional with inline pinyin)', () => {
  const raw = seed('004');
  const text = normalizeText(raw);

  it('has inline pinyin to begin with', () => {
    expect((raw.match(ARTIFACT) ?? []).filter((m) => TONED.test(m)).length).toBeGreaterThan(200);
  });

  it('keeps no pinyin artifact, tag remnant or stray Latin letter', () => {
    expect(text.match(ARTIFACT) ?? []).toEqual([]);
    expect(TONED.test(text)).toBe(false);
    expect(text).not.toContain('span');
    expect(text.match(/[A-Za-z]/g) ?? []).toEqual([]);
  });

  it('keeps its real parenthesised text', () => {
    expect(text.match(/\(投诉\)/g)?.length).toBe(4);
    expect(text).toContain('(或投诉)');
    expect(text).toContain('(找技术人员动作要迅速,不能让用户久等)');
    expect(text).toContain('(征得认可后)');
  });

  it.each([
    [2, '听到电话铃响,响铃三声以内应拿起话筒接听须说:"您好,全家乐电器服务中心***为您服务。"'],
    [1, '接听投诉电话要求使用标准普通话,语气和蔼亲切,声音明朗清晰,用词准确,语句简明。'],
    [
      12,
      '用户对我们的服务不满意时,应以谦和的口气:"您别着急,有什么问题请慢慢讲,我们一定会尽快为您解决,保证使您满意。"',
    ],
    [
      18,
      '结束语:"谢谢您使用全家乐电器产品,如果使用中有什么问题需要我们帮助,请随时拨打电********,我们将尽力及时为您提供服务。谢谢!再见!"',
    ],
  ])('line %i reads as Simplified', (i, expected) => {
    expect(normalizeText(lines(raw)[i] ?? '')).toBe(expected);
  });

  it('maps the greeting back to the Traditional line, pinyin included', () => {
    const line = lines(raw)[2] ?? '';
    const n = normalize(line);
    const at = n.text.indexOf('全家乐电器服务中心');
    expect(at).toBeGreaterThan(0);
    const span = n.originalSpan(at, at + '全家乐电器服务中心'.length);
    expect(line.slice(span.start, span.end)).toBe('全家樂(lè)電器服務(wù)中心');
  });
});

describe('seeds 000–003 (Simplified)', () => {
  const open = /[(（]/g;
  const close = /[)）]/g;

  it.each(['000', '001', '002', '003'])('seed %s keeps every parenthesised group', (id) => {
    const raw = seed(id);
    const text = normalizeText(raw);
    expect(text.match(/\(/g)?.length).toBe(raw.match(open)?.length);
    expect(text.match(/\)/g)?.length).toBe(raw.match(close)?.length);
    for (const group of raw.match(/[(（][^()（）]*[)）]/g) ?? []) {
      expect(text).toContain(normalizeText(group));
    }
  });

  it.each(['000', '001', '002', '003'])('seed %s changes no Han character but 麽', (id) => {
    const raw = seed(id);
    const han = (s: string) => s.match(/\p{Script=Han}/gu)?.join('') ?? '';
    expect(han(normalizeText(raw))).toBe(han(raw).replaceAll('麽', '么'));
  });

  it('maps seed 002 phrases back to the original', () => {
    const raw = seed('002');
    const n = normalize(raw);
    for (const phrase of ['不知道', '您好!中华保险95585', '我们公司的规定是']) {
      const at = n.text.indexOf(phrase);
      if (phrase.includes('95585')) {
        expect(at).toBe(-1); // the seed says ***号, not a number
        continue;
      }
      expect(at).toBeGreaterThanOrEqual(0);
      const span = n.originalSpan(at, at + phrase.length);
      expect(raw.slice(span.start, span.end)).toBe(phrase);
    }
  });
});

describe('invariants on all seeds and the corpus', () => {
  const texts = [
    ...['000', '001', '002', '003', '004'].flatMap((id) => lines(seed(id))),
    ...corpus().flatMap((d) => d.turns.map((t) => t.text)),
  ];

  it('reads the corpus', () => {
    expect(texts.length).toBeGreaterThan(2000);
  });

  it('is idempotent and agrees with normalizeText', () => {
    for (const t of texts) {
      const n = normalize(t);
      expect(n.text).toBe(normalizeText(t));
      expect(normalizeText(n.text)).toBe(n.text);
    }
  });

  it('maps every character to a well-formed, ordered original range', () => {
    const isLow = (s: string, i: number) => i > 0 && i < s.length && /[\udc00-\udfff]/.test(s.charAt(i));
    const bad: string[] = [];
    for (const t of texts) {
      const n = normalize(t);
      let lastStart = 0;
      let lastEnd = 0;
      for (let i = 0; i < n.text.length; i++) {
        const { start, end } = n.originalSpan(i, i + 1);
        if (start >= end || start < lastStart || end < lastEnd || isLow(t, start) || isLow(t, end)) {
          bad.push(`${JSON.stringify(t.slice(0, 30))} @${i}: [${start}, ${end})`);
        }
        lastStart = start;
        lastEnd = end;
      }
      if (n.toOriginal(n.text.length) > t.length)
        bad.push(`${JSON.stringify(t.slice(0, 30))}: end past original`);
    }
    expect(bad).toEqual([]);
  });

  it('maps each Han character to original text that normalizes to it', () => {
    let checked = 0;
    const differ = new Map<string, number>();
    for (const t of texts) {
      const n = normalize(t);
      for (let i = 0; i < n.text.length; i++) {
        const ch = n.text.charAt(i);
        if (!/\p{Script=Han}/u.test(ch)) continue;
        const { start, end } = n.originalSpan(i, i + 1);
        const alone = normalizeText(t.slice(start, end));
        checked++;
        if (alone !== ch)
          differ.set(
            `${t.slice(start, end)}→${alone}≠${ch}`,
            (differ.get(`${t.slice(start, end)}→${alone}≠${ch}`) ?? 0) + 1,
          );
      }
    }
    expect(checked).toBeGreaterThan(100_000);
    // Only context may change a character: 著 reads 着 in Traditional text, 回覆 is 回复.
    expect([...differ.keys()].sort()).toEqual(['著→著≠着', '覆→覆≠复']);
  });
});
