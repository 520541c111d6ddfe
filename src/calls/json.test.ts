import { describe, expect, it } from 'vitest';
import { formatCallInputError, type ImportResult, parseCallJson, parseCallText } from './import.ts';
import { parseCallJsonBySchema } from './json.ts';
import type { Call } from './model.ts';

const example = {
  id: 'c-0001',
  brand: 'zhonghua',
  direction: 'inbound',
  agent: { id: '1024', name: '李娜' },
  customer: { phone: '13800138000' },
  startedAt: '2026-11-20T09:12:03+08:00',
  events: [
    { type: 'ring', at: 0 },
    { type: 'answer', at: 8200 },
    { type: 'hold', at: 61000 },
    { type: 'unhold', at: 95000 },
    { type: 'transfer', at: 120000, to: 'tech' },
    { type: 'hangup', at: 180000, by: 'customer' },
  ],
  turns: [
    { speaker: 'agent', text: '您好，中华保险1024号为您服务', start: 8300, end: 10100 },
    { speaker: 'customer', text: '我想问一下保单', start: 10500, end: 15000 },
  ],
};

const clone = <T>(v: T): T => structuredClone(v);
function call(r: ImportResult): Call {
  if (!r.ok) throw new Error(`expected a call, got ${formatCallInputError(r.error)}`);
  return r.call;
}
/** Every problem of a failed result, as `path: message`. */
function problems(r: ImportResult): string[] {
  if (r.ok) throw new Error(`expected an error, got call ${r.call.id}`);
  return [r.error, ...(r.more ?? [])].map((e) => `${e.path ?? ''}: ${e.message}`);
}

describe('parseCallJson: valid calls', () => {
  it('reads the documented example field for field', () => {
    const c = call(parseCallJson(example, 'calls/c-0001.json'));
    expect(c).toEqual(example);
  });

  it('keeps who gave a turn’s words (source: asr, console), as GET /api/calls/{id} gives them', () => {
    const turns = [
      { ...example.turns[0], source: 'asr' },
      { ...example.turns[1], source: 'console' },
    ];
    const c = call(parseCallJson({ ...clone(example), turns }, 'c.json'));
    expect(c.turns).toEqual(turns);
    // The schema's path (a call the quick checks leave to it) builds the same.
    expect(call(parseCallJsonBySchema({ ...clone(example), turns }, 'c.json')).turns).toEqual(turns);
  });

  it('needs only id and turns; direction defaults to inbound and events to []', () => {
    const c = call(parseCallJson({ id: 'x', turns: [{ speaker: 'agent', text: '您好' }] }, 'x.json'));
    expect(c).toEqual({
      id: 'x',
      direction: 'inbound',
      events: [],
      turns: [{ speaker: 'agent', text: '您好' }],
    });
    expect('brand' in c).toBe(false);
  });

  it('accepts numbers for the call id, agent id and phone, converting them to strings', () => {
    const c = call(
      parseCallJson(
        {
          id: 42,
          agent: { id: 1024 },
          customer: { phone: 13800138000 },
          turns: [{ speaker: 'agent', text: '您好' }],
        },
        'n.json',
      ),
    );
    expect(c.id).toBe('42');
    expect(c.agent?.id).toBe('1024');
    expect(c.customer?.phone).toBe('13800138000');
  });

  it('accepts a meta object of free-form extras and leaves it out of the call', () => {
    const c = call(parseCallJson({ ...clone(example), meta: { queue: 'vip', score: 3 } }, 'm.json'));
    expect(c).not.toHaveProperty('meta');
  });

  it('accepts startedAt in UTC (Z) and an empty turns array (an abandoned call)', () => {
    const c = call(parseCallJson({ id: 'a', startedAt: '2026-11-20T01:12:03Z', turns: [] }, 'a.json'));
    expect(c.startedAt).toBe('2026-11-20T01:12:03Z');
    expect(c.turns).toEqual([]);
  });

  it('reports the .jsonl line on success', () => {
    const r = parseCallJson(example, 'all.jsonl', 7);
    expect(r).toMatchObject({ ok: true, file: 'all.jsonl', line: 7 });
  });
});

describe('parseCallJson: schema errors name the file, the field path, what was found and what is expected', () => {
  it('rejects an unknown top-level field, suggesting the near name and "meta"', () => {
    const bad = { ...clone(example), turnz: [] };
    const r = parseCallJson(bad, 'c.json', 3);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ file: 'c.json', line: 3, path: 'turnz' });
    expect(r.error.message).toContain('unknown field (did you mean "turns"?)');
    expect(r.error.message).toContain('"meta"');
    expect(formatCallInputError(r.error)).toMatch(/^c\.json:3 turnz: unknown field/);
  });

  it('rejects unknown fields inside agent, events and turns too', () => {
    const bad = clone(example) as Record<string, unknown> & typeof example;
    (bad.agent as Record<string, unknown>).nmae = 'x';
    (bad.turns[1] as Record<string, unknown>).speakr = 'agent';
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'agent.nmae: unknown field (did you mean "name"?); expected one of: id, name',
      'turns[1].speakr: unknown field (did you mean "speaker"?); expected one of: speaker, text, start, end, source',
    ]);
  });

  it('names a turn source other than asr or console', () => {
    const bad = clone(example) as { turns: Record<string, unknown>[] };
    (bad.turns[1] as Record<string, unknown>).source = 'typed';
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'turns[1].source: found "typed"; expected one of: asr, console',
    ]);
  });

  it('names a missing id and missing turns', () => {
    const p = problems(parseCallJson({ brand: 'zhonghua' }, 'c.json'));
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/^id: required field is missing; expected the call id/);
    expect(p[1]).toMatch(/^turns: required field is missing; expected an array of turns/);
  });

  it('names a bad speaker with what was found and the accepted values', () => {
    const bad = clone(example);
    bad.turns.push({ speaker: '主管', text: '嗯', start: 16000, end: 17000 });
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'turns[2].speaker: found "主管"; expected one of: agent, customer',
    ]);
  });

  it('rejects a turn whose text is blank after trimming, and non-string text', () => {
    const bad = clone(example) as { turns: { text: unknown }[] };
    (bad.turns[0] as { text: unknown }).text = '  \n ';
    (bad.turns[1] as { text: unknown }).text = 5;
    const p = problems(parseCallJson(bad, 'c.json'));
    expect(p[0]).toMatch(/^turns\[0\]\.text: found " {2}\\n " \(blank\); expected .*non-blank string/);
    expect(p[1]).toMatch(/^turns\[1\]\.text: found number 5; expected the words spoken as a string/);
  });

  it('rejects wrong types and enums: direction, event type, negative times, fractional ids, booleans', () => {
    const bad = {
      id: 1.5,
      direction: 'incoming',
      agent: { id: true },
      events: [{ type: 'ringing', at: -5 }],
      turns: [{ speaker: 'agent', text: '您好', start: '0' }],
    };
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'id: found number 1.5; expected the call id as a non-blank string (or a whole number ≥ 0, converted to a string)',
      'direction: found "incoming"; expected one of: inbound, outbound',
      'agent.id: found boolean true; expected the agent id as a non-blank string (or a whole number ≥ 0, converted to a string)',
      'events[0].type: found "ringing"; expected one of: ring, answer, hold, unhold, transfer, transfer-failed, hangup',
      'events[0].at: found number -5; expected the event time in milliseconds, a number ≥ 0',
      'turns[0].start: found "0"; expected the start in milliseconds, a number ≥ 0',
    ]);
  });

  it('requires startedAt to carry a UTC offset and be a real date', () => {
    for (const startedAt of [
      '2026-11-20T09:12:03',
      '2026-11-20 09:12:03+08:00',
      '2026-02-30T09:12:03+08:00',
    ]) {
      const p = problems(parseCallJson({ id: 'x', startedAt, turns: [] }, 'c.json'));
      expect(p).toEqual([
        `startedAt: found ${JSON.stringify(startedAt)}; expected an ISO 8601 date-time with a UTC offset, e.g. 2026-11-20T09:12:03+08:00`,
      ]);
    }
  });

  it('rejects a value that is not one call object', () => {
    for (const v of [[example], 'call', null]) {
      const p = problems(parseCallJson(v, 'c.json'));
      expect(p).toHaveLength(1);
      expect(p[0]).toMatch(/^: found .*; expected one call as a JSON object/);
    }
  });
});

describe('parseCallJson: checks across fields', () => {
  it('rejects events out of time order instead of sorting them', () => {
    const bad = clone(example);
    bad.events = [
      { type: 'answer', at: 8200 },
      { type: 'ring', at: 0 },
    ];
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'events[1].at: found 0, earlier than events[0].at 8200; expected events in time order (times never decreasing)',
    ]);
  });

  it('rejects unhold without a preceding hold, and a second hold while on hold', () => {
    const bad = clone(example);
    bad.events = [
      { type: 'unhold', at: 10 },
      { type: 'hold', at: 20 },
      { type: 'hold', at: 30 },
      { type: 'unhold', at: 40 },
      { type: 'unhold', at: 50 },
    ];
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'events[0].type: found unhold without a preceding hold; expected a hold first',
      'events[2].type: found hold while already on hold; expected an unhold first',
      'events[4].type: found unhold without a preceding hold; expected a hold first',
    ]);
  });

  it('accepts a hangup while still on hold', () => {
    const ok = {
      id: 'h',
      events: [
        { type: 'hold', at: 5 },
        { type: 'hangup', at: 9, by: 'customer' },
      ],
      turns: [],
    };
    expect(parseCallJson(ok, 'h.json').ok).toBe(true);
  });

  it('takes a failed transfer after its transfer, once; a later transfer may fail again', () => {
    const ok = {
      id: 'tf',
      events: [
        { type: 'ring', at: 0 },
        { type: 'answer', at: 10 },
        { type: 'transfer', at: 20, to: '理赔部' },
        { type: 'transfer-failed', at: 30, to: '理赔部' },
        { type: 'transfer', at: 40, to: '技术部' },
        { type: 'transfer-failed', at: 50 },
        { type: 'hangup', at: 60, by: 'customer' },
      ],
      turns: [],
    };
    const r = parseCallJson(ok, 'tf.json');
    expect(r.ok && r.call.events.slice(3, 6)).toEqual([
      { type: 'transfer-failed', at: 30, to: '理赔部' },
      { type: 'transfer', at: 40, to: '技术部' },
      { type: 'transfer-failed', at: 50 },
    ]);
  });

  it('rejects a failed transfer with no transfer before it, and a second one for the same transfer', () => {
    const bad = {
      id: 'tf',
      events: [
        { type: 'answer', at: 10 },
        { type: 'transfer-failed', at: 20 },
        { type: 'transfer', at: 30, to: 'tech' },
        { type: 'transfer-failed', at: 40 },
        { type: 'transfer-failed', at: 50 },
      ],
      turns: [],
    };
    const errors = [
      'events[1].type: found transfer-failed without a transfer before it; expected the transfer event first (transfer-failed says that transfer did not go through)',
      'events[4].type: found a second transfer-failed for the transfer at events[2] (already failed at events[3]); expected one per transfer',
    ];
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual(errors);
    expect(problems(parseCallJsonBySchema(bad, 'c.json'))).toEqual(errors);
  });

  it('rejects a failed transfer logged after the hangup (the agent had left: not theirs to answer for)', () => {
    const bad = {
      id: 'tf-late',
      events: [
        { type: 'answer', at: 10 },
        { type: 'transfer', at: 30, to: 'tech' },
        { type: 'hangup', at: 40, by: 'agent' },
        { type: 'transfer-failed', at: 50 },
      ],
      turns: [],
    };
    const errors = [
      "events[3].type: found transfer-failed after the hangup at events[2]; expected it before the hangup (a failure the telephone system logs once the agent left is not the agent's to answer for)",
    ];
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual(errors);
    expect(problems(parseCallJsonBySchema(bad, 'c.json'))).toEqual(errors);
  });

  it('allows "to" only on transfer and transfer-failed, and "by" only on hangup', () => {
    const bad = { id: 'x', events: [{ type: 'answer', at: 0, to: 'tech', by: 'agent' }], turns: [] };
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'events[0].to: found "to" on a answer event; expected "to" only on a transfer or transfer-failed event',
      'events[0].by: found "by" on a answer event; expected "by" only on a hangup event',
    ]);
  });

  it('rejects a turn that ends before it starts, and turns out of spoken order', () => {
    const bad = clone(example);
    bad.turns = [
      { speaker: 'agent', text: '您好', start: 5000, end: 4000 },
      { speaker: 'customer', text: '你好', start: 3000, end: 6000 },
    ];
    expect(problems(parseCallJson(bad, 'c.json'))).toEqual([
      'turns[0].end: found 4000, before the start 5000; expected end ≥ start',
      'turns[1].start: found 3000, earlier than turns[0].start 5000; expected turns in the order spoken (start times never decreasing)',
    ]);
  });

  it('accepts overlapping turns (an interruption) as long as starts do not go back', () => {
    const ok = clone(example);
    ok.turns = [
      { speaker: 'customer', text: '我说', start: 1000, end: 5000 },
      { speaker: 'agent', text: '您听我说', start: 3000, end: 4000 },
    ];
    expect(parseCallJson(ok, 'c.json').ok).toBe(true);
  });
});

describe('parseCallText(json)', () => {
  it('reads a call with a UTF-8 BOM', () => {
    const c = call(parseCallText(`\uFEFF${JSON.stringify(example)}`, 'json', 'bom.json'));
    expect(c.id).toBe('c-0001');
  });

  it('reports invalid JSON with the parser message and the line and column', () => {
    const r = parseCallText('{\n  "id": "x",\n  "turns": [1,,]\n}', 'json', 'bad.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual({
      file: 'bad.json',
      line: 3,
      message: "invalid JSON: Unexpected token ',' (line 3, column 15)",
    });
  });

  it('locates errors the parser reports by position (a trailing comma, an unterminated string)', () => {
    const trailing = parseCallText('{\n  "id": "x",\n}', 'json', 'bad.json');
    expect(trailing).toMatchObject({
      ok: false,
      error: { line: 3, message: expect.stringMatching(/line 3, column 1\)$/) },
    });
    const open = parseCallText('{"id": "x",\n"turns": "abc', 'json', 'bad.json');
    expect(open).toMatchObject({
      ok: false,
      error: {
        line: 2,
        message: expect.stringMatching(/^invalid JSON: Unterminated string \(line 2, column 14\)$/),
      },
    });
    const empty = parseCallText('', 'json', 'empty.json');
    expect(empty).toMatchObject({
      ok: false,
      error: { line: 1, message: 'invalid JSON: Unexpected end of JSON input (line 1, column 1)' },
    });
  });
});

describe('parseCallJson: channel and hang-up cause', () => {
  it('keeps the channel (absent: a phone call) and the cause of a hang-up', () => {
    expect(call(parseCallJson({ ...clone(example), channel: 'chat' }, 'c.json')).channel).toBe('chat');
    expect(call(parseCallJson(clone(example), 'c.json')).channel).toBeUndefined();
    const dropped = call(
      parseCallJson({ id: 'd', turns: [], events: [{ type: 'hangup', at: 5, cause: 'dropped' }] }, 'd.json'),
    );
    expect(dropped.events).toEqual([{ type: 'hangup', at: 5, cause: 'dropped' }]);
  });

  it('names an unknown channel or cause, and a cause on another event', () => {
    expect(problems(parseCallJson({ ...clone(example), channel: 'fax' }, 'c.json'))).toEqual([
      'channel: found "fax"; expected one of: phone, chat, email (where the conversation took place; phone when absent)',
    ]);
    expect(
      problems(
        parseCallJson({ id: 'd', turns: [], events: [{ type: 'hangup', at: 5, cause: 'cut' }] }, 'd.json'),
      ),
    ).toEqual([
      'events[0].cause: found "cut"; expected one of: normal, dropped, no-answer, busy, rejected, failed',
    ]);
    expect(
      problems(
        parseCallJson({ id: 'd', turns: [], events: [{ type: 'ring', at: 0, cause: 'dropped' }] }, 'd.json'),
      ),
    ).toEqual(['events[0].cause: found "cause" on a ring event; expected "cause" only on a hangup event']);
  });
});

describe('parseCallJson: the quick path for common calls agrees with the schema', () => {
  // Calls of the common shape are checked field by field without zod; anything else goes
  // through the schema. Both must give the same call (field for field, in the same key order)
  // or the same errors, on valid calls and on every kind of wrong value.
  const base = {
    id: 'c-9',
    brand: 'zhonghua',
    direction: 'outbound',
    channel: 'chat',
    agent: { id: '1024', name: '李娜' },
    startedAt: '2026-11-20T09:12:03+08:00',
    events: [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 8200 },
      { type: 'hold', at: 9000 },
      { type: 'unhold', at: 9500 },
      { type: 'transfer', at: 9600, to: 'tech' },
      { type: 'transfer-failed', at: 9700, to: 'tech' },
      { type: 'hangup', at: 18000, by: 'agent', cause: 'normal' },
    ],
    turns: [
      { speaker: 'agent', text: '您好', start: 8300, end: 9100 },
      { speaker: 'customer', text: '我想问一下', start: 9200 },
      { speaker: 'agent', text: '好的' },
    ],
  };
  const odd: unknown[] = [
    undefined,
    null,
    '',
    '   ',
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    [],
    {},
    'x',
    'agent',
    'hangup',
    'normal',
    '2026-11-20',
    Object.create(null),
  ];
  /** The value with the field at `path` set to `v` (deleted when v is the marker). */
  const DELETE = Symbol('delete');
  const variant = (path: (string | number)[], v: unknown) => {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let node = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (v === DELETE) delete node[last];
    else node[last] = v;
    return copy;
  };
  const paths: (string | number)[][] = [
    ['id'],
    ['brand'],
    ['direction'],
    ['channel'],
    ['agent'],
    ['agent', 'id'],
    ['agent', 'name'],
    ['agent', 'extra'],
    ['customer'],
    ['meta'],
    ['startedAt'],
    ['events'],
    ['events', 1],
    ['events', 1, 'type'],
    ['events', 1, 'at'],
    ['events', 2, 'type'],
    ['events', 4, 'to'],
    ['events', 4, 'type'],
    ['events', 5, 'type'],
    ['events', 5, 'to'],
    ['events', 6, 'by'],
    ['events', 6, 'cause'],
    ['events', 0, 'cause'],
    ['turns'],
    ['turns', 1],
    ['turns', 0, 'speaker'],
    ['turns', 0, 'text'],
    ['turns', 0, 'start'],
    ['turns', 0, 'end'],
    ['turns', 1, 'extra'],
    ['extra'],
  ];
  const same = (value: unknown) => {
    const quick = parseCallJson(value, 'f.jsonl', 3);
    const slow = parseCallJsonBySchema(value, 'f.jsonl', 3);
    expect(JSON.stringify(quick)).toBe(JSON.stringify(slow));
    expect(quick).toEqual(slow);
  };

  it('on a valid call, and with each field absent or set to each kind of wrong value', () => {
    same(base);
    same({ id: 'x', turns: [] });
    let n = 0;
    for (const path of paths) {
      for (const v of [DELETE, ...odd]) {
        same(variant(path, v));
        n++;
      }
    }
    expect(n).toBe(paths.length * (odd.length + 1));
  });

  it('on values that are not call objects', () => {
    for (const v of odd) same(v);
    same([base]);
    same(Object.assign(Object.create(null), base));
  });
});
