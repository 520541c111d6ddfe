// The append-only audit log: who changed what, when and from where. Written in the same
// transaction as the change it records, so neither exists without the other.
import type { Kysely, Transaction } from 'kysely';
import { insertRows, type PreparedWrite } from '../db/prepared.ts';
import type { DB } from '../db/schema.ts';

export interface Actor {
  userId: string | null;
  ip: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorIp: string | null;
  entityType: string;
  entityId: string;
  action: string;
  changes: Record<string, unknown>;
}

type Db = Kysely<DB> | Transaction<DB>;

export interface NewAuditEntry {
  id: string;
  at: string;
  actor: Actor;
  entityType: string;
  entityId: string;
  action: string;
  changes: Record<string, unknown>;
}

export async function recordAudit(db: Db, entry: NewAuditEntry): Promise<void> {
  await auditInsert(db, entry).execute();
}

/** The INSERT of an audit entry, not executed: to write it together with the change (db/batch.ts). */
export function auditInsert(db: Db, entry: NewAuditEntry): PreparedWrite {
  return insertRows(db, 'audit_log', [
    {
      id: entry.id,
      at: entry.at,
      actor_id: entry.actor.userId,
      actor_ip: entry.actor.ip,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      action: entry.action,
      changes: JSON.stringify(entry.changes),
    },
  ]);
}

export async function auditTrail(db: Db, entityType: string, entityId: string): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorIp: r.actor_ip,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action,
    changes: JSON.parse(r.changes) as Record<string, unknown>,
  }));
}

/** The fields that differ between two versions of a record: {field: {from, to}}. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      out[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return out;
}
