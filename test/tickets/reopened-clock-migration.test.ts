// Migration 2026120602 on both engines: complaints reopened before reopening started a clock
// (stored without a resolution deadline) get the deadline today's reopening gives — the same
// ticket JSON and schedule columns the code writes now, the waits since the reopening counted —
// so their breach is found by the deadline checker; a rerun changes nothing, and complaints
// never reopened stay as they were.
import { afterEach, describe, expect, it } from 'vitest';
import { backfillReopenedClock } from '../../src/db/migrations/2026120602_reopened_complaint_clock.ts';
import { signInAs, type TestApp, testApp } from '../support/app.ts';
import { ENGINES } from '../support/store.ts';
import { client, complaintBody, HOUR, MIN } from './support.ts';

describe.each(ENGINES)('2026120602_reopened_complaint_clock on %s', (engine) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('gives reopened complaints their resolution deadline as a reopening does today, once', async () => {
    t = await testApp(engine);
    const app = t;
    const desk = client(app, await signInAs(app, 'complaint-desk'));
    const worked = async (subject: string) => {
      let c = await desk.ok('/api/tickets', complaintBody({ subject }));
      for (const action of ['accept', 'start'])
        c = await desk.ok(`/api/tickets/${c.id}/${action}`, { version: c.version });
      c = await desk.ok(`/api/tickets/${c.id}/replies`, { version: c.version, text: '已处理' });
      return c as { id: string; version: number };
    };
    const reopen = async (c: { id: string; version: number }) => {
      const r = await desk.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
      app.clock.advance(30 * MIN);
      return desk.ok(`/api/tickets/${r.id}/reopen`, { version: r.version, reason: '客户仍不满意' });
    };
    // Reopened, then waited 40 minutes for the customer: the wait moves the clock.
    let waited = await reopen(await worked('重开后等待客户'));
    app.clock.advance(20 * MIN);
    waited = await desk.ok(`/api/tickets/${waited.id}/wait`, { version: waited.version });
    app.clock.advance(40 * MIN);
    await desk.ok(`/api/tickets/${waited.id}/start`, { version: waited.version });
    // Reopened and still waiting for the customer now: its clock stands still.
    let waiting = await reopen(await worked('重开后仍在等待'));
    app.clock.advance(10 * MIN);
    waiting = await desk.ok(`/api/tickets/${waiting.id}/wait`, { version: waiting.version });
    const plain = await reopen(await worked('重开未等待'));
    const never = await worked('从未重开');

    const rows = async () => app.store.db.selectFrom('tickets').selectAll().orderBy('id').execute();
    const today = await rows();
    const reopened = [waited.id, waiting.id, plain.id];
    // As stored before: no resolution deadline, and a schedule without it.
    for (const r of today.filter((x) => reopened.includes(x.id))) {
      const data = JSON.parse(r.data);
      expect(data.deadlines.map((d: { kind: string }) => d.kind)).toContain('resolution');
      data.deadlines = data.deadlines.filter((d: { kind: string }) => d.kind !== 'resolution');
      await app.store.db
        .updateTable('tickets')
        .set({ data: JSON.stringify(data), next_deadline_at: null, breach_check_at: null })
        .where('id', '=', r.id)
        .execute();
    }

    expect(await backfillReopenedClock(app.store.db)).toEqual({ given: 3, workingHours: 0 });
    const after = await rows();
    const comparable = (r: (typeof today)[number]) => ({
      ...r,
      data: JSON.parse(r.data),
      version: Number(r.version),
    });
    expect(after.map(comparable)).toEqual(today.map(comparable));
    const resolution = (id: string) =>
      JSON.parse(after.find((r) => r.id === id)?.data ?? '{}').deadlines.find(
        (d: { kind: string }) => d.kind === 'resolution',
      );
    expect(resolution(waited.id)).toMatchObject({ pausedMs: 40 * MIN, budgetMs: 2 * HOUR, metAt: null });
    expect(resolution(never.id)).toBeUndefined();
    // Rerun: nothing left to do.
    expect(await backfillReopenedClock(app.store.db)).toEqual({ given: 0, workingHours: 0 });
    expect((await rows()).map(comparable)).toEqual(today.map(comparable));

    // The clock runs: past its due time the checker finds the breach.
    app.clock.advance(3 * HOUR);
    await app.app.services.tickets.runDeadlineChecks(app.clock.now());
    const checked = await desk.get(`/api/tickets/${plain.id}`);
    expect(checked.body.deadlines.find((d: { kind: string }) => d.kind === 'resolution')).toMatchObject({
      state: 'overdue',
    });
    const history = await desk.get(`/api/tickets/${plain.id}/events`);
    expect(history.body.items.filter((e: { type: string }) => e.type === 'breached').at(-1)).toMatchObject({
      data: { deadline: 'resolution' },
    });
  });

  it('counts no wait begun after the due time, clocks a complaint reopened by an unhappy visit, and counts the working-hours ones it leaves', async () => {
    t = await testApp(engine);
    const app = t;
    const desk = client(app, await signInAs(app, 'complaint-desk'));
    const worked = async (subject: string) => {
      let c = await desk.ok('/api/tickets', complaintBody({ subject }));
      for (const action of ['accept', 'start'])
        c = await desk.ok(`/api/tickets/${c.id}/${action}`, { version: c.version });
      c = await desk.ok(`/api/tickets/${c.id}/replies`, { version: c.version, text: '已处理' });
      return desk.ok(`/api/tickets/${c.id}/resolve`, { version: c.version });
    };
    // Reopened; 3 h later (past its 2 h allowance) waited for the customer, then started again.
    let late = await worked('重开后超时才等待');
    late = await desk.ok(`/api/tickets/${late.id}/reopen`, { version: late.version, reason: '客户仍不满意' });
    const lateFrom = app.clock.now().getTime();
    app.clock.advance(3 * HOUR);
    late = await desk.ok(`/api/tickets/${late.id}/wait`, { version: late.version });
    app.clock.advance(30 * MIN);
    await desk.ok(`/api/tickets/${late.id}/start`, { version: late.version });
    // Reopened by the follow-up visit: the customer was unhappy.
    let unhappy = await worked('回访不满意');
    app.clock.advance(HOUR);
    const visitAt = app.clock.now().getTime();
    unhappy = await desk.ok(`/api/tickets/${unhappy.id}/follow-up`, {
      version: unhappy.version,
      reached: true,
      satisfaction: 1,
    });
    expect(unhappy.status).toBe('in-progress');
    // A brand counting the reply in working hours: its calendar is not in the database.
    let counted = await worked('按工作时计');
    counted = await desk.ok(`/api/tickets/${counted.id}/reopen`, {
      version: counted.version,
      reason: '未解决',
    });

    for (const id of [late.id, unhappy.id, counted.id]) {
      const r = await app.store.db
        .selectFrom('tickets')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const data = JSON.parse(r.data);
      data.deadlines = data.deadlines.filter((d: { kind: string }) => d.kind !== 'resolution');
      if (id === counted.id) for (const d of data.deadlines) if (d.kind === 'reply') d.basis = 'working';
      await app.store.db
        .updateTable('tickets')
        .set({ data: JSON.stringify(data), next_deadline_at: null, breach_check_at: null })
        .where('id', '=', id)
        .execute();
    }

    expect(await backfillReopenedClock(app.store.db)).toEqual({ given: 2, workingHours: 1 });
    const resolution = async (id: string) =>
      JSON.parse(
        (
          await app.store.db
            .selectFrom('tickets')
            .select('data')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).data,
      ).deadlines.find((d: { kind: string }) => d.kind === 'resolution');
    expect(await resolution(late.id)).toMatchObject({
      pausedMs: 0,
      startsAt: new Date(lateFrom).toISOString(),
      dueAt: new Date(lateFrom + 2 * HOUR).toISOString(),
    });
    expect(await resolution(unhappy.id)).toMatchObject({
      budgetMs: 2 * HOUR,
      pausedMs: 0,
      startsAt: new Date(visitAt).toISOString(),
      dueAt: new Date(visitAt + 2 * HOUR).toISOString(),
    });
    expect(await resolution(counted.id)).toBeUndefined();

    // Past due already: the next check breaches it (README: deployers warn the desk).
    await app.app.services.tickets.runDeadlineChecks(app.clock.now());
    const checked = await desk.get(`/api/tickets/${late.id}`);
    expect(checked.body.deadlines.find((d: { kind: string }) => d.kind === 'resolution')).toMatchObject({
      state: 'overdue',
    });
    const history = await desk.get(`/api/tickets/${late.id}/events`);
    expect(history.body.items.filter((e: { type: string }) => e.type === 'breached').at(-1)).toMatchObject({
      data: { deadline: 'resolution', at: new Date(lateFrom + 2 * HOUR).toISOString() },
    });
  });
});
