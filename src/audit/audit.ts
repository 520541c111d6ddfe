// The append-only audit log: who changed what, when and from where. Written in the same
// transaction as the change it records, so neither exists without the other.
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../accounts/principal.ts';
import { insertRows, type PreparedWrite } from '../db/prepared.ts';
import type { AuditLogTable, DB } from '../db/schema.ts';
import type { Clock, IdGenerator } from '../shared/clock.ts';

/**
 * Who did it. `userId` is a user's id, or one of the reserved ids below for work no signed-in
 * person did: the audit log never holds a NULL actor. Reserved ids contain a ':' (user ids are
 * UUIDs and never do), so `actor=system:cli` filters them and a join to users finds no one.
 * `null` is still accepted from older callers, which pass it for the server's own work (the
 * deadline checker, seeding the playbooks), and stored as `system:server`.
 */
export type { Actor };

/** The reserved actors. */
export const SYSTEM_ACTORS = {
  /** The server creating the first admin on its first start. */
  firstStart: 'system:first-start',
  /** `huashu …` commands on the server machine (e.g. `huashu admin reset-password`). */
  cli: 'system:cli',
  /** The server's own work: the deadline checker, seeding playbooks; also what `null` becomes. */
  server: 'system:server',
  /** Someone not signed in: failed logins, refused anonymous requests. */
  anonymous: 'anonymous',
} as const;

/** A reserved actor's id (no user's): `system:cli`, `anonymous`… */
export function isReservedActor(id: string): boolean {
  return id === SYSTEM_ACTORS.anonymous || id.includes(':');
}

/** The actor for work done by the system itself: `systemActor('cli')` → id 'system:cli'. */
export function systemActor(name: 'first-start' | 'cli' | 'server'): Actor {
  return { userId: `system:${name}`, ip: null };
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

/** What an entry says happened; its id and time are the writer's (AuditWriter). */
export type AuditEvent = Omit<NewAuditEntry, 'id' | 'at'>;

export async function recordAudit(db: Db, entry: NewAuditEntry): Promise<void> {
  await auditInsert(db, entry).execute();
}

/** The INSERT of an audit entry, not executed: to write it together with the change (db/batch.ts). */
export function auditInsert(db: Db, entry: NewAuditEntry): PreparedWrite {
  return insertRows(db, 'audit_log', [
    {
      id: entry.id,
      at: entry.at,
      actor_id: entry.actor.userId ?? SYSTEM_ACTORS.server,
      actor_ip: entry.actor.ip,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      action: entry.action,
      changes: JSON.stringify(entry.changes),
    },
  ]);
}

/**
 * How a service writes the audit log: entries get their id from the service's generator and
 * their time from its clock (or the change's own instant), in the database or transaction
 * given, so that the entry commits with the change or not at all.
 */
export class AuditWriter {
  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  /** Writes the entry, in `db` (pass the change's transaction); `at`: the change's instant, default now. */
  async record(db: Db, event: AuditEvent, at: Date | string = this.clock.now()): Promise<void> {
    await this.insert(db, event, at).execute();
  }

  /** The entry's INSERT, not executed: to write it together with the change (db/batch.ts). */
  insert(db: Db, event: AuditEvent, at: Date | string = this.clock.now()): PreparedWrite {
    return auditInsert(db, { id: this.ids(), at: typeof at === 'string' ? at : at.toISOString(), ...event });
  }
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
  return rows.map(toEntry);
}

/** An export (CSV, XLSX…): who took which file out, with which filters, masked or not. */
export interface ExportEvent {
  actor: Actor;
  /** The file asked for: `tickets.csv`, `calls.xlsx`… (the entry's entity id). */
  file: string;
  /** The role it was asked with (it decides whether full numbers are allowed). */
  role: string;
  /** Customers' full numbers were in it (only for the roles allowed to see them). */
  fullNumbers: boolean;
  /** The export's filters, as the request gave them. */
  filters: Record<string, unknown>;
}

/**
 * The one audit entry of an export, written before a byte of the file is sent: entity
 * `export`, id the file, action `export` or `export-full-numbers`.
 */
export function exportAuditEvent(e: ExportEvent): AuditEvent {
  return {
    actor: e.actor,
    entityType: 'export',
    entityId: e.file,
    // Every export is audited: even masked, a file of customers' names and subjects has left
    // the system; full numbers are marked as such.
    action: e.fullNumbers ? 'export-full-numbers' : 'export',
    changes: { file: e.file, role: e.role, fullNumbers: e.fullNumbers, filters: e.filters },
  };
}

export interface AuditQuery {
  actorId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  /** ISO-8601 UTC, inclusive. */
  from?: string;
  /** ISO-8601 UTC, exclusive. */
  to?: string;
  limit: number;
  offset: number;
}

/** Entries matching the filters, newest first, with the total for paging. */
export async function searchAudit(db: Db, q: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  let base = db.selectFrom('audit_log');
  if (q.actorId !== undefined) base = base.where('actor_id', '=', q.actorId);
  if (q.entityType !== undefined) base = base.where('entity_type', '=', q.entityType);
  if (q.entityId !== undefined) base = base.where('entity_id', '=', q.entityId);
  if (q.action !== undefined) base = base.where('action', '=', q.action);
  if (q.from !== undefined) base = base.where('at', '>=', q.from);
  if (q.to !== undefined) base = base.where('at', '<', q.to);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toEntry), total: Number(count.n) };
}

function toEntry(r: AuditLogTable): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorIp: r.actor_ip,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action,
    changes: JSON.parse(r.changes) as Record<string, unknown>,
  };
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
