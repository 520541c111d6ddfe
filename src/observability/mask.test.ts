import { describe, expect, it } from 'vitest';
import { maskDeep, maskText } from './mask.ts';

// The numbers of the table. Their middle digits (the part a masked number hides) are chosen so
// that they occur nowhere else in the inputs, so "the middle is gone" is a plain search.
const MOBILE = { digits: '13957246810', middle: '5724', masked: '139****6810' };
const LANDLINE = { digits: '01065521234', middle: '6552', masked: '010-****1234' };
const LANDLINE_4 = { digits: '075523456789', middle: '2345', masked: '0755-****6789' };
const ID_18 = { digits: '11010119900307451X', middle: '19900307', masked: '110101********451X' };
const ID_18_DIGIT = { digits: '110101199003074518', middle: '19900307', masked: '110101********4518' };
const ID_15 = { digits: '110101900307123', middle: '900307', masked: '110101******123' };

const fullWidth = (s: string) =>
  s.replace(/[0-9+\-X ]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));

type Where = 'text' | 'url' | 'json' | 'object';
const SPELLINGS: [Where, string, typeof MOBILE, unknown][] = [
  // mobile
  ['text', 'plain', MOBILE, '来电 13957246810 已接通'],
  ['text', 'spaces', MOBILE, '客户号码 139 5724 6810'],
  ['text', 'hyphens', MOBILE, '号码139-5724-6810，请回电'],
  ['text', 'dots', MOBILE, 'tel 139.5724.6810'],
  ['text', '+86 and spaces', MOBILE, '+86 139 5724 6810'],
  ['text', '+86 glued', MOBILE, 'caller=+8613957246810'],
  ['text', '0086', MOBILE, '0086 13957246810'],
  ['text', '86 without plus', MOBILE, '8613957246810'],
  ['text', '+86-139-…', MOBILE, 'tel:+86-139-5724-6810'],
  ['text', 'trunk 0', MOBILE, '013957246810'],
  ['text', 'full-width digits', MOBILE, `手机${fullWidth('13957246810')}`],
  ['text', 'full-width +86, ideographic spaces', MOBILE, fullWidth('+86 139 5724 6810')],
  ['url', 'query', MOBILE, '/api/customers?phone=13957246810&limit=20'],
  ['url', 'query, + for space', MOBILE, '/api/calls?phone=139+5724+6810'],
  ['url', 'query, %20', MOBILE, '/api/calls?phone=139%205724%206810'],
  ['url', 'query, %2B86', MOBILE, '/api/calls?phone=%2B8613957246810'],
  ['url', 'query, encoded twice', MOBILE, '/api/calls?phone=139%25205724%25206810'],
  [
    'url',
    'query, percent-encoded full-width',
    MOBILE,
    `/api/calls?phone=${encodeURIComponent(fullWidth('13957246810'))}`,
  ],
  ['url', 'path', MOBILE, '/api/customers/13957246810/history'],
  ['url', 'path, %2D', MOBILE, '/api/customers/139%2D5724%2D6810/history'],
  ['json', 'JSON field in a message', MOBILE, '{"customer":{"phone":"139 5724 6810"}}'],
  ['object', 'log object field', MOBILE, { customer: { phone: '139-5724-6810' } }],
  ['object', 'log object number', MOBILE, { phone: 13957246810 }],
  ['object', 'log object array', MOBILE, { turns: ['我的手机是 139 5724 6810'] }],
  ['object', 'log object key', MOBILE, { byPhone: { '+86 139 5724 6810': 2 } }],
  // landline
  ['text', 'area code and hyphen', LANDLINE, '座机 010-65521234'],
  ['text', 'area code in brackets', LANDLINE, '(010) 6552 1234'],
  ['text', 'full-width brackets', LANDLINE, '（010）6552-1234'],
  ['text', 'spaces', LANDLINE, '010 6552 1234'],
  ['text', 'glued', LANDLINE, '01065521234'],
  ['text', '+86 without the 0', LANDLINE, '+86 10 6552 1234'],
  ['text', 'full-width', LANDLINE, fullWidth('010-65521234')],
  ['text', '4-digit area code', LANDLINE_4, '0755-2345-6789'],
  ['url', 'query, encoded brackets', LANDLINE, '/api/calls?phone=%28010%29%206552%201234'],
  ['json', 'JSON field', LANDLINE, '{"phone":"010-65521234"}'],
  ['object', 'log object field', LANDLINE, { phone: '(010) 6552 1234' }],
  // ID numbers
  ['text', '18 digits, X', ID_18, '身份证 11010119900307451X'],
  ['text', '18 digits, x', ID_18, '身份证11010119900307451x。'],
  ['text', '18 digits', ID_18_DIGIT, '证件号 110101199003074518'],
  ['text', '18 digits in groups', ID_18, '110101 19900307 451X'],
  ['text', '15 digits', ID_15, '老身份证 110101900307123'],
  ['text', 'full-width', ID_18, fullWidth('11010119900307451X')],
  ['url', 'query', ID_18, '/api/customers?idNumber=11010119900307451X'],
  ['url', 'query, 15 digits', ID_15, '/api/customers?idNumber=110101900307123'],
  ['json', 'JSON field', ID_15, '{"idNumber":"110101900307123"}'],
  ['object', 'log object field', ID_18_DIGIT, { idNumber: '110101199003074518' }],
];

/** The output with full-width digits made ASCII and everything but digits (and X) removed. */
function digitsOf(s: string): string {
  return s
    .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[^\dXx*]/g, '');
}

describe('masking personal numbers for logs', () => {
  it('has a table of at least 24 spellings in text, URLs, JSON and log objects', () => {
    expect(SPELLINGS.length).toBeGreaterThanOrEqual(24);
    expect(new Set(SPELLINGS.map((s) => s[0]))).toEqual(new Set(['text', 'url', 'json', 'object']));
  });

  it.each(SPELLINGS)('%s, %s: the middle digits never reach the log', (where, _name, number, input) => {
    const out = where === 'object' ? JSON.stringify(maskDeep(input)) : maskText(input as string);
    expect(digitsOf(out), out).not.toContain(number.middle);
    expect(digitsOf(out), out).not.toContain(number.digits.slice(3, -4));
    // One masked form, however it was written.
    expect(out).toContain(number.masked);
  });

  it('writes one masked form per number', () => {
    expect(maskText('来电 13812345678 已接通')).toBe('来电 138****5678 已接通');
    expect(maskText('+86 13812345678')).toBe('138****5678');
    expect(maskText('身份证 11010119900307451X')).toBe('身份证 110101********451X');
    expect(maskText('座机 010-62345678')).toBe('座机 010-****5678');
    expect(maskText('(010) 6234 5678 转 8')).toBe('010-****5678 转 8');
    expect(maskText('/api/calls?phone=139%205724%206810&limit=5')).toBe(
      '/api/calls?phone=139****6810&limit=5',
    );
  });

  it('masks two numbers side by side, and a number after another count', () => {
    expect(maskText('13957246810 13812345678')).toBe('139****6810 138****5678');
    expect(maskText('第 2 个号码 13957246810')).toBe('第 2 个号码 139****6810');
    expect(maskText('12.5 13957246810')).toBe('12.5 139****6810');
  });

  it('leaves what is not a personal number alone, so the logs stay useful', () => {
    const keep = [
      '工号 1024, 保单 2026112001, 金额 95585',
      'ticket 0196f2a0-1c3b-7d4e-8f5a-013957246810 accepted',
      'GET /api/tickets/019ac3b1-5d2e-7c4a-9b1f-6a0d13957246?limit=50&offset=100',
      'at 2026-11-20T09:00:00.000+08:00, due 2026-11-20T01:30:00Z',
      'date 2026-11-20, time 09:30:15',
      'responseTime 13.572 ms; took 1500ms; 0.25 s',
      'rows=1024 total=12345 pages=3',
      'agent 1024 answered after 3 rings',
      'epoch 1764205200000',
      'from 192.168.10.20:54321',
      'version 12, 坐席 4402',
      'id-17 e-1 t_1a2b3c',
      '95588 and 400-820-8820 hotlines',
      'GET /api/customers?surname=%E5%BC%A0&note=%E6%8A%98%E6%89%A3%50', // only numbers are decoded
    ];
    for (const text of keep) expect(maskText(text), text).toBe(text);
    expect(
      maskDeep({ statusCode: 200, responseTime: 13.5, count: 1024, at: '2026-11-20T09:00:00Z' }),
    ).toEqual({
      statusCode: 200,
      responseTime: 13.5,
      count: 1024,
      at: '2026-11-20T09:00:00Z',
    });
  });

  it('masks every string in a log object', () => {
    expect(maskDeep({ call: { phone: '13912345678', turns: ['我的手机是13912345678'] } })).toEqual({
      call: { phone: '139****5678', turns: ['我的手机是139****5678'] },
    });
  });
});
