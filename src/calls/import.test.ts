import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteLines, expandInputs, type ImportResult, quickDecodeLine, readCallFile } from './import.ts';

let dir: string;

async function all(path: string): Promise<ImportResult[]> {
  const out: ImportResult[] = [];
  for await (const r of readCallFile(path)) out.push(r);
  return out;
}
const jsonCall = (id: string, text = '您好') => ({ id, turns: [{ speaker: 'agent', text }] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huashu-calls-'));
  await mkdir(join(dir, 'batch/sub/deeper'), { recursive: true });
  await mkdir(join(dir, 'batch/.hidden'), { recursive: true });
  await mkdir(join(dir, 'empty'), { recursive: true });
  await writeFile(join(dir, 'batch/a.json'), JSON.stringify(jsonCall('a')));
  await writeFile(join(dir, 'batch/b.txt'), '坐席: 您好\n');
  await writeFile(join(dir, 'batch/sub/c.vtt'), 'WEBVTT\n\n00:01.000 --> 00:02.000\n<v 坐席>您好\n');
  await writeFile(join(dir, 'batch/sub/deeper/d.JSONL'), `${JSON.stringify(jsonCall('d'))}\n`);
  await writeFile(join(dir, 'batch/sub/notes.md'), '# not a call');
  await writeFile(join(dir, 'batch/.hidden/e.json'), JSON.stringify(jsonCall('e')));
  await writeFile(join(dir, 'empty/readme.csv'), 'x');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readCallFile', () => {
  it('reads a .json, .txt and .vtt file, each with a UTF-8 BOM', async () => {
    const bom = '\uFEFF';
    await writeFile(join(dir, 'bom.json'), bom + JSON.stringify(jsonCall('bom-json')));
    await writeFile(join(dir, 'bom-txt.txt'), `${bom}[00:02] 客服：您好\n`);
    await writeFile(join(dir, 'bom-vtt.vtt'), `${bom}WEBVTT\n\n00:01.000 --> 00:02.000\n<v 客户>喂\n`);
    const results = [
      ...(await all(join(dir, 'bom.json'))),
      ...(await all(join(dir, 'bom-txt.txt'))),
      ...(await all(join(dir, 'bom-vtt.vtt'))),
    ];
    expect(
      results.map((r) => (r.ok ? [r.call.id, r.call.turns[0]?.speaker, r.call.turns[0]?.start] : r)),
    ).toEqual([
      ['bom-json', 'agent', undefined],
      ['bom-txt', 'agent', 2000],
      ['bom-vtt', 'customer', 1000],
    ]);
    expect(results[0]).toMatchObject({ ok: true, file: join(dir, 'bom.json') });
  });

  it('streams a .jsonl file, reporting a bad line by number and going on with the next ones', async () => {
    const file = join(dir, 'mixed.jsonl');
    await writeFile(
      file,
      [
        `\uFEFF${JSON.stringify(jsonCall('l1'))}`,
        '{"id": "l2", "turns": [}',
        '',
        JSON.stringify({ ...jsonCall('l4'), turnz: [] }),
        JSON.stringify(jsonCall('l5')),
        '[1, 2]',
        `${JSON.stringify(jsonCall('l7'))}\r`,
      ].join('\n'),
    );
    const results = await all(file);
    expect(
      results.map((r) => (r.ok ? `${r.line} ok ${r.call.id}` : `${r.error.line} ${r.error.path ?? ''}`)),
    ).toEqual(['1 ok l1', '2 ', '4 turnz', '5 ok l5', '6 ', '7 ok l7']);
    const bad = results[1];
    expect(bad).toMatchObject({
      ok: false,
      error: { file, line: 2, message: "invalid JSON: Unexpected token '}' (column 24)" },
    });
  });

  it('reports a .jsonl line that is not UTF-8 and keeps going', async () => {
    const file = join(dir, 'gbk.jsonl');
    const gbk = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xc4, 0xe3, 0x22, 0x7d, 0x0a]); // {"id":"你"} in GBK
    await writeFile(file, Buffer.concat([gbk, Buffer.from(`${JSON.stringify(jsonCall('ok'))}\n`)]));
    const results = await all(file);
    expect(results[0]).toMatchObject({
      ok: false,
      error: { line: 1, message: expect.stringContaining('not UTF-8') },
    });
    expect(results[1]).toMatchObject({ ok: true, line: 2, call: { id: 'ok' } });
  });

  it('reports a whole file that is not UTF-8, UTF-16 text, a missing file and an unsupported type', async () => {
    await writeFile(
      join(dir, 'gbk.txt'),
      Buffer.from([0xd7, 0xf9, 0xcf, 0xaf, 0x3a, 0x20, 0xc4, 0xfa, 0xba, 0xc3]),
    );
    await writeFile(join(dir, 'utf16.txt'), Buffer.from('\uFEFF坐席: 您好', 'utf16le'));
    await writeFile(join(dir, 'call.csv'), 'x');
    const [gbk] = await all(join(dir, 'gbk.txt'));
    const [utf16] = await all(join(dir, 'utf16.txt'));
    const [missing] = await all(join(dir, 'nope.json'));
    const [missingLines] = await all(join(dir, 'nope.jsonl'));
    const [csv] = await all(join(dir, 'call.csv'));
    expect(gbk).toMatchObject({
      ok: false,
      error: { file: join(dir, 'gbk.txt'), message: expect.stringMatching(/not UTF-8.*expected UTF-8/) },
    });
    expect(utf16).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^found UTF-16 text; expected UTF-8/) },
    });
    expect(missing).toMatchObject({
      ok: false,
      error: { file: join(dir, 'nope.json'), message: 'no such file' },
    });
    expect(missingLines).toMatchObject({
      ok: false,
      error: { file: join(dir, 'nope.jsonl'), message: 'no such file' },
    });
    expect(csv).toMatchObject({
      ok: false,
      error: { message: 'found the file type ".csv"; expected one of: .json, .jsonl, .txt, .vtt' },
    });
  });

  it('reads a large .jsonl file record by record', async () => {
    const file = join(dir, 'many.jsonl');
    const n = 20_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(JSON.stringify(jsonCall(`m${i}`, `第${i}句`)));
    await writeFile(file, `${lines.join('\n')}\n`);
    let count = 0;
    let last = '';
    for await (const r of readCallFile(file)) {
      if (!r.ok) throw new Error(r.error.message);
      count++;
      last = `${r.line}:${r.call.id}`;
    }
    expect(count).toBe(n);
    expect(last).toBe(`${n}:m${n - 1}`);
  });

  it('gives every line whole where lines cross the chunks read (one longer than two chunks)', async () => {
    // The chunks (256 kB) are read into the same memory: a line's start kept from the chunk
    // before must be its own copy, and a call's texts must not change with the next read.
    const file = join(dir, 'across.jsonl');
    const sizes = [10, 70_000, 3, 200_000, 600_000, 1, 90_000, 250_000, 5];
    const texts = sizes.map((n, i) => `${'话术质检'.repeat(n).slice(0, n)}${i}`);
    await writeFile(file, `${texts.map((t, i) => JSON.stringify(jsonCall(`x${i}`, t))).join('\n')}\n`);
    const got: string[] = [];
    const held: { text: string }[] = [];
    for await (const r of readCallFile(file)) {
      if (!r.ok) throw new Error(r.error.message);
      got.push(r.call.turns[0]?.text ?? '');
      held.push(r.call.turns[0] as { text: string });
    }
    expect(got.map((t) => t.length)).toEqual(texts.map((t) => t.length));
    expect(got).toEqual(texts);
    expect(held.map((t) => t.text)).toEqual(texts); // still the same after the reads that followed
  });

  it('stops cleanly when the consumer stops early', async () => {
    let seen = 0;
    for await (const r of readCallFile(join(dir, 'many.jsonl'))) {
      expect(r.ok).toBe(true);
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
  });
});

describe('expandInputs', () => {
  it('walks a directory recursively, keeping only call files and skipping hidden folders', async () => {
    const { files, errors } = await expandInputs([join(dir, 'batch')]);
    expect(errors).toEqual([]);
    expect(files).toEqual([
      join(dir, 'batch/a.json'),
      join(dir, 'batch/b.txt'),
      join(dir, 'batch/sub/c.vtt'),
      join(dir, 'batch/sub/deeper/d.JSONL'),
    ]);
  });

  it('expands a glob, de-duplicates against plain paths and sorts', async () => {
    const { files, errors } = await expandInputs([
      join(dir, 'batch/sub/c.vtt'),
      join(dir, 'batch/**/*.{vtt,txt}'),
      join(dir, 'batch/a.json'),
      join(dir, 'batch/sub/../a.json'),
    ]);
    expect(errors).toEqual([]);
    expect(files).toEqual([
      join(dir, 'batch/a.json'),
      join(dir, 'batch/b.txt'),
      join(dir, 'batch/sub/c.vtt'),
    ]);
  });

  it('returns relative paths for relative inputs', async () => {
    const rel = relative(process.cwd(), join(dir, 'batch/sub'));
    const { files } = await expandInputs([rel]);
    expect(files).toEqual([join(rel, 'c.vtt'), join(rel, 'deeper/d.JSONL')]);
  });

  it('reports a missing path, a glob matching nothing, an empty directory and an unsupported file', async () => {
    const { files, errors } = await expandInputs([
      join(dir, 'missing.json'),
      join(dir, 'batch/*.vtt'),
      join(dir, 'empty'),
      join(dir, 'batch/sub/notes.md'),
      join(dir, 'batch/a.json'),
    ]);
    expect(files).toEqual([join(dir, 'batch/a.json')]);
    expect(errors).toEqual([
      { file: join(dir, 'missing.json'), message: 'no such file or directory' },
      {
        file: join(dir, 'batch/*.vtt'),
        message: 'matches no call file; expected the pattern to match .json, .jsonl, .txt, .vtt files',
      },
      {
        file: join(dir, 'empty'),
        message: 'found no call files in this directory; expected .json, .jsonl, .txt, .vtt files',
      },
      {
        file: join(dir, 'batch/sub/notes.md'),
        message: 'found the file type ".md"; expected one of: .json, .jsonl, .txt, .vtt',
      },
    ]);
  });
});

describe('byteLines: the lines of a .jsonl file as readline gave them', () => {
  const viaReadline = async (chunks: Uint8Array[]) => {
    const out: string[] = [];
    const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const l of rl) out.push(l);
    return out;
  };
  const viaBytes = async (chunks: Uint8Array[]) => {
    const out: string[] = [];
    for await (const l of byteLines(Readable.from(chunks))) out.push(l);
    return out;
  };
  const enc = (s: string) => Buffer.from(s, 'utf8');
  const texts = [
    'a\nb\n',
    'a\nb',
    'a\r\nb\r\n',
    'a\rb\rc',
    'a\r\r\nb',
    '\n\n\nx\n',
    '\uFEFF{"id":1}\n\uFEFF{"id":2}\n',
    '中文一行\n第二行：您好，请问\r\n最后',
    'trailing\r',
    '表情😀一行\n\u2028\uFFFD\r\n',
    '',
    '\n',
  ];
  it('on line ends of every kind, BOMs, Chinese text, split anywhere between chunks', async () => {
    for (const t of texts) {
      const bytes = enc(t);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)].filter((c) => c.length > 0);
        expect(await viaBytes(chunks), JSON.stringify([t, cut])).toEqual(await viaReadline(chunks));
      }
    }
  });

  it('on bytes that are not UTF-8: U+FFFD in the same lines', async () => {
    const bad = Buffer.concat([
      enc('ok\n'),
      Buffer.from([0xd6, 0xd0, 0xce, 0xc4]),
      enc('\nnext\n'),
      Buffer.from([0xe4, 0xb8]),
    ]);
    const a = await viaBytes([bad]);
    const b = await viaReadline([bad]);
    expect(a.slice(0, 3).map((l) => l.includes('\uFFFD'))).toEqual(b.map((l) => l.includes('\uFFFD')));
    expect(a[0]).toBe('ok');
    // A file cut inside a character: readline dropped the cut bytes without a word; they are
    // a last line of bytes that are not UTF-8 now, which the reader reports.
    expect(b.length).toBe(3);
    expect(a[3]).toBe('\uFFFD');
    expect(a[2]).toBe('next');
  });
});

describe('quickDecodeLine: the same text as TextDecoder, or undefined', () => {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const check = (bytes: Uint8Array) => {
    const quick = quickDecodeLine(bytes);
    if (quick !== undefined) expect(quick, Buffer.from(bytes).toString('hex')).toBe(decoder.decode(bytes));
    return quick;
  };

  it('decodes ASCII, Chinese, a BOM, U+FFFD and U+2028 itself; leaves \\r, 4-byte characters and bad bytes', () => {
    for (const t of [
      '',
      'a',
      '{"id":"c-1","text":"您好，请问"}',
      '\uFEFF{"a":1}',
      '\u00e9\u07ff\u0800\uffff',
      '\uFFFD',
      '\u2028\u2029',
    ]) {
      expect(check(Buffer.from(t, 'utf8'))).toBe(t);
    }
    expect(check(Buffer.from('a\rb', 'utf8'))).toBeUndefined();
    expect(check(Buffer.from('表情😀', 'utf8'))).toBeUndefined();
    for (const bad of [
      [0xd6, 0xd0, 0xce, 0xc4], // GBK
      [0xe4, 0xb8], // cut inside a character
      [0xc0, 0xaf], // overlong
      [0xe0, 0x80, 0xaf], // overlong
      [0xed, 0xa0, 0x80], // a surrogate
      [0x80],
      [0xff],
    ]) {
      expect(check(Buffer.from([0x61, ...bad, 0x62]))).toBeUndefined();
    }
  });

  it('agrees with TextDecoder on every 1-, 2- and 3-byte sequence after ASCII', () => {
    for (let a = 0x80; a < 0x100; a++) {
      check(Uint8Array.of(0x41, a));
      for (let b = 0; b < 0x100; b++) {
        check(Uint8Array.of(a, b));
        if (a >= 0xe0 && a < 0xf0)
          for (const c of [0x00, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xff]) check(Uint8Array.of(a, b, c));
      }
    }
  });

  it('agrees with TextDecoder on random bytes and random characters', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let decoded = 0;
    for (let k = 0; k < 3000; k++) {
      const chars: string[] = [];
      for (let i = rand(40); i > 0; i--) {
        const kind = rand(4);
        const cp = kind === 0 ? rand(0x80) : kind === 1 ? 0x80 + rand(0x780) : 0x800 + rand(0xf800);
        chars.push(cp >= 0xd800 && cp < 0xe000 ? 'x' : String.fromCodePoint(cp));
      }
      const bytes = Buffer.from(chars.join(''), 'utf8');
      if (check(bytes) !== undefined) decoded++;
      // The same with one byte changed at random.
      if (bytes.length > 0) {
        bytes[rand(bytes.length)] = rand(256);
        check(bytes);
      }
    }
    expect(decoded).toBeGreaterThan(2500);
  });

  it('grows its buffer for a long line', () => {
    const long = '您好'.repeat(40000);
    expect(check(Buffer.from(long, 'utf8'))).toBe(long);
    expect(check(Buffer.from('短', 'utf8'))).toBe('短');
  });
});
