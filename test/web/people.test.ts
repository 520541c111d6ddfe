// Customers and calls in Chromium: a customer found by any spelling of their number, with
// their calls; a call found by number and words, its transcript with the QA findings marked.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/app.ts';
import { createUser, missingForBrowserTests, startServer, type WebServer } from './harness.ts';
import { CallsPage } from './pages/calls-page.ts';
import { CustomersPage } from './pages/customers-page.ts';
import { signedInBrowser } from './pages/login-page.ts';

const missing = missingForBrowserTests();
const PHONE = '18900133372';
const TRADITIONAL_PHONE = '13900135566';

describe.skipIf(missing !== undefined)('customers and calls in Chromium', () => {
  let server: WebServer;
  let inspector: Session;
  beforeAll(async () => {
    server = await startServer();
    inspector = await createUser(server, 'qa-inspector', 'inspector');
    const lead = await createUser(server, 'team-lead', 'lead');
    // A shipped sample call (a forbidden rhetorical question, no apology) on a real number.
    const call = JSON.parse(
      readFileSync(new URL('../../examples/cy-forbidden-rhetorical.json', import.meta.url), 'utf8'),
    );
    const stored = await server.t.app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: inspector.headers,
      payload: { ...call, id: 'web-call-1', customer: { phone: PHONE } },
    });
    expect(stored.statusCode, stored.body).toBe(201);
    // Storing the call recorded the caller as a customer; the lead gives them a name.
    const customer = await server.t.app.inject({
      method: 'PATCH',
      url: `/api/customers/${PHONE}`,
      headers: lead.headers,
      payload: { version: 1, surname: '赵', title: '女士', notes: '上周咨询退费' },
    });
    expect(customer.statusCode, customer.body).toBe(200);
    // A missed call: rang, never answered, no words — every rule n/a, so no score.
    const missed = await server.t.app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: inspector.headers,
      payload: {
        id: 'web-missed-1',
        brand: call.brand,
        agent: call.agent,
        customer: { phone: PHONE },
        startedAt: '2026-03-10T10:00:00+08:00',
        events: [
          { type: 'ring', at: 0 },
          { type: 'hangup', at: 25_000, by: 'customer' },
        ],
        turns: [],
      },
    });
    expect(missed.statusCode, missed.body).toBe(201);
    // A customer an agent recorded in Traditional (陳).
    const traditional = await server.t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: lead.headers,
      payload: { phone: TRADITIONAL_PHONE, surname: '陳', title: '先生' },
    });
    expect(traditional.statusCode, traditional.body).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  const signIn = (username: string) => signedInBrowser(server.base, username);

  it('finds a customer by any spelling of the number, or by surname, and shows their calls', async () => {
    const b = await signIn('lead');
    const customers = await new CustomersPage(b.page, server.base).open();
    for (const spelling of ['+86 189-0013-3372', '１８９ ００１３ ３３７２', '3372']) {
      await customers.search(spelling);
      await expect.poll(() => customers.phones(), { message: spelling }).toEqual([PHONE]);
    }
    await customers.search('王');
    await expect.poll(() => customers.phones()).toEqual([]);
    await customers.search('赵');
    await expect.poll(() => customers.phones()).toEqual([PHONE]);
    // Recorded in Traditional (陳), the customer is found by the Simplified 陈 as well.
    await customers.search('陈');
    await expect.poll(() => customers.phones()).toEqual([TRADITIONAL_PHONE]);
    await customers.search('陳');
    await expect.poll(() => customers.phones()).toEqual([TRADITIONAL_PHONE]);
    // Typed in Traditional (趙), the surname recorded in Simplified is found all the same.
    await customers.search('王');
    await expect.poll(() => customers.phones()).toEqual([]);
    await customers.search('趙');
    await expect.poll(() => customers.phones()).toEqual([PHONE]);
    const history = await customers.history(PHONE);
    expect(history).toContain('赵女士');
    expect(history).toContain('2026/03/10 09:05'); // the call, in the brand's zone
  });

  it('finds a call by number and by words said, and shows its transcript with the findings marked', async () => {
    const b = await signIn('inspector');
    const calls = await new CallsPage(b.page, server.base).open();
    await calls.search({ phone: '+86 189 0013 3372' });
    await expect.poll(() => calls.callIds()).toEqual(['web-missed-1', 'web-call-1']);
    // The missed call shows no score (its 100 would be only the scorecard's total), the other its own.
    expect(await calls.rowScore('web-missed-1')).toEqual({ text: '—', unscored: true });
    expect((await calls.rowScore('web-call-1')).unscored).toBe(false);
    expect(Number((await calls.rowScore('web-call-1')).text)).toBeLessThan(100);
    const missedCall = await calls.openCall('web-missed-1');
    expect(await missedCall.score()).toEqual({ text: '无可评规则，不计分', unscored: true });
    await b.page.goBack();
    await calls.search({ phone: '+86 189 0013 3372' });
    await calls.search({ phone: '', q: '没有这句话' });
    await expect.poll(() => calls.callIds()).toEqual([]);
    await calls.search({ q: '凭什么' });
    await expect.poll(() => calls.callIds()).toEqual(['web-call-1']);
    const call = await calls.openCall('web-call-1');
    // Its id is on the page: a calibration session or a ticket can be given it.
    expect(await call.callId()).toBe('通话编号 web-call-1');
    expect(await call.turns()).toBeGreaterThan(4);
    const rules = await call.findingRules();
    expect(rules.length).toBeGreaterThan(0);
    // The evidence of the findings about a turn is marked in that turn.
    expect((await call.markedEvidence()).length).toBeGreaterThan(0);
  });
});
