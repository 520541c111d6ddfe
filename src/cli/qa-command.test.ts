// How `huashu qa` marks the evidence in plain (uncoloured) output, and writes its results.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from './io.ts';
import { main } from './main.ts';
import { markEvidence } from './qa-command.ts';

describe('markEvidence', () => {
  it('marks with 【】 when the text has no such bracket', () => {
    expect(markEvidence('请您', '稍等', '一下')).toBe('请您【稍等】一下');
  });

  it('takes another pair when the text itself says 【】, so the mark stays unambiguous', () => {
    expect(markEvidence('点【我的保单】，', '不知道', '')).toBe('点【我的保单】，〖不知道〗');
    expect(markEvidence('〖a〗【b】', '你', '')).toBe('〖a〗【b】⟦你⟧');
  });

  it('escapes the text’s own brackets when it uses every pair', () => {
    expect(markEvidence('【〖⟦〘\\', '你', '】')).toBe('\\【〖⟦〘\\\\【你】\\】');
  });
});

describe('huashu qa --json: results written in batches', () => {
  it('writes every result, whole, and an error after the results before it and before those after it', async () => {
    // 120 calls (about 250 k characters of results: several batches), a bad line after the 70th.
    const calls = readFileSync(new URL('../../examples/batch.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) {
      if (i === 70) lines.push('{"id": not json');
      const call = JSON.parse(calls[i % calls.length] as string) as { id: string };
      lines.push(JSON.stringify({ ...call, id: `c${i}` }));
    }
    const dir = mkdtempSync(join(tmpdir(), 'huashu-qa-batch-'));
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    // One log of both streams, in the order the command wrote them.
    const log: { stream: 'out' | 'err'; text: string }[] = [];
    const io: Io = {
      out: (text) => log.push({ stream: 'out', text }),
      err: (text) => log.push({ stream: 'err', text }),
      color: false,
      isErrTTY: false,
    };
    try {
      expect(await main(['qa', '--json', file], io)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const writes = log.filter((e) => e.stream === 'out');
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.length).toBeLessThan(120); // batches, not a write per call
    const stdout = writes.map((e) => e.text).join('');
    expect(stdout.endsWith('\n')).toBe(true);
    const ids = stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => `c${i}`));
    // Every write is whole lines; the error comes after exactly the 70 results before it.
    for (const w of writes) expect(w.text.endsWith('\n')).toBe(true);
    const errAt = log.findIndex((e) => e.stream === 'err');
    expect(log[errAt]?.text).toMatch(/calls.jsonl:71: invalid JSON/);
    const before = log
      .slice(0, errAt)
      .map((e) => e.text)
      .join('')
      .trimEnd()
      .split('\n');
    expect(before).toHaveLength(70);
  });
});
