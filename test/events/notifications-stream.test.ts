// GET /api/notifications/stream on a listening server: a signed-in user's stream carries the
// notifications created for them (or their role) while it is open, with numbers masked, and
// nobody else's; the list still has them; signing in is required. A brand-limited user's carries
// only its brand's (not one whose brand is not named).
import { afterEach, describe, expect, it } from 'vitest';
import { event } from '../../src/events/map.ts';
import { type Session, signInAs, type TestApp, testApp } from '../support/app.ts';

interface Received {
  event: string;
  data: Record<string, unknown>;
}

/** Opens the stream and collects its events until `close()`. */
async function openStream(base: string, s: Session) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/notifications/stream`, {
    headers: { cookie: s.cookie },
    signal: controller.signal,
  });
  const received: Received[] = [];
  let subscribed!: () => void;
  const ready = new Promise<void>((r) => {
    subscribed = r;
  });
  const reading = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(': subscribed')) subscribed();
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    res,
    received,
    ready,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the notification stream', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.app.services.events.stop();
    await t?.close();
    t = undefined;
  });

  it('pushes a user’s new notifications to them alone, numbers masked', { timeout: 60_000 }, async () => {
    t = await testApp('sqlite');
    const app = t.app;
    await app.services.events.start();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const director = await signInAs(t, 'room-director');
    const agent = await signInAs(t, 'agent');
    const admin = await signInAs(t, 'admin');

    const unauthenticated = await fetch(`${base}/api/notifications/stream`);
    expect(unauthenticated.status).toBe(401);

    const directorStream = await openStream(base, director);
    const agentStream = await openStream(base, agent);
    expect(directorStream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await Promise.all([directorStream.ready, agentStream.ready]);

    const opened = await app.inject({
      method: 'POST',
      url: '/api/tickets',
      headers: admin.headers,
      payload: {
        type: 'complaint',
        subtype: 'service-attitude',
        brand: 'zhonghua',
        subject: '客户 13800138000 投诉坐席态度',
        customerPhone: '13800138000',
      },
    });
    expect(opened.statusCode).toBe(201);
    const ticketId = opened.json().id as string;

    await until(() => directorStream.received.length > 0);
    const note = directorStream.received[0];
    expect(note?.event).toBe('notification');
    expect(note?.data.ticketId).toBe(ticketId);
    expect(JSON.stringify(note?.data)).not.toContain('13800138000');
    expect(note?.data.message).toContain('138****8000');

    // The list has it too, for whoever was away.
    const list = await app.inject({ method: 'GET', url: '/api/notifications', headers: director.headers });
    expect(list.json().items.map((n: { id: string }) => n.id)).toContain(note?.data.id);

    // The agent is not told (the relay delivered everything it had by now).
    await app.services.events.idle();
    expect(agentStream.received).toEqual([]);
    await directorStream.close();
    await agentStream.close();
  });

  it('carries to a brand-limited user only its brand’s notifications', { timeout: 60_000 }, async () => {
    t = await testApp('sqlite');
    const app = t.app;
    await app.services.events.start();
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const admin = await signInAs(t, 'admin');
    const made = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username: 'cy-lead',
        displayName: 'cy-lead',
        role: 'qa-lead',
        brand: 'chaoyue',
        password: 'correct horse 1',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const limited = await openStream(base, await signInAs(t, 'qa-lead', 'cy-lead'));
    const unlimited = await openStream(base, await signInAs(t, 'qa-lead', 'lead'));
    await Promise.all([limited.ready, unlimited.ready]);
    // To the QA leads' role: one of each brand, and one naming no brand (an event written
    // before notifications named theirs).
    const note = (id: string, brand: string | undefined) =>
      event('notification.created', { type: 'call', id: `call-${id}` }, '2026-11-20T01:00:00.000Z', {
        notificationId: id,
        userId: null,
        role: 'qa-lead',
        ticketId: null,
        ...(brand ? { brand } : {}),
        reason: 'appeal-filed',
        message: `申诉 ${id}`,
        at: '2026-11-20T01:00:00.000Z',
      });
    await app.services.events.append([
      note('n-zh', 'zhonghua'),
      note('n-none', undefined),
      note('n-cy', 'chaoyue'),
    ]);
    await until(() => unlimited.received.length === 3);
    // In order on one stream: once chaoyue's (the last) is in, all before it are.
    await until(() => limited.received.some((r) => r.data.id === 'n-cy'));
    expect(limited.received.map((r) => r.data.id)).toEqual(['n-cy']);
    await limited.close();
    await unlimited.close();
  });
});
