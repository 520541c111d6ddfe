// The web UI (web/, built by Vite into dist/web/): every GET outside /api that no route takes
// answers the single-page app. Files (hashed assets, the favicon) come from @fastify/static, loaded on the first
// request of one in a small inner Fastify instance (as docs.ts does for /api/docs): importing
// it costs about a tenth of a server start, and the API alone never needs it. Any other path
// is the app's index.html, which routes in the browser (its 404 page included); /api/* stays
// the API's JSON 404.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';

/** dist/web/ of the project, from src/http/ and dist/http/ (and dist/cli/'s bundle) alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** The placeholder web/vite.config.ts puts where each page's nonce goes (html.cspNonce). */
export const NONCE_PLACEHOLDER = '__HUASHU_CSP_NONCE__';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

interface Site {
  index: string;
  /** Files at the top of dist/web/ other than index.html (favicon…). */
  topFiles: Set<string>;
  files: FastifyInstance;
}

async function loadSite(root: string): Promise<Site | undefined> {
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const { default: fastifyStatic } = await import('@fastify/static');
  const files = Fastify({ logger: false });
  await files.register(fastifyStatic, {
    root,
    index: false,
    // The build writes .br and .gz beside each script and style (scripts/build.js).
    preCompressed: true,
    // Our own headers: Vite names every asset by a hash of its content, so a browser may keep
    // it for good; anything else is checked again each time.
    cacheControl: false,
    setHeaders(res, path) {
      res.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  await files.ready();
  const topFiles = new Set(
    readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== 'index.html')
      .map((e) => e.name),
  );
  return { index: readFileSync(indexFile, 'utf8'), topFiles, files };
}

/**
 * The CSP of the page: the API's, with inline styles allowed only by this answer's nonce
 * (antd writes its CSS-in-JS <style> elements with it) instead of 'unsafe-inline'.
 */
function pagePolicy(apiPolicy: string, nonce: string): string {
  const directives = apiPolicy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !d.startsWith('style-src'));
  directives.push(`style-src 'self' 'nonce-${nonce}'`);
  return directives.join(';');
}

export interface WebUi {
  /**
   * Answers a GET or HEAD that no API route took: a file of dist/web/, or index.html. Calls
   * `notFound` (the API's JSON 404) for /api/*, a missing asset, or when the UI is not built.
   */
  serve(request: FastifyRequest, reply: FastifyReply, notFound: () => unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The web UI, answered from the server's not-found handler rather than a `/*` route: a
 * wildcard route would also catch /api paths the router refuses (a parameter over its
 * length limit is a 414, not a page).
 */
export function createWebUi(root: string = WEB_ROOT): WebUi {
  let site: Promise<Site | undefined> | undefined;

  const serve = async (request: FastifyRequest, reply: FastifyReply, notFound: () => unknown) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path === '/api' || path.startsWith('/api/')) return notFound();
    site ??= loadSite(root);
    let loaded: Site | undefined;
    try {
      loaded = await site;
    } catch (err) {
      site = undefined; // try again on the next request
      throw err;
    }
    if (!loaded) {
      site = undefined; // built later (npm run build) without a restart: found then
      return notFound();
    }
    const top = path.slice(1);
    if (path.startsWith('/assets/') || loaded.topFiles.has(top)) {
      const res = await loaded.files.inject({ method: 'GET', url: request.url, headers: request.headers });
      // A missing hashed file (an old page after a deploy) is a 404, never the page itself.
      if (res.statusCode === 404) return notFound();
      for (const [name, value] of Object.entries(res.headers)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue;
        reply.header(name, value);
      }
      return reply.code(res.statusCode).send(res.rawPayload.length > 0 ? res.rawPayload : undefined);
    }
    const nonce = randomBytes(16).toString('base64');
    const policy = reply.getHeader('content-security-policy');
    if (typeof policy === 'string') reply.header('content-security-policy', pagePolicy(policy, nonce));
    return reply
      .code(200)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(loaded.index.replaceAll(NONCE_PLACEHOLDER, nonce));
  };
  return {
    serve,
    close: async () => {
      if (site) await (await site.catch(() => undefined))?.files.close();
    },
  };
}
