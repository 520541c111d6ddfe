import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../shared/random.ts';
import { type ImportResult, readCallFile } from './import.ts';
import { acceptQuickCall, parseCallJson } from './json.ts';
import { quickCallFromLine } from './json-line.ts';

// The quick reader must answer a line only as the general path does (TextDecoder, the checks
// on the line's text, JSON.parse, parseCallJson): the same call, fields in the same order, or
// nothing. Each case is a line's bytes; the general path is replayed here from its parts.

const enc = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** What the general path makes of one line (without its \n) whose quick answer is `quick`. */
function holdsEqual(bytes: Uint8Array): 'answered' | 'left' {
  const quick = quickCallFromLine(bytes);
  if (quick === undefined) return 'left';
  const text = decoder.decode(bytes);
  // Lines the general path splits, strips, skips or refuses before JSON are never answered.
  expect(text.includes('\r')).toBe(false);
  expect(text.includes('\uFFFD')).toBe(false);
  expect(text.startsWith('\uFEFF')).toBe(false);
  const value = JSON.parse(text); // throws (failing the test) for a line that is not JSON
  const general = parseCallJson(value, 'f.jsonl', 7);
  const accepted = acceptQuickCall(quick, 'f.jsonl', 7);
  if (general.ok) {
    expect(JSON.stringify(accepted)).toBe(JSON.stringify(general));
    expect(accepted).toEqual(general);
  } else expect(accepted).toBeUndefined(); // the general path then reports the problems
  return 'answered';
}

const base = {
  id: 'c-1',
  brand: 'zhonghua',
  direction: 'inbound',
  channel: 'phone',
  agent: { id: '1024', name: '李娜' },
  startedAt: '2026-11-20T09:12:03+08:00',
  events: [
    { type: 'ring', at: 0 },
    { type: 'answer', at: 8200 },
    { type: 'hold', at: 9000 },
    { type: 'unhold', at: 9500 },
    { type: 'transfer', at: 10000, to: '理赔部' },
    { type: 'transfer-failed', at: 12000, to: '理赔部' },
    { type: 'hangup', at: 18000, by: 'agent', cause: 'normal' },
  ],
  turns: [
    { speaker: 'agent', text: '您好，中华保险1024号为您服务', start: 8300, end: 9100 },
    { speaker: 'customer', text: '我想问一下 policy 的事', start: 9200 },
    { speaker: 'agent', text: '好的' },
  ],
};

describe('quickCallFromLine: the general path’s call, or nothing', () => {
  it('answers common lines (whatever the order of their fields and the spaces between)', () => {
    const lines = [
      JSON.stringify(base),
      JSON.stringify(base, null, 1).replace(/\n/g, ' '),
      JSON.stringify({
        turns: base.turns.map((t) => ({ end: 1, text: t.text, speaker: t.speaker })),
        id: 'x',
      }),
      JSON.stringify({ id: 'x', turns: [] }),
      JSON.stringify({ id: 'x', turns: [{ source: 'console', speaker: 'customer', text: '好' }] }),
      JSON.stringify({ id: 'x', turns: [{ speaker: 'agent', text: '好', source: 'asr', start: 1 }] }),
      JSON.stringify({ id: 'x', agent: {}, events: [], turns: [] }),
      `\t ${JSON.stringify({ id: ' x ', direction: 'outbound', channel: 'chat', turns: [] })} \t`,
    ];
    for (const line of lines) expect(holdsEqual(enc.encode(line))).toBe('answered');
  });

  it('leaves what it need not handle: escapes, other numbers, other fields, odd bytes', () => {
    const s = JSON.stringify(base);
    const left = [
      s.replace('您好', '\\u60a8好'), // an escape
      s.replace('"您好', '"\\"您好'),
      s.replace('8300', '8300.5'),
      s.replace('8300', '8.3e3'),
      s.replace('8300', '-0'),
      s.replace('8300', '08300'),
      s.replace('8300', '12345678901234567890'),
      s.replace('"id":"c-1"', '"id":1'),
      s.replace('"id":"c-1"', '"id":"c-1","id":"c-2"'), // JSON.parse keeps the last
      s.replace('"brand"', '"customer":{"phone":"1"},"brand"'),
      s.replace('"brand"', '"meta":{},"brand"'),
      s.replace('"brand"', '"__proto__":{},"brand"'),
      s.replace('您好', '您\uFFFD好'), // read as a sign of bytes that are not UTF-8
      s.replace('您好', '您😀好'), // four bytes: left to the decoder
      s.replace('您好', '您\t好'), // a control character JSON.parse refuses
      s.replace('"brand"', '\r"brand"'), // \r splits the line
      `\uFEFF${s}`,
      `${s},`,
      s.slice(0, -1),
      '',
      '   ',
      'null',
      '[]',
    ];
    for (const line of left) expect(holdsEqual(enc.encode(line))).toBe('left');
    // Not UTF-8: an overlong, a surrogate, a lone continuation, a cut sequence.
    const bytes = enc.encode(s);
    const at = bytes.indexOf(0xe6); // inside the first Chinese character's string
    for (const bad of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xe6, 0x82]]) {
      const line = new Uint8Array([...bytes.subarray(0, at), ...bad, ...bytes.subarray(at)]);
      expect(holdsEqual(line)).toBe('left');
    }
  });

  it('agrees with the general path on 5,000 random variations of a call', () => {
    const r = rng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const words = ['您好', '好的', ' ', '', '對', 'é±', 'abc', '\u2028', '\uFEFF'];
    const oddWords = ['😀', '\uFFFD', '"', '\\', '\n', '\t'];
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1.5,
      1e21,
      'x',
      ' ',
      '',
      {},
      [],
      'agent',
      'hangup',
      'normal',
      'asr',
      'console',
      'transfer',
      'transfer-failed',
    ];
    const text = () =>
      Array.from({ length: 1 + Math.floor(r() * 4) }, () => (r() < 0.95 ? pick(words) : pick(oddWords))).join(
        '',
      );
    const mutate = (o: Record<string, unknown>, keys: readonly string[]) => {
      const roll = r();
      if (roll < 0.15) o[pick(keys)] = pick(values);
      else if (roll < 0.25) delete o[pick(keys)];
      else if (roll < 0.3) o[pick(['extra', 'Text', 'turnz', 'name'])] = 'x';
    };
    let answered = 0;
    for (let n = 0; n < 5_000; n++) {
      const call = structuredClone(base) as Record<string, unknown>;
      const turns = call.turns as Record<string, unknown>[];
      for (const t of turns) {
        if (r() < 0.5) t.text = text();
        if (r() < 0.1) t.source = pick(['asr', 'console']);
        if (r() < 0.1) mutate(t, ['speaker', 'text', 'start', 'end', 'source']);
      }
      for (const e of call.events as Record<string, unknown>[])
        if (r() < 0.05) mutate(e, ['type', 'at', 'to', 'by', 'cause']);
      if (r() < 0.2)
        mutate(call, ['id', 'brand', 'direction', 'channel', 'agent', 'startedAt', 'events', 'turns']);
      const agent = call.agent;
      if (r() < 0.05 && typeof agent === 'object' && agent !== null)
        (agent as Record<string, unknown>).name = text();
      if (r() < 0.1) turns.reverse(); // turn starts out of order: the checks across fields
      // Fields in a random order at the top.
      const shuffled = Object.fromEntries(Object.entries(call).sort(() => r() - 0.5));
      const line = JSON.stringify(shuffled);
      if (r() < 0.1) {
        // A byte changed, inserted or removed somewhere.
        const bytes = [...enc.encode(line)];
        const at = Math.floor(r() * bytes.length);
        const roll = r();
        if (roll < 0.4) bytes[at] = Math.floor(r() * 256);
        else if (roll < 0.7) bytes.splice(at, 0, Math.floor(r() * 256));
        else bytes.splice(at, 1);
        if (holdsEqual(new Uint8Array(bytes)) === 'answered') answered++;
        continue;
      }
      if (holdsEqual(enc.encode(line)) === 'answered') answered++;
    }
    // The comparison must have bitten: most variations are common lines.
    expect(answered).toBeGreaterThan(1_500);
  });
});

describe('a .jsonl file read with the quick reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-json-line-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each line’s result with its line number, quick or not', async () => {
    const good = JSON.stringify(base);
    const lines = [
      good,
      '',
      good.replace('您好', '\\u60a8好'),
      good.replace('"start":9200', '"start":1'), // starts out of order: the checks' error
      '{"id": 1, "turns": []}',
      '{not json',
      good,
    ];
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const got: ImportResult[] = [];
    for await (const r of readCallFile(file)) got.push(r);
    expect(got.map((r) => (r.ok ? `ok ${r.line}` : `error ${r.error.line} ${r.error.path ?? ''}`))).toEqual([
      'ok 1',
      'ok 3',
      'error 4 turns[1].start',
      'ok 5',
      'error 6 ',
      'ok 7',
    ]);
    const first = got[0];
    const third = got[1];
    expect(first?.ok && third?.ok && JSON.stringify(first.call) === JSON.stringify(third.call)).toBe(true);
  });
});
