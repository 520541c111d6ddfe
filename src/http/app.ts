// The HTTP application: Fastify with a zod schema on every route (validation, types and the
// OpenAPI document from one definition), one error handler with a closed set of error codes,
// authentication by session cookie or API token, and an access rule on every route.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';

type ConnectionError = Parameters<NonNullable<FastifyServerOptions['clientErrorHandler']>>[0];

import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { USER_ROLES } from '../accounts/roles.ts';
import { type Application, createApplication } from '../app/application.ts';
import { storeUnavailableMessage } from '../db/faults.ts';
import { maskDeep, maskText } from '../observability/mask.ts';
import { Metrics } from '../observability/metrics.ts';
import { AppError, ERROR_STATUS, type ErrorCode, type Localized } from '../shared/errors.ts';
import { type Access, enforceAccess } from './access.ts';
import { type AppDeps, type HttpOptions, SESSION_COOKIE } from './deps.ts';
import { registerLazyDocs } from './docs.ts';
import { type Language, preferredLanguage } from './language.ts';
import { registerRoutes } from './modules.ts';
import { refuseUnstorableInput, validatorCompiler } from './validation.ts';
import { createWebUi } from './web.ts';

// AppDeps and SESSION_COOKIE live in deps.ts so the routes need not import app.ts (which
// imports them): no import cycle.
export { type AppDeps, SESSION_COOKIE };

export const BODY_LIMIT = 1024 * 1024;

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

/** The HTTP server of an application; `services` is the application it serves. */
export type App = FastifyInstance & { services: Application; metrics: Metrics; routeTable: RouteEntry[] };

function loggerOptions(deps: HttpOptions, level: string): FastifyServerOptions['logger'] {
  if (!deps.logger && !deps.logStream) return false;
  return {
    level,
    ...(deps.logStream ? { stream: deps.logStream } : {}),
    // Phone and ID numbers are masked in every log line, message and fields alike.
    formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({
        method: req.method,
        url: maskText(String(req.url ?? '')),
        ip: req.ip,
      }),
    },
  };
}

/** A route's access rule in words: "team lead / coordinator, room director". */
function whoMayCall(access: Access): string {
  if (access === 'public') return 'anyone, without signing in';
  if (access === 'authenticated') return 'any signed-in user';
  return access.map((role) => USER_ROLES[role].en).join(', ');
}

// ---- error bodies: {code, message, details}, in the caller's language ----

function languageOf(request: FastifyRequest): Language {
  return preferredLanguage(request.headers['accept-language']);
}

/** Fastify's own 4xx messages that a caller may meet, in both languages. */
const FASTIFY_MESSAGES: Record<string, Localized> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    zh: '请求内容为空：Content-Type 为 application/json 时须发送 JSON',
    en: 'the body is empty but Content-Type says application/json: send JSON',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { zh: '请求内容不是有效的 JSON', en: 'the body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    zh: 'Content-Length 与请求内容的长度不符',
    en: 'Content-Length does not match the length of the body',
  },
};

/** A 500 says no more than that: the details are in the server log, never in the answer. */
function internalError(): AppError {
  return new AppError('internal', {
    zh: '服务器内部错误，详情见服务器日志',
    en: 'internal error; see the server log',
  });
}

function sendError(reply: FastifyReply, language: Language, error: AppError, status = error.status) {
  return reply
    .status(status)
    .header('content-language', language === 'zh' ? 'zh-CN' : 'en')
    .header('vary', 'accept-language')
    .send({
      code: error.code,
      message: error.messageIn(language),
      details: error.details.map((d) => ({
        ...(d.path !== undefined ? { path: d.path } : {}),
        message: language === 'zh' ? (d.zh ?? d.message) : d.message,
      })),
    });
}

/** Errors of the router before a route is known: a bad URL, a parameter over maxParamLength. */
function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const language = languageOf(request);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return sendError(
      reply,
      language,
      new AppError('uri-too-long', {
        zh: '网址过长：路径中有一段超过 200 个字符',
        en: 'URI too long: a path segment is over 200 characters',
      }),
    );
  if (error.code === 'FST_ERR_BAD_URL')
    return sendError(
      reply,
      language,
      new AppError('bad-request', {
        zh: '网址无效：路径中的 % 编码有误',
        en: 'invalid URL: a %-escape in the path is malformed',
      }),
    );
  request.log.error({ err: error }, 'router error');
  return sendError(reply, language, internalError());
}

const CLIENT_ERRORS: Record<string, { code: ErrorCode; text: Localized }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'request-timeout',
    text: {
      zh: '请求超时：未在时限内收到完整请求',
      en: 'request timeout: the request did not arrive in time',
    },
  },
  HPE_HEADER_OVERFLOW: {
    code: 'headers-too-large',
    text: {
      zh: '请求头或网址过长（合计超过 16 KB）',
      en: 'request headers or URL too large (over 16 KB together)',
    },
  },
};
const MALFORMED: { code: ErrorCode; text: Localized } = {
  code: 'bad-request',
  text: {
    zh: '请求格式有误（HTTP 请求行或请求头无效）',
    en: 'malformed HTTP request (invalid request line or header)',
  },
};

/**
 * Node's parser refused the request (bad header, garbage, headers over 16 KB, timeout): no
 * request object exists, so the answer is written to the socket, in the language the raw
 * request asked for when it can be read.
 */
function clientErrorHandler(error: ConnectionError, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, text } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
  const packet = error.rawPacket as unknown as Buffer | undefined;
  const raw = packet ? packet.subarray(0, 16 * 1024).toString('latin1') : '';
  const language = preferredLanguage(/\r\naccept-language:[ \t]*([^\r\n]*)/i.exec(raw)?.[1]);
  const body = JSON.stringify({ code, message: language === 'zh' ? text.zh : text.en, details: [] });
  const status = ERROR_STATUS[code];
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Language: ${language === 'zh' ? 'zh-CN' : 'en'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  // After the answer is flushed: the parser cannot read anything more from this connection.
  socket.destroySoon();
}

/**
 * The HTTP server of `deps.application`; or of an application built from `deps` (tests),
 * which then closes with the server.
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const owned = !('application' in deps);
  const services: Application =
    'application' in deps
      ? deps.application
      : createApplication({
          ...deps,
          metrics: deps.metrics ?? new Metrics({ defaultMetrics: deps.logger === true }),
        });
  const { config, metrics } = services;
  const app = Fastify({
    logger: loggerOptions(deps, config.logLevel),
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    // Ids in URLs are ours; anything longer is not a request we serve.
    routerOptions: { maxParamLength: 200 },
    // Errors Fastify or Node raise before a route is found get the API's error body too.
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('services', services);
  app.decorate('metrics', metrics);
  app.decorateRequest('principal', null);
  if (owned) app.addHook('onClose', () => services.close());

  // Every route must say who may call it; a route without a rule is a programming error.
  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) {
      route.config = { ...(route.config ?? {}), access: 'public' };
    }
    if (route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access)`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: route.config.access });
    }
    // The OpenAPI document says who may call each operation: in words, and as `x-access`
    // (the rule exactly as the route declares it) for tools.
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    if (!schema.hide) {
      const who = `Who may call: ${whoMayCall(route.config.access)}`;
      route.schema = {
        ...schema,
        description: typeof schema.description === 'string' ? `${schema.description}\n\n${who}` : who,
        'x-access': route.config.access,
      } as typeof route.schema;
    }
  });

  // Security headers on every answer, errors included (registered before the auth hooks so
  // that a 401 carries them too). One CSP serves the JSON API and the Swagger UI at /api/docs,
  // which loads only its own scripts and styles (no inline script; inline styles it sets at
  // run time, images as data: URIs). HSTS and upgrade-insecure-requests only behind HTTPS
  // (HUASHU_SECURE_COOKIES): on plain HTTP they would send browsers to an https:// that is
  // not there.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.secureCookies
      ? { maxAge: 365 * 24 * 3600, includeSubDomains: true }
      : false,
  });
  await app.register(cookie);
  // Built on the first request of /api/docs (docs.ts): most starts never serve it.
  registerLazyDocs(app, {
    openapi: {
      info: {
        title: 'Huashu API',
        description:
          '话术: playbooks, calls and quality inspection, tickets, blacklist and CTI events for Chinese customer-service hotlines',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });

  // Authentication: a session cookie or "Authorization: Bearer <API token>". The request's
  // principal is built here, once; everything after reads request.principal.
  app.addHook('onRequest', async (request) => {
    // /metrics checks its own bearer token (HUASHU_METRICS_TOKEN), which is not an API token.
    if (request.routeOptions.url === '/metrics') return;
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      request.principal = await services.principalFromToken(header.slice(7).trim(), request.ip);
      if (!request.principal)
        throw new AppError('unauthenticated', {
          zh: 'API 令牌无效或已撤销',
          en: 'unknown or revoked API token',
        });
      return;
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) request.principal = await services.principalFromSession(session, request.ip);
  });
  // Access is checked before the body is even validated, so that a caller without the right
  // learns nothing about a route from its validation errors.
  app.addHook('onRequest', enforceAccess);

  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error, request, reply) => {
    const language = languageOf(request);
    if (error instanceof AppError) return sendError(reply, language, error);
    const fastifyCode = (error as { code?: string }).code;
    const status = (error as { statusCode?: number }).statusCode;
    if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        reply,
        language,
        new AppError('payload-too-large', {
          zh: `请求内容超过 ${BODY_LIMIT} 字节`,
          en: `request body over ${BODY_LIMIT} bytes`,
        }),
      );
    }
    if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(
        reply,
        language,
        new AppError('unsupported-media-type', {
          zh: '请以 JSON 发送（Content-Type: application/json）',
          en: 'send JSON (Content-Type: application/json)',
        }),
      );
    }
    if (status !== undefined && status >= 400 && status < 500) {
      const en = (error as Error).message;
      const known = fastifyCode ? FASTIFY_MESSAGES[fastifyCode] : undefined;
      return sendError(
        reply,
        language,
        new AppError('bad-request', known ?? { zh: `请求有误：${en}`, en }),
        status,
      );
    }
    const unavailable = storeUnavailableMessage(error);
    if (unavailable !== undefined) {
      request.log.warn({ err: error }, 'database unavailable');
      return sendError(reply, language, new AppError('unavailable', unavailable));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, language, internalError());
  });
  // The web UI (dist/web/, web.ts) answers the GETs no route takes, outside /api; anything
  // else not found is the JSON 404.
  const webUi = createWebUi(deps.webRoot);
  app.addHook('onClose', () => webUi.close());
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const what = `${request.method} ${maskText(request.url.split('?')[0] ?? '')}`;
    return sendError(
      reply,
      languageOf(request),
      new AppError('not-found', {
        zh: `没有这个接口：${what}`,
        en: `no route ${what}`,
      }),
    );
  };
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(request, reply);
    return webUi.serve(request, reply, () => notFound(request, reply));
  });
  // Every input check of every route, before its schema: see validation.ts.
  app.addHook('preValidation', refuseUnstorableInput);

  await registerRoutes(app, services);
  await app.ready();
  return Object.assign(app, { services, metrics, routeTable }) as unknown as App;
}

export { ERROR_STATUS };
