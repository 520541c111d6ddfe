// Every route module of the API, registered in one place. Each gets the services it uses, not
// the whole application: what a route module can reach is visible here.
import type { FastifyInstance } from 'fastify';
import type { Application } from '../app/application.ts';
import { authRoutes } from './routes/auth.ts';
import { blacklistRoutes } from './routes/blacklist.ts';
import { callRoutes } from './routes/calls.ts';
import { ctiRoutes } from './routes/cti.ts';
import { customerRoutes } from './routes/customers.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { liveRoutes } from './routes/live.ts';
import { notificationStreamRoutes } from './routes/notifications-stream.ts';
import { playbookRoutes } from './routes/playbooks.ts';
import { reviewRoutes } from './routes/review.ts';
import { scorecardRoutes } from './routes/scorecards.ts';
import { ticketRoutes } from './routes/tickets.ts';
import type { Api } from './schemas.ts';

export async function registerRoutes(app: FastifyInstance, a: Application): Promise<void> {
  const api = app as unknown as Api;
  await healthRoutes(api, { store: a.store, metrics: a.metrics, metricsToken: a.config.metricsToken });
  await authRoutes(api, {
    accounts: a.accounts,
    calls: a.calls,
    store: a.store,
    secureCookies: a.config.secureCookies,
  });
  await playbookRoutes(api, { catalog: a.catalog, playbooks: a.playbooks });
  await ticketRoutes(api, { tickets: a.tickets, exports: a.exports });
  await customerRoutes(api, { customers: a.customers, calls: a.calls });
  await callRoutes(api, { calls: a.calls, exports: a.exports });
  await blacklistRoutes(api, { blacklist: a.blacklist });
  await ctiRoutes(api, { cti: a.cti, liveScopeOf: a.liveScopeOf });
  await notificationStreamRoutes(api, { events: a.events });
  await jobRoutes(api, { jobs: a.jobs, calls: a.calls });
  await scorecardRoutes(api, {
    scorecards: a.scorecards,
    reinspections: a.reinspections,
    jobs: a.jobs,
    calls: a.calls,
  });
  await dashboardRoutes(api, {
    dashboard: a.dashboard,
    exports: a.exports,
    calls: a.calls,
    liveScopeOf: a.liveScopeOf,
  });
  await liveRoutes(api, a);
  await reviewRoutes(api, { review: a.review });
}
