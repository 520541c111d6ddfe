// Short ticket numbers (ZH-20261120-0001) on both engines: one per ticket, per brand and local
// day, never twice under concurrent openings; searchable as a caller reads it out; in exports
// (with the brand's name) and notifications.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, parseCsv } from './support.ts';

describe.each(ENGINES)('ticket numbers on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  let lead: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
    lead = client(t, await signInAs(t, 'team-lead'));
  });
  afterEach(async () => {
    await t.close();
  });

  it('numbers tickets per brand and day, uniquely under concurrent openings', async () => {
    // The test clock: Friday 20 November 2026, 09:00 in Shanghai.
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        agent.ok(
          '/api/tickets',
          complaintBody({ subject: `投诉 ${i}`, customerPhone: `1390000${String(i).padStart(4, '0')}` }),
        ),
      ),
    );
    const numbers = opened.map((x) => x.number as string);
    expect(new Set(numbers).size).toBe(12);
    for (const n of numbers) expect(n).toMatch(/^ZH-20261120-\d{4}$/);
    expect([...numbers].sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `ZH-20261120-${String(i + 1).padStart(4, '0')}`),
    );
    // Another brand counts on its own; the next local day starts again at 0001.
    const other = await agent.ok('/api/tickets', complaintBody({ brand: 'chaoyue' }));
    expect(other.number).toBe('CH-20261120-0001');
    expect(other.brandName).toBe('超越平台');
    t.clock.set(new Date('2026-11-20T16:30:00Z')); // 00:30 on the 21st in Shanghai
    const later = client(t, await signInAs(t, 'agent')); // a new shift, a new session
    expect((await later.ok('/api/tickets', complaintBody())).number).toBe('ZH-20261121-0001');
  });

  it('finds a ticket by its number as a caller reads it out, and shows it in exports and notifications', async () => {
    const c = await lead.ok('/api/tickets', complaintBody({ subtype: 'service-attitude' }));
    expect(c.number).toBe('ZH-20261120-0001');
    for (const typed of ['ZH-20261120-0001', 'zh-20261120-1', 'ZH202611200001']) {
      const found = await agent.get(`/api/tickets?number=${encodeURIComponent(typed)}`);
      expect(
        found.body.items.map((x: { id: string }) => x.id),
        typed,
      ).toEqual([c.id]);
    }
    expect((await agent.get('/api/tickets?number=ZH-20261120-0002')).body.items).toEqual([]);
    const csv = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.csv',
      headers: { cookie: lead.cookie },
    });
    const rows = parseCsv(csv.body.replace(/^\uFEFF/, ''));
    const header = rows[0] as string[];
    const row = rows[1] as string[];
    expect(row[header.indexOf('工单号')]).toBe('ZH-20261120-0001');
    expect(row[header.indexOf('品牌')]).toBe('中华保险');
    // Routed to the room director: the notification names the number.
    const director = client(t, await signInAs(t, 'room-director'));
    const inbox = (await director.get('/api/notifications')).body;
    expect(inbox.items[0].message).toContain('ZH-20261120-0001');
  });
});
