// Processes one after the other on one real store, for the restart tests: `open` makes an
// application on the store (as `huashu serve` does, without Redis: its live calls journaled)
// and starts its live assist, which rebuilds the calls the journal holds. Every application
// and store is closed after each test (`closeRigs` in an afterEach).
import { type Application, createApplication } from '../../src/app/application.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { LiveCallStore } from '../../src/cti/live.ts';
import type { Dialect } from '../../src/db/database.ts';
import type { JournalEntry, LiveJournal } from '../../src/live/journal.ts';
import { SqlLiveJournal } from '../../src/live/repository.ts';
import { seedScorecards } from '../../src/scorecards/store.ts';
import { FixedClock } from '../../src/shared/clock.ts';
import { START, shippedCatalog } from '../support/app.ts';
import { freshStore, type TestStore } from '../support/store.ts';

/** What live assist logged (its warnings and errors), for the tests that check what it said. */
export interface LogLine {
  obj: Record<string, unknown>;
  msg: string;
  level?: 'warn' | 'error';
}

export interface OpenOptions {
  /** Another journal (a test's, over the real one) instead of the database's own; null: none (as with Redis). */
  liveJournal?: LiveJournal | null;
  /** The CTI's live calls elsewhere than the database (a test's store, Redis as with several processes). */
  liveCalls?: LiveCallStore;
  /** Where live assist's warnings and errors go. */
  log?: LogLine[];
}

export interface Rig {
  store: TestStore;
  clock: FixedClock;
  open(prefix: string, options?: OpenOptions): Promise<Application>;
  /** How many journal rows the store holds. */
  rows(): Promise<number>;
}

const apps: Application[] = [];
const stores: TestStore[] = [];

function idsFrom(prefix: string) {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(6, '0')}`;
}

/** A fresh store; `scorecards`: the stored scorecard versions seeded, and loaded at each open. */
export async function restartRig(
  engine: Dialect = 'sqlite',
  options: { scorecards?: boolean } = {},
): Promise<Rig> {
  const store = await freshStore(engine);
  stores.push(store);
  const clock = new FixedClock(START);
  const config = loadConfig({ HUASHU_DATA_DIR: store.dataDir ?? '/tmp' });
  if (options.scorecards) await seedScorecards(store.db, clock);
  return {
    store,
    clock,
    open: async (prefix, o = {}) => {
      const app = createApplication({
        config,
        store,
        clock,
        ids: idsFrom(prefix),
        catalog: shippedCatalog(),
        ...(o.liveJournal !== undefined ? { liveJournal: o.liveJournal } : {}),
        ...(o.liveCalls ? { liveCalls: o.liveCalls } : {}),
      });
      apps.push(app);
      if (options.scorecards) await app.scorecards.loadPublished();
      const log = o.log;
      const push = (level: LogLine['level']) => (obj: object, msg: string) =>
        log?.push({ obj: obj as LogLine['obj'], msg, level });
      await app.live.start(log ? { warn: push('warn'), error: push('error') } : undefined);
      return app;
    },
    rows: async () => (await store.db.selectFrom('live_inputs').select('call_id').execute()).length,
  };
}

/** Closes every application, then drops every store, of the test. */
export async function closeRigs(): Promise<void> {
  for (const a of apps.splice(0)) await a.close();
  for (const s of stores.splice(0)) await s.drop();
}

/**
 * A journal whose next row, once `armed`, waits (its insert not committed) until `release` is
 * called: then it is written, or with `write: false` never (the process died meanwhile).
 */
export function stallingJournal(
  db: ConstructorParameters<typeof SqlLiveJournal>[0],
  options: { write: boolean },
) {
  const state = { armed: false, release: null as (() => void) | null };
  class Stalling extends SqlLiveJournal {
    override async append(callId: string, n: number, entry: JournalEntry): Promise<void> {
      if (!state.armed) return super.append(callId, n, entry);
      state.armed = false;
      await new Promise<void>((resolve) => {
        state.release = resolve;
      });
      if (options.write) return super.append(callId, n, entry);
    }
  }
  return { journal: new Stalling(db), state };
}
