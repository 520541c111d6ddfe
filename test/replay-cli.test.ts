import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { huashu } from './support/huashu-bin.ts';

interface Replayed {
  id: string;
  events: { at: number; kind: string; timer?: string; state?: string; scenario?: string; rule?: string }[];
  inspection: { id: string; findings: { rule: string; turn: number | null }[] };
}

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter((l) => l !== '');

describe('huashu replay', () => {
  it('every example: the inspection deep-equals huashu qa --json; events sorted by time', () => {
    const replay = huashu('replay', 'examples', '--json');
    const qa = huashu('qa', 'examples', '--json');
    // examples/invalid/bad-speaker.json is malformed: reported, the others go on, exit 1.
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('examples/invalid/bad-speaker.json turns[2].speaker');
    const replayed = lines(replay.stdout).map((l) => JSON.parse(l) as Replayed);
    const inspected = new Map(
      lines(qa.stdout).map((l) => [(JSON.parse(l) as { id: string }).id, JSON.parse(l)]),
    );
    expect(replayed.length).toBe(inspected.size);
    expect(replayed.length).toBeGreaterThanOrEqual(37);
    for (const r of replayed) {
      expect(Object.keys(r)).toEqual(['id', 'events', 'inspection']);
      expect(r.inspection, r.id).toEqual(inspected.get(r.id));
      const times = r.events.map((e) => e.at);
      expect(times, r.id).toEqual([...times].sort((a, b) => a - b));
      // Every call ends: hang-up (or the end of its transcript), then the wrap-up.
      expect(
        r.events.filter((e) => e.timer === 'wrap-up').map((e) => e.state),
        r.id,
      ).toEqual(['started', 'expired']);
    }
    const byId = new Map(replayed.map((r) => [r.id, r]));
    // What live assist would have shown, on calls made to show it.
    const hold = byId.get('cy-hold-callback')?.events ?? [];
    expect(hold.filter((e) => e.timer === 'hold').map((e) => e.state)).toEqual([
      'started',
      'warning',
      'expired',
      'stopped',
    ]);
    expect(hold.find((e) => e.scenario === 'hold.over-limit')?.at).toBe(29_200 + 60_000);
    const silent = byId.get('cy-silent-line-ok')?.events ?? [];
    expect(silent.filter((e) => e.scenario === 'exception.silent-line').map((e) => e.at)).toEqual([
      15_400, 23_300, 30_900, 38_500, 38_500,
    ]);
    // The hold without consent is alerted as the caller is put on hold (25 s), once.
    const unasked = (byId.get('zh-hold-no-consent')?.events ?? []).filter((e) => e.rule === 'hold.consent');
    expect(unasked.map((e) => e.at)).toEqual([25_000]);
    const late = byId.get('zh-late-answer-apology')?.events ?? [];
    expect(late.find((e) => e.kind === 'guidance')?.scenario).toBe('opening.long-wait');
    // Alerts during the call are findings of the same rule on the same turn at hang-up.
    for (const r of replayed)
      for (const a of r.events.filter((e) => e.kind === 'alert'))
        expect(
          r.inspection.findings.some((f) => f.rule === a.rule),
          `${r.id} ${a.rule}`,
        ).toBe(true);
  });

  it('a call the engine cannot take is named with its problem; the other calls go on; exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-replay-'));
    const good = {
      id: 'ok-1',
      brand: 'zhonghua',
      events: [
        { type: 'ring', at: 0 },
        { type: 'answer', at: 5000 },
        { type: 'hangup', at: 20000, by: 'customer' },
      ],
      turns: [
        { speaker: 'agent', text: '您好!中华保险1024号为您服务。', start: 6000, end: 8000 },
        { speaker: 'customer', text: '谢谢,再见。', start: 9000, end: 10000 },
      ],
    };
    const long = {
      id: 'too-long',
      brand: 'zhonghua',
      turns: [{ speaker: 'agent', text: '您好', start: 0, end: 5 * 3600 * 1000 }],
    };
    writeFileSync(join(dir, 'calls.jsonl'), `${JSON.stringify(long)}\n${JSON.stringify(good)}\n`);
    const r = huashu('replay', join(dir, 'calls.jsonl'), '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /calls\.jsonl:1: call too-long: a turn of 18000\.0 s: longer than a whole call can be/,
    );
    expect(lines(r.stdout).map((l) => (JSON.parse(l) as Replayed).id)).toEqual(['ok-1']);
  });

  it('--brand: the brand of calls that name none, as in huashu qa; an unknown one stops before any call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huashu-replay-'));
    const file = join(dir, 'no-brand.txt');
    writeFileSync(
      file,
      '[00:01] 坐席：您好！中华保险1024号为您服务。\n[00:04] 客户：我不清楚保单。\n[00:08] 坐席：感谢来电，再见！\n',
    );
    const replay = huashu('replay', file, '--brand', 'zhonghua', '--json');
    const qa = huashu('qa', file, '--brand', 'zhonghua', '--json');
    expect(replay.code).toBe(0);
    const r = JSON.parse(replay.stdout) as Replayed & { inspection: { brand: string } };
    expect(r.inspection).toEqual(JSON.parse(qa.stdout));
    expect(r.inspection.brand).toBe('zhonghua');
    const bad = huashu('replay', file, '--brand', 'acme');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("no brand 'acme'");
  });

  it('readable output is a timeline per call, then its score', () => {
    const r = huashu('replay', 'examples/zh-hold-no-consent.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^zh-hold-no-consent {2}zhonghua/);
    expect(r.stdout).toMatch(/00:00\.0 {2}计时 {2}ring started/);
    expect(r.stdout).toMatch(/计时 {2}hold started/);
    expect(r.stdout).toMatch(/提示 {2}hold\.ask: 对不起,请您稍等一下。/);
    expect(r.stdout).toMatch(/质检 得分 97 {2}不合格: hold\.consent/);
  });
});
