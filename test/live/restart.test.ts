// One process without Redis keeps its live calls across a restart (a deploy, a crash): the CTI's
// state of each call and live assist's journal of its inputs are in the database; the new
// process replays each call's inputs through a fresh flow. Real stores (a SQLite file, a
// PostgreSQL schema), the real engine, two applications one after the other on the same store.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Application } from '../../src/app/application.ts';
import type { CtiEvent } from '../../src/cti/service.ts';
import { normalizePhone, type Phone } from '../../src/customers/phone.ts';
import type { LiveMessage } from '../../src/live/hub.ts';
import type { JournalEntry } from '../../src/live/journal.ts';
import { SqlLiveJournal } from '../../src/live/repository.ts';
import type { LiveScope } from '../../src/live/scope.ts';
import type { Pushed } from '../../src/live/service.ts';
import { TURNS, V2 } from '../scorecards/versions.ts';
import { START } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { closeRigs, type LogLine, restartRig, stallingJournal } from './restart-rig.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const everyone: LiveScope = { kind: 'brand', brand: null };
const integration = { kind: 'integration' } as const;
const bridge = { userId: 'bridge', ip: null, role: 'admin', agentNumber: null } as const;

afterEach(closeRigs);

/** What a console got: the events, in the order pushed. */
async function watch(app: Application, resume: Record<string, number> = {}) {
  const got: LiveMessage[] = [];
  const sub = await app.live.subscribe(everyone, resume, (p: Pushed) => {
    if (p.kind === 'event') got.push(p.message);
  });
  sub.start();
  return { sub, got, snapshot: sub.snapshot };
}

async function until(what: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const strip = (messages: LiveMessage[]) => messages.map((m) => ({ ...m }));

function phone(s: string): Phone {
  const r = normalizePhone(s);
  if (!r.ok) throw new Error(r.message);
  return r.phone;
}

describe.each(ENGINES)('live calls across a restart on %s', (engine) => {
  it('rebuilds the call: same state, the missed events once, timers due meanwhile, the inspection of huashu qa', async () => {
    const { store, clock, open, rows } = await restartRig(engine);
    const callId = 'restart-1';
    const cti = (app: Application, type: CtiEvent['type'], extra: Partial<CtiEvent> = {}) =>
      app.cti.handle({ callId, type, ...extra }, bridge, integration);
    const say = (app: Application, speaker: 'agent' | 'customer', text: string) =>
      app.live.submit({ callId, kind: 'turn', speaker, text }, integration);

    const first = await open('a');
    const full = await watch(first); // stays to the end: everything the first process published
    await cti(first, 'ring', {
      brand: 'zhonghua',
      caller: { phone: phone('13800138000'), asGiven: '13800138000' },
      agent: { id: '1024' },
    });
    clock.advance(4000);
    await cti(first, 'answer');
    clock.advance(800);
    await say(first, 'agent', '您好,中华保险1024号为您服务');
    // No word from the caller for the brand's pause (2 s): the silent-line timer fires on its
    // own, between two inputs (the replay must put its events there too, not after the next).
    clock.advance(2500);
    await until(() =>
      full.got.some(
        (m) => m.event.kind === 'timer' && m.event.timer === 'silent-line' && m.event.state === 'expired',
      ),
    );
    await say(first, 'customer', '我要投诉你们的服务');
    // The agent's console drops here: it has seen up to this seq.
    const seen = full.got.at(-1)?.seq ?? 0;
    clock.advance(1200);
    await say(first, 'agent', '这个我也不知道');
    clock.advance(900);
    await cti(first, 'hold');
    const holdAt = clock.now().getTime() - START.getTime();
    const before = strip(full.got);
    expect(before.map((m) => m.seq)).toEqual(before.map((_, i) => i + 1));
    expect(before.some((m) => m.event.kind === 'alert')).toBe(true);
    full.sub.close();
    await first.close();

    // Down for 70 s: past the hold's warning (45 s) and its limit (60 s).
    clock.advance(70_000);
    const second = await open('b');
    // The call is live, with the same state: on hold, the CTI's events, the agent's 工号.
    const [live] = await second.cti.liveCalls();
    expect(live).toMatchObject({ callId, status: 'on-hold', agent: { id: '1024' } });
    expect(second.live.heldCalls).toBe(1);
    // The agent's state (this process's memory, empty at its start) is the call's again, at its
    // real times: in the call since its answer, on hold — not "talking since the restart".
    const agentNow = async () => (await second.agents.list()).find((a) => a.agentNumber === '1024');
    for (let i = 0; i < 200 && (await agentNow())?.call?.status !== 'on-hold'; i++)
      await new Promise((r) => setTimeout(r, 10));
    const agent = await agentNow();
    expect(agent?.call).toMatchObject({ callId, status: 'on-hold' });
    expect(agent?.since).toBe(START.getTime() + 4000);
    // The console resubscribes with the last seq it had: exactly what it missed, then the
    // hold's timers that fell due while no process ran, in time order, numbered on.
    const again = await watch(second, { [callId]: seen });
    const [snap] = again.snapshot;
    expect(snap?.callId).toBe(callId);
    // The timers may fire while the snapshot is read: then it has them, and they are not pushed.
    const missed = () => [
      ...(snap?.events ?? []).map((e) => ({ seq: e.seq, event: e.event })),
      ...again.got.map((m) => ({ seq: m.seq, event: m.event })),
    ];
    await until(() => missed().some((m) => m.event.kind === 'timer' && m.event.state === 'expired'));
    expect(missed().slice(0, before.length - seen)).toEqual(
      before.filter((m) => m.seq > seen).map((m) => ({ seq: m.seq, event: m.event })),
    );
    // The replay numbered every earlier event as the first process did, each the same.
    const [whole] = (await second.live.subscribe(everyone, {}, () => undefined)).snapshot;
    expect(whole?.events.slice(0, before.length)).toEqual(
      before.map((m) =>
        m.receivedAt !== undefined
          ? { seq: m.seq, event: m.event, receivedAt: m.receivedAt }
          : { seq: m.seq, event: m.event },
      ),
    );
    expect(missed().slice(before.length - seen)).toEqual([
      {
        seq: before.length + 1,
        event: { at: holdAt + 45_000, kind: 'timer', timer: 'hold', state: 'warning' },
      },
      {
        seq: before.length + 2,
        event: { at: holdAt + 60_000, kind: 'timer', timer: 'hold', state: 'expired' },
      },
      {
        seq: before.length + 3,
        event: expect.objectContaining({
          at: holdAt + 60_000,
          kind: 'guidance',
          scenario: 'hold.over-limit',
        }),
      },
    ]);

    // The call goes on in the new process, to its hang-up and inspection.
    await cti(second, 'unhold');
    clock.advance(1000);
    await say(second, 'agent', '感谢您的耐心等待');
    clock.advance(1000);
    await cti(second, 'hangup', { by: 'customer' });
    await until(() => again.got.some((m) => m.event.kind === 'inspection'));
    const seqs = missed().map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seen + 1 + i));
    const inspection = again.got.find((m) => m.event.kind === 'inspection')?.event;
    if (inspection?.kind !== 'inspection') throw new Error('no inspection');

    // The stored call (the typed turns reach it after the hang-up) is judged the same, and so
    // is it by `huashu qa --json`.
    let stored = await second.calls.get(callId, { kind: 'all' });
    for (let i = 0; i < 100 && stored.turns.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stored = await second.calls.get(callId, { kind: 'all' });
    }
    expect(stored.turns.map((t) => t.text)).toEqual([
      '您好,中华保险1024号为您服务',
      '我要投诉你们的服务',
      '这个我也不知道',
      '感谢您的耐心等待',
    ]);
    expect(stored.qa?.result).toEqual(inspection.inspection);
    const file = join(store.dataDir ?? tmpdir(), `${callId}-${engine}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        id: callId,
        brand: 'zhonghua',
        agent: { id: '1024' },
        customer: { phone: '13800138000' },
        startedAt: START.toISOString(),
        events: stored.events,
        turns: stored.turns,
      }),
    );
    const qa = spawnSync(process.execPath, [join(ROOT, 'bin/huashu.js'), 'qa', file, '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(qa.status, qa.stderr).toBe(0);
    expect(JSON.parse(qa.stdout)).toEqual(inspection.inspection);
    again.sub.close();

    // Stopped again during the wrap-up: the next start finishes it (its time is over) and lets
    // the call go, its journal with it.
    clock.advance(31_000);
    await second.close();
    const third = await open('c');
    await until(() => third.live.heldCalls === 0);
    for (let i = 0; i < 100 && (await rows()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await rows()).toBe(0);
    expect(await third.cti.liveCalls()).toEqual([]);
  }, 60_000);
});

describe('a call replayed after a restart keeps the scorecard version of its ring', () => {
  it('rang under version 1, restarted with version 2 in force: version 1’s alerts and inspection', async () => {
    const { clock, open } = await restartRig('sqlite', { scorecards: true });
    const callId = 'old';
    const admin = { userId: null, ip: null };
    const turn = (app: Application, i: number) =>
      app.live.submit({ callId, kind: 'turn', ...(TURNS[i] as (typeof TURNS)[number]) }, integration);

    const first = await open('a');
    await first.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024', name: '李娜' } },
      bridge,
      integration,
    );
    clock.set(new Date(START.getTime() + 5000));
    await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
    await turn(first, 0);
    // Version 2 (您好 forbidden in the greeting) is published while the call is on.
    const draft = await first.scorecards.saveDraft('default', V2, admin);
    await first.scorecards.publish('default', draft.version, admin);
    await first.close();

    const second = await open('b');
    expect(second.scorecards.versionInForce).toBe(draft.version);
    const heard = await watch(second);
    for (let i = 1; i < TURNS.length; i++) await turn(second, i);
    clock.set(new Date(START.getTime() + 27_000));
    await second.cti.handle({ callId, type: 'hangup', by: 'customer' }, bridge, integration);
    const events = [
      ...(heard.snapshot[0]?.events ?? []).map((e) => e.event),
      ...heard.got.map((m) => m.event),
    ];
    expect(events.flatMap((e) => (e.kind === 'alert' ? [e.rule] : []))).not.toContain('opening.no-wei');
    const inspection = events.find((e) => e.kind === 'inspection');
    if (inspection?.kind !== 'inspection') throw new Error('no inspection');
    expect(inspection.scorecardVersion).toBe(1);
    let stored = await second.calls.get(callId, { kind: 'all' });
    for (let i = 0; i < 100 && stored.turns.length < TURNS.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      stored = await second.calls.get(callId, { kind: 'all' });
    }
    expect(stored.qa?.scorecardVersion).toBe(1);
    expect(stored.qa?.result).toEqual(inspection.inspection);
  }, 60_000);
});

describe('the process dies before an input’s journal row is in', () => {
  it('no console saw that input’s events: after the restart the console misses none and gets none twice', async () => {
    const { store, clock, open } = await restartRig();
    // The next row armed stalls (the insert not committed), as it does in a process about to die.
    const stall = stallingJournal(store.db, { write: false });
    const callId = 'window-1';
    const say = (app: Application, speaker: 'agent' | 'customer', text: string) =>
      app.live.submit({ callId, kind: 'turn', speaker, text }, integration);
    const saidBy = (got: LiveMessage[], text: string) =>
      got.filter((m) => m.event.kind === 'turn' && m.event.text === text);

    const first = await open('a', { liveJournal: stall.journal });
    const console1 = await watch(first);
    await first.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(3000);
    await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
    clock.advance(500);
    await say(first, 'agent', '您好,中华保险1024号为您服务');
    clock.advance(500);
    stall.state.armed = true;
    const lost = say(first, 'customer', '我要投诉你们的服务');
    await until(() => stall.state.release !== null);
    await new Promise((r) => setTimeout(r, 100));
    // The flow took the turn, but its row is not in. The console resumes from the last it saw.
    const seen = console1.got.at(-1)?.seq ?? 0;

    // The process dies: the console's socket goes, the row is never written.
    console1.sub.close();
    stall.state.release?.();
    await lost;
    await first.close();

    const second = await open('b');
    const console2 = await watch(second, { [callId]: seen });
    expect(console2.snapshot.map((c) => [c.callId, c.lastSeq, c.events.length])).toEqual([[callId, seen, 0]]);
    clock.advance(500);
    await say(second, 'customer', '你们的服务太差了');
    await until(() =>
      console2.got.some((m) => m.event.kind === 'turn' && m.event.text === '你们的服务太差了'),
    );
    // What the console shows is what it applied (web/src/console/state.ts: a seq at or below
    // the last it has is ignored): exactly the call's events as the server now has them.
    const applied: Array<{ seq: number; event: LiveMessage['event'] }> = [];
    for (const m of [...console1.got, ...console2.got])
      if (m.seq > (applied.at(-1)?.seq ?? 0)) applied.push({ seq: m.seq, event: m.event });
    const [whole] = (await second.live.subscribe(everyone, {}, () => undefined)).snapshot;
    expect(applied).toEqual(whole?.events.map((e) => ({ seq: e.seq, event: e.event })));
    expect(saidBy(console1.got, '我要投诉你们的服务')).toEqual([]);
  }, 60_000);

  it('the hang-up committed by the CTI but not its journal row: the next process ends the call instead of keeping it live', async () => {
    const { store, clock, open, rows } = await restartRig();
    let dropNext = false;
    class DyingJournal extends SqlLiveJournal {
      override async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
        if (!dropNext) return super.append(callId, n, entry);
        // The process dies here: the CTI's hang-up is committed, this row never is.
        dropNext = false;
      }
    }
    const callId = 'lost-hangup';

    const first = await open('a', { liveJournal: new DyingJournal(store.db) });
    await first.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(3000);
    await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
    clock.advance(500);
    await first.live.submit(
      { callId, kind: 'turn', speaker: 'agent', text: '您好,中华保险1024号为您服务' },
      integration,
    );
    clock.advance(500);
    dropNext = true;
    await first.cti.handle({ callId, type: 'hangup' }, bridge, integration);
    // A hard stop before the wrap-up ends: the journal holds ring, answer and the turn alone.
    clock.advance(1000);
    await first.close();
    expect(await rows()).toBe(3);
    expect(await first.cti.liveCalls()).toEqual([]);

    const second = await open('b');
    const console2 = await watch(second);
    // Not live: ended at once (consoles see it end), no flow held, its journal gone.
    expect(second.live.heldCalls).toBe(0);
    expect(console2.snapshot.filter((c) => c.callId === callId && c.status !== 'ended')).toEqual([]);
    for (let i = 0; i < 100 && (await rows()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await rows()).toBe(0);
  }, 60_000);

  it('a row that fails: the call’s rows go, so the next process says the call is gone rather than replay it short', async () => {
    const rig = await restartRig();
    const { store, clock, rows } = rig;
    let failNext = false;
    class FailingJournal extends SqlLiveJournal {
      override async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
        if (!failNext) return super.append(callId, n, entry);
        failNext = false;
        throw new Error('disk full');
      }
    }
    const open = (prefix: string) => rig.open(prefix, { liveJournal: new FailingJournal(store.db) });
    const callId = 'failed-row';
    const say = (app: Application, text: string) =>
      app.live.submit({ callId, kind: 'turn', speaker: 'agent', text }, integration);

    const first = await open('a');
    const console1 = await watch(first);
    await first.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(3000);
    await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
    expect(await rows()).toBe(2);
    failNext = true;
    await say(first, '您好,中华保险1024号为您服务');
    clock.advance(500);
    await say(first, '请问您贵姓');
    // The call goes on for the agent (its events are out), but nothing of it is kept.
    expect(console1.got.filter((m) => m.event.kind === 'turn')).toHaveLength(2);
    expect(await rows()).toBe(0);
    const seen = console1.got.at(-1)?.seq ?? 0;
    console1.sub.close();
    await first.close();

    const second = await open('b');
    expect(second.live.heldCalls).toBe(0);
    const console2 = await watch(second, { [callId]: seen });
    expect(console2.snapshot).toEqual([]);
    expect(console2.sub.gone).toEqual([callId]);
  }, 60_000);

  it('a row that fails while the database is away (its delete fails too): the next input deletes the rows', async () => {
    const { store, clock, open, rows } = await restartRig();
    let away = false;
    class AwayJournal extends SqlLiveJournal {
      override async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
        if (away) throw new Error('database unreachable');
        return super.append(callId, n, entry);
      }
      override async drop(callId: string): Promise<void> {
        if (away) throw new Error('database unreachable');
        return super.drop(callId);
      }
    }
    const app = await open('a', { liveJournal: new AwayJournal(store.db) });
    const callId = 'away';
    const say = (text: string) =>
      app.live.submit({ callId, kind: 'turn', speaker: 'agent', text }, integration);
    await app.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(3000);
    await app.cti.handle({ callId, type: 'answer' }, bridge, integration);
    away = true;
    await say('您好,中华保险1024号为您服务');
    // Neither the row nor the delete went in: the short journal is still there.
    expect(await rows()).toBe(2);
    away = false;
    clock.advance(500);
    await say('请问您贵姓');
    expect(await rows()).toBe(0);
  }, 60_000);
});

describe.each(ENGINES)('a journal with rows that cannot be read back, on %s', (engine) => {
  it('that call alone is set aside (kept, reported with what is wrong); the others replay and the start goes on', async () => {
    const { store, clock, open, rows } = await restartRig(engine);
    const first = await open('a');
    for (const callId of ['sound', 'bad-json', 'bad-kind', 'other-call']) {
      await first.cti.handle(
        { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
        bridge,
        integration,
      );
      clock.advance(1000);
      await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
      await first.live.submit(
        { callId, kind: 'turn', speaker: 'agent', text: '您好,中华保险1024号为您服务' },
        integration,
      );
    }
    const console1 = await watch(first);
    const seen = Object.fromEntries(console1.snapshot.map((c) => [c.callId, c.lastSeq]));
    console1.sub.close();
    await first.close();
    expect(await rows()).toBe(12);

    // Damaged while no process ran: a row that is not JSON, an input of no known kind, an
    // input of another call stored under this one, and a row of a call that has no ring row.
    const set = async (callId: string, n: number, data: (old: string) => string) => {
      const row = await store.db
        .selectFrom('live_inputs')
        .select('data')
        .where('call_id', '=', callId)
        .where('n', '=', n)
        .executeTakeFirstOrThrow();
      await store.db
        .updateTable('live_inputs')
        .set({ data: data(row.data) })
        .where('call_id', '=', callId)
        .where('n', '=', n)
        .execute();
    };
    await set('bad-json', 1, (old) => old.slice(0, 20));
    await set('bad-kind', 2, (old) => old.replace('"kind":"turn"', '"kind":"dance"'));
    await set('other-call', 1, (old) => old.replace('"callId":"other-call"', '"callId":"sound"'));
    await store.db
      .insertInto('live_inputs')
      .values({ call_id: 'no-ring', n: 3, data: '{"input":{"callId":"no-ring"}}' })
      .execute();
    const stored = await store.db
      .selectFrom('live_inputs')
      .selectAll()
      .orderBy('call_id')
      .orderBy('n')
      .execute();

    clock.advance(1000);
    const log: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const second = await open('b', { log });
    // The sound call is rebuilt; the others are not held, their inputs refused as for a call
    // whose journal was dropped, and a console resuming them is told they are gone.
    expect(second.live.heldCalls).toBe(1);
    const console2 = await watch(second, seen);
    expect(console2.snapshot.map((c) => c.callId)).toEqual(['sound']);
    expect([...console2.sub.gone].sort()).toEqual(['bad-json', 'bad-kind', 'other-call']);
    await expect(
      second.live.submit(
        { callId: 'bad-kind', kind: 'turn', speaker: 'agent', text: '请问您贵姓' },
        integration,
      ),
    ).rejects.toMatchObject({ code: 'unavailable' });
    await second.live.submit(
      { callId: 'sound', kind: 'turn', speaker: 'agent', text: '请问您贵姓' },
      integration,
    );
    await until(() => console2.got.some((m) => m.callId === 'sound' && m.event.kind === 'turn'));

    // Each is told once: the call, its entries that are wrong and why, where its rows went.
    const told = log.filter((l) => l.msg.includes('live_inputs_rejected'));
    expect(told.map((l) => l.obj.callId).sort()).toEqual(['bad-json', 'bad-kind', 'no-ring', 'other-call']);
    const problems = (callId: string) => told.find((l) => l.obj.callId === callId)?.obj.problems;
    expect(problems('bad-json')).toEqual([{ n: 1, problem: expect.stringContaining('not JSON') }]);
    expect(problems('bad-kind')).toEqual([{ n: 2, problem: expect.stringContaining('input.kind') }]);
    expect(problems('other-call')).toEqual([{ n: 1, problem: expect.stringContaining("call 'sound'") }]);
    expect(problems('no-ring')).toEqual([{ n: 3, problem: expect.any(String) }]);
    for (const l of told) expect(l.msg).toMatch(/not rebuilt/);

    // Nothing deleted: every row of those calls kept as it was stored, the wrong ones marked.
    const kept = await store.db
      .selectFrom('live_inputs_rejected')
      .select(['call_id', 'n', 'data', 'problem'])
      .orderBy('call_id')
      .orderBy('n')
      .execute();
    expect(kept.map(({ call_id, n, data }) => ({ call_id, n, data }))).toEqual(
      stored.filter((r) => r.call_id !== 'sound'),
    );
    expect(kept.filter((r) => r.problem !== null).map((r) => [r.call_id, r.n])).toEqual([
      ['bad-json', 1],
      ['bad-kind', 2],
      ['no-ring', 3],
      ['other-call', 1],
    ]);
    expect(
      (await store.db.selectFrom('live_inputs').select('call_id').distinct().execute()).map((r) => r.call_id),
    ).toEqual(['sound']);

    // The next start finds nothing wrong: the rows set aside are not read again.
    await second.close();
    const log3: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const third = await open('c', { log: log3 });
    expect(third.live.heldCalls).toBe(1);
    expect(log3.filter((l) => l.msg.includes('live_inputs_rejected'))).toEqual([]);
  }, 60_000);
});

describe('the CTI committed an answer or a ring whose journal row the process did not write', () => {
  it('the call is handled as one whose journal was dropped (not kept ringing), and said; words before the answer are no such gap', async () => {
    const { store, clock, open, rows } = await restartRig();
    // The rows armed are never written, as when the process dies between the CTI's commit and
    // the journal's row (nor is anything after them: the rows go in order).
    const lost = new Set<string>();
    class DyingJournal extends SqlLiveJournal {
      override async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
        if (lost.has(callId)) return;
        return super.append(callId, n, entry);
      }
    }
    const first = await open('a', { liveJournal: new DyingJournal(store.db) });
    const ring = (callId: string) =>
      first.cti.handle(
        { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
        bridge,
        integration,
      );
    await ring('lost-answer');
    await ring('typed-first');
    lost.add('lost-ring-row');
    await ring('lost-ring-row');
    clock.advance(3000);
    lost.add('lost-answer');
    await first.cti.handle({ callId: 'lost-answer', type: 'answer' }, bridge, integration);
    // The agent's words come before the telephone system's answer: the flow takes them as the
    // answer; the CTI still has the call ringing. Not a gap.
    await first.live.submit(
      { callId: 'typed-first', kind: 'turn', speaker: 'agent', text: '您好,中华保险1024号为您服务' },
      integration,
    );
    const console1 = await watch(first);
    const seen = Object.fromEntries(console1.snapshot.map((c) => [c.callId, c.lastSeq]));
    console1.sub.close();
    await first.close();
    expect(await rows()).toBe(3); // lost-answer's ring, typed-first's ring and turn

    const log: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const second = await open('b', { log });
    // Not kept ringing while the CTI has it answered (its hold would then be refused, its
    // inspection made on a call never answered): not held, its rows gone, consoles told.
    expect(second.live.heldCalls).toBe(1);
    const console2 = await watch(second, seen);
    expect(console2.snapshot.map((c) => c.callId)).toEqual(['typed-first']);
    expect([...console2.sub.gone].sort()).toEqual(['lost-answer', 'lost-ring-row']);
    await expect(
      second.live.submit(
        { callId: 'lost-answer', kind: 'turn', speaker: 'agent', text: '您好' },
        integration,
      ),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(
      (await store.db.selectFrom('live_inputs').select('call_id').distinct().execute()).map((r) => r.call_id),
    ).toEqual(['typed-first']);
    expect(log.find((l) => l.obj.callId === 'lost-answer')?.obj).toMatchObject({
      cti: 'talking',
      journal: 'ringing',
    });
    // The call whose ring row was never written has nothing to rebuild it from: said.
    expect(log.find((l) => l.obj.callId === 'lost-ring-row')?.msg).toMatch(/no journal/);
    // The CTI goes on with both: the hang-up is taken and stored as ever.
    await second.cti.handle({ callId: 'lost-answer', type: 'hangup', by: 'customer' }, bridge, integration);
    expect((await second.calls.get('lost-answer', { kind: 'all' })).events.map((e) => e.type)).toEqual([
      'ring',
      'answer',
      'hangup',
    ]);
  }, 60_000);
});

describe('the CTI committed a transfer, a hold and its unhold, or an answer after words, whose rows the process did not write', () => {
  it('noticed by the count of each CTI event type though the statuses agree: handled as a dropped journal, said with both counts', async () => {
    const { store, clock, open } = await restartRig();
    const lost = new Set<string>();
    class DyingJournal extends SqlLiveJournal {
      override async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
        if (lost.has(callId)) return;
        return super.append(callId, n, entry);
      }
    }
    const first = await open('a', { liveJournal: new DyingJournal(store.db) });
    const cti = (callId: string, type: CtiEvent['type'], extra: Partial<CtiEvent> = {}) =>
      first.cti.handle({ callId, type, ...extra }, bridge, integration);
    const calls = ['lost-transfer', 'lost-hold-pair', 'lost-late-answer', 'sound'];
    for (const callId of calls) await cti(callId, 'ring', { brand: 'zhonghua', agent: { id: '1024' } });
    clock.advance(2000);
    for (const callId of ['lost-transfer', 'lost-hold-pair', 'sound']) await cti(callId, 'answer');
    // Words on a ringing line: the flow takes them as the answer; the CTI's answer comes after.
    await first.live.submit(
      { callId: 'lost-late-answer', kind: 'turn', speaker: 'agent', text: '您好,中华保险1024号为您服务' },
      integration,
    );
    clock.advance(2000);
    await cti('sound', 'transfer', { to: '理赔部' });
    lost.add('lost-transfer');
    await cti('lost-transfer', 'transfer', { to: '理赔部' });
    lost.add('lost-hold-pair');
    await cti('lost-hold-pair', 'hold');
    clock.advance(1000);
    await cti('lost-hold-pair', 'unhold');
    lost.add('lost-late-answer');
    await cti('lost-late-answer', 'answer');
    const console1 = await watch(first);
    const seen = Object.fromEntries(console1.snapshot.map((c) => [c.callId, c.lastSeq]));
    console1.sub.close();
    await first.close();

    const log: LogLine[] = [];
    const second = await open('b', { log });
    // Each status agrees (talking on both sides): only the counts show what the journal lacks.
    expect(second.live.heldCalls).toBe(1);
    const console2 = await watch(second, seen);
    expect(console2.snapshot.map((c) => c.callId)).toEqual(['sound']);
    expect([...console2.sub.gone].sort()).toEqual(['lost-hold-pair', 'lost-late-answer', 'lost-transfer']);
    await expect(
      second.live.submit(
        { callId: 'lost-transfer', kind: 'turn', speaker: 'agent', text: '您好' },
        integration,
      ),
    ).rejects.toMatchObject({ code: 'unavailable' });
    expect(
      (await store.db.selectFrom('live_inputs').select('call_id').distinct().execute()).map((r) => r.call_id),
    ).toEqual(['sound']);
    const said = (callId: string) => log.find((l) => l.obj.callId === callId);
    expect(said('lost-transfer')?.obj).toMatchObject({
      cti: 'talking',
      journal: 'talking',
      events: { cti: { ring: 1, answer: 1, transfer: 1 }, journal: { ring: 1, answer: 1 } },
    });
    expect(said('lost-transfer')?.msg).toContain('transfer: CTI 1, journal 0');
    expect(said('lost-hold-pair')?.msg).toContain('hold: CTI 1, journal 0; unhold: CTI 1, journal 0');
    expect(said('lost-late-answer')?.msg).toContain('answer: CTI 1, journal 0');
    for (const callId of ['lost-transfer', 'lost-hold-pair', 'lost-late-answer'])
      expect(said(callId)?.msg).toMatch(
        /may have stopped before writing.*or live assist refused that CTI event/,
      );
    expect(said('sound')).toBeUndefined();
  }, 60_000);
});

describe('a journal holding a CTI event the CTI never committed', () => {
  it('cannot come from a stopped process: the call is not rebuilt, its rows are kept aside with the entry named', async () => {
    const { store, clock, open } = await restartRig();
    const first = await open('a');
    const callId = 'not-this-call';
    await first.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(2000);
    await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
    clock.advance(2000);
    await first.cti.handle({ callId, type: 'transfer', to: '理赔部' }, bridge, integration);
    const console1 = await watch(first);
    const seen = console1.snapshot[0]?.lastSeq ?? 0;
    console1.sub.close();
    await first.close();
    // The CTI's row no longer has the transfer (as the row of another call of that id would not).
    const row = await store.db
      .selectFrom('live_calls')
      .select('data')
      .where('call_id', '=', callId)
      .executeTakeFirstOrThrow();
    const data = JSON.parse(row.data) as { events: Array<{ type: string }> };
    data.events = data.events.filter((e) => e.type !== 'transfer');
    await store.db
      .updateTable('live_calls')
      .set({ data: JSON.stringify(data) })
      .where('call_id', '=', callId)
      .execute();

    const log: LogLine[] = [];
    const second = await open('b', { log });
    expect(second.live.heldCalls).toBe(0);
    const console2 = await watch(second, { [callId]: seen });
    expect(console2.sub.gone).toEqual([callId]);
    const said = log.find((l) => l.obj.callId === callId);
    expect(said?.msg).toMatch(
      /not rebuilt: its journal holds CTI events the CTI never committed \(transfer: CTI 0, journal 1\)/,
    );
    expect(said?.obj.problems).toEqual([{ n: 2, problem: expect.stringContaining('not of the CTI') }]);
    const kept = await store.db
      .selectFrom('live_inputs_rejected')
      .select(['n', 'problem'])
      .where('call_id', '=', callId)
      .orderBy('n')
      .execute();
    expect(kept.map((r) => [r.n, r.problem !== null])).toEqual([
      [0, false],
      [1, false],
      [2, true],
    ]);
    expect(await store.db.selectFrom('live_inputs').select('call_id').execute()).toEqual([]);
  }, 60_000);
});

describe('the CTI’s state and the journal’s differ because the flow refused a CTI event live', () => {
  it('the log does not say a row was lost: it says both possible causes', async () => {
    const { clock, open } = await restartRig();
    const first = await open('a');
    await first.cti.handle(
      { callId: 'refused-hold', type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(1000);
    await first.cti.handle({ callId: 'refused-hold', type: 'answer' }, bridge, integration);
    clock.advance(9000);
    await first.live.submit({ callId: 'refused-hold', kind: 'button', button: 'noisy-line' }, integration);
    // Timed before the button: the CTI takes it (after its answer), the flow refuses it (its
    // time cannot go back).
    await first.cti.handle(
      { callId: 'refused-hold', type: 'hold', at: new Date(clock.now().getTime() - 5000) },
      bridge,
      integration,
    );
    expect((await first.cti.liveCalls()).find((c) => c.callId === 'refused-hold')?.status).toBe('on-hold');
    await first.close();
    const log: LogLine[] = [];
    await open('b', { log });
    const said = log.find((l) => l.obj.callId === 'refused-hold');
    expect(said?.obj).toMatchObject({ cti: 'on-hold', journal: 'talking' });
    expect(said?.msg).toMatch(/may have stopped before writing.*or live assist refused that CTI event/);
    expect(said?.msg).not.toMatch(/lacks what the CTI committed/);
  }, 60_000);
});

describe('an input the flow refuses while the rows before it are being written', () => {
  it('its error reaches the consoles after the events of those inputs, not before', async () => {
    const { store, clock, open } = await restartRig();
    const stall = stallingJournal(store.db, { write: true });
    const app = await open('a', { liveJournal: stall.journal });
    const callId = 'ordered';
    const pushed: Pushed[] = [];
    const sub = await app.live.subscribe(everyone, {}, (p) => pushed.push(p));
    sub.start();
    await app.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(3000);
    await app.cti.handle({ callId, type: 'answer' }, bridge, integration);
    stall.state.armed = true;
    const said = app.live.submit(
      { callId, kind: 'turn', speaker: 'agent', text: '您好,中华保险1024号为您服务' },
      integration,
    );
    await until(() => stall.state.release !== null);
    // A turn with no words: refused by the flow at once.
    await app.live.submit({ callId, kind: 'turn', speaker: 'agent', text: '' }, integration);
    await new Promise((r) => setTimeout(r, 50));
    const early = pushed.filter((p) => p.kind === 'error');
    stall.state.release?.();
    await said;
    expect(early).toEqual([]);
    await until(() => pushed.some((p) => p.kind === 'error'));
    const order = pushed.map((p) =>
      p.kind === 'error' ? `error ${p.error.code}` : p.kind === 'event' ? p.message.event.kind : p.kind,
    );
    const turn = order.indexOf('turn');
    expect(turn).toBeGreaterThan(-1);
    expect(order.indexOf('error invalid-turn')).toBeGreaterThan(turn);
    // Everything of the turn came before it (its guidance, stages…): the error is last.
    expect(order.at(-1)).toBe('error invalid-turn');
    sub.close();
  }, 60_000);
});

describe.each(ENGINES)('the ASR’s call across a restart on %s', (engine) => {
  it('a call the ASR transcribes stays so across a restart: the console’s customer turn is refused', async () => {
    const { clock, open } = await restartRig(engine);
    const callId = 'restart-asr';
    const first = await open('a');
    await first.cti.handle(
      { callId, type: 'ring', brand: 'zhonghua', caller: null, agent: { id: '1024' } },
      bridge,
      integration,
    );
    clock.advance(3000);
    await first.cti.handle({ callId, type: 'answer' }, bridge, integration);
    await first.live.submit(
      { callId, kind: 'turn', speaker: 'customer', text: '我想查一下保单', start: 3200, end: 4000 },
      integration,
    );
    await first.close();
    clock.advance(2000);
    const second = await open('b');
    expect(second.live.heldCalls).toBe(1);
    const agent1024 = { kind: 'person', agentNumber: '1024', brand: 'zhonghua' } as const;
    await expect(
      second.live.submit({ callId, kind: 'turn', speaker: 'customer', text: '谢谢,太感谢了' }, agent1024),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await second.live.submit({ callId, kind: 'turn', speaker: 'agent', text: '好的,请稍等' }, agent1024);
  });
});
