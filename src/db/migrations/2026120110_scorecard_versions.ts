// Scorecards versioned in the store (issue 12 §1): every version of a scorecard's YAML with its
// state (a draft an admin edits, published versions the inspector uses), the machine result of
// each call per scorecard version (a re-inspection adds a row; earlier results stay), and the
// re-inspection runs with their progress (n of m calls, errors).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scorecard_versions')
    .addColumn('scorecard', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull()) // the YAML as written
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('published_at', 'text')
    .addColumn('published_by', 'text')
    .addPrimaryKeyConstraint('scorecard_versions_pk', ['scorecard', 'version'])
    .execute();

  await db.schema
    .createTable('call_inspections')
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('scorecard_version', 'integer', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('fatal', 'integer', (c) => c.notNull())
    .addColumn('failed_rules', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('inspected_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_inspections_pk', ['call_id', 'scorecard_version'])
    .execute();

  // The scorecard version of the result stored on the call (null: stored before versions).
  await db.schema.alterTable('calls').addColumn('qa_scorecard_version', 'integer').execute();

  await db.schema
    .createTable('reinspections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scorecard_version', 'integer', (c) => c.notNull())
    .addColumn('brand', 'text')
    .addColumn('from_at', 'text')
    .addColumn('to_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // waiting | running | completed | failed
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull()) // JSON [{ callId, message }]
    .addColumn('job_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('finished_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
