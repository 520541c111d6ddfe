// The services of one app instance, built from the store, the clock and the id generator.
// Routes get them from here; nothing below the routes knows about HTTP.
import { AccountsService } from '../accounts/service.ts';
import { BlacklistService } from '../blacklist/service.ts';
import { CallsService } from '../calls/service.ts';
import { type LiveCallStore, MemoryLiveCallStore } from '../cti/live.ts';
import { CtiService } from '../cti/service.ts';
import { CustomersService } from '../customers/service.ts';
import type { Store } from '../db/database.ts';
import { ExportsService } from '../exports/service.ts';
import { defineAppJobs } from '../jobs/app-jobs.ts';
import { MemoryJobRunner } from '../jobs/memory-runner.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { PlaybookService } from '../playbook/store.ts';
import { Inspector } from '../qa/engine.ts';
import { loadScorecard } from '../qa/scorecard.ts';
import { TicketsService } from '../tickets/service.ts';
import type { AppDeps } from './deps.ts';

export interface Services {
  store: Store;
  metrics: Metrics;
  accounts: AccountsService;
  catalog: Catalog;
  playbooks: PlaybookService;
  tickets: TicketsService;
  customers: CustomersService;
  calls: CallsService;
  blacklist: BlacklistService;
  cti: CtiService;
  liveCalls: LiveCallStore;
  /** Background jobs (BullMQ with REDIS_URL, else in this process); started by the server. */
  jobs: JobRunner;
  /** Who gets full numbers in an export, and the audit entry of those exports. */
  exports: ExportsService;
  /** Cookies carry the Secure flag (HTTPS deployments). */
  secureCookies: boolean;
  /** The bearer token GET /metrics asks for (HUASHU_METRICS_TOKEN); without one it is off. */
  metricsToken: string | undefined;
}

export function createServices(deps: AppDeps, metrics: Metrics): Services {
  const { store, clock, ids, config, catalog } = deps;
  const accounts = new AccountsService(store.db, clock, ids, config.sessionHours, deps.throttleStore);
  const playbooks = new PlaybookService(store.db, catalog, clock, ids);
  const tickets = new TicketsService(store.db, clock, ids, catalog, metrics);
  const customers = new CustomersService(store.db, clock, ids);
  const inspector = new Inspector(loadScorecard(), catalog);
  const calls = new CallsService(store.db, clock, ids, catalog, inspector, customers, metrics);
  const blacklist = new BlacklistService(store.db, clock, ids, calls);
  const liveCalls = deps.liveCalls ?? new MemoryLiveCallStore(clock, { staleAfterMs: config.liveCallTtlMs });
  const cti = new CtiService(liveCalls, clock, catalog, calls, customers, blacklist, tickets);
  const jobs = deps.jobs ?? new MemoryJobRunner(clock);
  defineAppJobs(jobs, { tickets, live: liveCalls, calls }, config.checkIntervalMs);
  return {
    store,
    metrics,
    accounts,
    catalog,
    playbooks,
    tickets,
    customers,
    calls,
    blacklist,
    cti,
    liveCalls,
    jobs,
    exports: new ExportsService(store.db, clock, ids),
    secureCookies: config.secureCookies,
    metricsToken: config.metricsToken,
  };
}
