// The API documentation at /api/docs (the OpenAPI document and the Swagger UI), built on its
// first request rather than at every start: loading and registering @fastify/swagger and
// @fastify/swagger-ui (with @fastify/static) is about a tenth of a server start, and most
// starts never serve the documentation. The routes are recorded as they are added; the first
// request to /api/docs builds a small Fastify instance with both plugins and the same routes
// (handlers that are never called), and every /api/docs request is answered by it.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import Fastify from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const DOCS_PREFIX = '/api/docs';

/** What @fastify/swagger reads of a route. */
type DocumentedRoute = Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config' | 'constraints'>;

export interface DocsOptions {
  /** The `openapi` option of @fastify/swagger. */
  openapi: Record<string, unknown>;
}

/**
 * Adds /api/docs to `app`. Call before any route is added: the routes added after are the
 * ones documented (as @fastify/swagger would find them, after the onRoute hooks added before).
 */
export function registerLazyDocs(app: FastifyInstance, options: DocsOptions): void {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(DOCS_PREFIX)) return;
    // Kept as the object itself: later onRoute hooks may still change it, as for the plugin.
    routes.push(route);
  });

  let docs: Promise<FastifyInstance> | undefined;
  const build = async (): Promise<FastifyInstance> => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
      import('@fastify/swagger'),
      import('@fastify/swagger-ui'),
    ]);
    const inner = Fastify({ logger: false });
    // The schemas are only read for the document: nothing is validated or serialized here.
    inner.setValidatorCompiler(() => () => true);
    inner.setSerializerCompiler(() => (data) => JSON.stringify(data));
    // transformObject puts the schemas named with .meta({id}) (User, Error…) into
    // components.schemas, where the routes' $refs point (a typed client needs them).
    await inner.register(swagger, {
      openapi: options.openapi,
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await inner.register(swaggerUi, { routePrefix: DOCS_PREFIX });
    const handler = async () => undefined;
    for (const r of routes) {
      // HEAD routes Fastify adds for GET ones are left out of the document by the plugin.
      const methods = [r.method].flat().filter((m) => m !== 'HEAD');
      if (methods.length === 0) continue;
      // @fastify/websocket hides its routes from the document; ours says how to open the socket.
      const schema =
        r.schema && (r as { websocket?: boolean }).websocket ? { ...r.schema, hide: false } : r.schema;
      inner.route({
        method: methods,
        url: r.url,
        ...(schema ? { schema } : {}),
        ...(r.config ? { config: r.config } : {}),
        ...(r.constraints ? { constraints: r.constraints } : {}),
        exposeHeadRoute: false,
        handler,
      });
    }
    await inner.ready();
    return inner;
  };
  app.addHook('onClose', async () => {
    if (docs) await (await docs.catch(() => undefined))?.close();
  });

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    docs ??= build();
    let inner: FastifyInstance;
    try {
      inner = await docs;
    } catch (err) {
      docs = undefined; // try again on the next request
      throw err;
    }
    // As GET: for a HEAD request Fastify sends the headers of the GET answer without its body.
    const res = await inner.inject({ method: 'GET', url: request.url, headers: request.headers });
    // Nothing there (no such route or file): the API's own not-found answer, as for any URL.
    if (res.statusCode === 404) return reply.callNotFound();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      reply.header(name, value);
    }
    // An empty body (a redirect) is sent as none: an empty Buffer would get a content type.
    return reply.code(res.statusCode).send(res.rawPayload.length > 0 ? res.rawPayload : undefined);
  };
  for (const url of [DOCS_PREFIX, `${DOCS_PREFIX}/*`]) {
    app.route({ method: 'GET', url, schema: { hide: true }, config: { access: 'public' }, handler: forward });
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);
