// Migration 2026120701 on both engines: notifications written before it get the brand of their
// ticket, or — review and appeal notifications, which have no ticket — of the call their
// outbox event is about (the event's own brand when the call is gone), else of the call their
// text names, else of their brand-limited recipient; one whose brand cannot be found stays
// null, read by accounts without a brand only. Rerunning the backfill changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/db/migrate.ts';
import { backfillNotificationBrands, up } from '../../src/db/migrations/2026120701_notification_brand.ts';
import { listNotifications } from '../../src/tickets/repository.ts';
import { ENGINES, freshStore, type TestStore } from '../support/store.ts';

const AT = '2026-11-20T01:00:00.000Z';

describe.each(ENGINES)('2026120701_notification_brand on %s', (engine) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('gives older notifications their ticket’s or call’s brand; the unknown stay for unlimited readers', async () => {
    store = await freshStore(engine, { migrate: false });
    const db = store.db;
    await migrateUpTo(db, '2026120602_reopened_complaint_clock');
    const ticket = (id: string, brand: string) => ({
      id,
      brand,
      type: 'complaint',
      status: 'new',
      priority: 'standard',
      subject: '坐席态度差',
      escalation_level: 'room-director',
      data: '{}',
      version: 1,
      created_at: AT,
      updated_at: AT,
    });
    await db
      .insertInto('tickets')
      .values([ticket('t-zh', 'zhonghua'), ticket('t-cy', 'chaoyue')])
      .execute();
    await db
      .insertInto('calls')
      .values({
        id: 'call-cy',
        brand: 'chaoyue',
        direction: 'inbound',
        started_at: AT,
        events: '[]',
        turns: '[]',
        transcript: '',
        qa_failed_rules: '',
        created_at: AT,
      })
      .execute();
    const user = (id: string, brand: string | null) => ({
      id,
      username: id,
      username_key: id,
      display_name: id,
      role: 'qa-inspector',
      password_hash: 'x',
      created_at: AT,
      brand,
    });
    await db
      .insertInto('users')
      .values([user('u-zh', 'zhonghua'), user('u-all', null)])
      .execute();
    const note = (id: string, ticketId: string | null) => ({
      id,
      at: AT,
      role: 'qa-lead',
      user_id: null,
      ticket_id: ticketId,
      message: `通知 ${id}`,
      read_at: null,
      reason: 'appeal-filed',
    });
    let seq = 0;
    const outbox = (notificationId: string, callId: string, brand: string) => ({
      id: `ev-${++seq}`,
      type: 'notification.created',
      aggregate_type: 'call',
      aggregate_id: callId,
      occurred_at: AT,
      payload: JSON.stringify({ notificationId, userId: null, role: 'qa-lead', ticketId: null, brand }),
      delivered_at: AT,
    });
    await db
      .insertInto('notifications')
      .values([
        note('n-ticket-zh', 't-zh'),
        note('n-ticket-cy', 't-cy'),
        note('n-review-cy', null), // its event names the stored chaoyue call
        note('n-review-gone', null), // its call is gone: the event's brand
        note('n-review-pruned', null), // its event was pruned, its text names no call, a role's: unknown
        // Events pruned (the relay keeps delivered ones 7 days): the call its text names…
        {
          ...note('n-text-review', null),
          message: '通话 call-cy 已人工复核：得分 80（机器 90），如有异议请在 7 天内申诉',
        },
        { ...note('n-text-appeal', null), message: '坐席对通话 call-cy 的命中“结束语”提出申诉，待终审' },
        // …a call no longer stored, to a brand-limited inspector: the recipient's brand…
        {
          ...note('n-text-gone', null),
          role: null,
          user_id: 'u-zh',
          message: '通话 call-gone 的复核已改派给您，请于 2026-11-22 前完成',
        },
        // …no call named (a calibration), to a brand-limited inspector; to one without a brand: unknown.
        {
          ...note('n-calibration-zh', null),
          role: null,
          user_id: 'u-zh',
          message: '校准会“第47周”：请独立复核 3 通电话（互不可见）',
        },
        {
          ...note('n-calibration-all', null),
          role: null,
          user_id: 'u-all',
          message: '校准会“第47周”：请独立复核 3 通电话（互不可见）',
        },
      ])
      .execute();
    // More review notifications than one batch, between other events.
    const many = Array.from({ length: 1100 }, (_, i) => note(`n-many-${String(i).padStart(4, '0')}`, null));
    for (let i = 0; i < many.length; i += 200)
      await db
        .insertInto('notifications')
        .values(many.slice(i, i + 200))
        .execute();
    const events = [
      // The call's stored brand wins over what the event says.
      outbox('n-review-cy', 'call-cy', 'zhonghua'),
      { ...outbox('x', 'call-cy', 'chaoyue'), type: 'appeal.filed' },
      outbox('n-review-gone', 'call-gone', 'zhonghua'),
      ...many.map((n) => outbox(n.id, 'call-gone', 'quanjiale')),
    ];
    for (let i = 0; i < events.length; i += 200)
      await db
        .insertInto('event_outbox')
        .values(events.slice(i, i + 200))
        .execute();

    expect(await migrateToLatest(db)).toContain('2026120701_notification_brand');

    const brands = async () =>
      Object.fromEntries(
        (await db.selectFrom('notifications').select(['id', 'brand']).orderBy('id').execute()).map((r) => [
          r.id,
          r.brand,
        ]),
      );
    const after = await brands();
    expect(after).toMatchObject({
      'n-ticket-zh': 'zhonghua',
      'n-ticket-cy': 'chaoyue',
      'n-review-cy': 'chaoyue',
      'n-review-gone': 'zhonghua',
      'n-review-pruned': null,
      'n-text-review': 'chaoyue',
      'n-text-appeal': 'chaoyue',
      'n-text-gone': 'zhonghua',
      'n-calibration-zh': 'zhonghua',
      'n-calibration-all': null,
    });
    expect(many.filter((n) => after[n.id] !== 'quanjiale')).toEqual([]);

    // A brand-limited QA lead reads its brand's; one without a brand every one, the unknown too.
    const read = async (brand: string | null) =>
      (
        await listNotifications(
          db,
          { userId: 'u1', role: 'qa-lead', brand },
          { unreadOnly: false, limit: 2000, offset: 0 },
        )
      ).items
        .map((n) => n.id)
        .filter((id) => !id.startsWith('n-many'))
        .sort();
    expect(await read('chaoyue')).toEqual(['n-review-cy', 'n-text-appeal', 'n-text-review', 'n-ticket-cy']);
    expect(await read('zhonghua')).toEqual(['n-review-gone', 'n-ticket-zh']);
    expect(await read(null)).toEqual([
      'n-review-cy',
      'n-review-gone',
      'n-review-pruned',
      'n-text-appeal',
      'n-text-review',
      'n-ticket-cy',
      'n-ticket-zh',
    ]);

    // Rerun (a SQLite start cut short in the backfill runs the migration again): nothing changes.
    expect(await backfillNotificationBrands(db)).toEqual({
      fromTickets: 0,
      fromCalls: 0,
      fromText: 0,
      fromRecipients: 0,
      left: 2,
    });
    if (engine === 'sqlite') await up(db);
    expect(await brands()).toEqual(after);
  });
});
