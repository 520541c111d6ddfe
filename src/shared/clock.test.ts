import { describe, expect, it } from 'vitest';
import { timeOrderedIds } from './clock.ts';

describe('timeOrderedIds', () => {
  it('makes version 7 UUIDs carrying the time they were made', () => {
    const before = Date.now();
    const id = timeOrderedIds();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('never repeats, and sorts ids of later milliseconds after earlier ones', async () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedIds());
    expect(new Set(ids).size).toBe(ids.length);
    const first = timeOrderedIds();
    await new Promise((r) => setTimeout(r, 3));
    expect(timeOrderedIds() > first).toBe(true);
  });
});
