import { describe, expect, it } from 'vitest';
import { type ImportResult, parseCallText } from './import.ts';
import type { Call } from './model.ts';
import { parseVttTimestamp } from './vtt.ts';

function call(r: ImportResult): Call {
  if (!r.ok) throw new Error(`expected a call, got ${JSON.stringify(r)}`);
  return r.call;
}
function errors(r: ImportResult) {
  if (r.ok) throw new Error(`expected an error, got call ${r.call.id}`);
  return [r.error, ...(r.more ?? [])];
}
const vtt = (lines: string[], file = 'calls/c-0042.vtt') => parseCallText(lines.join('\n'), 'vtt', file);

describe('parseVttTimestamp', () => {
  it('reads mm:ss.ttt and hh:mm:ss.ttt as milliseconds', () => {
    expect(parseVttTimestamp('00:05.250')).toBe(5250);
    expect(parseVttTimestamp('01:02:03.004')).toBe(3_723_004);
    expect(parseVttTimestamp('100:00:00.000')).toBe(360_000_000);
  });
  it('rejects what WebVTT does not allow', () => {
    for (const s of ['00:05', '00:05,250', '0:05.250', '00:60.000', '00:05.25']) {
      expect(parseVttTimestamp(s)).toBeUndefined();
    }
  });
});

describe('parseCallText(vtt)', () => {
  it('reads cues with voice tags as timed turns; the file name gives the id', () => {
    const c = call(
      vtt([
        'WEBVTT',
        '',
        '00:00:08.300 --> 00:00:10.100',
        '<v 坐席>您好，中华保险1024号为您服务',
        '',
        '2',
        '00:10.500 --> 00:15.000 align:start',
        '<v.loud 客户>我想问一下</v>',
        '',
      ]),
    );
    expect(c).toEqual({
      id: 'c-0042',
      direction: 'inbound',
      events: [],
      turns: [
        { speaker: 'agent', text: '您好，中华保险1024号为您服务', start: 8300, end: 10100 },
        { speaker: 'customer', text: '我想问一下', start: 10500, end: 15000 },
      ],
    });
  });

  it('accepts English and Traditional labels, joins multi-line cue text and strips other tags and entities', () => {
    const c = call(
      vtt([
        'WEBVTT - 通话转写',
        '',
        'NOTE 这是注释',
        'agent/customer 都可以',
        '',
        '00:01.000 --> 00:02.000',
        '<v Agent>您好',
        '<i>请讲</i>',
        '',
        '00:03.000 --> 00:04.000',
        '<v 客戶>A&amp;B 保单 &lt;2026&gt;',
        '',
        '00:05.000 --> 00:06.000',
        '<v customer 王先生><c.x>好的</c>',
      ]),
    );
    expect(c.turns).toEqual([
      { speaker: 'agent', text: '您好\n请讲', start: 1000, end: 2000 },
      { speaker: 'customer', text: 'A&B 保单 <2026>', start: 3000, end: 4000 },
      { speaker: 'customer', text: '好的', start: 5000, end: 6000 },
    ]);
  });

  it('handles a BOM and CRLF line endings', () => {
    const c = call(
      parseCallText('\uFEFFWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\n<v 坐席>您好\r\n', 'vtt', 'a.vtt'),
    );
    expect(c.turns).toEqual([{ speaker: 'agent', text: '您好', start: 1000, end: 2000 }]);
  });

  it('reads brand, agent and other known keys from the header block and ignores other header lines', () => {
    const c = call(
      vtt([
        'WEBVTT',
        'Kind: captions',
        'brand: quanjiale',
        'agent: 2048',
        'direction: outbound',
        '',
        '00:01.000 --> 00:02.000',
        '<v 坐席>您好',
      ]),
    );
    expect(c).toMatchObject({ brand: 'quanjiale', agent: { id: '2048' }, direction: 'outbound' });
  });

  it('requires the WEBVTT header', () => {
    const e = errors(vtt(['00:01.000 --> 00:02.000', '<v 坐席>您好']));
    expect(e).toEqual([
      {
        file: 'calls/c-0042.vtt',
        line: 1,
        message: 'found "00:01.000 --> 00:02.000"; expected the file to start with the line WEBVTT',
      },
    ]);
  });

  it('reports a cue without a voice tag, naming the cue, its timing and its line', () => {
    const e = errors(
      vtt([
        'WEBVTT',
        '',
        '00:01.000 --> 00:02.000',
        '<v 坐席>您好',
        '',
        'q7',
        '00:03.000 --> 00:04.000',
        '你好',
      ]),
    );
    expect(e).toEqual([
      {
        file: 'calls/c-0042.vtt',
        line: 7,
        message:
          'cue 2 "q7" (00:03.000 --> 00:04.000) has no voice tag; expected the text to start with <v 坐席> or <v 客户>',
      },
    ]);
  });

  it('reports an unknown voice with the accepted labels, and two speakers in one cue', () => {
    const e = errors(
      vtt([
        'WEBVTT',
        '',
        '00:01.000 --> 00:02.000',
        '<v 主管>我来',
        '',
        '00:03.000 --> 00:04.000',
        '<v 坐席>您好',
        '<v 客户>你好',
      ]),
    );
    expect(e.map((x) => x.line)).toEqual([3, 6]);
    expect(e[0]?.message).toMatch(
      /^cue 1 \(00:01\.000 --> 00:02\.000\): found the voice "主管"; expected one of \(agent: 坐席.*customer/,
    );
    expect(e[1]?.message).toBe(
      'cue 2 (00:03.000 --> 00:04.000) has both an agent and a customer voice; expected one speaker per cue',
    );
  });

  it('reports bad timings: a malformed time, an end before the start, cues out of order, a missing timing line', () => {
    const e = errors(
      vtt([
        'WEBVTT',
        '',
        '00:01,000 --> 00:02.000',
        '<v 坐席>一',
        '',
        '00:05.000 --> 00:04.000',
        '<v 坐席>二',
        '',
        '00:03.000 --> 00:06.000',
        '<v 坐席>三',
        '',
        'just an id',
        '<v 坐席>四',
      ]),
    );
    expect(e.map((x) => [x.line, x.message])).toEqual([
      [
        3,
        'cue 1: found the timing "00:01,000 --> 00:02.000"; expected "start --> end" with times as [hh:]mm:ss.ttt, e.g. 00:01:02.500',
      ],
      [6, 'cue 2 (00:05.000 --> 00:04.000): the end is before the start; expected end ≥ start'],
      [9, 'cue 3 (00:03.000 --> 00:06.000) starts before the cue on line 6; expected cues in time order'],
      [12, 'cue 4 "just an id" has no timing line; expected a line like "00:00:01.000 --> 00:00:04.000"'],
    ]);
  });

  it('reports a cue with a voice but no words, and a file with no cues', () => {
    const empty = errors(vtt(['WEBVTT', '', '00:01.000 --> 00:02.000', '<v 坐席> </v>']));
    expect(empty[0]?.message).toBe(
      'cue 1 (00:01.000 --> 00:02.000) has no words; expected text after the voice tag',
    );
    const none = errors(vtt(['WEBVTT', '', 'NOTE nothing here']));
    expect(none[0]?.message).toMatch(/^found no cues/);
  });
});

describe('the channel header', () => {
  it('is read from the header block like the other keys', () => {
    const r = vtt(['WEBVTT', 'channel: phone', '', '00:00.000 --> 00:01.000', '<v 坐席>您好']);
    expect(call(r).channel).toBe('phone');
    expect(
      errors(vtt(['WEBVTT', 'channel: sms', '', '00:00.000 --> 00:01.000', '<v 坐席>您好']))[0]?.message,
    ).toContain('expected one of: phone, chat, email');
  });
});
