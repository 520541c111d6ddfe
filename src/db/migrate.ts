// Forward-only migrations, run at start-up and in tests. Each file is named by its timestamp;
// the list below is explicit so that the build needs no file-system scan.
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  sql,
} from 'kysely';
import * as initial from './migrations/2026112201_initial.ts';
import * as ticketService from './migrations/2026112202_ticket_service.ts';
import * as callsBlacklist from './migrations/2026112203_calls_blacklist.ts';
import * as tokenScopes from './migrations/2026112901_token_scopes.ts';
import * as accountsHardening from './migrations/2026112902_accounts_hardening.ts';
import * as ticketSubjectAgent from './migrations/2026112903_ticket_subject_agent.ts';
import * as eventOutbox from './migrations/2026113001_event_outbox.ts';
import * as ticketListKeyset from './migrations/2026113003_ticket_list_keyset.ts';
import * as userTeam from './migrations/2026120101_user_team.ts';
import * as callChannel from './migrations/2026120102_call_channel.ts';
import * as review from './migrations/2026120107_review.ts';
import * as scorecardVersions from './migrations/2026120110_scorecard_versions.ts';
import * as dashboard from './migrations/2026120120_dashboard.ts';
import * as ticketNumbers from './migrations/2026120211_ticket_numbers.ts';
import * as dashboardAppeals from './migrations/2026120230_dashboard_appeals.ts';
import * as ticketBreached from './migrations/2026120301_ticket_breached.ts';
import * as liveRestart from './migrations/2026120401_live_restart.ts';
import * as liveJournalGuard from './migrations/2026120402_live_journal_guard.ts';
import * as liveJournalHolderIdentity from './migrations/2026120403_live_journal_holder_identity.ts';
import * as dashboardUnscored from './migrations/2026120410_dashboard_unscored.ts';
import * as customerSurnameKey from './migrations/2026120430_customer_surname_key.ts';
import * as ticketSearch from './migrations/2026120520_ticket_search.ts';
import * as customerSurnameKeyCase from './migrations/2026120521_customer_surname_key_case.ts';
import * as callQaScored from './migrations/2026120531_call_qa_scored.ts';
import * as dashboardPhoneHandle from './migrations/2026120601_dashboard_phone_handle.ts';
import * as reopenedComplaintClock from './migrations/2026120602_reopened_complaint_clock.ts';
import * as notificationBrand from './migrations/2026120701_notification_brand.ts';

const MIGRATIONS: Record<string, Migration> = {
  '2026112201_initial': initial,
  '2026112202_ticket_service': ticketService,
  '2026112203_calls_blacklist': callsBlacklist,
  '2026112901_token_scopes': tokenScopes,
  '2026112902_accounts_hardening': accountsHardening,
  '2026112903_ticket_subject_agent': ticketSubjectAgent,
  '2026113001_event_outbox': eventOutbox,
  '2026113003_ticket_list_keyset': ticketListKeyset,
  '2026120101_user_team': userTeam,
  '2026120102_call_channel': callChannel,
  '2026120107_review': review,
  '2026120110_scorecard_versions': scorecardVersions,
  '2026120120_dashboard': dashboard,
  '2026120211_ticket_numbers': ticketNumbers,
  '2026120230_dashboard_appeals': dashboardAppeals,
  '2026120301_ticket_breached': ticketBreached,
  '2026120401_live_restart': liveRestart,
  '2026120402_live_journal_guard': liveJournalGuard,
  '2026120403_live_journal_holder_identity': liveJournalHolderIdentity,
  '2026120410_dashboard_unscored': dashboardUnscored,
  '2026120430_customer_surname_key': customerSurnameKey,
  '2026120520_ticket_search': ticketSearch,
  '2026120521_customer_surname_key_case': customerSurnameKeyCase,
  '2026120531_call_qa_scored': callQaScored,
  '2026120601_dashboard_phone_handle': dashboardPhoneHandle,
  '2026120602_reopened_complaint_clock': reopenedComplaintClock,
  '2026120701_notification_brand': notificationBrand,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Brings the schema up to date; returns the names of the migrations applied now. */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on the schema as it was, not as typed now
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return runMigrator(await migratorFor(db), (m) => m.migrateToLatest());
}

/**
 * Applies the migrations up to and including `name`: a database as an older release left it,
 * for tests of a migration on the rows recorded before it.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above
export async function migrateUpTo(db: Kysely<any>, name: string): Promise<string[]> {
  if (!(name in MIGRATIONS)) throw new MigrationError(`no migration named ${name}`);
  return runMigrator(await migratorFor(db), (m) => m.migrateTo(name));
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function migratorFor(db: Kysely<any>): Promise<Migrator> {
  // PostgreSQL: Kysely looks for its bookkeeping tables in every schema it can see, so a
  // database holding several schemas (one per test) would find another schema's and skip
  // creating its own; name the current schema explicitly.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db,
    provider: new StaticProvider(),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Runs one step of the migrator (exported for its test: what is tried again and what is not). */
export async function runMigrator(
  migrator: Migrator,
  step: (m: Migrator) => Promise<MigrationResultSet>,
): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await step(migrator);
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const ran = results?.some((r) => r.status !== 'NotExecuted') ?? false;
    // Before any migration runs, Kysely lists every table of the database to find its own
    // (pg_get_serial_sequence per column): a table another schema's process drops or alters at
    // that moment fails the listing ("column … of relation … does not exist"). Nothing was
    // applied then, so it is tried again rather than failing the start.
    if (failed === undefined && !ran && attempt < 4 && catalogRace(error)) {
      await new Promise((r) => setTimeout(r, 50 * attempt));
      continue;
    }
    const what = failed === undefined ? 'migrations could not start' : `migration ${failed} failed`;
    throw new MigrationError(`${what}: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
}

/** PostgreSQL's answer when a catalog row read goes away under it (undefined column or table). */
function catalogRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42703' || code === '42P01' || code === 'XX000';
}
