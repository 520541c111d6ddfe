// The HTTP application: Fastify with a zod schema on every route (validation, types and the
// OpenAPI document from one definition), one error handler with a closed set of error codes,
// authentication by session cookie or API token, and an access rule on every route.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { USER_ROLES } from '../accounts/roles.ts';
import type { Config } from '../config/config.ts';
import type { Store } from '../db/database.ts';
import { storeUnavailableMessage } from '../db/faults.ts';
import { maskDeep, maskText } from '../observability/mask.ts';
import { Metrics } from '../observability/metrics.ts';
import type { Catalog } from '../playbook/catalog.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';
import { AppError, ERROR_STATUS } from '../shared/errors.ts';
import { type Access, enforceAccess } from './access.ts';
import { registerRoutes } from './modules.ts';
import { createServices, type Services } from './services.ts';

export const SESSION_COOKIE = 'huashu_session';
export const BODY_LIMIT = 1024 * 1024;

export interface AppDeps {
  config: Config;
  store: Store;
  catalog: Catalog;
  clock: Clock;
  ids: IdGenerator;
  /** Log to stdout (the server) or not at all (tests). */
  logger?: boolean;
  /** Log to this stream instead (tests that read the log); implies logging. */
  logStream?: NodeJS.WritableStream;
  metrics?: Metrics;
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

export type App = FastifyInstance & { services: Services; metrics: Metrics; routeTable: RouteEntry[] };

function loggerOptions(deps: AppDeps): FastifyServerOptions['logger'] {
  if (!deps.logger && !deps.logStream) return false;
  return {
    level: deps.config.logLevel,
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

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(deps),
    bodyLimit: BODY_LIMIT,
    trustProxy: false,
    // Ids in URLs are ours; anything longer is not a request we serve.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = deps.metrics ?? new Metrics({ defaultMetrics: deps.logger === true });
  const services = createServices(deps, metrics);
  app.decorate('services', services);
  app.decorate('metrics', metrics);
  app.decorateRequest('auth', null);

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
        ...(deps.config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: deps.config.secureCookies
      ? { maxAge: 365 * 24 * 3600, includeSubDomains: true }
      : false,
  });
  await app.register(cookie);
  await app.register(swagger, {
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
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Authentication: a session cookie or "Authorization: Bearer <API token>".
  app.addHook('onRequest', async (request) => {
    // /metrics checks its own bearer token (HUASHU_METRICS_TOKEN), which is not an API token.
    if (request.routeOptions.url === '/metrics') return;
    const header = request.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      request.auth = await services.accounts.authenticateToken(header.slice(7).trim());
      if (!request.auth) throw new AppError('unauthenticated', 'unknown or revoked API token');
      return;
    }
    const session = request.cookies[SESSION_COOKIE];
    if (session) request.auth = await services.accounts.authenticateSession(session);
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
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      return reply.status(400).send({
        code: 'validation',
        message: `invalid ${where}: ${error.validation.map((v) => `${[where, ...v.instancePath.split('/').filter(Boolean)].join('.')}: ${v.message}`).join('; ')}`,
        details: error.validation.map((v) => ({
          path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
          message: v.message ?? 'invalid',
        })),
      });
    }
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .send({ code: error.code, message: error.message, details: error.details });
    }
    const fastifyCode = (error as { code?: string }).code;
    const status = (error as { statusCode?: number }).statusCode;
    if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply
        .status(413)
        .send({ code: 'payload-too-large', message: `request body over ${BODY_LIMIT} bytes`, details: [] });
    }
    if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({
        code: 'unsupported-media-type',
        message: 'send JSON (Content-Type: application/json)',
        details: [],
      });
    }
    if (status !== undefined && status >= 400 && status < 500) {
      return reply
        .status(status)
        .send({ code: 'bad-request', message: (error as Error).message, details: [] });
    }
    const unavailable = storeUnavailableMessage(error);
    if (unavailable !== undefined) {
      request.log.warn({ err: error }, 'database unavailable');
      return reply.status(503).send({ code: 'unavailable', message: unavailable, details: [] });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ code: 'internal', message: 'internal error; see the server log', details: [] });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      code: 'not-found',
      message: `no route ${request.method} ${maskText(request.url.split('?')[0] ?? '')}`,
      details: [],
    });
  });

  await registerRoutes(app, services);
  await app.ready();
  return Object.assign(app, { services, metrics, routeTable }) as unknown as App;
}

export { ERROR_STATUS };
