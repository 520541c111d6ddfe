// The services of one app instance, built from the store, the clock and the id generator.
// Routes get them from here; nothing below the routes knows about HTTP.
import { AccountsService } from '../accounts/service.ts';
import type { Store } from '../db/database.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { PlaybookService } from '../playbook/store.ts';
import type { AppDeps } from './app.ts';

export interface Services {
  store: Store;
  metrics: Metrics;
  accounts: AccountsService;
  catalog: Catalog;
  playbooks: PlaybookService;
  /** Cookies carry the Secure flag (HTTPS deployments). */
  secureCookies: boolean;
}

export function createServices(deps: AppDeps, metrics: Metrics): Services {
  const { store, clock, ids, config, catalog } = deps;
  const accounts = new AccountsService(store.db, clock, ids, config.sessionHours);
  const playbooks = new PlaybookService(store.db, catalog, clock, ids);
  return { store, metrics, accounts, catalog, playbooks, secureCookies: config.secureCookies };
}
