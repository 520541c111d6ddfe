// One process at a time keeps a database's live journal (no Redis): a second `huashu serve` on
// the same database without Redis would number the same calls' rows alike (call id, n), so it
// is refused at start-up with what to do (README "Several processes"); a holder that stopped
// (killed, or not seen for a minute) is taken over. Real stores, real processes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openVerifiedStore, sqliteFileIn } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { LiveJournalHeldError } from '../../src/live/journal.ts';
import { HOLDER_LAPSES_MS, processIdentity, SqlLiveJournal } from '../../src/live/repository.ts';
import { startServer } from '../../src/server.ts';
import { attemptStart, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { ENGINES } from '../support/store.ts';
import { closeRigs, type LogLine, restartRig } from './restart-rig.ts';

afterEach(closeRigs);

describe.each(ENGINES)('the live journal’s one holder on %s', (engine) => {
  it('a second application on the database is refused at start, saying who holds it and what to do; free again once the first stops', async () => {
    const { open, store } = await restartRig(engine);
    const first = await open('a');
    const refused = open('b');
    await expect(refused).rejects.toBeInstanceOf(LiveJournalHeldError);
    await expect(refused).rejects.toThrow(
      new RegExp(`pid ${process.pid} on ${hostname()}.*REDIS_URL.*README "Several processes"`),
    );
    // The first is unharmed: still the holder, its calls journaled.
    const [holder] = await store.db.selectFrom('live_journal_holder').selectAll().execute();
    expect(holder?.pid).toBe(process.pid);
    await first.close();
    expect(await store.db.selectFrom('live_journal_holder').selectAll().execute()).toEqual([]);
    const third = await open('c');
    expect(third.live.heldCalls).toBe(0);
  }, 60_000);

  it('a holder that has stopped is taken over: its process known gone on this machine, or not seen for a minute', async () => {
    const { store, clock } = await restartRig(engine);
    const slept: number[] = [];
    // A start that waits on a holder waits on the test's clock.
    let beats = false;
    const sleep = async (ms: number) => {
      slept.push(ms);
      clock.advance(ms);
      // A holder that is running beats meanwhile.
      if (beats)
        await store.db
          .updateTable('live_journal_holder')
          .set({ seen_at: clock.now().toISOString() })
          .execute();
    };
    const journal = new SqlLiveJournal(store.db, clock, { sleep });
    const here = processIdentity(process.pid) as string;
    expect(here).toMatch(/^[0-9a-f-]{36}\/pid:\[\d+\]\/\d+$/);
    const place = here.slice(0, here.lastIndexOf('/'));
    const holder = async (host: string, pid: number, agoMs: number, identity: string | null) => {
      await store.db.deleteFrom('live_journal_holder').execute();
      await store.db
        .insertInto('live_journal_holder')
        .values({
          id: 1,
          holder: `${host}:${pid}:old`,
          host,
          pid,
          identity,
          seen_at: new Date(clock.now().getTime() - agoMs).toISOString(),
        })
        .execute();
    };
    const claimed = async () => {
      const warned: string[] = [];
      slept.length = 0;
      const claim = await journal.claim({ warn: (_obj, msg) => warned.push(msg) });
      const [row] = await store.db.selectFrom('live_journal_holder').selectAll().execute();
      await claim.release();
      return { row, warned, slept: [...slept] };
    };
    // Killed a moment ago on this machine (kill -9): its pid is no process now. At once.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await holder(hostname(), dead, 1000, `${place}/12345`);
    const took = await claimed();
    expect(took.row?.pid).toBe(process.pid);
    expect(took.row?.identity).toBe(here);
    expect(took.warned).toEqual([expect.stringMatching(/took over/)]);
    expect(took.slept).toEqual([]);
    // Its pid is another process now (this one: a reboot, a pid reused): it started later. At once.
    await holder(hostname(), process.pid, 1000, `${place}/1`);
    expect((await claimed()).row?.holder).not.toBe(`${hostname()}:${process.pid}:old`);
    // Elsewhere and beating: refused, once its heartbeat is seen to move (within seconds).
    beats = true;
    await holder('elsewhere', 4242, 5000, null);
    await expect(journal.claim()).rejects.toThrow(/pid 4242 on elsewhere/);
    // Elsewhere, not beating: waited on (said), taken once not seen for a minute.
    beats = false;
    await holder('elsewhere', 4242, HOLDER_LAPSES_MS - 20_000, null);
    const waited = await claimed();
    expect(waited.row?.pid).toBe(process.pid);
    expect(waited.warned).toEqual([
      expect.stringMatching(/pid 4242 on elsewhere .* may have stopped: waiting up to 20 s/),
      expect.stringMatching(/took over/),
    ]);
    expect(waited.slept.reduce((a, b) => a + b, 0)).toBe(20_000);
    // Not seen for a minute: at once.
    await holder('elsewhere', 4242, HOLDER_LAPSES_MS + 1000, null);
    expect((await claimed()).slept).toEqual([]);
  }, 60_000);

  it('same host name and pid in another pid namespace (containers sharing a host name): not taken over while it beats', async () => {
    const { store, clock } = await restartRig(engine);
    const here = processIdentity(process.pid) as string;
    const boot = here.slice(0, here.indexOf('/'));
    // Another container: same kernel (boot id), its own pid namespace; its node has this pid too.
    await store.db
      .insertInto('live_journal_holder')
      .values({
        id: 1,
        holder: `${hostname()}:${process.pid}:other-container`,
        host: hostname(),
        pid: process.pid,
        identity: `${boot}/pid:[1]/77`,
        seen_at: clock.now().toISOString(),
      })
      .execute();
    const sleep = async (ms: number) => {
      clock.advance(ms);
      await store.db.updateTable('live_journal_holder').set({ seen_at: clock.now().toISOString() }).execute();
    };
    const journal = new SqlLiveJournal(store.db, clock, { sleep });
    await expect(journal.claim()).rejects.toBeInstanceOf(LiveJournalHeldError);
    const [row] = await store.db.selectFrom('live_journal_holder').selectAll().execute();
    expect(row?.holder).toBe(`${hostname()}:${process.pid}:other-container`);
  }, 60_000);

  it('a lapsed holder that beats between the read and the takeover keeps its claim', async () => {
    const { store, clock } = await restartRig(engine);
    await store.db
      .insertInto('live_journal_holder')
      .values({
        id: 1,
        holder: 'elsewhere:4242:paused',
        host: 'elsewhere',
        pid: 4242,
        identity: null,
        seen_at: new Date(clock.now().getTime() - HOLDER_LAPSES_MS - 1000).toISOString(),
      })
      .execute();
    // It resumes (a paused VM, a long GC) and beats right after this start read it.
    const beat = () =>
      store.db.updateTable('live_journal_holder').set({ seen_at: clock.now().toISOString() }).execute();
    const journal = new SqlLiveJournal(store.db, clock, {
      beforeTakeover: async () => void (await beat()),
      sleep: async (ms) => {
        clock.advance(ms);
        await beat();
      },
    });
    await expect(journal.claim()).rejects.toBeInstanceOf(LiveJournalHeldError);
    const [row] = await store.db.selectFrom('live_journal_holder').selectAll().execute();
    expect(row?.holder).toBe('elsewhere:4242:paused');
  }, 60_000);
});

describe.each(ENGINES)('a process whose claim another took over, on %s', (engine) => {
  it('stops journaling: its calls go on unjournaled, it writes and deletes no row, and says so as an error', async () => {
    const { store, clock, open, rows } = await restartRig(engine);
    const log: LogLine[] = [];
    const app = await open('a', {
      liveJournal: new SqlLiveJournal(store.db, clock, { heartbeatMs: 20 }),
      log,
    });
    const bridge = { userId: 'bridge', ip: null, role: 'admin', agentNumber: null } as const;
    const integration = { kind: 'integration' } as const;
    const got: number[] = [];
    const sub = await app.live.subscribe({ kind: 'brand', brand: null }, {}, (p) => {
      if (p.kind === 'event') got.push(p.message.seq);
    });
    sub.start();
    await app.cti.handle(
      { callId: 'c1', type: 'ring', brand: 'zhonghua', agent: { id: '1024' } },
      bridge,
      integration,
    );
    const turn = (text: string) =>
      app.live.submit({ callId: 'c1', kind: 'turn', speaker: 'agent', text }, integration);
    await turn('您好,中华保险1024号为您服务');
    expect(await rows()).toBe(2);
    // This process was not seen for a minute (paused); another started and took the journal.
    await store.db
      .updateTable('live_journal_holder')
      .set({ holder: 'elsewhere:7:new', host: 'elsewhere' })
      .execute();
    const end = Date.now() + 10_000;
    while (!log.some((l) => l.level === 'error')) {
      if (Date.now() > end) throw new Error('the lost claim was never noticed');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(log.find((l) => l.level === 'error')?.msg).toMatch(
      /took over the live journal.*no longer journaled/,
    );
    const before = got.length;
    await turn('请问有什么可以帮您');
    await app.cti.handle({ callId: 'c1', type: 'hangup', by: 'customer' }, bridge, integration);
    // The consoles still get the call's events; the journal (the other process's now) is untouched.
    expect(got.length).toBeGreaterThan(before);
    expect(await rows()).toBe(2);
    sub.close();
  }, 60_000);
});

describe('two `huashu serve` processes on one SQLite database without Redis', () => {
  let server: ServerProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'huashu-holder-'));
  afterEach(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the second stops at start with one line saying why and what to do; the first goes on', {
    timeout: 120_000,
  }, async () => {
    const env = { HUASHU_DATA_DIR: dir, HUASHU_ADMIN_PASSWORD: 'holder-password' };
    server = await startServerProcess(env);
    const second = await attemptStart(env);
    expect(second.healthy).toBe(false);
    expect(second.code).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines, second.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/another huashu serve \(pid \d+ on .*\) keeps the live calls of this database/);
    expect(lines[0]).toContain('REDIS_URL');
    expect((await fetch(`${server.base}/api/health`)).status).toBe(200);
  });
});

describe('a process refused the live journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huashu-refused-'));
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has changed nothing: no seeding, no outbox relay (the claim comes right after migrating)', {
    timeout: 60_000,
  }, async () => {
    // The database of a running process: migrated, the journal held by a live process of this
    // machine that beats, one of its events not yet delivered.
    const store = await openVerifiedStore({ sqliteFile: sqliteFileIn(dir) });
    await migrateToLatest(store.db);
    child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = child.pid as number;
    await store.db
      .insertInto('live_journal_holder')
      .values({
        id: 1,
        holder: `${hostname()}:${pid}:running`,
        host: hostname(),
        pid,
        identity: processIdentity(pid),
        seen_at: new Date().toISOString(),
      })
      .execute();
    await store.db
      .insertInto('event_outbox')
      .values({
        id: 'evt-of-the-running-process',
        type: 'ticket.opened',
        aggregate_type: 'ticket',
        aggregate_id: 't-1',
        occurred_at: new Date().toISOString(),
        payload: JSON.stringify({ ticketId: 't-1' }),
        delivered_at: null,
      })
      .execute();
    await expect(
      startServer({ HUASHU_DATA_DIR: dir, PORT: '0', HUASHU_ADMIN_PASSWORD: 'refused-password-1' }),
    ).rejects.toThrow(new RegExp(`another huashu serve \\(pid ${pid} on `));
    const [event] = await store.db.selectFrom('event_outbox').select('delivered_at').execute();
    expect(event?.delivered_at).toBeNull();
    expect(await store.db.selectFrom('playbook_versions').select('brand').execute()).toEqual([]);
    expect(await store.db.selectFrom('users').select('id').execute()).toEqual([]);
    const [row] = await store.db.selectFrom('live_journal_holder').selectAll().execute();
    expect(row?.pid).toBe(pid);
    await store.close();
  });
});
