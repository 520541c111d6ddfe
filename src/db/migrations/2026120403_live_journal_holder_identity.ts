// The live journal's holder named by who its process is (review of session 12, findings 8-9):
// host and pid alone are not (pids are per pid namespace, and reused after a reboot or a
// kill -9). `identity`: the boot id, the pid namespace and the process's start time, from /proc
// (null where /proc cannot be read: host and pid are all there is).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('live_journal_holder').addColumn('identity', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
