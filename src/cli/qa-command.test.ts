// How `huashu qa` marks the evidence in plain (uncoloured) output, and writes its results.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchedIo, type Io } from './io.ts';
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

describe('batchedIo: the same output as text or as bytes', () => {
  /** An Io logging both streams in order; with `bytes`, standard output arrives as bytes. */
  const logIo = (bytes: boolean) => {
    const log: { stream: 'out' | 'err'; text: string }[] = [];
    const io: Io = {
      out: (text) => log.push({ stream: 'out', text }),
      err: (text) => log.push({ stream: 'err', text }),
      color: false,
      isErrTTY: false,
    };
    if (bytes) io.outBytes = (b) => log.push({ stream: 'out', text: Buffer.from(b).toString('utf8') });
    return { io, log };
  };

  it('keeps every text and its place among the errors, whole characters in each write', () => {
    const lines = Array.from(
      { length: 300 },
      (_, i) => `{"id":"c${i}","text":"${'请稍等'.repeat(i % 40)}"}\n`,
    );
    const texts = [
      '{"id":"a","evidence":"您好，中华保险"}\n',
      '对不起😀\n',
      'pair split: \ud83d', // ends inside a surrogate pair: goes with the text of the batch
      '\ude00 joined\n',
      'lone \udc00 surrogate\n',
      ...lines.slice(0, 150),
      'x'.repeat(30_000), // over a batch's bytes: written as text
      ...lines.slice(150),
    ];
    const runs = [false, true].map((bytes) => {
      const { io, log } = logIo(bytes);
      const batched = batchedIo(io);
      texts.forEach((t, i) => {
        batched.out(t);
        if (i % 97 === 0) batched.err(`error after ${i}\n`);
      });
      batched.flush();
      return log;
    });
    const [asText, asBytes] = runs as [(typeof runs)[0], (typeof runs)[0]];
    // Each stream's text between the other's writes (batch boundaries may differ).
    const joined = (log: typeof asText) =>
      log.map((e, i) => (log[i - 1]?.stream === e.stream ? e.text : `<${e.stream}>${e.text}`)).join('');
    expect(joined(asBytes)).toBe(joined(asText));
    expect(asText.map((e) => e.text).join('')).toContain('😀 joined');
    // The bytes path wrote in batches too, each of whole characters (no U+FFFD from a cut).
    expect(asBytes.filter((e) => e.stream === 'out').length).toBeLessThan(60);
    expect(joined(asBytes).split('\uFFFD')).toHaveLength(joined(asText).split('\uFFFD').length);
  });
});

describe('huashu qa --json: a slow reader', () => {
  it('reads no more calls while standard output has no room, and all of them once it has', async () => {
    const calls = readFileSync(new URL('../../examples/batch.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const dir = mkdtempSync(join(tmpdir(), 'huashu-qa-room-'));
    const file = join(dir, 'calls.jsonl');
    writeFileSync(
      file,
      `${Array.from({ length: 120 }, (_, i) => JSON.stringify({ ...JSON.parse(calls[i % calls.length] as string), id: `c${i}` })).join('\n')}\n`,
    );
    let written = '';
    let release: (() => void) | undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let full = false;
    const io: Io = {
      out: (text) => {
        written += text;
        full = true; // the first write fills the pipe until released
      },
      err: () => {},
      outRoom: () => (full ? blocked : undefined),
      color: false,
      isErrTTY: false,
    };
    try {
      let finished = false;
      const run = main(['qa', '--json', file], io).then((code) => {
        finished = true;
        return code;
      });
      while (!full) await new Promise((r) => setTimeout(r, 20));
      const before = written;
      await new Promise((r) => setTimeout(r, 300));
      // Nothing more was read and written while there was no room.
      expect(finished).toBe(false);
      expect(written).toBe(before);
      expect(before.split('\n').length - 1).toBeLessThan(120);
      release?.();
      expect(await run).toBe(0);
      expect(written.trimEnd().split('\n')).toHaveLength(120);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
