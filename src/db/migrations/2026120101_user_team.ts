// Teams (班组, issue 9): users.team is the short name of the team an agent or team lead works
// in, as the admin typed it (NULL: none); users.team_key its matching form (Traditional →
// Simplified, full-width → ASCII, lower case), so that 一組 and 一组 are one team. A team lead
// with a team sees the live calls of the agents whose team_key is theirs; the index serves
// that look-up (one per console subscription, not per event). Nobody has a team before this.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('team', 'text').execute();
  await db.schema.alterTable('users').addColumn('team_key', 'text').execute();
  await db.schema.createIndex('users_team_key').on('users').column('team_key').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
