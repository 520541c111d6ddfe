import { z } from 'zod';
import type { Api } from '../schemas.ts';
import type { Services } from '../services.ts';

export async function healthRoutes(app: Api, services: Services): Promise<void> {
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

  app.get(
    '/metrics',
    { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Prometheus metrics', hide: true } },
    async (_request, reply) => {
      const { registry } = services.metrics;
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );
}
