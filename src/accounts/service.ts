// Accounts: users and roles, password login with server-side sessions, API tokens for
// integrations, and the first admin. Sessions and tokens are stored as SHA-256 hashes, so a
// copy of the database does not let anyone log in.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import type { DB, UserRow } from '../db/schema.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';
import * as repo from './repository.ts';
import { USER_ROLE_IDS, type User, type UserRole } from './roles.ts';

export interface AuthContext {
  user: User;
  /** How the request authenticated: a session cookie needs a CSRF token on unsafe methods. */
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as UserRole,
    agentNumber: row.agent_number,
    createdAt: row.created_at,
    disabled: row.disabled_at !== null,
  };
}

export interface NewUser {
  username: string;
  displayName: string;
  role: UserRole;
  agentNumber?: string | null;
  password: string;
}

export class AccountsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly sessionHours: number,
  ) {}

  /** Creates the admin account on first start; returns the password when it was generated. */
  async ensureFirstAdmin(
    password: string | undefined,
  ): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await repo.countUsers(this.db)) > 0) return { created: false };
    const generated = password === undefined ? generatePassword() : undefined;
    await this.createUser(
      {
        username: 'admin',
        displayName: '管理员',
        role: 'admin',
        password: password ?? (generated as string),
      },
      { userId: null, ip: null },
    );
    return generated ? { created: true, generatedPassword: generated } : { created: true };
  }

  async createUser(input: NewUser, actor: { userId: string | null; ip: string | null }): Promise<User> {
    if (!USER_ROLE_IDS.includes(input.role))
      throw new AppError('validation', { zh: `未知角色“${input.role}”`, en: `unknown role '${input.role}'` });
    if (await repo.findUserByUsername(this.db, input.username)) {
      throw new AppError(
        'conflict',
        { zh: `用户名“${input.username}”已被占用`, en: `username '${input.username}' is taken` },
        [{ path: 'body.username', message: 'already in use', zh: '已被占用' }],
      );
    }
    const now = this.clock.now().toISOString();
    const row = {
      id: this.ids(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      agent_number: input.agentNumber ?? null,
      password_hash: await hashPassword(input.password),
      created_at: now,
      disabled_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await repo.insertUser(trx, row);
      await recordAudit(trx, {
        id: this.ids(),
        at: now,
        actor,
        entityType: 'user',
        entityId: row.id,
        action: 'create',
        changes: { username: row.username, role: row.role, agentNumber: row.agent_number },
      });
    });
    return toUser(row);
  }

  async listUsers(): Promise<User[]> {
    return (await repo.listUsers(this.db)).map(toUser);
  }

  async usersWithRole(role: UserRole): Promise<User[]> {
    return (await repo.usersWithRole(this.db, role)).map(toUser);
  }

  /** Checks a password and opens a session; the same error for an unknown user and a wrong password. */
  async login(username: string, password: string, ip: string | null) {
    const row = await repo.findUserByUsername(this.db, username);
    // Verify against a dummy hash for unknown users too, so timing does not reveal which it was.
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled_at !== null) {
      throw new AppError('unauthenticated', { zh: '用户名或密码错误', en: 'wrong username or password' });
    }
    const sessionToken = token('hs_s_');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const expires = new Date(now.getTime() + this.sessionHours * 3600_000);
    await repo.insertSession(this.db, {
      id: sha256(sessionToken),
      user_id: row.id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
      ip,
    });
    return { user: toUser(row), sessionToken, csrfToken, expiresAt: expires.toISOString() };
  }

  async logout(sessionId: string): Promise<void> {
    await repo.deleteSession(this.db, sessionId);
  }

  async authenticateSession(sessionToken: string): Promise<AuthContext | null> {
    const id = sha256(sessionToken);
    const row = await repo.findSession(this.db, id, this.clock.now().toISOString());
    if (!row) return null;
    return { user: toUser(row), via: 'session', sessionId: row.session_id, csrfToken: row.csrf_token };
  }

  async createApiToken(userId: string, name: string, actor: { userId: string | null; ip: string | null }) {
    const secret = token('hs_t_');
    const id = this.ids();
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await repo.insertApiToken(trx, {
        id,
        user_id: userId,
        name,
        token_hash: sha256(secret),
        created_at: now,
      });
      await recordAudit(trx, {
        id: this.ids(),
        at: now,
        actor,
        entityType: 'api-token',
        entityId: id,
        action: 'create',
        changes: { userId, name },
      });
    });
    return { id, name, token: secret, createdAt: now };
  }

  async revokeApiToken(
    id: string,
    ownerId: string | null,
    actor: { userId: string | null; ip: string | null },
  ): Promise<void> {
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const n = await repo.revokeApiToken(trx, id, ownerId, now);
      if (n === 0)
        throw new AppError('not-found', {
          zh: `没有有效的 API 令牌“${id}”`,
          en: `no active API token '${id}'`,
        });
      await recordAudit(trx, {
        id: this.ids(),
        at: now,
        actor,
        entityType: 'api-token',
        entityId: id,
        action: 'revoke',
        changes: {},
      });
    });
  }

  async authenticateToken(secret: string): Promise<AuthContext | null> {
    const row = await repo.findApiToken(this.db, sha256(secret));
    if (!row) return null;
    await repo.touchApiToken(this.db, row.token_id, this.clock.now().toISOString());
    return { user: toUser(row), via: 'token' };
  }
}

// A valid hash of a random password, used to spend the same time on unknown usernames.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$5Jd0Wv0m2z2m9wq2mX9o2mSx0g0Pq0n8GdN1q5h6k3Y';
