// The contact number (联系电话) a caller gives for the call back, apart from the number they called
// from: the ticket stays the caller's (their card, their history, the list by their number),
// carries the contact number on its detail, in exports and in the callback queue, and is found
// by either number. Both engines. Before: the contact number replaced the caller's, and the
// ticket vanished from the history of the number that called.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { type Client, client, complaintBody, parseCsv } from './support.ts';

const CALLER = '13800138000';
const CONTACT = '13912345678';

describe.each(ENGINES)('the contact number of a ticket on %s', (engine) => {
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

  it('keeps the caller as the customer, the contact number for the call back, and finds it by either', async () => {
    const other = await agent.ok(
      '/api/tickets',
      complaintBody({ customerPhone: CALLER, contactPhone: '139-1234-5678' }),
    );
    expect(other).toMatchObject({ customerPhone: CALLER, contactPhone: CONTACT });
    // Without one, the contact number is the caller's.
    const same = await agent.ok(
      '/api/tickets',
      complaintBody({ customerPhone: CALLER, subject: '话费多扣' }),
    );
    expect(same).toMatchObject({ customerPhone: CALLER, contactPhone: CALLER });
    expect((await agent.get(`/api/tickets/${other.id}`)).body.contactPhone).toBe(CONTACT);

    // The caller's history and the list by their number hold both; the contact number is nobody's customer.
    const history = await lead.get(`/api/customers/${CALLER}/history`);
    expect(history.body.tickets.map((x: { id: string }) => x.id).sort()).toEqual([other.id, same.id].sort());
    const byCaller = await lead.get(`/api/tickets?customerPhone=${CALLER}`);
    expect(byCaller.body.items.map((x: { id: string }) => x.id).sort()).toEqual([other.id, same.id].sort());
    expect((await lead.get(`/api/tickets?customerPhone=${CONTACT}`)).body.items).toEqual([]);
    // The search box finds the ticket by either number.
    const searched = async (q: string) =>
      (await lead.get(`/api/tickets?q=${encodeURIComponent(q)}`)).body.items.map((x: { id: string }) => x.id);
    expect(await searched('139 1234 5678')).toEqual([other.id]);
    expect((await searched(CALLER)).sort()).toEqual([other.id, same.id].sort());

    // The export has the contact number beside the customer's.
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/exports/tickets.csv',
      headers: { cookie: lead.cookie },
    });
    const rows = parseCsv(res.body.slice(1));
    const header = rows[0] ?? [];
    expect(header.indexOf('联系电话')).toBe(header.indexOf('客户电话') + 1);
    const row = rows.find((r) => r[0] === other.number) ?? [];
    expect(row[header.indexOf('客户电话')]).toBe('138****8000');
    expect(row[header.indexOf('联系电话')]).toBe('139****5678');
  });

  it('gives the callback queue the number to call back on', async () => {
    const cb = await agent.ok('/api/tickets', {
      type: 'callback',
      brand: 'zhonghua',
      reason: 'promised',
      customerPhone: CALLER,
      contactPhone: CONTACT,
    });
    const queue = await agent.get('/api/callbacks');
    const queued = queue.body.items.find((x: { id: string }) => x.id === cb.id);
    expect(queued).toMatchObject({ customerPhone: CALLER, contactPhone: CONTACT });
  });
});
