// One process at a time keeps a database's live journal (no Redis): a second `huashu serve` on
// the same database without Redis would number the same calls' rows alike (call id, n), so it
// is refused at start-up with what to do (README "Several processes"); a holder that stopped
// (killed, or not seen for a minute) is taken over. Real stores, real processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveJournalHeldError } from '../../src/live/journal.ts';
import { HOLDER_LAPSES_MS, SqlLiveJournal } from '../../src/live/repository.ts';
import { attemptStart, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { ENGINES } from '../support/store.ts';
import { closeRigs, restartRig } from './restart-rig.ts';

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

  it('a holder that has stopped is taken over: its process gone on this machine, or not seen for a minute elsewhere', async () => {
    const { store, clock } = await restartRig(engine);
    const journal = new SqlLiveJournal(store.db, clock);
    const holder = async (host: string, pid: number, agoMs: number) => {
      await store.db.deleteFrom('live_journal_holder').execute();
      await store.db
        .insertInto('live_journal_holder')
        .values({
          id: 1,
          holder: `${host}:${pid}:old`,
          host,
          pid,
          seen_at: new Date(clock.now().getTime() - agoMs).toISOString(),
        })
        .execute();
    };
    const claimed = async () => {
      const warned: string[] = [];
      const claim = await journal.claim({ warn: (_obj, msg) => warned.push(msg) });
      const [row] = await store.db.selectFrom('live_journal_holder').selectAll().execute();
      await claim.release();
      return { row, warned };
    };
    // Killed a moment ago on this machine (kill -9): its pid is no process now.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await holder(hostname(), dead, 1000);
    const took = await claimed();
    expect(took.row?.pid).toBe(process.pid);
    expect(took.warned).toEqual([expect.stringMatching(/took over/)]);
    // A process of this pid before (a container restarted: pid 1 again), not this one's claim.
    await holder(hostname(), process.pid, 1000);
    expect((await claimed()).row?.holder).not.toBe(`${hostname()}:${process.pid}:old`);
    // On another machine: alive while seen within the minute, taken over after.
    await holder('elsewhere', 4242, HOLDER_LAPSES_MS - 10_000);
    await expect(journal.claim()).rejects.toThrow(/pid 4242 on elsewhere/);
    await holder('elsewhere', 4242, HOLDER_LAPSES_MS + 1000);
    expect((await claimed()).row?.pid).toBe(process.pid);
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
