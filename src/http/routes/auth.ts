// Sign-in, sign-out, users and API tokens.
import { z } from 'zod';
import { USER_ROLE_IDS } from '../../accounts/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { ALL_ROLES } from '../access.ts';
import { SESSION_COOKIE } from '../app.ts';
import { type Api, errorResponses } from '../schemas.ts';
import type { Services } from '../services.ts';

const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(USER_ROLE_IDS as [string, ...string[]]),
    agentNumber: z.string().nullable(),
    createdAt: z.string(),
    disabled: z.boolean(),
  })
  .meta({ id: 'User' });

export async function authRoutes(app: Api, services: Services): Promise<void> {
  const { accounts } = services;
  const secure = services.secureCookies;

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a password; sets an HttpOnly session cookie and returns the CSRF token',
        body: z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }),
        response: {
          200: z.object({ user: userSchema, csrfToken: z.string(), expiresAt: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const r = await accounts.login(request.body.username, request.body.password, request.ip);
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
      if (request.auth?.sessionId) await accounts.logout(request.auth.sessionId);
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
      const auth = request.auth;
      if (!auth) throw new AppError('unauthenticated', { zh: '请先登录', en: 'sign in first' });
      return { user: auth.user, csrfToken: auth.csrfToken ?? null };
    },
  );

  app.get(
    '/api/users',
    {
      config: { access: ['team-lead', 'room-director', 'complaint-desk', 'admin'] },
      schema: {
        tags: ['users'],
        summary: 'All accounts',
        response: { 200: z.object({ items: z.array(userSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: await accounts.listUsers() }),
  );

  app.post(
    '/api/users',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Create an account',
        body: z.strictObject({
          username: z.string().regex(/^[A-Za-z0-9._-]{2,50}$/, 'letters, digits, . _ - (2–50)'),
          displayName: z.string().trim().min(1).max(100),
          role: z.enum(USER_ROLE_IDS as [string, ...string[]]),
          agentNumber: z
            .string()
            .regex(/^\d{2,8}$/, 'digits only (the 工号)')
            .optional(),
          password: z.string().min(8, 'at least 8 characters').max(200),
        }),
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = await accounts.createUser(
        { ...b, role: b.role as (typeof USER_ROLE_IDS)[number], agentNumber: b.agentNumber ?? null },
        { userId: request.auth?.user.id ?? null, ip: request.ip },
      );
      return reply.status(201).send(user);
    },
  );

  app.post(
    '/api/tokens',
    {
      config: { access: ALL_ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for integrations (shown once); admins may create one for another user',
        body: z.strictObject({ name: z.string().trim().min(1).max(100), userId: z.string().optional() }),
        response: {
          201: z.object({ id: z.string(), name: z.string(), token: z.string(), createdAt: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const me = request.auth?.user;
      if (!me) throw new AppError('unauthenticated', { zh: '请先登录', en: 'sign in first' });
      const owner = request.body.userId ?? me.id;
      if (owner !== me.id && me.role !== 'admin')
        throw new AppError('forbidden', {
          zh: '只有管理员可以为其他用户创建令牌',
          en: 'only an admin may create a token for another user',
        });
      const t = await accounts.createApiToken(owner, request.body.name, { userId: me.id, ip: request.ip });
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
      const me = request.auth?.user;
      if (!me) throw new AppError('unauthenticated', { zh: '请先登录', en: 'sign in first' });
      await accounts.revokeApiToken(request.params.id, me.role === 'admin' ? null : me.id, {
        userId: me.id,
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
