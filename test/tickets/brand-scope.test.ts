// An account limited to one brand sees and acts on that brand's tickets only: the list, its
// count and search, exports, one ticket and its history (another brand's is 404, as an unknown
// id), every action, the queues, notifications and the customer's history; an account without
// a brand sees every brand. On both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callJson } from '../calls/fixtures.ts';
import { ctiBridge } from '../cti/bridge.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, parseCsv } from './support.ts';

const PHONE = '13800138000';

/** Creates a user of the brand (as the admin) and signs in as them. */
async function brandUser(t: TestApp, admin: Client, username: string, role: string, brand: string | null) {
  await admin.ok('/api/users', { username, displayName: username, role, brand, password: 'correct horse 1' });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: 'correct horse 1' },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return client(t, { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf, 'accept-language': 'en' } });
}

describe.each(ENGINES)('tickets limited to the account’s brand on %s', (engine) => {
  let t: TestApp;
  let admin: Client;
  let director: Client; // room director of chaoyue only
  let anyDirector: Client; // room director of every brand
  // biome-ignore lint/suspicious/noExplicitAny: ticket views are checked field by field
  let generic: any;
  // biome-ignore lint/suspicious/noExplicitAny: ticket views are checked field by field
  let chaoyue: any;

  beforeEach(async () => {
    t = await testApp(engine);
    admin = client(t, await signInAs(t, 'admin'));
    director = await brandUser(t, admin, 'cy-director', 'room-director', 'chaoyue');
    anyDirector = await brandUser(t, admin, 'all-director', 'room-director', null);
    // Service-attitude complaints start at the room director's level: the directors are told.
    const body = (brand: string) =>
      complaintBody({ brand, subtype: 'service-attitude', subject: '坐席态度差', customerPhone: PHONE });
    generic = await admin.ok('/api/tickets', body('generic'));
    chaoyue = await admin.ok('/api/tickets', body('chaoyue'));
  });
  afterEach(async () => {
    await t.close();
  });

  const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id).sort();

  it('lists, counts and finds only its brand’s tickets; the unlimited see both', async () => {
    for (const url of [
      '/api/tickets',
      `/api/tickets?q=${encodeURIComponent('态度')}`,
      `/api/tickets?customerPhone=${PHONE}`,
    ]) {
      const mine = await director.get(url);
      expect(mine.status, url).toBe(200);
      expect(ids(mine), url).toEqual([chaoyue.id]);
      expect(mine.body.total, url).toBe(1);
      const all = await admin.get(url);
      expect(ids(all), url).toEqual([generic.id, chaoyue.id].sort());
      expect(all.body.total, url).toBe(2);
    }
    expect(ids(await director.get('/api/tickets?brand=chaoyue'))).toEqual([chaoyue.id]);
    expect(ids(await director.get(`/api/tickets?brand=${encodeURIComponent('超越平台')}`))).toEqual([
      chaoyue.id,
    ]);
    // Asking for another brand says which brand the account is limited to.
    const other = await director.get('/api/tickets?brand=generic');
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('chaoyue');
    expect(ids(await anyDirector.get('/api/tickets?brand=generic'))).toEqual([generic.id]);
  });

  it('exports only its brand’s tickets (CSV and Excel); the unlimited export both', async () => {
    const csv = async (c: Client) => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/exports/tickets.csv',
        headers: { cookie: c.cookie },
      });
      expect(res.statusCode).toBe(200);
      return parseCsv(res.body.slice(1))
        .slice(1)
        .map((r) => r[0]);
    };
    expect(await csv(director)).toEqual([chaoyue.number]);
    expect(await csv(admin)).toEqual([generic.number, chaoyue.number]);
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.xlsx?brand=generic',
      headers: { cookie: director.cookie },
    });
    expect(xlsx.statusCode).toBe(403);
  });

  it('gets 404, as for an unknown id, on another brand’s ticket, its history and every action; nothing changes', async () => {
    const unknown = await director.get('/api/tickets/no-such-ticket');
    expect(unknown.status).toBe(404);
    for (const url of [`/api/tickets/${generic.id}`, `/api/tickets/${generic.id}/events`]) {
      const r = await director.get(url);
      expect(r.status, url).toBe(404);
      expect(r.body.code, url).toBe(unknown.body.code);
      expect(r.body.message, url).toBe(unknown.body.message.replace('no-such-ticket', generic.id));
    }
    const actions: [string, Record<string, unknown>][] = [
      ['accept', {}],
      ['start', {}],
      ['wait', { reason: '等客户回电' }],
      ['resolve', {}],
      ['replies', { text: '已处理', channel: 'phone' }],
      ['follow-up', { reached: true, satisfaction: 5 }],
      ['close', {}],
      ['reopen', { reason: '客户不满意' }],
      [
        'assign',
        {
          assignee: (await t.app.services.accounts.listUsers()).find((u) => u.username === 'cy-director')?.id,
        },
      ],
      ['escalate', { reason: '客户要求' }],
    ];
    for (const [action, body] of actions) {
      const r = await director.act(generic, action, body);
      expect(r.status, action).toBe(404);
      expect(r.body.code, action).toBe('not-found');
    }
    for (const queue of ['callbacks', 'follow-ups']) {
      const r = await director.post(`/api/${queue}/${generic.id}/take`, { version: generic.version });
      expect(r.status, queue).toBe(404);
    }
    const after = await admin.get(`/api/tickets/${generic.id}`);
    expect(after.body.version).toBe(generic.version);
    expect(after.body.status).toBe('new');
    expect((await admin.get(`/api/tickets/${generic.id}/events`)).body.items).toHaveLength(
      (await anyDirector.get(`/api/tickets/${generic.id}/events`)).body.items.length,
    );
    // Its own brand's ticket: read and worked as before.
    expect((await director.get(`/api/tickets/${chaoyue.id}`)).status).toBe(200);
    expect((await director.act(chaoyue, 'accept')).status).toBe(200);
  });

  it('opens tickets of its brand only', async () => {
    const other = await director.post('/api/tickets', complaintBody({ brand: 'generic' }));
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('chaoyue');
    const before = (await admin.get('/api/tickets')).body.total;
    expect(before).toBe(2);
    expect((await director.post('/api/tickets', complaintBody({ brand: 'chaoyue' }))).status).toBe(201);
  });

  it('refuses to give a ticket to, or leave a message for, someone limited to another brand (what, where, how)', async () => {
    const idOf = async (username: string) =>
      (await t.app.services.accounts.listUsers()).find((u) => u.username === username)?.id as string;
    const cyDirector = await idOf('cy-director');
    // The admin gives the generic complaint to chaoyue's director: refused, nothing changes.
    const given = await admin.act(generic, 'assign', { assignee: cyDirector });
    expect(given.status, JSON.stringify(given.body)).toBe(422);
    expect(given.body.message).toBe(
      `user '${cyDirector}' works only on the tickets of brand 'chaoyue' and this ticket is of brand 'generic': give it to someone of brand 'generic' or of every brand`,
    );
    expect(given.body.details).toContainEqual({
      path: 'body.assignee',
      message: "works only on brand 'chaoyue'; the ticket is of 'generic'",
    });
    const after = await admin.get(`/api/tickets/${generic.id}`);
    expect(after.body.version).toBe(generic.version);
    expect(after.body.assignee).toBeNull();
    // Nor opened for them; the director of every brand and chaoyue's own ticket are as before.
    const opened = await admin.post(
      '/api/tickets',
      complaintBody({ brand: 'generic', subtype: 'service-attitude', assignee: cyDirector }),
    );
    expect(opened.status).toBe(422);
    expect(opened.body.details).toContainEqual(expect.objectContaining({ path: 'body.assignee' }));
    expect((await admin.act(chaoyue, 'assign', { assignee: cyDirector })).status).toBe(200);
    expect((await admin.act(generic, 'assign', { assignee: await idOf('all-director') })).status).toBe(200);
    // A message for a colleague limited to another brand.
    const message = (brand: string) => ({ type: 'message', brand, colleague: cyDirector });
    const note = await admin.post('/api/tickets', message('generic'));
    expect(note.status).toBe(400);
    expect(note.body.message).toContain("works only on the tickets of brand 'chaoyue'");
    expect(note.body.details).toEqual([
      { path: 'body.colleague', message: "works only on brand 'chaoyue'; the ticket is of 'generic'" },
    ]);
    expect((await admin.post('/api/tickets', message('chaoyue'))).status).toBe(201);
  });

  it('makes a complaint about someone of its brand only: by 工号 among its brand’s, never a user of another', async () => {
    // 工号 7001 has an account at generic only: a chaoyue complaint about 7001 is about chaoyue's
    // 7001 (no account), not generic's agent.
    const gn = await admin.ok('/api/users', {
      username: 'gn-agent',
      displayName: 'gn-agent',
      role: 'agent',
      agentNumber: '7001',
      brand: 'generic',
      password: 'correct horse 1',
    });
    const byNumber = await admin.ok(
      '/api/tickets',
      complaintBody({ brand: 'chaoyue', aboutAgentNumber: '7001' }),
    );
    expect(byNumber.details).toMatchObject({ aboutAgentNumber: '7001', aboutUserId: null });
    const atGeneric = await admin.ok(
      '/api/tickets',
      complaintBody({ brand: 'generic', aboutAgentNumber: '7001' }),
    );
    expect(atGeneric.details).toMatchObject({ aboutAgentNumber: '7001', aboutUserId: gn.id });
    const byUser = await admin.post('/api/tickets', complaintBody({ brand: 'chaoyue', aboutUserId: gn.id }));
    expect(byUser.status).toBe(400);
    expect(byUser.body.details).toEqual([
      { path: 'body.aboutUserId', message: "works only for brand 'generic'; the complaint is of 'chaoyue'" },
    ]);
  });

  it('lists only accounts of its brand and those without one; the unlimited see every brand’s', async () => {
    await brandUser(t, admin, 'gn-lead', 'team-lead', 'generic');
    await brandUser(t, admin, 'cy-lead', 'team-lead', 'chaoyue');
    const names = async (c: Client) =>
      ((await c.get('/api/users')).body.items as { username: string; brand: string | null }[]).map(
        (u) => `${u.username}:${u.brand}`,
      );
    const limited = await names(director);
    expect(limited).toEqual(
      expect.arrayContaining(['cy-director:chaoyue', 'cy-lead:chaoyue', 'all-director:null']),
    );
    expect(limited.filter((u) => u.endsWith(':generic'))).toEqual([]);
    expect(await names(anyDirector)).toContain('gn-lead:generic');
  });

  it('never links another brand’s call, stored or in progress; an id of no known call is linked as given', async () => {
    for (const [id, brand] of [
      ['call-gn', 'generic'],
      ['call-cy', 'chaoyue'],
    ] as const) {
      await admin.ok('/api/calls', callJson({ id, brand, agent: '7001' }));
    }
    const bridge = await ctiBridge(t);
    const ring = async (callId: string, brand: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/cti/events',
        headers: bridge,
        payload: { callId, type: 'ring', brand, caller: PHONE, agent: { number: '7001', name: '坐席' } },
      });
      expect(r.statusCode, r.body).toBe(200);
    };
    await ring('live-cy', 'chaoyue');
    await ring('live-gn', 'generic');
    const before = (await admin.get('/api/tickets')).body.total;
    const linked = (c: Client, callId: string) =>
      c.post('/api/tickets', complaintBody({ brand: 'chaoyue', callId }));
    // Another brand's call, stored or live: one same answer, whoever asks.
    const refusal = (callId: string) => ({
      code: 'validation',
      message: `brand 'chaoyue' has no call '${callId}' (stored or in progress): give the id of one of the brand's calls, or leave callId out`,
      details: [{ path: 'body.callId', message: "no call of brand 'chaoyue', stored or in progress" }],
    });
    for (const c of [director, admin]) {
      for (const callId of ['call-gn', 'live-gn']) {
        const r = await linked(c, callId);
        expect(r.status, callId).toBe(400);
        expect(r.body, callId).toEqual(refusal(callId));
      }
    }
    expect((await admin.get('/api/tickets')).body.total).toBe(before);
    // Its own brand's stored call, and its call in progress (the console links the live call), are linked.
    expect((await linked(director, 'call-cy')).status).toBe(201);
    expect((await linked(director, 'live-cy')).status).toBe(201);
    // An id of no call known here (a practice call that ended, a call imported later) is linked.
    expect((await linked(director, 'no-such-call')).status).toBe(201);
  });

  it('sees only its brand’s callbacks and follow-ups in the queues', async () => {
    const cb = (brand: string) => ({ type: 'callback', brand, reason: 'promised', customerPhone: PHONE });
    const genericCb = await admin.ok('/api/tickets', cb('generic'));
    const chaoyueCb = await admin.ok('/api/tickets', cb('chaoyue'));
    const mine = await director.get('/api/callbacks');
    expect(ids(mine)).toEqual([chaoyueCb.id]);
    expect(mine.body.total).toBe(1);
    expect(ids(await admin.get('/api/callbacks'))).toEqual([genericCb.id, chaoyueCb.id].sort());
    expect((await director.get('/api/callbacks?brand=generic')).status).toBe(403);
    expect((await director.get('/api/follow-ups?brand=generic')).status).toBe(403);
    expect((await director.get('/api/follow-ups')).status).toBe(200);
  });

  it('is told only about its brand’s tickets', async () => {
    const told = async (c: Client) => {
      const r = await c.get('/api/notifications');
      expect(r.status).toBe(200);
      return { tickets: [...new Set(r.body.items.map((n: { ticketId: string }) => n.ticketId))].sort(), r };
    };
    // Both complaints reached the room directors' level when opened.
    const mine = await told(director);
    expect(mine.tickets).toEqual([chaoyue.id]);
    expect(mine.r.body.total).toBe(mine.r.body.items.length);
    expect((await told(anyDirector)).tickets).toEqual([generic.id, chaoyue.id].sort());
    // Marking all read marks its own only; the unlimited director's stay unread.
    await director.ok('/api/notifications/read-all');
    expect((await anyDirector.get('/api/notifications?unread=true')).body.unread).toBeGreaterThanOrEqual(2);
  });

  it('shows only its brand’s tickets in a customer’s history', async () => {
    const r = await director.get(`/api/customers/${PHONE}/history`);
    expect(r.status).toBe(200);
    expect(r.body.tickets.map((x: { id: string }) => x.id)).toEqual([chaoyue.id]);
    const all = await admin.get(`/api/customers/${PHONE}/history`);
    expect(all.body.tickets.map((x: { id: string }) => x.id).sort()).toEqual([generic.id, chaoyue.id].sort());
  });
});
