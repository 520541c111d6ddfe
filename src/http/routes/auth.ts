// Sign-in, sign-out, users, API tokens and the audit log.
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH, PASSWORD_RULE_EN, PASSWORD_RULE_ZH } from '../../accounts/password-policy.ts';
import { TOKEN_SCOPES, USER_ROLE_IDS, type UserRole } from '../../accounts/roles.ts';
import { TEAM_MAX_LENGTH } from '../../accounts/team.ts';
import { TooManyRequestsError } from '../../accounts/throttle.ts';
import type { Services } from '../../app/application.ts';
import { isReservedActor, searchAudit } from '../../audit/audit.ts';
import { AppError } from '../../shared/errors.ts';
import { ALL_ROLES, principalOf } from '../access.ts';
import { SESSION_COOKIE } from '../deps.ts';
import { bilingual } from '../language.ts';
import { type Api, agentNumberSchema, errorBody, errorResponses, page, pageQuery } from '../schemas.ts';

const passwordField = z
  .string()
  // Both languages: the users screen shows this under the password field as the UI speaks.
  .min(
    MIN_PASSWORD_LENGTH,
    bilingual({
      en: `at least ${MIN_PASSWORD_LENGTH} characters (${PASSWORD_RULE_EN})`,
      zh: `太短：${PASSWORD_RULE_ZH}`,
    }),
  )
  .max(200)
  .describe(PASSWORD_RULE_EN);
const agentNumberField = agentNumberSchema;
const USERNAME_MESSAGE = {
  en: 'letters, digits, . _ - (2–50)',
  zh: '用户名只能包含英文字母、数字和 . _ -（2 到 50 个字符）',
};
const brandField = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .describe('the brand whose hotline the agent works (id, name or alias); absent or null: every brand');

const teamField = z
  .string()
  .trim()
  .min(
    1,
    bilingual({
      en: 'at least 1 character once trimmed; send null to clear the team',
      zh: '去掉首尾空格后不能为空；要清除班组请传 null',
    }),
  )
  .max(TEAM_MAX_LENGTH)
  .describe(
    'the team (班组), e.g. 一组: a team lead with a team sees that team’s live calls; stored as typed, Traditional and Simplified spellings are one team; null: none',
  );

export const userRoleSchema = z.enum(USER_ROLE_IDS as [UserRole, ...UserRole[]]).meta({ id: 'UserRole' });
export const tokenScopeSchema = z.enum(TOKEN_SCOPES).meta({ id: 'TokenScope' });

const tokenSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    username: z.string(),
    name: z.string(),
    scopes: z.array(tokenScopeSchema),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'ApiToken' });

const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorName: z
      .string()
      .nullable()
      .describe(
        "the actor's display name when the actor is a user who still exists; null for a reserved actor",
      ),
    actorUsername: z.string().nullable().describe("the actor's username, as actorName"),
    actorIp: z.string().nullable(),
    entityType: z.string(),
    entityId: z.string(),
    action: z.string(),
    changes: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString())
  .describe('ISO-8601 date-time with a zone, e.g. 2026-11-20T09:00:00+08:00');

const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: userRoleSchema,
    agentNumber: z.string().nullable(),
    brand: z.string().nullable(),
    team: z.string().nullable().describe('the team (班组) as typed; null: none'),
    createdAt: z.string(),
    disabled: z.boolean(),
  })
  .meta({ id: 'User' });

export async function authRoutes(
  app: Api,
  services: Pick<Services, 'accounts' | 'calls' | 'store'> & { secureCookies: boolean },
): Promise<void> {
  const { accounts } = services;
  const secure = services.secureCookies;
  const brandId = (brand: string | null | undefined, path: string) =>
    brand === undefined || brand === null ? brand : services.calls.brandId(brand, path);

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a password; sets an HttpOnly session cookie and returns the CSRF token',
        description:
          'The username ignores case. Repeated failures are throttled per (account, address), per account and per address with exponential backoff: 429 with Retry-After (seconds), even for the right password, until it passes.',
        body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
        response: {
          200: z.object({ user: userSchema, csrfToken: z.string(), expiresAt: z.string() }),
          ...errorResponses,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      let r: Awaited<ReturnType<typeof accounts.login>>;
      try {
        r = await accounts.login(request.body.username, request.body.password, request.ip);
      } catch (e) {
        if (e instanceof TooManyRequestsError) reply.header('retry-after', String(e.retryAfterSeconds));
        throw e;
      }
      reply.setCookie(SESSION_COOKIE, r.sessionToken, {
        httpOnly: true,
        sameSite: 'strict',
        secure,
        path: '/',
        expires: new Date(r.expiresAt),
      });
      return { user: r.user, csrfToken: r.csrfToken, expiresAt: r.expiresAt };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session)',
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await accounts.logout(principalOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: {
          200: z.object({ user: userSchema, csrfToken: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const me = principalOf(request);
      const user = await accounts.findUserById(me.userId);
      // Removed between the auth hook and here: as if the session had ended.
      if (!user) throw new AppError('unauthenticated', { zh: '请先登录', en: 'sign in first' });
      return { user, csrfToken: me.csrfToken };
    },
  );

  app.get(
    '/api/users',
    {
      config: { access: ['team-lead', 'room-director', 'complaint-desk', 'admin'] },
      schema: {
        tags: ['users'],
        summary:
          'The accounts: all of them for an account without a brand; for a brand-limited one, its brand’s and those without a brand',
        response: { 200: z.object({ items: z.array(userSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await accounts.usersSeenBy(principalOf(request)) }),
  );

  app.get(
    '/api/colleagues',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['users'],
        summary:
          'Whom you may leave a message for (a ticket of type message, `colleague`): the enabled accounts of your brand (every brand when yours or theirs is none), yourself excepted; name, role and 工号 only',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                displayName: z.string(),
                role: z.enum(USER_ROLE_IDS as [string, ...string[]]),
                agentNumber: z.string().nullable(),
                brand: z.string().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await accounts.colleagues(principalOf(request)) }),
  );

  app.post(
    '/api/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Create an account',
        body: z.strictObject({
          username: z.string().regex(/^[A-Za-z0-9._-]{2,50}$/, bilingual(USERNAME_MESSAGE)),
          displayName: z.string().trim().min(1).max(100),
          role: z.enum(USER_ROLE_IDS as [string, ...string[]]),
          agentNumber: agentNumberField.optional().describe('the 工号, unique per brand'),
          brand: brandField.nullable().optional(),
          team: teamField.nullable().optional(),
          password: passwordField,
        }),
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const own = principalOf(request).brand;
      // An admin limited to a brand makes accounts of its brand (its brand when none is given):
      // not another brand's, nor one of every brand (it would give more than it has).
      const brand = b.brand === undefined ? own : (brandId(b.brand, 'body.brand') ?? null);
      if (own !== null) sameBrandOnly(own, brand);
      const user = await accounts.createUser(
        {
          ...b,
          role: b.role as UserRole,
          agentNumber: b.agentNumber ?? null,
          brand: brand ?? null,
          team: b.team ?? null,
        },
        principalOf(request),
      );
      return reply.status(201).send(user);
    },
  );

  /** A brand-limited admin's account change: only accounts of its brand (another's: 404 like unknown). */
  const ownBrandsUser = async (own: string, id: string): Promise<void> => {
    const target = (await accounts.usersByIds([id])).get(id);
    if (target !== undefined && target.brand !== own)
      throw new AppError('not-found', { zh: `没有用户“${id}”`, en: `no user '${id}'` });
  };

  app.patch(
    '/api/users/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary:
          'Change an account: name, role, 工号, brand, team (null clears it); disable (ends its sessions and tokens at once) or enable',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z
          .strictObject({
            displayName: z.string().trim().min(1).max(100).optional(),
            role: z.enum(USER_ROLE_IDS as [string, ...string[]]).optional(),
            agentNumber: agentNumberField.nullable().optional(),
            brand: brandField.nullable().optional(),
            team: teamField.nullable().optional(),
            disabled: z.boolean().optional(),
          })
          .refine((b) => Object.keys(b).length > 0, 'send at least one field to change'),
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      const own = principalOf(request).brand;
      if (own !== null) {
        await ownBrandsUser(own, request.params.id);
        if (b.brand !== undefined) sameBrandOnly(own, brandId(b.brand, 'body.brand') ?? null);
      }
      return accounts.updateUser(
        request.params.id,
        {
          ...(b.displayName !== undefined ? { displayName: b.displayName } : {}),
          ...(b.role !== undefined ? { role: b.role as UserRole } : {}),
          ...(b.agentNumber !== undefined ? { agentNumber: b.agentNumber } : {}),
          ...(b.brand !== undefined ? { brand: brandId(b.brand, 'body.brand') ?? null } : {}),
          ...(b.team !== undefined ? { team: b.team } : {}),
          ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
        },
        principalOf(request),
      );
    },
  );

  app.post(
    '/api/users/:id/password',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: "Reset a user's password (ends their sessions; tell them the new one in person)",
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z.strictObject({ password: passwordField }),
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => {
      const own = principalOf(request).brand;
      if (own !== null) await ownBrandsUser(own, request.params.id);
      return (await accounts.resetPassword(request.params.id, request.body.password, principalOf(request)))
        .user;
    },
  );

  app.post(
    '/api/tokens',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for integrations (shown once); admins may create one for another user',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          userId: z.string().optional(),
          scopes: z
            .array(z.enum(TOKEN_SCOPES))
            .min(1)
            .optional()
            .describe('what the token may do; default read and write'),
          expiresAt: z.iso.datetime({ offset: true }).optional().describe('when the token stops working'),
        }),
        response: {
          201: z.object({
            id: z.string(),
            name: z.string(),
            token: z.string(),
            createdAt: z.string(),
            scopes: z.array(z.enum(TOKEN_SCOPES)),
            expiresAt: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const me = principalOf(request);
      // A leaked token must not be able to make itself a successor that outlives its revocation.
      if (me.via === 'token')
        throw new AppError('forbidden', {
          zh: 'API 令牌不能创建令牌；请用密码登录后创建',
          en: 'an API token cannot create API tokens; sign in with a password',
        });
      const owner = request.body.userId ?? me.userId;
      if (owner !== me.userId && me.role !== 'admin')
        throw new AppError('forbidden', {
          zh: '只有管理员可以为其他用户创建令牌',
          en: 'only an admin may create a token for another user',
        });
      const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt).toISOString() : null;
      const t = await accounts.createApiToken(owner, request.body.name, me, {
        ...(request.body.scopes ? { scopes: request.body.scopes } : {}),
        expiresAt,
        // The zone the creator's screen shows times in (their brand's), for a refusal.
        zone: services.calls.timezoneOf(me.brand),
      });
      return reply.status(201).send(t);
    },
  );

  app.delete(
    '/api/tokens/:id',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token (your own; admins any)',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = principalOf(request);
      await accounts.revokeApiToken(request.params.id, me.role === 'admin' ? null : me.userId, me);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'API tokens (never their secret): your own; admins everyone’s, or one user’s with ?userId',
        querystring: z.strictObject({ userId: z.string().min(1).max(100).optional() }),
        response: { 200: z.object({ items: z.array(tokenSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = principalOf(request);
      const wanted = request.query.userId;
      if (me.role !== 'admin' && wanted !== undefined && wanted !== me.userId)
        throw new AppError('forbidden', {
          zh: '只有管理员可以查看他人的 API 令牌',
          en: "only an admin may list another user's tokens",
        });
      const owner = me.role === 'admin' ? (wanted ?? null) : me.userId;
      return { items: await accounts.listApiTokens(owner) };
    },
  );

  app.patch(
    '/api/tokens/:id',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Expire an API token now, or bring its expiry forward (your own; admins any)',
        params: z.object({ id: z.string().min(1).max(100) }),
        body: z.strictObject({
          expiresAt: instant
            .nullable()
            .optional()
            .describe('when it stops working; absent, null or past: now'),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = principalOf(request);
      await accounts.expireApiToken(
        request.params.id,
        me.role === 'admin' ? null : me.userId,
        request.body.expiresAt ?? null,
        principalOf(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/audit',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['audit'],
        summary:
          'The audit log, newest first: sign-ins (and failures), sign-outs, refused requests, exports, account, token and record changes',
        querystring: z.strictObject({
          actor: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe(
              "a user id, or a reserved actor: 'system:first-start', 'system:cli', 'system:server', 'anonymous'",
            ),
          entity: z
            .string()
            .min(1)
            .max(50)
            .optional()
            .describe('entity type: user, api-token, login, route, export, ticket…'),
          entityId: z.string().min(1).max(200).optional(),
          action: z.string().min(1).max(50).optional(),
          from: instant.optional().describe('inclusive'),
          to: instant.optional().describe('exclusive'),
          ...pageQuery,
        }),
        response: { 200: page(auditEntrySchema), ...errorResponses },
      },
    },
    async (request) => {
      // The log is the whole centre's (every brand's tickets, calls and reviews): an admin limited
      // to a brand sees that brand only everywhere else, so not this.
      const own = principalOf(request).brand;
      if (own !== null)
        throw new AppError('forbidden', {
          zh: `审计日志包含所有品牌的记录，仅限不限品牌的管理员查看（您的账号限于品牌“${own}”）`,
          en: `the audit log holds every brand's records: only admins without a brand may read it (your account is limited to '${own}')`,
        });
      const q = request.query;
      const r = await searchAudit(services.store.db, {
        ...(q.actor !== undefined ? { actorId: q.actor } : {}),
        ...(q.entity !== undefined ? { entityType: q.entity } : {}),
        ...(q.entityId !== undefined ? { entityId: q.entityId } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.from !== undefined ? { from: q.from } : {}),
        ...(q.to !== undefined ? { to: q.to } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      // The actors by name: reserved actors (system:…, anonymous) are no user and stay null.
      const users = await accounts.usersByIds(
        r.items.flatMap((e) => (e.actorId && !isReservedActor(e.actorId) ? [e.actorId] : [])),
      );
      const items = r.items.map((e) => {
        const u = e.actorId ? users.get(e.actorId) : undefined;
        return { ...e, actorName: u?.displayName ?? null, actorUsername: u?.username ?? null };
      });
      return { items, total: r.total, limit: q.limit, offset: q.offset };
    },
  );
}

/** A brand-limited admin gives accounts its own brand only (403 naming it; body.brand). */
function sameBrandOnly(own: string, brand: string | null): void {
  if (brand === own) return;
  throw new AppError(
    'forbidden',
    {
      zh: `您的账号限于品牌“${own}”，只能设置该品牌的账号（body.brand 是“${brand ?? '所有品牌'}”）`,
      en: `your account is limited to brand '${own}': it sets accounts of that brand only (body.brand is ${brand === null ? 'every brand' : `'${brand}'`})`,
    },
    [{ path: 'body.brand', message: `not ${own}`, zh: `不是 ${own}` }],
  );
}
