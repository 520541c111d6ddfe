// Dashboards (issue 12 §2): one row of facts per stored call and per ticket, kept by the
// dashboard module as calls are stored and tickets change, and the daily rollups the call and
// quality dashboards read, so that a year of calls is a few thousand rollup rows rather than a
// million calls: per local day at three grains (agent, team: agent '*', brand: team and agent
// '*', named by `grain`), and per month and agent.
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dash_calls')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('offered', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('wait_ms', 'integer')
    .addColumn('handle_ms', 'integer')
    .addColumn('hold_ms', 'integer', (c) => c.notNull())
    .addColumn('holds', 'integer', (c) => c.notNull())
    .addColumn('holds_over', 'integer', (c) => c.notNull())
    .addColumn('repeated', 'integer', (c) => c.notNull())
    .addColumn('qa_score', 'real')
    .addColumn('qa_fatal', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dash_calls_bucket')
    .on('dash_calls')
    .columns(['brand', 'day', 'team', 'agent'])
    .execute();
  await db.schema
    .createIndex('dash_calls_phone')
    .on('dash_calls')
    .columns(['brand', 'phone', 'started_at'])
    .execute();
  // The latest calls with a fatal finding: partial indexes (2 % of the calls), in time order.
  for (const [name, columns] of [
    // team and agent in the index: their filters are checked before the row is read.
    ['dash_calls_fatal', ['started_at', 'brand', 'team', 'agent']],
    ['dash_calls_fatal_brand', ['brand', 'started_at', 'team', 'agent']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('dash_calls')
      .columns([...columns])
      .where(sql.ref('qa_fatal'), '=', 1)
      .execute();
  await db.schema
    .createTable('dash_call_rules')
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dash_call_rules_pk', ['call_id', 'rule'])
    .execute();
  await db.schema
    .createIndex('dash_call_rules_bucket')
    .on('dash_call_rules')
    .columns(['brand', 'day', 'team', 'agent'])
    .execute();
  await db.schema
    .createTable('dash_call_day')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('offered', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('abandoned', 'integer', (c) => c.notNull())
    .addColumn('in_threshold', 'integer', (c) => c.notNull())
    .addColumn('offered_answered', 'integer', (c) => c.notNull())
    .addColumn('wait_ms', 'bigint', (c) => c.notNull())
    .addColumn('handled', 'integer', (c) => c.notNull())
    .addColumn('handle_ms', 'bigint', (c) => c.notNull())
    .addColumn('hold_ms', 'bigint', (c) => c.notNull())
    .addColumn('holds', 'integer', (c) => c.notNull())
    .addColumn('holds_over', 'integer', (c) => c.notNull())
    .addColumn('with_phone', 'integer', (c) => c.notNull())
    .addColumn('repeats', 'integer', (c) => c.notNull())
    .addColumn('inspected', 'integer', (c) => c.notNull())
    .addColumn('score_sum', 'real', (c) => c.notNull())
    .addColumn('fatal', 'integer', (c) => c.notNull())
    .addColumn('score_lt60', 'integer', (c) => c.notNull())
    .addColumn('score_60', 'integer', (c) => c.notNull())
    .addColumn('score_70', 'integer', (c) => c.notNull())
    .addColumn('score_80', 'integer', (c) => c.notNull())
    .addColumn('score_90', 'integer', (c) => c.notNull())
    // Agent first: no dashboard query uses this key (they take the grain indexes below).
    .addPrimaryKeyConstraint('dash_call_day_pk', ['agent', 'team', 'brand', 'day'])
    .execute();
  await db.schema
    .createTable('dash_call_month')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('offered', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('abandoned', 'integer', (c) => c.notNull())
    .addColumn('in_threshold', 'integer', (c) => c.notNull())
    .addColumn('offered_answered', 'integer', (c) => c.notNull())
    .addColumn('wait_ms', 'bigint', (c) => c.notNull())
    .addColumn('handled', 'integer', (c) => c.notNull())
    .addColumn('handle_ms', 'bigint', (c) => c.notNull())
    .addColumn('hold_ms', 'bigint', (c) => c.notNull())
    .addColumn('holds', 'integer', (c) => c.notNull())
    .addColumn('holds_over', 'integer', (c) => c.notNull())
    .addColumn('with_phone', 'integer', (c) => c.notNull())
    .addColumn('repeats', 'integer', (c) => c.notNull())
    .addColumn('inspected', 'integer', (c) => c.notNull())
    .addColumn('score_sum', 'real', (c) => c.notNull())
    .addColumn('fatal', 'integer', (c) => c.notNull())
    .addColumn('score_lt60', 'integer', (c) => c.notNull())
    .addColumn('score_60', 'integer', (c) => c.notNull())
    .addColumn('score_70', 'integer', (c) => c.notNull())
    .addColumn('score_80', 'integer', (c) => c.notNull())
    .addColumn('score_90', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dash_call_month_pk', ['brand', 'month', 'team', 'agent'])
    .execute();
  await db.schema
    .createTable('dash_rule_day')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dash_rule_day_pk', ['agent', 'team', 'brand', 'day', 'rule'])
    .execute();
  await db.schema
    .createIndex('dash_call_day_brand')
    .on('dash_call_day')
    .columns(['grain', 'brand', 'day'])
    .execute();
  await db.schema
    .createIndex('dash_call_day_team')
    .on('dash_call_day')
    .columns(['grain', 'brand', 'team', 'day'])
    .execute();
  await db.schema
    .createIndex('dash_call_day_agent')
    .on('dash_call_day')
    .columns(['grain', 'agent', 'brand', 'day'])
    .execute();
  await db.schema
    .createIndex('dash_rule_day_brand')
    .on('dash_rule_day')
    .columns(['grain', 'brand', 'day'])
    .execute();
  await db.schema
    .createIndex('dash_rule_day_team')
    .on('dash_rule_day')
    .columns(['grain', 'brand', 'team', 'day'])
    .execute();
  await db.schema
    .createIndex('dash_rule_day_agent')
    .on('dash_rule_day')
    .columns(['grain', 'agent', 'brand', 'day'])
    .execute();
  await db.schema
    .createTable('dash_tickets')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('open', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_day', 'text', (c) => c.notNull())
    .addColumn('reply_ms', 'bigint')
    .addColumn('close_ms', 'bigint')
    .addColumn('breached', 'integer', (c) => c.notNull())
    .addColumn('overdue', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'real')
    .execute();
  await db.schema
    .createIndex('dash_tickets_backlog')
    .on('dash_tickets')
    .columns(['brand', 'open', 'type', 'level', 'overdue'])
    .execute();
  await db.schema
    .createIndex('dash_tickets_created')
    .on('dash_tickets')
    // Covering the ticket dashboard's sums: a year of tickets is read from the index alone.
    .columns(['brand', 'created_day', 'type', 'breached', 'reply_ms', 'close_ms', 'satisfaction'])
    .execute();
  await db.schema
    .createTable('dash_ticket_day')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('opened', 'integer', (c) => c.notNull())
    .addColumn('breached', 'integer', (c) => c.notNull())
    .addColumn('replied', 'integer', (c) => c.notNull())
    .addColumn('reply_ms', 'bigint', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addColumn('close_ms', 'bigint', (c) => c.notNull())
    .addColumn('visited', 'integer', (c) => c.notNull())
    .addColumn('satisfaction_sum', 'real', (c) => c.notNull())
    .addColumn('satisfied', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dash_ticket_day_pk', ['brand', 'day', 'type'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
