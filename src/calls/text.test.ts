import { describe, expect, it } from 'vitest';
import { type ImportResult, parseCallText } from './import.ts';
import type { Call } from './model.ts';
import { parseStamp } from './text.ts';

function call(r: ImportResult): Call {
  if (!r.ok) throw new Error(`expected a call, got ${JSON.stringify(r)}`);
  return r.call;
}
function errors(r: ImportResult) {
  if (r.ok) throw new Error(`expected an error, got call ${r.call.id}`);
  return [r.error, ...(r.more ?? [])];
}
const txt = (lines: string[], file = 'calls/c-0007.txt') => parseCallText(lines.join('\n'), 'txt', file);

describe('parseStamp', () => {
  it('reads [mm:ss], [hh:mm:ss] and fractions as milliseconds', () => {
    expect(parseStamp('00:05')).toBe(5000);
    expect(parseStamp('12:34')).toBe(754_000);
    expect(parseStamp('75:30')).toBe(4_530_000);
    expect(parseStamp('01:02:03')).toBe(3_723_000);
    expect(parseStamp('00:05.25')).toBe(5250);
    expect(parseStamp('00:05,125')).toBe(5125);
  });
  it('rejects seconds ≥ 60, minutes ≥ 60 with hours, and other text', () => {
    expect(parseStamp('00:60')).toBeUndefined();
    expect(parseStamp('1:60:00')).toBeUndefined();
    expect(parseStamp('5')).toBeUndefined();
    expect(parseStamp('笑声')).toBeUndefined();
  });
});

describe('parseCallText(txt)', () => {
  it('reads labelled lines as turns; the file name without extension is the id', () => {
    const c = call(txt(['坐席: 您好，中华保险1024号为您服务', '客户: 我想问一下保单']));
    expect(c).toEqual({
      id: 'c-0007',
      direction: 'inbound',
      events: [],
      turns: [
        { speaker: 'agent', text: '您好，中华保险1024号为您服务' },
        { speaker: 'customer', text: '我想问一下保单' },
      ],
    });
  });

  it('accepts every agent and customer label, Simplified and Traditional, with ASCII or full-width colons', () => {
    const agents = ['坐席:', '座席：', '客服:', '话务员：'];
    const customers = ['客户:', '用户：', '来电人:', '客戶：', '用戶:', '來電人：'];
    const c = call(txt([...agents.map((l) => `${l} 甲`), ...customers.map((l) => `${l}乙`)]));
    expect(c.turns.map((t) => t.speaker)).toEqual([
      ...agents.map(() => 'agent'),
      ...customers.map(() => 'customer'),
    ]);
    expect(c.turns.map((t) => t.text)).toEqual([...agents.map(() => '甲'), ...customers.map(() => '乙')]);
  });

  it('takes a time stamp before or after the label as the start in ms and leaves the end unknown', () => {
    const c = call(
      txt(['[00:05] 坐席: 您好', '客户 [00:09]: 你好', '[01:02:03] 坐席：再见', '01:02:04.5 客户: 拜拜']),
    );
    expect(c.turns).toEqual([
      { speaker: 'agent', text: '您好', start: 5000 },
      { speaker: 'customer', text: '你好', start: 9000 },
      { speaker: 'agent', text: '再见', start: 3_723_000 },
      { speaker: 'customer', text: '拜拜', start: 3_724_500 },
    ]);
    expect(c.turns[0]).not.toHaveProperty('end');
  });

  it('joins continuation lines to the previous turn with a newline and skips blank lines', () => {
    const c = call(
      txt([
        '坐席: 您好',
        '请问有什么可以帮您？',
        '',
        '客户: 我家空调',
        '   不制冷了',
        '地址：北京市朝阳区',
        '\t',
        '坐席:',
        '好的',
      ]),
    );
    expect(c.turns).toEqual([
      { speaker: 'agent', text: '您好\n请问有什么可以帮您？' },
      { speaker: 'customer', text: '我家空调\n不制冷了\n地址：北京市朝阳区' },
      { speaker: 'agent', text: '好的' },
    ]);
  });

  it('handles CRLF line endings and a BOM', () => {
    const c = call(parseCallText('\uFEFF坐席: 您好\r\n客户: 你好\r\n', 'txt', 'crlf.txt'));
    expect(c.turns.map((t) => t.text)).toEqual(['您好', '你好']);
  });

  it('reads # key: value headers before the first turn', () => {
    const c = call(
      txt([
        '# brand: zhonghua',
        '# agent: 1024',
        '# agentName: 李娜',
        '# direction: outbound',
        '# phone: 13800138000',
        '# startedAt: 2026-11-20T09:12:03+08:00',
        '# 这是一行注释',
        '坐席: 您好',
        '# 号键请按一下',
      ]),
    );
    expect(c).toMatchObject({
      brand: 'zhonghua',
      agent: { id: '1024', name: '李娜' },
      direction: 'outbound',
      customer: { phone: '13800138000' },
      startedAt: '2026-11-20T09:12:03+08:00',
    });
    expect(c.turns[0]?.text).toBe('您好\n# 号键请按一下');
  });

  it('reports an unknown or repeated header and a bad header value with the line', () => {
    const e = errors(
      txt(['# brnad: zhonghua', '# direction: incoming', '# direction: outbound', '坐席: 您好']),
    );
    expect(e).toEqual([
      {
        file: 'calls/c-0007.txt',
        line: 1,
        message:
          'unknown header "brnad"; expected one of: brand, direction, channel, agent, agentName, phone, startedAt',
      },
      {
        file: 'calls/c-0007.txt',
        line: 2,
        message: 'header "direction": found "incoming"; expected one of: inbound, outbound',
      },
      { file: 'calls/c-0007.txt', line: 3, message: 'header "direction" repeats the one on line 2' },
    ]);
  });

  it('reports an unknown speaker label with the line and the accepted labels', () => {
    const e = errors(txt(['坐席: 您好', '客户: 你好', '主管: 我来处理']));
    expect(e).toHaveLength(1);
    expect(e[0]?.file).toBe('calls/c-0007.txt');
    expect(e[0]?.line).toBe(3);
    expect(e[0]?.message).toMatch(
      /unknown speaker label "主管"; expected one of \(agent: 坐席, 座席, 客服.*customer: 客户/,
    );
  });

  it('treats a stamped line or a numbered diarization speaker with an unknown label as an error', () => {
    const e = errors(txt(['坐席: 您好', '[00:07] 地址: 北京', '说话人1: 喂', 'Speaker 2: hello']));
    expect(e.map((x) => x.line)).toEqual([2, 3, 4]);
    expect(e[0]?.message).toContain('unknown speaker label "地址"');
    expect(e[1]?.message).toContain('unknown speaker label "说话人1"');
    expect(e[2]?.message).toContain('unknown speaker label "Speaker 2"');
  });

  it('reports text before the first label', () => {
    const e = errors(txt(['通话记录', '坐席: 您好']));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ line: 1 });
    expect(e[0]?.message).toMatch(
      /^found text before the first speaker label; expected a line like "坐席: 您好"/,
    );
  });

  it('reports a bad time stamp, two stamps, a stamp without a label, and stamps going back', () => {
    const e = errors(
      txt([
        '[00:75] 坐席: 您好',
        '[00:05] 坐席 [00:06]: 嗯',
        '[00:10] 您好',
        '[00:20] 客户: 喂',
        '[00:15] 坐席: 在',
      ]),
    );
    expect(e.map((x) => [x.line, x.message])).toEqual([
      [
        1,
        'found the time stamp [00:75]; expected [mm:ss] or [hh:mm:ss] (seconds may have a fraction: [00:05.250])',
      ],
      [2, 'found two time stamps around the label "坐席"; expected one, before or after it'],
      [3, 'found a time stamp without a speaker label; expected a line like "[00:05] 坐席: 您好"'],
      [5, 'found the time stamp [00:15], earlier than the one on line 4; expected turns in the order spoken'],
    ]);
  });

  it('reports a turn with no words at its label line', () => {
    const e = errors(txt(['坐席: 您好', '客户:   ', '', '坐席: 喂？']));
    expect(e).toEqual([
      {
        file: 'calls/c-0007.txt',
        line: 2,
        message: 'found a turn with no words; expected text after the label or on the lines below it',
      },
    ]);
  });

  it('reports a file without turns', () => {
    const e = errors(parseCallText('\n# brand: zhonghua\n\n', 'txt', 'empty.txt'));
    expect(e[0]).toMatchObject({ file: 'empty.txt' });
    expect(e[0]?.message).toMatch(/^found no turns; expected lines like "坐席: 您好"/);
  });
});

describe('the channel header', () => {
  it('gives the channel of a chat transcript; an unknown one is an error with its line', () => {
    expect(call(txt(['# channel: chat', '客户: 在吗', '客服: 您好,在的'])).channel).toBe('chat');
    expect(call(txt(['客户: 在吗', '客服: 您好,在的'])).channel).toBeUndefined();
    expect(errors(txt(['# channel: wechat', '客户: 在吗']))).toEqual([
      {
        file: 'calls/c-0007.txt',
        line: 1,
        message:
          'header "channel": found "wechat"; expected one of: phone, chat, email (where the conversation took place; phone when absent)',
      },
    ]);
  });
});
