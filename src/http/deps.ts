// What buildApp needs, and the session cookie's name: kept apart from app.ts so services.ts
// and the routes can use them without importing app.ts back (app.ts imports them).
import type { ThrottleStore } from '../accounts/throttle.ts';
import type { Config } from '../config/config.ts';
import type { LiveCallStore } from '../cti/live.ts';
import type { Store } from '../db/database.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';

export const SESSION_COOKIE = 'huashu_session';

export interface AppDeps {
  config: Config;
  store: Store;
  catalog: Catalog;
  clock: Clock;
  ids: IdGenerator;
  /** Log to stdout (the server) or not at all (tests). */
  logger?: boolean;
  /** Log to this stream instead (tests that read the log); implies logging. */
  logStream?: NodeJS.WritableStream;
  metrics?: Metrics;
  /** Shared state of several processes (REDIS_URL); each defaults to this process's memory. */
  liveCalls?: LiveCallStore;
  throttleStore?: ThrottleStore;
  jobs?: JobRunner;
}
