// Every route module of the API, registered in one place.
import type { FastifyInstance } from 'fastify';
import { authRoutes } from './routes/auth.ts';
import { blacklistRoutes } from './routes/blacklist.ts';
import { callRoutes } from './routes/calls.ts';
import { ctiRoutes } from './routes/cti.ts';
import { customerRoutes } from './routes/customers.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { playbookRoutes } from './routes/playbooks.ts';
import { ticketRoutes } from './routes/tickets.ts';
import type { Api } from './schemas.ts';
import type { Services } from './services.ts';

export async function registerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app as unknown as Api;
  await healthRoutes(api, services);
  await authRoutes(api, services);
  await playbookRoutes(api, services);
  await ticketRoutes(api, services);
  await customerRoutes(api, services);
  await callRoutes(api, services);
  await blacklistRoutes(api, services);
  await ctiRoutes(api, services);
  await jobRoutes(api, services);
}
