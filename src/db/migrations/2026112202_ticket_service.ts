// The ticket service's additions: when the deadline checker must look at a ticket next
// (`breach_check_at`, indexed: one comparison with now finds every ticket that may have
// breached), indexes for the ticket list's filters, and the reason of a notification with
// indexes for "my notifications".
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('breach_check_at', 'text').execute();
  await db.schema.createIndex('tickets_breach_check').on('tickets').column('breach_check_at').execute();
  await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee_id', 'status']).execute();
  await db.schema
    .createIndex('tickets_phone_created')
    .on('tickets')
    .columns(['customer_phone', 'created_at'])
    .execute();
  await db.schema.createIndex('tickets_next_deadline').on('tickets').column('next_deadline_at').execute();

  // Events of one ticket in the order they were recorded (several share an instant).
  await db.schema.alterTable('ticket_events').addColumn('seq', 'integer').execute();
  await db.schema
    .createIndex('ticket_events_seq')
    .on('ticket_events')
    .columns(['ticket_id', 'seq'])
    .execute();

  await db.schema.alterTable('notifications').addColumn('reason', 'text').execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'at']).execute();
  await db.schema.createIndex('notifications_role').on('notifications').columns(['role', 'at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
