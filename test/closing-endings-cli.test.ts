// Calls that end other than by this agent closing them, as a user inspects and replays them:
// `huashu qa` and `huashu replay` (the real bin) give the same inspection, with the closing
// rules n/a — a call transferred to another desk, a caller hanging up on hold (the telephone
// system's hold; 请您稍等 then the line ends), an outbound call someone else answers (judged by
// outbound.not-the-customer). The cases both ways: src/qa/closing-endings.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { huashu } from './support/huashu-bin.ts';

const opening = [
  { speaker: 'agent', text: '您好,超越平台,工号20517,很高兴为您服务!', start: 4500, end: 8000 },
  { speaker: 'customer', text: '你好,我上个月提交的软件著作权登记,现在到哪一步了?', start: 8500, end: 14000 },
  { speaker: 'agent', text: '好的,请问您贵姓?', start: 14500, end: 16000 },
  { speaker: 'customer', text: '姓李。', start: 16500, end: 17000 },
];
const base = { brand: 'chaoyue', direction: 'inbound', agent: { id: '20517' } };
const ring = [
  { type: 'ring', at: 0 },
  { type: 'answer', at: 4000 },
];
const wait = [
  ...opening,
  { speaker: 'agent', text: '李先生您好,请您稍等,我帮您查询一下登记进度。', start: 17500, end: 24000 },
  { speaker: 'customer', text: '好的。', start: 24500, end: 25000 },
];
const announced = [
  ...opening,
  {
    speaker: 'agent',
    text: '李先生,您咨询的是登记进度的问题,您的电话需转接技术部,请您稍等,我帮您转接。',
    start: 17500,
    end: 26000,
  },
  { speaker: 'customer', text: '好的。', start: 26500, end: 27000 },
];
const CALLS = [
  {
    ...base,
    id: 'end-transfer',
    events: [
      ...ring,
      { type: 'transfer', at: 28_000, to: '技术部' },
      { type: 'hangup', at: 29_000, by: 'agent' },
    ],
    turns: [
      ...opening,
      {
        speaker: 'agent',
        text: '李先生,您咨询的是登记进度的问题,您的电话需转接技术部,请您稍等,我帮您转接。',
        start: 17500,
        end: 26000,
      },
      { speaker: 'customer', text: '好的。', start: 26500, end: 27000 },
    ],
  },
  {
    // The transfer did not go through (the telephone system's transfer-failed, or the agent's
    // button recording it): the caller stays with this agent, whose words hand nothing over.
    ...base,
    id: 'end-transfer-failed',
    events: [
      ...ring,
      { type: 'transfer', at: 28_000, to: '技术部' },
      { type: 'transfer-failed', at: 40_000, to: '技术部' },
      { type: 'hangup', at: 48_000, by: 'customer' },
    ],
    turns: [
      ...announced,
      { speaker: 'agent', text: '那边占线,您稍后再打吧。', start: 41_000, end: 44_000 },
      { speaker: 'customer', text: '哦。', start: 44_500, end: 45_000 },
    ],
  },
  {
    // Failed, then transferred again (to another desk) and handed over: the next desk's closing.
    ...base,
    id: 'end-transfer-again',
    events: [
      ...ring,
      { type: 'transfer', at: 28_000, to: '技术部' },
      { type: 'transfer-failed', at: 40_000, to: '技术部' },
      { type: 'transfer', at: 46_000, to: '登记部' },
      { type: 'hangup', at: 47_000, by: 'agent' },
    ],
    turns: [
      ...announced,
      {
        speaker: 'agent',
        text: '技术部那边占线,您的问题登记部也可以处理,您的电话需转接登记部,请您稍等,我帮您转接。',
        start: 41_000,
        end: 45_000,
      },
      { speaker: 'customer', text: '好的。', start: 45_200, end: 45_800 },
    ],
  },
  {
    ...base,
    id: 'end-on-hold',
    events: [...ring, { type: 'hold', at: 25_500 }, { type: 'hangup', at: 120_000, by: 'customer' }],
    turns: wait,
  },
  {
    ...base,
    id: 'end-text-hold',
    events: [...ring, { type: 'hangup', at: 120_000, by: 'customer' }],
    turns: wait,
  },
  {
    ...base,
    id: 'end-not-the-customer',
    direction: 'outbound',
    customer: { surname: '赵', title: '先生' },
    // The agent puts the phone down first: seed 003 拨打电话 asks to wait for whoever answered.
    events: [...ring, { type: 'hangup', at: 30_000, by: 'agent' }],
    turns: [
      { speaker: 'agent', text: '您好!我是超越平台的客服专员小周,请问是赵先生吗?', start: 4500, end: 9000 },
      { speaker: 'customer', text: '不是,我是他爱人,他出去了。', start: 9500, end: 12000 },
      {
        speaker: 'agent',
        text: '请问您方便告诉我赵先生的有效联系方式和方便联络的时间吗?',
        start: 12500,
        end: 18000,
      },
      { speaker: 'customer', text: '你晚上七点以后再打这个电话吧。', start: 18500, end: 21000 },
      { speaker: 'agent', text: '好的,我们晚上七点以后再联系赵先生。谢谢您,再见!', start: 21500, end: 27000 },
    ],
  },
];

interface Inspection {
  id: string;
  rules: { id: string; outcome: string }[];
}

describe('calls ended by a transfer, on hold, or answered by someone else: huashu qa and huashu replay agree', () => {
  it('the same inspection from both; the closing rules n/a, their stages too; the hold judged to the hang-up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-closing-'));
    for (const c of CALLS) writeFileSync(join(dir, `${c.id}.json`), JSON.stringify(c));
    const qa = huashu('qa', dir, '--json');
    const replay = huashu('replay', dir, '--json');
    expect([qa.code, qa.stderr]).toEqual([0, '']);
    expect([replay.code, replay.stderr]).toEqual([0, '']);
    const lines = (s: string) => s.trim().split('\n');
    const inspected = new Map(lines(qa.stdout).map((l) => [(JSON.parse(l) as Inspection).id, JSON.parse(l)]));
    const replayed = lines(replay.stdout).map(
      (l) =>
        JSON.parse(l) as {
          id: string;
          events: { kind: string; stage?: string; state?: string }[];
          inspection: Inspection;
        },
    );
    // The same calls as one .jsonl file (its lines read by the quick reader): the same inspections.
    const batch = join(mkdtempSync(join(tmpdir(), 'huashu-closing-jsonl-')), 'calls.jsonl');
    writeFileSync(batch, `${CALLS.map((c) => JSON.stringify(c)).join('\n')}\n`);
    const fromLines = huashu('qa', batch, '--json');
    expect([fromLines.code, fromLines.stderr]).toEqual([0, '']);
    expect(lines(fromLines.stdout)).toHaveLength(CALLS.length);
    for (const l of lines(fromLines.stdout)) {
      const r = JSON.parse(l) as Inspection;
      expect(r, r.id).toEqual(inspected.get(r.id));
    }
    expect(replayed.map((r) => r.id).sort()).toEqual([...inspected.keys()].sort());
    for (const r of replayed) expect(r.inspection, r.id).toEqual(inspected.get(r.id));
    const outcome = (id: string, rule: string) =>
      (inspected.get(id) as Inspection).rules.find((x) => x.id === rule)?.outcome;
    for (const id of [
      'end-transfer',
      'end-transfer-again',
      'end-on-hold',
      'end-text-hold',
      'end-not-the-customer',
    ])
      for (const rule of ['closing.more-questions', 'closing.farewell'])
        expect(outcome(id, rule), `${id} ${rule}`).toBe('n/a');
    for (const id of ['end-transfer', 'end-transfer-again', 'end-on-hold', 'end-text-hold'])
      expect(outcome(id, 'closing.customer-first'), id).toBe('n/a');
    // A failed transfer is no handover: the agent still owed the closing (那边占线,您稍后再打吧 is
    // neither the closing question nor a farewell); the caller hung up first.
    expect(
      ['closing.more-questions', 'closing.farewell', 'closing.customer-first'].map((rule) =>
        outcome('end-transfer-failed', rule),
      ),
    ).toEqual(['fail', 'fail', 'pass']);
    // Whoever answered an outbound call hangs up first (seed 003 拨打电话的礼仪顺序).
    expect(outcome('end-not-the-customer', 'closing.customer-first')).toBe('fail');
    // The live checklist agrees with the inspection at the hang-up. On the call a relative
    // answers, the agent's 谢谢您,再见 is a farewell done (a stage done stays done), the
    // "anything else?" first passed as missed becomes n/a, and the agent hanging up first is missed.
    const closingStages = ['more-questions', 'farewell', 'customer-hangs-up-first'];
    for (const r of replayed) {
      const closing = r.events.filter((e) => e.kind === 'stage' && closingStages.includes(e.stage ?? ''));
      const last = Object.fromEntries(closing.map((e) => [e.stage, e.state]));
      if (r.id === 'end-not-the-customer')
        expect(last, r.id).toEqual({
          'more-questions': 'n/a',
          farewell: 'done',
          'customer-hangs-up-first': 'missed',
        });
      else if (r.id === 'end-transfer-failed')
        expect(last, r.id).toEqual({
          'more-questions': 'missed',
          farewell: 'missed',
          'customer-hangs-up-first': 'done',
        });
      else
        expect(
          closing.map((e) => `${e.stage} ${e.state}`),
          r.id,
        ).toEqual(['more-questions n/a', 'farewell n/a', 'customer-hangs-up-first n/a']);
    }
    expect(outcome('end-on-hold', 'hold.limit')).toBe('fail');
    expect(outcome('end-text-hold', 'hold.limit')).toBe('fail');
    expect(outcome('end-not-the-customer', 'outbound.not-the-customer')).toBe('pass');
  });
});
