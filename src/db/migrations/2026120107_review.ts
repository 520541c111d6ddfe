// Review, appeal and calibration (issue 12 §1, src/review): each brand's sampling plan, the
// reviews (人工复核) an inspector is assigned — sampled or of a calibration session — with the
// machine's findings as they were and the inspector's verdicts beside them, the agents'
// appeals (申诉) with their final judgement (终审), and the calibration sessions (校准).
// Scores are double precision (PostgreSQL `real` would give 83.33 back as 83.33000183).
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema as it was then, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('review_plans')
    .addColumn('brand', 'text', (c) => c.primaryKey())
    .addColumn('all_fatal', 'integer', (c) => c.notNull())
    .addColumn('all_complaints', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('due_days', 'integer', (c) => c.notNull())
    .addColumn('appeal_window_days', 'integer', (c) => c.notNull())
    .addColumn('assign', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('agent_name', 'text')
    .addColumn('inspector_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('week', 'text')
    .addColumn('session_id', 'text')
    // 'sample', or the calibration session and inspector: one review per call and slot.
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('machine_score', 'double precision')
    .addColumn('machine_fatal', 'integer')
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('verdicts', 'text', (c) => c.notNull())
    .addColumn('missed', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('computed_score', 'double precision')
    .addColumn('final_score', 'double precision')
    .addColumn('final_fatal', 'integer')
    .addColumn('override_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reviews_call_slot')
    .on('reviews')
    .columns(['call_id', 'slot'])
    .unique()
    .execute();
  await db.schema
    .createIndex('reviews_inspector_status')
    .on('reviews')
    .columns(['inspector_id', 'status'])
    .execute();
  await db.schema
    .createIndex('reviews_agent')
    .on('reviews')
    .columns(['brand', 'agent_id', 'status'])
    .execute();
  await db.schema.createIndex('reviews_session').on('reviews').column('session_id').execute();
  await db.schema.createIndex('reviews_completed').on('reviews').columns(['brand', 'completed_at']).execute();

  await db.schema
    .createTable('review_appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('review_id', 'text', (c) => c.notNull())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('agent_user_id', 'text', (c) => c.notNull())
    // 'f:<index>' a machine finding, 'm:<index>' one the inspector added.
    .addColumn('finding', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('filed_at', 'text', (c) => c.notNull())
    .addColumn('judged_by', 'text')
    .addColumn('judged_at', 'text')
    .addColumn('judgement_note', 'text')
    .execute();
  await db.schema
    .createIndex('review_appeals_finding')
    .on('review_appeals')
    .columns(['review_id', 'finding'])
    .unique()
    .execute();
  await db.schema
    .createIndex('review_appeals_status')
    .on('review_appeals')
    .columns(['status', 'filed_at'])
    .execute();

  await db.schema
    .createTable('calibration_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('call_ids', 'text', (c) => c.notNull())
    .addColumn('inspector_ids', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
