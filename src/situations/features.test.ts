import { afterEach, describe, expect, it } from 'vitest';
import { ngramBuckets, prepareText, setWordTokens } from './features.ts';

const bucketsOf = (text: string) => {
  const { buckets, count } = ngramBuckets(prepareText(text));
  return [...buckets.subarray(0, count)];
};

describe('word tokens (the word-feature experiment, scripts/cv-situation-words.ts)', () => {
  afterEach(() => setWordTokens(undefined));

  it('adds distinct buckets after the n-grams, and cleared leaves the n-grams alone', () => {
    const text = '你们的客服怎么回事';
    const plain = bucketsOf(text);
    setWordTokens(() => ['w你们', 'w客服', 'w怎么回事', 'w客服']);
    const words = bucketsOf(text);
    expect(words.slice(0, plain.length)).toEqual(plain);
    expect(words.length).toBeGreaterThan(plain.length);
    expect(words.length).toBeLessThanOrEqual(plain.length + 3);
    expect(new Set(words).size).toBe(words.length);
    setWordTokens(undefined);
    expect(bucketsOf(text)).toEqual(plain);
  });

  it('grows its scratch for more tokens than n-grams', () => {
    setWordTokens(() => Array.from({ length: 5000 }, (_, i) => `w${i}`));
    const words = bucketsOf('好');
    expect(new Set(words).size).toBe(words.length);
    expect(words.length).toBeGreaterThan(4000);
  });
});
