// SQL for users, sessions and API tokens. The only place that touches those tables.
import { type Kysely, sql, type Transaction } from 'kysely';
import { prepared } from '../db/prepared.ts';
import type { DB, NewUserRow, UserRow, UserUpdate } from '../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/**
 * The user signing in: by the lower-case key, or (names that differed only by case before
 * 2026112902 and kept no key) by the exact spelling.
 */
export async function findUserForLogin(db: Db, key: string, username: string): Promise<UserRow | undefined> {
  return (
    (await db.selectFrom('users').selectAll().where('username_key', '=', key).executeTakeFirst()) ??
    (await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .where('username_key', 'is', null)
      .executeTakeFirst())
  );
}

export function findUserByKey(db: Db, key: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username_key', '=', key).executeTakeFirst();
}

export async function updateUser(db: Db, id: string, changes: UserUpdate): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/**
 * The users whose 工号 collides with (brand, agentNumber): the same 工号 at the same brand, or
 * where either side has no brand (NULL: every brand).
 */
export function agentNumberHolders(
  db: Db,
  agentNumber: string,
  brand: string | null,
  exceptId: string | null,
): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().where('agent_number', '=', agentNumber);
  if (brand !== null) q = q.where((eb) => eb.or([eb('brand', 'is', null), eb('brand', '=', brand)]));
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  return q.orderBy('created_at').execute();
}

/**
 * PostgreSQL: serialises the writers of one 工号 until the transaction ends (the (brand, 工号)
 * rule is not a unique index, so check-then-write needs a lock). SQLite runs one write
 * transaction at a time already.
 */
export async function lockAgentNumber(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  agentNumber: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`huashu.agent_number.${agentNumber}`}))`.execute(db);
}

/** The 工号 of the active accounts of a team (by its key) at `brand` or every brand (null: any). */
export function teamAgentNumbers(
  db: Db,
  key: string,
  brand: string | null,
): Promise<{ agent_number: string; brand: string | null }[]> {
  let q = db
    .selectFrom('users')
    .select(['agent_number', 'brand'])
    .where('team_key', '=', key)
    .where('agent_number', 'is not', null)
    .where('disabled_at', 'is', null);
  if (brand !== null) q = q.where((eb) => eb.or([eb('brand', 'is', null), eb('brand', '=', brand)]));
  return q.orderBy('agent_number').execute() as Promise<{ agent_number: string; brand: string | null }[]>;
}

export function countActiveAdmins(db: Db): Promise<{ n: number }> {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function revokeTokensOf(db: Db, userId: string, at: string): Promise<number> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function listApiTokens(db: Db, userId: string | null) {
  let q = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.user_id',
      'users.username',
      'api_tokens.name',
      'api_tokens.scopes',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
    ]);
  if (userId !== null) q = q.where('api_tokens.user_id', '=', userId);
  return q.orderBy('api_tokens.created_at').orderBy('api_tokens.id').execute();
}

export function findApiTokenById(db: Db, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setApiTokenExpiry(db: Db, id: string, expiresAt: string): Promise<void> {
  await db.updateTable('api_tokens').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The users of these ids (those that exist), in no particular order. */
export function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function insertUser(db: Db, row: NewUserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export function usersWithRole(db: Db, role: string): Promise<UserRow[]> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('role', '=', role)
    .where('disabled_at', 'is', null)
    .execute();
}

export async function insertSession(
  db: Db,
  row: {
    id: string;
    user_id: string;
    csrf_token: string;
    created_at: string;
    expires_at: string;
    ip: string | null;
  },
): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

/** The session with its user: one indexed query, the one every signed-in request makes. */
const sessionById = prepared((db, p: { id: string; now: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at'])
    .selectAll('users')
    .where('sessions.id', '=', p.id)
    .where('sessions.expires_at', '>', p.now)
    .where('users.disabled_at', 'is', null),
);

export async function findSession(db: Db, id: string, now: string) {
  return (await sessionById(db, { id, now })).rows[0];
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function insertApiToken(
  db: Db,
  row: {
    id: string;
    user_id: string;
    name: string;
    token_hash: string;
    created_at: string;
    scopes: string;
    expires_at: string | null;
  },
): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export function findApiToken(db: Db, tokenHash: string, now: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.scopes as token_scopes'])
    .selectAll('users')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

/**
 * The scopes of the usable tokens (not revoked, not expired, owner enabled) whose owner has one
 * of `roles`: the softphone asks whether a telephone-system integration exists.
 */
export async function activeTokenScopesOfRoles(
  db: Db,
  roles: readonly string[],
  now: string,
): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select('api_tokens.scopes')
    .where('users.role', 'in', [...roles])
    .where('users.disabled_at', 'is', null)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .execute();
  return rows.map((r) => r.scopes);
}

export async function touchApiToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function revokeApiToken(db: Db, id: string, userId: string | null, at: string): Promise<number> {
  let q = db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null);
  if (userId !== null) q = q.where('user_id', '=', userId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- who a ticket notification reaches, who a ticket may be given to (tickets/service) ----

const activeUsersWithRole = prepared((db, p: { role: string }) =>
  db
    .selectFrom('users')
    .select(['id', 'brand'])
    .where('role', '=', p.role)
    .where('disabled_at', 'is', null)
    .orderBy('id'),
);

/**
 * Active users with the role; with a brand, only those who see it (their brand, or none: a
 * brand-limited account is never told about another brand's work).
 */
export async function activeUserIdsWithRole(db: Db, role: string, brand?: string): Promise<string[]> {
  return (await activeUsersWithRole(db, { role })).rows.flatMap((r) =>
    brand === undefined || r.brand === null || r.brand === brand ? [r.id] : [],
  );
}

export async function findActiveUser(
  db: Db,
  id: string,
): Promise<
  | { id: string; role: string; displayName: string; agentNumber: string | null; brand: string | null }
  | undefined
> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'role', 'display_name', 'agent_number', 'brand'])
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        role: row.role,
        displayName: row.display_name,
        agentNumber: row.agent_number,
        brand: row.brand,
      }
    : undefined;
}

/**
 * Active users with the 工号, for the user a complaint is about; with `brand`, those of that
 * brand or of every brand (a 工号 is unique per brand).
 */
export async function activeUserIdsWithAgentNumber(
  db: Db,
  agentNumber: string,
  brand?: string,
): Promise<string[]> {
  let q = db
    .selectFrom('users')
    .select('id')
    .where('agent_number', '=', agentNumber)
    .where('disabled_at', 'is', null);
  if (brand !== undefined) q = q.where((eb) => eb.or([eb('brand', 'is', null), eb('brand', '=', brand)]));
  const rows = await q.execute();
  return rows.map((r) => r.id);
}

/** Display names of users by id, for messages and exports. */
export async function displayNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
