// A failed transfer across a restart (one process without Redis, SQLite and PostgreSQL): the
// button's transfer-failed is a CTI event in the CTI's live row and in live assist's journal, so
// the next process rebuilds the call (the counts of each event type agree) with the failure, and
// the hang-up there stores and inspects a call the agent still owed the closing of.
import { afterEach, describe, expect, it } from 'vitest';
import type { Application } from '../../src/app/application.ts';
import type { CtiEvent } from '../../src/cti/service.ts';
import type { LiveMessage } from '../../src/live/hub.ts';
import { ENGINES } from '../support/store.ts';
import { closeRigs, type LogLine, restartRig } from './restart-rig.ts';

const integration = { kind: 'integration' } as const;
const bridge = { userId: 'bridge', ip: null, role: 'admin', agentNumber: null } as const;

afterEach(closeRigs);

describe.each(ENGINES)('a failed transfer across a restart on %s', (engine) => {
  it('the call is rebuilt with the failure; its hang-up owes the closing, stored with the event', async () => {
    const { clock, open } = await restartRig(engine);
    const callId = 'restart-tf';
    const cti = (app: Application, type: CtiEvent['type'], extra: Partial<CtiEvent> = {}) =>
      app.cti.handle({ callId, type, ...extra }, bridge, integration);
    const say = (app: Application, speaker: 'agent' | 'customer', text: string) => {
      clock.advance(2000);
      return app.live.submit({ callId, kind: 'turn', speaker, text }, integration);
    };

    const first = await open('a');
    await cti(first, 'ring', { brand: 'chaoyue', agent: { id: '1024' } });
    clock.advance(3000);
    await cti(first, 'answer');
    await say(first, 'agent', '您好,超越平台,工号1024,很高兴为您服务!');
    await say(first, 'customer', '我上个月提交的软件著作权登记,现在到哪一步了?');
    await say(first, 'agent', '好的,您咨询的是登记进度的问题,您的电话需转接技术部,请您稍等,我帮您转接。');
    clock.advance(1000);
    await cti(first, 'transfer', { to: '技术部' });
    clock.advance(10_000);
    await first.live.submit({ callId, kind: 'button', button: 'transfer-failed' }, integration);
    const [row] = await first.cti.liveCalls();
    expect(row?.callId).toBe(callId);
    await first.close();

    clock.advance(5000);
    const log: LogLine[] = [];
    const second = await open('b', { log });
    // Rebuilt (not taken for a journal short of the CTI's transfer-failed): nothing said of it.
    expect(second.live.heldCalls).toBe(1);
    expect(log.filter((l) => l.obj.callId === callId)).toEqual([]);
    const got: LiveMessage[] = [];
    const sub = await second.live.subscribe({ kind: 'brand', brand: null }, {}, (p) => {
      if (p.kind === 'event') got.push(p.message);
    });
    sub.start();
    // The failure's lines were given before the restart, once (the replay numbers them as before).
    const [snap] = sub.snapshot;
    expect(
      snap?.events.flatMap((e) =>
        e.event.kind === 'guidance' && String(e.event.scenario).startsWith('transfer.')
          ? [e.event.scenario]
          : [],
      ),
    ).toEqual(['transfer.announce', 'transfer.failed', 'transfer.failed']);
    await say(second, 'agent', '那边占线,您稍后再打吧。');
    await say(second, 'customer', '哦。');
    clock.advance(2000);
    const outcome = await cti(second, 'hangup', { by: 'customer' });
    const end = Date.now() + 10_000;
    while (!got.some((m) => m.event.kind === 'inspection') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 10));
    const inspected = got.find((m) => m.event.kind === 'inspection')?.event as unknown as {
      inspection: { rules: { id: string; outcome: string }[] };
    };
    const rule = (id: string) => inspected.inspection.rules.find((r) => r.id === id)?.outcome;
    expect([
      rule('closing.more-questions'),
      rule('closing.farewell'),
      rule('closing.customer-first'),
    ]).toEqual(['fail', 'fail', 'pass']);
    expect(outcome.hangup?.call.qa?.failedRules).toEqual(
      expect.arrayContaining(['closing.more-questions', 'closing.farewell']),
    );
    const stored = await second.calls.get(callId, { kind: 'all' });
    expect(stored.events.map((e) => e.type)).toEqual([
      'ring',
      'answer',
      'transfer',
      'transfer-failed',
      'hangup',
    ]);
    sub.close();
  }, 60_000);
});
