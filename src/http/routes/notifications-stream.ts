// Notifications pushed as they are created (Server-Sent Events), for a signed-in user: their
// own and their role's. The list (GET /api/notifications) stays the record for whoever was
// away; this stream only carries what happens while it is open. The WebSocket of the console
// will subscribe the same way (Events.subscribeNotifications).
import { z } from 'zod';
import type { Services } from '../../app/application.ts';
import { principalOf, sessionChanged } from '../access.ts';
import { type Api, pageUserQuery } from '../schemas.ts';

/** The data of a "notification" event (in the OpenAPI components, for the web UI's types). */
export const notificationEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    ticketId: z.string().nullable(),
    reason: z.string().nullable(),
    message: z.string(),
    toRole: z.string().nullable().meta({ description: 'addressed to everyone with this role; null: to you' }),
  })
  .meta({ id: 'NotificationEvent' });
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

/** A comment line this often keeps proxies from closing an idle stream. */
export const KEEPALIVE_MS = 15_000;

export async function notificationStreamRoutes(app: Api, services: Pick<Services, 'events'>): Promise<void> {
  // Open streams never end by themselves: closing the server ends them (or it would wait).
  const open = new Set<{ end(): void }>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
  });
  app.get(
    '/api/notifications/stream',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['notifications'],
        summary:
          'Your notifications as they are created (text/event-stream, event "notification"); GET /api/notifications lists them all',
        querystring: pageUserQuery,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // Before the stream starts: a page whose user is no longer the session's gets the 401.
      const changed = sessionChanged(principal, request.query.user);
      if (changed) throw changed;
      const user = { id: principal.userId, role: principal.role, brand: principal.brand };
      reply.hijack();
      const raw = reply.raw;
      // The security headers the hooks set so far, with the stream's own.
      const headers: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
      raw.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      // Tells the client it is subscribed: what is created from now on reaches it.
      raw.write(': subscribed\n\n');
      const unsubscribe = services.events.subscribeNotifications(user, (e) => {
        const p = e.payload;
        const data: NotificationEvent = {
          id: p.notificationId,
          at: p.at,
          ticketId: p.ticketId,
          reason: p.reason,
          message: p.message,
          toRole: p.userId === null ? p.role : null,
        };
        raw.write(`id: ${e.id}\nevent: notification\ndata: ${JSON.stringify(data)}\n\n`);
      });
      const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS);
      keepalive.unref();
      open.add(raw);
      raw.once('close', () => {
        open.delete(raw);
        clearInterval(keepalive);
        unsubscribe();
      });
    },
  );
}
