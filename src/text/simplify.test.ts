import { describe, expect, it } from 'vitest';
import { builtSimplifier, lazySimplifier, storedTablesData, tablesFromStored } from './simplify.ts';

// The build stores the bitmaps (scripts/build.js) so that a start need not build the tries;
// what it stores must give exactly what building gives.
describe('stored Traditional→Simplified tables', () => {
  const built = builtSimplifier();
  const stored = JSON.parse(JSON.stringify(storedTablesData(built))) as unknown;

  it('read back equal to the built bitmaps', () => {
    const tables = tablesFromStored(stored);
    expect(tables).toBeDefined();
    expect(Buffer.from(tables?.trigger ?? []).equals(Buffer.from(built.trigger))).toBe(true);
    expect(Buffer.from(tables?.traditional ?? []).equals(Buffer.from(built.traditional))).toBe(true);
    // Not trivially equal: both mark characters, and not the same ones.
    expect(built.trigger.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(built.traditional['樂'.charCodeAt(0)]).toBe(1);
    expect(built.traditional['乐'.charCodeAt(0)]).toBe(0);
  });

  it('are not used when derived from other dictionaries or malformed', () => {
    expect(tablesFromStored({ ...(stored as object), key: 'other-opencc-js' })).toBeUndefined();
    expect(tablesFromStored({ ...(stored as object), trigger: 'AAAA' })).toBeUndefined();
    expect(tablesFromStored(null)).toBeUndefined();
    expect(tablesFromStored({})).toBeUndefined();
  });

  it('convert as the built converter, building the tries on the first text to convert', () => {
    const tables = tablesFromStored(stored);
    if (!tables) throw new Error('no tables');
    const lazy = lazySimplifier(tables);
    for (const [text, trad] of [
      ['您好,全家樂電器服務中心為您服務', true],
      ['您別著急,請慢慢講', true],
      ['显著的效果,什么', false],
      ['衞生 電綫 説話 𠮷', true],
    ] as const) {
      const starts = Int32Array.from(text, (_, i) => i);
      const ends = Int32Array.from(text, (_, i) => i + 1);
      expect(lazy.convert(text, trad, starts, ends)).toEqual(built.convert(text, trad, starts, ends));
    }
  });
});
