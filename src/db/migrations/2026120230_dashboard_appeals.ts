// Dashboards, appeals (issue 12 §2): one row of facts per appeal (申诉), kept by the dashboard
// module from the appeal events, and its daily rollup at the three grains of dash_rule_day, per
// rule, so the quality dashboard counts appeals and their outcomes without reading the reviews.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dash_appeals')
    .addColumn('appeal_id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    // The appealed call's local day, team and agent: the bucket its quality facts are in.
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('dash_appeals_bucket')
    .on('dash_appeals')
    .columns(['brand', 'day', 'team', 'agent'])
    .execute();
  await db.schema
    .createTable('dash_appeal_day')
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('team', 'text', (c) => c.notNull())
    .addColumn('agent', 'text', (c) => c.notNull())
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('filed', 'integer', (c) => c.notNull())
    .addColumn('pending', 'integer', (c) => c.notNull())
    .addColumn('upheld', 'integer', (c) => c.notNull())
    .addColumn('overturned', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dash_appeal_day_pk', ['agent', 'team', 'brand', 'day', 'rule'])
    .execute();
  for (const [name, columns] of [
    ['dash_appeal_day_brand', ['grain', 'brand', 'day']],
    ['dash_appeal_day_team', ['grain', 'brand', 'team', 'day']],
    ['dash_appeal_day_agent', ['grain', 'agent', 'brand', 'day']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('dash_appeal_day')
      .columns([...columns])
      .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
