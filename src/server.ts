// The main job: start the Huashu server. Configuration from the environment; the embedded
// SQLite file under HUASHU_DATA_DIR unless DATABASE_URL names a PostgreSQL database.
import { createServer } from 'node:net';
import { type Application, createApplication } from './app/application.ts';
import type { RedisState } from './app/redis-state.ts';
import { loadConfig } from './config/config.ts';
import { openVerifiedStore, type Store, sqliteFileIn } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { maskRedisUrl, RedisStartError } from './events/redis.ts';
import { type App, buildApp } from './http/app.ts';
import { JOB_NAMES } from './jobs/app-jobs.ts';
import { type JournalClaim, LiveJournalHeldError } from './live/journal.ts';
import { SqlLiveJournal } from './live/repository.ts';
import { Metrics } from './observability/metrics.ts';
import { Catalog } from './playbook/catalog.ts';
import { seedPlaybooks } from './playbook/store.ts';
import { seedScorecards } from './scorecards/store.ts';
import { systemClock, timeOrderedIds } from './shared/clock.ts';

/** The server cannot start for a reason outside the code (a port in use); the message says what to do. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

function listenError(err: unknown, host: string, port: number): StartupError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code === 'EADDRINUSE')
    return new StartupError(
      `Huashu did not start: port ${port} on ${host} is already in use; stop the program that uses it or choose another port with the PORT variable (PORT=${port})`,
      { cause: err },
    );
  if (code === 'EACCES')
    return new StartupError(
      `Huashu did not start: not allowed to listen on port ${port} on ${host}; choose a port above 1023 with the PORT variable (PORT=${port})`,
      { cause: err },
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(
      `Huashu did not start: ${host} is not an address of this machine; correct the HOST variable (HOST=${host})`,
      { cause: err },
    );
  return undefined;
}

/** Binds the port for a moment: fails (StartupError) when it is taken. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return; // any free port
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(listenError(err, host, port) ?? err));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * A Redis that cannot be reached at start, or a second process without Redis on a database
 * whose live calls another keeps, is a StartupError (one line, no stack).
 */
function redisStartError(err: unknown): unknown {
  if (err instanceof RedisStartError) return new StartupError(err.message, { cause: err });
  if (err instanceof LiveJournalHeldError)
    return new StartupError(`Huashu did not start: ${err.message}`, { cause: err });
  return err;
}

export async function startServer(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  let app: App | undefined;
  let application: Application | undefined;
  // A database connection lost outside a request (PostgreSQL restarting): logged, never fatal.
  const onConnectionError = (err: Error) => {
    if (app) app.log.warn({ err }, 'database connection lost; requests get 503 until it is back');
    else process.stderr.write(`huashu: database connection lost: ${err.message.split('\n')[0]}\n`);
  };
  const store: Store = await openVerifiedStore(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, onConnectionError }
      : { sqliteFile: sqliteFileIn(config.dataDir), backgroundCheckpoints: true, onConnectionError },
  );
  let shared: RedisState | undefined;
  let claim: JournalClaim | undefined;
  try {
    // With REDIS_URL: live calls, the login throttle and jobs shared through Redis (loaded only then).
    if (config.redisUrl)
      shared = await (await import('./app/redis-state.ts')).connectRedisState(config, config.redisUrl);
    const applied = await migrateToLatest(store.db);
    // Without REDIS_URL one process keeps the live journal: claimed before anything else runs
    // (seeding, the outbox relay, the replay), so a process that is refused has changed nothing
    // (its relay would deliver the running process's events to its own bus). A holder that may
    // have stopped is waited on, up to a minute, said on stderr (the server's log is not made yet).
    const journal = config.redisUrl ? undefined : new SqlLiveJournal(store.db, systemClock);
    try {
      claim = await journal?.claim({ warn: (_obj, msg) => process.stderr.write(`huashu: ${msg}\n`) });
    } catch (err) {
      throw redisStartError(err);
    }
    const catalog = Catalog.load();
    await seedPlaybooks(store.db, catalog, systemClock);
    await seedScorecards(store.db, systemClock);
    application = createApplication({
      config,
      store,
      catalog,
      clock: systemClock,
      ids: timeOrderedIds,
      metrics: new Metrics({ defaultMetrics: true }),
      ...shared?.deps,
      ...(journal ? { liveJournal: journal, liveJournalClaim: claim } : {}),
    });
    const core = application;
    app = await buildApp({ application, logger: true });
    await core.playbooks.loadStored();
    // After the playbooks: a scorecard is compiled against the playbooks in force.
    await core.scorecards.loadPublished();
    // Events: the relay delivers what the outbox holds (also what a killed process left),
    // and with REDIS_URL every process hears the others' events.
    try {
      await core.events.start();
      // Live assist: with REDIS_URL its events and inputs travel between processes; without,
      // this process alone keeps the journal of its calls (claimed above) and replays it here.
      await core.live.start(app.log);
    } catch (err) {
      throw redisStartError(err);
    }
    // The port first: a start that cannot listen must not create the admin, or its one-time
    // password would be printed by a start that then fails, and never again.
    await assertPortFree(config.host, config.port);
    const admin = await core.accounts.ensureFirstAdmin(config.adminPassword);
    if (admin.generatedPassword) {
      // Printed once, on the first start only: the password is not stored anywhere readable.
      process.stdout.write(
        `\n  First start: created the admin account.\n  username: admin\n  password: ${admin.generatedPassword}\n  (shown only now; set HUASHU_ADMIN_PASSWORD before the first start to choose it)\n\n`,
      );
    }
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      throw listenError(err, config.host, config.port) ?? err;
    }
    const running = app;
    // The deadline check (breaches) and the stale-call sweep, every HUASHU_CHECK_SECONDS: a
    // timer here, or once across processes on BullMQ; and the batch jobs' worker.
    await core.jobs.start(app.log);
    // A store older than the dashboards (or than one kind of their facts): back-fill once, in
    // the background. Later starts find facts kept and skip it; the back-fill is idempotent, so
    // two processes starting together each queueing one costs time, not correctness.
    try {
      if (await core.dashboard.backfillNeeded()) {
        const job = await core.jobs.enqueue(JOB_NAMES.dashboardBackfill, {});
        app.log.info({ job: job.id }, 'dashboard facts missing for stored data: back-fill queued');
      }
    } catch (err) {
      app.log.error({ err }, 'checking whether the dashboards need a back-fill failed');
    }
    app.log.info(
      {
        database: store.dialect,
        location: store.location,
        migrations: applied,
        shared: config.redisUrl ? `redis ${maskRedisUrl(config.redisUrl)}` : 'none (one process)',
      },
      'Huashu is running',
    );
    const stop = async () => {
      // Each step on its own: a database that is down must not keep the port open.
      await running.close().catch((err) => running.log.error({ err }, 'closing the HTTP server failed'));
      await core.close().catch((err) => running.log.error({ err }, 'closing the application failed'));
      await shared?.close().catch(() => undefined);
      await store.close().catch((err) => running.log.error({ err }, 'closing the database failed'));
    };
    return { app: running, application: core, store, config, stop };
  } catch (caught) {
    const err = redisStartError(caught);
    await app?.close().catch(() => undefined);
    await application?.close().catch(() => undefined);
    await claim?.release().catch(() => undefined);
    await shared?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
