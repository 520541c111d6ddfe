// Accounts: users and roles, password login with server-side sessions, API tokens for
// integrations, and the first admin. Sessions and tokens are stored as SHA-256 hashes, so a
// copy of the database does not let anyone log in. Every account change, sign-in and
// sign-out is audited.
import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, PostgresAdapter } from 'kysely';
import { type Actor, AuditWriter, SYSTEM_ACTORS, systemActor } from '../audit/audit.ts';
import type { DB, UserRow, UserUpdate } from '../db/schema.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { CHINA_TIME_ZONE, localTime } from '../shared/time-zone.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';
import { assertStrongPassword } from './password-policy.ts';
import { buildPrincipal, type Principal } from './principal.ts';
import * as repo from './repository.ts';
import {
  CTI_INTEGRATION_OWNERS,
  parseScopes,
  type TokenScope,
  USER_ROLE_IDS,
  type User,
  type UserRole,
} from './roles.ts';
import { checkTeam, type TeamMember, teamKey } from './team.ts';
import { LoginThrottle, type ThrottleStore } from './throttle.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** The form of a username that is unique and that login compares: 'Admin' → 'admin'. */
export const usernameKey = (username: string) => username.normalize('NFKC').toLowerCase();

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as UserRole,
    agentNumber: row.agent_number,
    brand: row.brand,
    team: row.team,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
  };
}

export interface NewUser {
  username: string;
  displayName: string;
  role: UserRole;
  agentNumber?: string | null;
  /** The brand whose hotline the agent works; null or absent: every brand. */
  brand?: string | null;
  /** The team (班组), 1–32 characters once trimmed; null or absent: none. */
  team?: string | null;
  password: string;
}

export interface UserChanges {
  displayName?: string;
  role?: UserRole;
  agentNumber?: string | null;
  brand?: string | null;
  /** A team name, or null to clear it. */
  team?: string | null;
  disabled?: boolean;
}

export interface ApiTokenInfo {
  id: string;
  userId: string;
  username: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** What the database says when a constraint refuses a write, on either engine. */
function violation(error: unknown): 'unique' | 'foreign-key' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'unique';
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign-key';
  return undefined;
}

const usernameTaken = (username: string) =>
  new AppError(
    'conflict',
    {
      zh: `用户名“${username}”已被占用（用户名不区分大小写）`,
      en: `username '${username}' is taken (usernames ignore case)`,
    },
    [{ path: 'body.username', message: 'already in use', zh: '已被占用' }],
  );

export class AccountsService {
  private readonly throttle: LoginThrottle;
  private readonly dialect: 'sqlite' | 'postgres';

  private readonly audit: AuditWriter;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly sessionHours: number,
    /** Where failed sign-ins are counted: this process's memory unless shared (Redis). */
    throttleStore?: ThrottleStore,
  ) {
    this.audit = new AuditWriter(ids, clock);
    this.throttle = new LoginThrottle(clock, throttleStore);
    this.dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  }

  /** Creates the admin account on first start; returns the password when it was generated. */
  async ensureFirstAdmin(
    password: string | undefined,
  ): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await repo.countUsers(this.db)) > 0) return { created: false };
    const generated = password === undefined ? generatePassword() : undefined;
    try {
      await this.createUser(
        {
          username: 'admin',
          displayName: '管理员',
          role: 'admin',
          password: password ?? (generated as string),
        },
        systemActor('first-start'),
      );
    } catch (e) {
      // Another process starting at the same moment created it first (the unique username
      // refused this one): that one prints the password; this start goes on.
      if (e instanceof AppError && e.code === 'conflict' && (await repo.findUserByKey(this.db, 'admin')))
        return { created: false };
      throw e;
    }
    return generated ? { created: true, generatedPassword: generated } : { created: true };
  }

  async createUser(input: NewUser, actor: Actor): Promise<User> {
    if (!USER_ROLE_IDS.includes(input.role))
      throw new AppError('validation', { zh: `未知角色“${input.role}”`, en: `unknown role '${input.role}'` });
    const key = usernameKey(input.username);
    if (await repo.findUserByKey(this.db, key)) throw usernameTaken(input.username);
    assertStrongPassword(input.password, input.username);
    const team = input.team == null ? null : checkTeam(input.team, 'body.team');
    const now = this.clock.now().toISOString();
    const row = {
      id: this.ids(),
      username: input.username,
      username_key: key,
      display_name: input.displayName,
      role: input.role,
      agent_number: input.agentNumber ?? null,
      brand: input.brand ?? null,
      team,
      team_key: team === null ? null : teamKey(team),
      password_hash: await hashPassword(input.password),
      created_at: now,
      disabled_at: null,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        if (row.agent_number !== null)
          await this.assertAgentNumberFree(trx, row.agent_number, row.brand, null);
        await repo.insertUser(trx, row);
        await this.audit.record(
          trx,
          {
            actor,
            entityType: 'user',
            entityId: row.id,
            action: 'create',
            changes: {
              username: row.username,
              role: row.role,
              agentNumber: row.agent_number,
              brand: row.brand,
              ...(row.team !== null ? { team: row.team } : {}),
            },
          },
          now,
        );
      });
    } catch (e) {
      // Two creations of one name at once both pass the check above; the unique index on
      // username_key lets one in and refuses the other here.
      if (violation(e) === 'unique') throw usernameTaken(input.username);
      throw e;
    }
    return toUser(row);
  }

  /**
   * A 工号 is unique per brand, and one without a brand (every brand) conflicts with the
   * same 工号 at any brand: otherwise two agents would see each other's calls.
   */
  private async assertAgentNumberFree(
    trx: Kysely<DB>,
    agentNumber: string,
    brand: string | null,
    exceptId: string | null,
  ): Promise<void> {
    await repo.lockAgentNumber(trx, this.dialect, agentNumber);
    const holder = (await repo.agentNumberHolders(trx, agentNumber, brand, exceptId))[0];
    if (!holder) return;
    const where = holder.brand === null ? 'every brand' : `brand ${holder.brand}`;
    throw new AppError(
      'conflict',
      {
        zh: `工号 ${agentNumber} 已被 ${holder.username} 使用（${holder.brand === null ? '所有品牌' : `品牌 ${holder.brand}`}${holder.disabled_at ? '，账号已停用' : ''}）`,
        en: `工号 ${agentNumber} 已被 ${holder.username} 使用 / 工号 ${agentNumber} is already held by '${holder.username}' (${where}${holder.disabled_at ? ', disabled' : ''})`,
      },
      [
        {
          path: 'body.agentNumber',
          message: `held by ${holder.username}`,
          zh: `已被 ${holder.username} 使用`,
        },
      ],
    );
  }

  async listUsers(): Promise<User[]> {
    return (await repo.listUsers(this.db)).map(toUser);
  }

  /**
   * The accounts `viewer` may see (GET /api/users): every one for an account without a brand;
   * for a brand-limited one, its brand's and the accounts without a brand (never another brand's).
   */
  async usersSeenBy(viewer: { brand: string | null }): Promise<User[]> {
    const all = await this.listUsers();
    return viewer.brand === null ? all : all.filter((u) => u.brand === null || u.brand === viewer.brand);
  }

  /**
   * Whom `viewer` may leave a message for (a ticket of type message): the enabled accounts of
   * their brand (every brand when either has none), themselves excepted; only what a
   * colleague picker shows.
   */
  async colleagues(viewer: {
    userId: string;
    brand: string | null;
  }): Promise<Pick<User, 'id' | 'displayName' | 'role' | 'agentNumber' | 'brand'>[]> {
    return (await this.listUsers())
      .filter(
        (u) =>
          !u.disabled &&
          u.id !== viewer.userId &&
          (viewer.brand === null || u.brand === null || u.brand === viewer.brand),
      )
      .map((u) => ({
        id: u.id,
        displayName: u.displayName,
        role: u.role,
        agentNumber: u.agentNumber,
        brand: u.brand,
      }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'));
  }

  async findUserById(id: string): Promise<User | undefined> {
    const row = await repo.findUserById(this.db, id);
    return row ? toUser(row) : undefined;
  }

  /** The users of these ids that exist (an audit page's actors), by id. */
  async usersByIds(ids: readonly string[]): Promise<Map<string, User>> {
    const rows = await repo.findUsersByIds(this.db, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, toUser(r)]));
  }

  async findUserByUsername(username: string): Promise<User | undefined> {
    const row = await repo.findUserForLogin(this.db, usernameKey(username), username);
    return row ? toUser(row) : undefined;
  }

  async usersWithRole(role: UserRole): Promise<User[]> {
    return (await repo.usersWithRole(this.db, role)).map(toUser);
  }

  /**
   * The 工号 of a team's active accounts (agents, and a lead who takes calls), for whom a team
   * lead sees live; `brand` (the lead's) narrows it to that brand's and every-brand accounts.
   */
  async teamMembers(team: string, brand: string | null): Promise<TeamMember[]> {
    return (await repo.teamAgentNumbers(this.db, teamKey(team), brand)).map((r) => ({
      agentNumber: r.agent_number,
      brand: r.brand,
    }));
  }

  /**
   * An admin changes a user: name, role, 工号, brand and team, or disables / re-enables the account.
   * Disabling ends the user's sessions and revokes their API tokens at once (re-enabling does
   * not bring them back). The last active admin cannot be disabled or demoted.
   */
  async updateUser(id: string, changes: UserChanges, actor: Actor): Promise<User> {
    const now = this.clock.now().toISOString();
    return await this.db.transaction().execute(async (trx) => {
      const before = await repo.findUserById(trx, id);
      if (!before) throw new AppError('not-found', { zh: `没有用户“${id}”`, en: `no user '${id}'` });
      const set: UserUpdate = {};
      if (changes.displayName !== undefined) set.display_name = changes.displayName;
      if (changes.role !== undefined) set.role = changes.role;
      if (changes.agentNumber !== undefined) set.agent_number = changes.agentNumber;
      if (changes.brand !== undefined) set.brand = changes.brand;
      if (changes.team !== undefined) {
        const team = changes.team === null ? null : checkTeam(changes.team, 'body.team');
        set.team = team;
        set.team_key = team === null ? null : teamKey(team);
      }
      if (changes.disabled !== undefined)
        set.disabled_at = changes.disabled ? (before.disabled_at ?? now) : null;
      const after: UserRow = { ...before, ...set } as UserRow;
      const losesAdmin =
        before.role === 'admin' &&
        before.disabled_at === null &&
        (after.role !== 'admin' || after.disabled_at !== null);
      if (losesAdmin && Number((await repo.countActiveAdmins(trx)).n) <= 1) {
        throw new AppError(
          'conflict',
          {
            zh: '这是最后一个有效的管理员账号：请先设置另一位管理员',
            en: 'this is the last active admin: make another admin first',
          },
          [
            {
              path: changes.disabled ? 'body.disabled' : 'body.role',
              message: 'last active admin',
              zh: '最后一个有效的管理员',
            },
          ],
        );
      }
      if (
        after.agent_number !== null &&
        (after.agent_number !== before.agent_number || after.brand !== before.brand)
      ) {
        await this.assertAgentNumberFree(trx, after.agent_number, after.brand, id);
      }
      if (Object.keys(set).length > 0) await repo.updateUser(trx, id, set);
      const disabling = before.disabled_at === null && after.disabled_at !== null;
      let ended = { sessions: 0, tokens: 0 };
      if (disabling) {
        ended = {
          sessions: await repo.deleteSessionsOf(trx, id),
          tokens: await repo.revokeTokensOf(trx, id, now),
        };
      }
      const diff: Record<string, { from: unknown; to: unknown }> = {};
      const b = toUser(before);
      const a = toUser(after);
      for (const k of ['displayName', 'role', 'agentNumber', 'brand', 'team', 'disabled'] as const) {
        if (b[k] !== a[k]) diff[k] = { from: b[k], to: a[k] };
      }
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'user',
          entityId: id,
          action: disabling
            ? 'disable'
            : before.disabled_at !== null && after.disabled_at === null
              ? 'enable'
              : 'update',
          changes: disabling ? { ...diff, endedSessions: ended.sessions, revokedTokens: ended.tokens } : diff,
        },
        now,
      );
      return a;
    });
  }

  /**
   * Sets a new password (an admin's reset, or `huashu admin reset-password` with
   * `systemActor('cli')`): checked against the strength rule, ends the user's sessions and
   * lifts the account's login lock-out in this process.
   */
  async resetPassword(
    id: string,
    password: string,
    actor: Actor,
  ): Promise<{ user: User; endedSessions: number }> {
    const row = await repo.findUserById(this.db, id);
    if (!row) throw new AppError('not-found', { zh: `没有用户“${id}”`, en: `no user '${id}'` });
    assertStrongPassword(password, row.username);
    const hash = await hashPassword(password);
    const now = this.clock.now().toISOString();
    const endedSessions = await this.db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, id, { password_hash: hash });
      const sessions = await repo.deleteSessionsOf(trx, id);
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'user',
          entityId: id,
          action: 'reset-password',
          changes: { endedSessions: sessions },
        },
        now,
      );
      return sessions;
    });
    await this.throttle.forgetAccount(usernameKey(row.username));
    return { user: toUser(row), endedSessions };
  }

  /**
   * Checks a password and opens a session; the same error for an unknown user and a wrong
   * password. The throttle refuses before anything costly runs (see throttle.ts).
   */
  async login(username: string, password: string, ip: string | null) {
    const key = usernameKey(username);
    const attempt = await this.throttle.begin(key, ip);
    let row: UserRow | undefined;
    let ok: boolean;
    try {
      row = await repo.findUserForLogin(this.db, key, username);
      // Verify against a dummy hash for unknown users too, so timing does not reveal which it was.
      ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    } catch (e) {
      await attempt.abandon();
      throw e;
    }
    const now = this.clock.now();
    if (!row || !ok || row.disabled_at !== null) {
      const lockedMs = await attempt.failed();
      // Never the password: the name tried, from where, and why (for admins only).
      await this.audit.record(
        this.db,
        {
          actor: { userId: SYSTEM_ACTORS.anonymous, ip },
          entityType: 'login',
          entityId: key.slice(0, 100),
          action: 'login-failed',
          changes: {
            username: username.slice(0, 100),
            userId: row?.id ?? null,
            reason: !row ? 'unknown user' : !ok ? 'wrong password' : 'disabled',
            ...(lockedMs > 0 ? { lockedForSeconds: Math.ceil(lockedMs / 1000) } : {}),
          },
        },
        now,
      );
      throw new AppError('unauthenticated', { zh: '用户名或密码错误', en: 'wrong username or password' });
    }
    await attempt.succeeded();
    const sessionToken = token('hs_s_');
    const csrfToken = randomBytes(24).toString('base64url');
    const expires = new Date(now.getTime() + this.sessionHours * 3600_000);
    const user = row;
    await this.db.transaction().execute(async (trx) => {
      await repo.insertSession(trx, {
        id: sha256(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: expires.toISOString(),
        ip,
      });
      await this.audit.record(
        trx,
        {
          actor: { userId: user.id, ip },
          entityType: 'login',
          entityId: key.slice(0, 100),
          action: 'login',
          changes: { username: user.username, userId: user.id },
        },
        now,
      );
    });
    return { user: toUser(row), sessionToken, csrfToken, expiresAt: expires.toISOString() };
  }

  /** Ends the principal's session (a token has none to end). */
  async logout(principal: Principal): Promise<void> {
    const { sessionId } = principal;
    if (sessionId === null) return;
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, sessionId);
      await this.audit.record(
        trx,
        {
          actor: principal,
          entityType: 'login',
          entityId: usernameKey(principal.username),
          action: 'logout',
          changes: { username: principal.username, userId: principal.userId },
        },
        this.clock.now(),
      );
    });
  }

  /** A refused request (403), one entry each: who tried which route. */
  async auditRefusal(
    r: { userId: string | null; ip: string | null; method: string; route: string; via: string | null },
    message: string,
  ): Promise<void> {
    await this.audit.record(
      this.db,
      {
        actor: { userId: r.userId ?? SYSTEM_ACTORS.anonymous, ip: r.ip },
        entityType: 'route',
        entityId: `${r.method} ${r.route}`,
        action: 'refused',
        changes: { via: r.via, message: message.slice(0, 300) },
      },
      this.clock.now(),
    );
  }

  /** The principal of a session cookie (from `ip`), or null when it is unknown or expired. */
  async authenticateSession(sessionToken: string, ip: string | null = null): Promise<Principal | null> {
    const id = sha256(sessionToken);
    const row = await repo.findSession(this.db, id, this.clock.now().toISOString());
    if (!row) return null;
    return buildPrincipal(
      toUser(row),
      { via: 'session', sessionId: row.session_id, csrfToken: row.csrf_token },
      ip,
    );
  }

  async createApiToken(
    userId: string,
    name: string,
    actor: Actor,
    /** `zone`: the centre's, in which the creator's screen shows times (China's by default). */
    options: { scopes?: readonly TokenScope[]; expiresAt?: string | null; zone?: string } = {},
  ) {
    const scopes = [...new Set(options.scopes ?? (['read', 'write'] as const))];
    const expiresAt = options.expiresAt ?? null;
    const asked = this.clock.now();
    if (expiresAt !== null && expiresAt <= asked.toISOString()) {
      // Said in the centre's time, as the screen that picked it shows times; not a UTC instant.
      const zone = options.zone ?? CHINA_TIME_ZONE;
      const [when, then] = [localTime(new Date(expiresAt), zone), localTime(asked, zone)];
      throw new AppError(
        'validation',
        {
          zh: `到期时间须晚于现在：${when}（${zone}）已过，现在是 ${then}；请选以后的时间，或留空表示永不过期`,
          en: `the expiry must be in the future: ${when} (${zone}) has passed, it is now ${then}; pick a later time, or leave it empty for a token that never expires`,
        },
        [
          {
            path: 'body.expiresAt',
            message: `${when} (${zone}) has passed (now ${then}): pick a later time, or leave it empty for a token that never expires`,
            zh: `${when}（${zone}）已过（现在 ${then}）：请选以后的时间，或留空表示永不过期`,
          },
        ],
      );
    }
    const noSuchUser = () =>
      new AppError(
        'validation',
        {
          zh: `没有用户“${userId}”：body.userId 必须是已有账号的 id`,
          en: `no user '${userId}': body.userId must be the id of an existing account`,
        },
        [{ path: 'body.userId', message: 'no such user', zh: '没有这个用户' }],
      );
    const owner = await repo.findUserById(this.db, userId);
    if (!owner) throw noSuchUser();
    if (owner.disabled_at !== null)
      throw new AppError(
        'validation',
        {
          zh: `用户“${owner.username}”已停用：请先启用该账号`,
          en: `user '${owner.username}' is disabled: enable the account first`,
        },
        [{ path: 'body.userId', message: 'disabled user', zh: '账号已停用' }],
      );
    if (scopes.includes('cti') && !CTI_INTEGRATION_OWNERS.includes(owner.role as UserRole))
      throw new AppError(
        'forbidden',
        {
          zh: `只有管理员的令牌可以有 cti 权限（电话系统接口代表全体坐席）；用户“${owner.username}”的令牌不能有`,
          en: `only an admin's token may have the scope cti (the telephone system's integration speaks for every agent); '${owner.username}' is ${owner.role}`,
        },
        [{ path: 'body.scopes', message: 'cti is for admins only', zh: 'cti 仅限管理员' }],
      );
    const secret = token('hs_t_');
    const id = this.ids();
    const now = this.clock.now().toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        await repo.insertApiToken(trx, {
          id,
          user_id: userId,
          name,
          token_hash: sha256(secret),
          created_at: now,
          scopes: scopes.join(' '),
          expires_at: expiresAt,
        });
        await this.audit.record(
          trx,
          {
            actor,
            entityType: 'api-token',
            entityId: id,
            action: 'create',
            changes: { userId, name, scopes, expiresAt },
          },
          now,
        );
      });
    } catch (e) {
      // The user was deleted between the check and the insert.
      if (violation(e) === 'foreign-key') throw noSuchUser();
      throw e;
    }
    return { id, name, token: secret, createdAt: now, scopes, expiresAt };
  }

  /** API tokens (never their secret): of one user, or of everyone (ownerId null). */
  /**
   * A telephone-system integration is set up: a usable API token with the scope cti owned by
   * an admin (the only token that posts rings, permissions.ts). The softphone's `auto` asks.
   */
  async integrationConfigured(): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const scopes = await repo.activeTokenScopesOfRoles(this.db, CTI_INTEGRATION_OWNERS, now);
    return scopes.some((s) => parseScopes(s).includes('cti'));
  }

  async listApiTokens(ownerId: string | null): Promise<ApiTokenInfo[]> {
    const now = this.clock.now().toISOString();
    return (await repo.listApiTokens(this.db, ownerId)).map((r) => ({
      id: r.id,
      userId: r.user_id,
      username: r.username,
      name: r.name,
      scopes: parseScopes(r.scopes),
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      status:
        r.revoked_at !== null
          ? 'revoked'
          : r.expires_at !== null && r.expires_at <= now
            ? 'expired'
            : 'active',
    }));
  }

  /**
   * Brings a token's expiry forward (a time in the past expires it now). It cannot be pushed
   * later: a longer-lived token is a new token.
   */
  async expireApiToken(
    id: string,
    ownerId: string | null,
    expiresAt: string | null,
    actor: Actor,
  ): Promise<void> {
    const now = this.clock.now().toISOString();
    const at = expiresAt === null || expiresAt < now ? now : expiresAt;
    await this.db.transaction().execute(async (trx) => {
      const row = await repo.findApiTokenById(trx, id);
      if (!row || row.revoked_at !== null || (ownerId !== null && row.user_id !== ownerId))
        throw new AppError('not-found', {
          zh: `没有有效的 API 令牌“${id}”`,
          en: `no active API token '${id}'`,
        });
      if (row.expires_at !== null && row.expires_at <= now)
        throw new AppError('conflict', {
          zh: `API 令牌“${id}”已经过期`,
          en: `API token '${id}' has expired already`,
        });
      if (row.expires_at !== null && at > row.expires_at)
        throw new AppError(
          'validation',
          {
            zh: '到期时间只能提前，不能推后；如需更久请新建令牌',
            en: 'an expiry can only be brought forward; create a new token instead',
          },
          [
            {
              path: 'body.expiresAt',
              message: `later than the current expiry ${row.expires_at}`,
              zh: `晚于当前到期时间 ${row.expires_at}`,
            },
          ],
        );
      await repo.setApiTokenExpiry(trx, id, at);
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'api-token',
          entityId: id,
          action: 'expire',
          changes: { expiresAt: { from: row.expires_at, to: at } },
        },
        now,
      );
    });
  }

  async revokeApiToken(id: string, ownerId: string | null, actor: Actor): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const n = await repo.revokeApiToken(trx, id, ownerId, now);
      if (n === 0)
        throw new AppError('not-found', {
          zh: `没有有效的 API 令牌“${id}”`,
          en: `no active API token '${id}'`,
        });
      await this.audit.record(
        trx,
        {
          actor,
          entityType: 'api-token',
          entityId: id,
          action: 'revoke',
          changes: {},
        },
        now,
      );
    });
  }

  /** The principal of an API token's secret (from `ip`), or null when unknown, revoked or expired. */
  async authenticateToken(secret: string, ip: string | null = null): Promise<Principal | null> {
    const now = this.clock.now().toISOString();
    const row = await repo.findApiToken(this.db, sha256(secret), now);
    if (!row) return null;
    await repo.touchApiToken(this.db, row.token_id, now);
    return buildPrincipal(
      toUser(row),
      { via: 'token', tokenId: row.token_id, scopes: parseScopes(row.token_scopes) },
      ip,
    );
  }
}

// A valid hash of a random password, used to spend the same time on unknown usernames.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$5Jd0Wv0m2z2m9wq2mX9o2mSx0g0Pq0n8GdN1q5h6k3Y';
