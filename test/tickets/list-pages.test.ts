// The ticket list's keyset pages (`next` → `after`) on both engines: every ticket exactly once
// and in order while new ones arrive, a refused cursor, and a total that stays bounded work
// (exact up to 10,000 matches, an estimate flagged as such beyond).
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, MIN } from './support.ts';

interface Listed {
  id: string;
  createdAt: string;
}

describe.each(ENGINES)('ticket list pages on %s', (engine) => {
  let t: TestApp;
  let agent: Client;
  beforeEach(async () => {
    t = await testApp(engine);
    agent = client(t, await signInAs(t, 'agent'));
  });
  afterEach(async () => {
    await t.close();
  });

  /** Several tickets of each kind; some share an instant, so the id breaks the tie. */
  async function openTickets(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const body =
        i % 3 === 0
          ? complaintBody()
          : i % 3 === 1
            ? { type: 'callback', brand: 'quanjiale', reason: 'promised', customerPhone: '13900000001' }
            : { type: 'suggestion', brand: 'zhonghua', department: '理赔部', subject: '建议增加夜间服务' };
      ids.push((await agent.ok('/api/tickets', body)).id);
      if (i % 4 === 0) t.clock.advance(MIN);
    }
    return ids;
  }

  /** Follows `next` from the first page; `between` runs after each page. */
  async function walk(query: string, between: () => Promise<void> = async () => {}) {
    const seen: Listed[] = [];
    let url = `/api/tickets?${query}`;
    for (let pages = 0; pages < 100; pages++) {
      const r = await agent.get(url);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      seen.push(...r.body.items);
      if (r.body.next === null) return seen;
      expect(r.body.items).toHaveLength(4);
      url = `/api/tickets?${query}&after=${encodeURIComponent(r.body.next)}`;
      await between();
    }
    throw new Error('more than 100 pages');
  }

  it('pages through every ticket exactly once, newest first, while new tickets arrive', async () => {
    const before = await openTickets(18);
    let added = 0;
    const seen = await walk('limit=4', async () => {
      t.clock.advance(MIN);
      await agent.ok('/api/tickets', complaintBody({ subject: `新投诉 ${added++}` }));
    });
    expect(added).toBe(4); // 18 tickets: five pages, four of them followed by an insert
    // Newest first: the reverse of opening (ids are time-ordered, so also within one instant).
    expect(seen.map((x) => x.id)).toEqual([...before].reverse());
    const first = await agent.get('/api/tickets?limit=4');
    expect(first.body).toMatchObject({ total: 18 + added, totalIsEstimate: false, limit: 4, offset: 0 });
  });

  it('pages by deadline in the order of the whole list, tickets without a deadline last', async () => {
    const ids = await openTickets(14);
    // As the store keeps a ticket whose deadlines have all stopped (the list reads the column).
    const stopped = ids.filter((_, i) => i % 4 === 1);
    await sql`update tickets set next_deadline_at = null where id in (${sql.join(stopped)})`.execute(
      t.store.db,
    );
    const whole = await agent.get('/api/tickets?sort=deadline&limit=500');
    expect(whole.body.next).toBeNull();
    const order = whole.body.items.map((x: Listed) => x.id);
    expect(new Set(order).size).toBe(14);
    expect(new Set(order.slice(-stopped.length))).toEqual(new Set(stopped));
    // Pages of 4 cross from tickets with a deadline to those without, and walk those too.
    expect((await walk('sort=deadline&limit=4')).map((x) => x.id)).toEqual(order);
  });

  it('refuses a cursor that is not one of its own, or one of the other sort, naming `after`', async () => {
    await openTickets(5);
    const page = await agent.get('/api/tickets?limit=2');
    const next = page.body.next as string;
    expect(typeof next).toBe('string');
    const forged = Buffer.from(JSON.stringify(['c', 'yesterday', 'x'])).toString('base64url');
    for (const url of [
      '/api/tickets?after=not-a-cursor',
      `/api/tickets?after=${forged}`,
      `/api/tickets?sort=deadline&after=${encodeURIComponent(next)}`,
    ]) {
      const r = await agent.get(url);
      expect(r.status, url).toBe(400);
      expect(r.body.code).toBe('validation');
      expect(JSON.stringify(r.body.details), url).toContain('after');
    }
  });

  it('counts up to 10,000 matches exactly and flags an estimate beyond', async () => {
    const [template] = await openTickets(1);
    // 10,000 copies of one ticket in one statement (the API would take minutes).
    const db = t.store.db;
    const columns = sql.raw(
      'brand, type, status, priority, subject, customer_phone, call_id, assignee_id, escalation_level, next_deadline_at, breach_check_at, about_agent_number, about_user_id, data, version, created_by, created_at, updated_at',
    );
    await sql`insert into tickets (id, ${columns})
        select t.id || '-' || n.i, ${columns}
        from tickets t, (with recursive c(i) as (select 1 union all select i + 1 from c where i < 10000)
          select i from c) n
        where t.id = ${template}`.execute(db);
    if (engine === 'postgres') await sql`analyze tickets`.execute(db);
    const director = client(t, await signInAs(t, 'room-director'));
    const all = await director.get('/api/tickets?limit=3');
    expect(all.body.totalIsEstimate).toBe(true);
    expect(all.body.total).toBeGreaterThan(10_000);
    expect(all.body.total).toBeLessThan(11_000);
    // A filtered list beyond the bound: counted once, then reused for a while (an estimate).
    const complaints = await director.get('/api/tickets?type=complaint&limit=3');
    expect(complaints.body).toMatchObject({ total: 10_001, totalIsEstimate: true });
    const callbacks = await director.get('/api/tickets?type=callback');
    expect(callbacks.body).toMatchObject({ total: 0, totalIsEstimate: false, next: null });
  });
});
