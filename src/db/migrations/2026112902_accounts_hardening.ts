// Accounts hardening (issue 7):
// - users.username_key: the username in lower case, unique, so 'Admin' and 'admin' cannot
//   both exist and login ignores case. A database may already hold names that differ only by
//   case: the oldest of each group gets the key, the others keep NULL (a unique index allows
//   many NULLs on both engines) and keep signing in by their exact spelling; they are reported
//   on stderr so that an admin disables or renames them. The migration never fails on them.
// - users.brand: the brand whose hotline the agent works (NULL: every brand). A 工号 is unique
//   per brand, and a NULL-brand 工号 conflicts with the same 工号 at any brand; that rule is
//   not a plain unique index, so the service enforces it (under a lock); existing conflicts
//   are reported here, not failed on, and new ones are refused.
// - audit_log.actor_id: entries written without an actor before this (the first admin, the
//   deadline checker, playbook seeding: all the server's own work) get the reserved actor
//   'system:server' instead of NULL.
import type { Kysely } from 'kysely';

const usernameKey = (username: string) => username.normalize('NFKC').toLowerCase();

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('username_key', 'text').execute();
  await db.schema.alterTable('users').addColumn('brand', 'text').execute();

  const users = (await db
    .selectFrom('users')
    .select(['id', 'username', 'agent_number', 'created_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as { id: string; username: string; agent_number: string | null; created_at: string }[];
  const holders = new Map<string, string>();
  for (const u of users) {
    const key = usernameKey(u.username);
    const first = holders.get(key);
    if (first !== undefined) {
      warn(
        `users '${first}' and '${u.username}' differ only by case: '${u.username}' keeps signing in by its exact spelling; disable or rename one of them`,
      );
      continue;
    }
    holders.set(key, u.username);
    await db.updateTable('users').set({ username_key: key }).where('id', '=', u.id).execute();
  }
  await db.schema.createIndex('users_username_lower').on('users').column('username_key').unique().execute();
  await db.schema.createIndex('users_agent_number').on('users').column('agent_number').execute();

  // Every existing user has brand NULL (all brands), so any 工号 held twice is a conflict.
  const byNumber = new Map<string, string[]>();
  for (const u of users) {
    if (u.agent_number === null) continue;
    byNumber.set(u.agent_number, [...(byNumber.get(u.agent_number) ?? []), u.username]);
  }
  for (const [n, names] of byNumber) {
    if (names.length > 1)
      warn(
        `工号 ${n} is held by ${names.map((x) => `'${x}'`).join(', ')}: give each a brand or a number of their own (PATCH /api/users/{id}); new duplicates are refused`,
      );
  }

  // GET /api/audit filters by actor and by time.
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();

  await db
    .updateTable('audit_log')
    .set({ actor_id: 'system:server' })
    .where('actor_id', 'is', null)
    .execute();
}

function warn(message: string): void {
  process.stderr.write(`huashu migration 2026112902_accounts_hardening: ${message}\n`);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
