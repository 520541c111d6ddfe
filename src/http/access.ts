// Who may call a route, and who is calling: the one place that checks a request's Principal.
// Every route declares its access rule (the app refuses to start otherwise), so that no route
// is open by accident; tests walk the route table and check each one. The principal is built
// once per request by the auth hook (app.ts); routes read it with principalOf.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../accounts/principal.ts';
import { type TokenScope, USER_ROLES, type UserRole } from '../accounts/roles.ts';
import type { AccountsService } from '../accounts/service.ts';
import { type CallScope, scopeOf } from '../calls/views.ts';
import { AppError } from '../shared/errors.ts';

/** 'public': anyone; 'authenticated': any signed-in user; or the roles allowed. */
export type Access = 'public' | 'authenticated' | readonly UserRole[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /**
     * The scope an API token needs on this route. Default: `read` for GET, `write` for the
     * other methods, `admin` where only admins may call.
     */
    tokenScope?: TokenScope;
  }
  interface FastifyRequest {
    /** Who is calling; null: not signed in. Set once, by the auth hook. */
    principal: Principal | null;
  }
}

export const ALL_ROLES = Object.keys(USER_ROLES) as UserRole[];
/** Supervisors: everyone above the agent on the escalation chain, and admins. */
export const SUPERVISORS: readonly UserRole[] = ['team-lead', 'room-director', 'complaint-desk', 'admin'];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function describeAccess(access: Access): string {
  if (access === 'public') return 'anyone';
  if (access === 'authenticated') return 'any signed-in user';
  return access.join(', ');
}

/**
 * Every refused request (403: an access rule, CSRF, a token scope, or a check deeper in a
 * route) leaves one audit entry saying who tried which route, written after the answer
 * went out. One place, one entry per refused request; the URL's own text (which may hold a
 * phone number) is not stored, only the route pattern.
 */
function auditRefusal(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.once('finish', () => {
    if (reply.statusCode !== 403) return;
    const accounts = (request.server as unknown as { services?: { accounts?: AccountsService } }).services
      ?.accounts;
    const p = request.principal;
    accounts
      ?.auditRefusal(
        {
          userId: p?.userId ?? null,
          ip: request.ip,
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          via: p?.via ?? null,
        },
        p ? `${p.role} via ${p.via}` : 'not signed in',
      )
      .catch((err: unknown) => request.log.warn({ err }, 'could not audit a refused request'));
  });
}

/**
 * The refusal when a cookie session no longer belongs to the user the page shows (`shownAs`,
 * its user id): another user signed in in another tab. Null when it still does, or when the
 * caller named nobody (API clients) or is not a cookie session. The streams a page opens
 * (the console's WebSocket, the notification stream) cannot send headers: they name the
 * page's user in the query (`?user=`) and are checked the same way.
 */
export function sessionChanged(auth: Principal, shownAs: unknown): AppError | null {
  if (auth.via !== 'session' || typeof shownAs !== 'string' || shownAs === auth.userId) return null;
  return new AppError('session-changed', {
    zh: `此浏览器已在其他标签页以“${auth.username}”登录；请重新以本页的用户登录，页面上填写的内容都还在`,
    en: `this browser is now signed in as '${auth.username}' in another tab; sign in again as this page's user (what you typed is kept)`,
  });
}

/** The hook that enforces a route's access, and CSRF for cookie sessions. */
export async function enforceAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.is404) return;
  auditRefusal(request, reply);
  const access = request.routeOptions.config.access;
  if (access === undefined)
    throw new AppError('internal', { zh: '接口未声明访问规则', en: 'route without an access rule' });
  if (access === 'public') return;
  const auth = request.principal;
  if (!auth) throw notSignedIn();
  // The cookie is the browser's, shared by its tabs: a page showing user A sends A's id, and a
  // session that has since become B's (B signed in in another tab) is refused, not served as A.
  const changed = sessionChanged(auth, request.headers['x-huashu-user']);
  if (changed) throw changed;
  if (auth.via === 'session' && UNSAFE.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== auth.csrfToken) {
      // Its own code: the web client then takes the session's current token (GET /api/auth/me)
      // and sends again, which is what happens after signing in again in another tab.
      throw new AppError('csrf-mismatch', {
        zh: '登录状态已在其他标签页更新，请重新提交（接口调用方：请发送登录时返回的 x-csrf-token 请求头）',
        en: 'the sign-in was renewed in another tab; send again (API callers: send the x-csrf-token header returned at sign-in)',
      });
    }
  }
  if (auth.via === 'token') {
    const config = request.routeOptions.config;
    const needed: TokenScope =
      config.tokenScope ??
      (access !== 'authenticated' && access.length === 1 && access[0] === 'admin'
        ? 'admin'
        : UNSAFE.has(request.method)
          ? 'write'
          : 'read');
    if (!auth.scopes?.includes(needed)) {
      throw new AppError('forbidden', {
        zh: `此 API 令牌缺少权限“${needed}”（现有：${auth.scopes?.join('、') || '无'}）`,
        en: `this API token lacks the scope '${needed}' (it has: ${auth.scopes?.join(', ') || 'none'})`,
      });
    }
  }
  if (access === 'authenticated') return;
  if (!access.includes(auth.role)) {
    throw new AppError('forbidden', {
      zh: `此操作仅限以下角色：${access.map((r) => USER_ROLES[r].zh).join('、')}；您的角色是${USER_ROLES[auth.role].zh}`,
      en: `this needs one of the roles: ${access.join(', ')}; you are ${auth.role}`,
    });
  }
}

function notSignedIn(): AppError {
  return new AppError('unauthenticated', {
    zh: '请先登录（POST /api/auth/login），或发送 API 令牌',
    en: 'sign in first (POST /api/auth/login) or send an API token',
  });
}

/**
 * The caller of a route that needs one: the principal the auth hook built. Also the actor
 * (userId, ip) that services write to the audit log.
 */
export function principalOf(request: Pick<FastifyRequest, 'principal'>): Principal {
  if (!request.principal) throw notSignedIn();
  return request.principal;
}

/** Which calls the caller sees whole: agents their own, everyone else every call. */
export function callScopeOf(request: Pick<FastifyRequest, 'principal'>): CallScope {
  return scopeOf(principalOf(request));
}
