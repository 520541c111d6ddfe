import { z } from 'zod';
import type { Services } from '../../app/application.ts';
import { sameSecret } from '../../observability/metrics.ts';
import { AppError } from '../../shared/errors.ts';
import type { Api } from '../schemas.ts';

export async function healthRoutes(
  app: Api,
  services: Pick<Services, 'store' | 'metrics'> & {
    /** The bearer token GET /metrics asks for (HUASHU_METRICS_TOKEN); without one it is off. */
    metricsToken: string | undefined;
  },
): Promise<void> {
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }),
          503: z.object({
            status: z.literal('unavailable'),
            database: z.enum(['sqlite', 'postgres']),
            message: z.string(),
          }),
        },
      },
    },
    async (_request, reply) => {
      const { store } = services;
      // A short, fixed message (database down, disk full…), never the driver's error text.
      const status = await store.check();
      if (status.ok) return { status: 'ok' as const, database: store.dialect };
      return reply
        .status(503)
        .send({ status: 'unavailable' as const, database: store.dialect, message: status.message });
    },
  );

  // Prometheus metrics tell an outsider the routes, the load and the error rates: only a
  // scraper with HUASHU_METRICS_TOKEN reads them. The route is 'public' to the session and
  // API-token checks (app.ts skips them here) because it checks its own token.
  app.get(
    '/metrics',
    { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Prometheus metrics', hide: true } },
    async (request, reply) => {
      const expected = services.metricsToken;
      if (expected === undefined)
        throw new AppError('not-found', {
          zh: '没有 GET /metrics 路由（设置 HUASHU_METRICS_TOKEN 即可开启监控指标）',
          en: 'no route GET /metrics (set HUASHU_METRICS_TOKEN to turn metrics on)',
        });
      const header = request.headers.authorization;
      const sent = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!sameSecret(sent, expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthenticated', {
          zh: '读取 /metrics 须发送 Authorization: Bearer <HUASHU_METRICS_TOKEN>',
          en: 'send Authorization: Bearer <HUASHU_METRICS_TOKEN> to read /metrics',
        });
      }
      const { registry } = services.metrics;
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );
}
