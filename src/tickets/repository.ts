// SQL for tickets, their events and notifications: the only place that touches those tables.
// A ticket is stored whole as JSON in `tickets.data` (the domain value, dates as ISO text),
// with the columns that lists, filters and the deadline checker need beside it. Rows never
// leave this file: every function takes and returns domain values.
import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { CustomerTicket } from '../customers/model.ts';
import type { Phone } from '../customers/phone.ts';
import { phonesOfCustomersNamed } from '../customers/repository.ts';
import { isPostgres } from '../db/batch.ts';
import { insertRows, type PreparedWrite, prepared } from '../db/prepared.ts';
import type { DB } from '../db/schema.ts';
import type { TicketCursor } from './cursor.ts';
import { breachedKinds } from './deadlines.ts';
import { ticketSchedule } from './schedule.ts';
import { type SearchTerm, ticketSearchText } from './search.ts';
import type {
  DeadlineKind,
  EscalationLevel,
  Ticket,
  TicketEvent,
  TicketStatus,
  TicketType,
} from './types.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A ticket as stored: the domain value and what the store keeps beside it. */
export interface StoredTicket {
  ticket: Ticket;
  /** The call the ticket was opened from, when there was one. */
  callId: string | null;
}

/** The statuses in which a ticket is still work to do (a callback is in the queue). */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'new',
  'accepted',
  'in-progress',
  'waiting-for-customer',
];

export interface TicketFilter {
  status?: readonly TicketStatus[];
  type?: readonly TicketType[];
  level?: readonly EscalationLevel[];
  brand?: string;
  /** A user id, or null for tickets nobody has. */
  assignee?: string | null;
  /** true: someone has the ticket; false: nobody has. */
  assigned?: boolean;
  customerPhone?: string;
  callId?: string;
  /** The short ticket number, in its stored form. */
  number?: string;
  /**
   * Tickets that breached a deadline (passed unmet, or met late; recorded by the deadline
   * check): of one of these kinds, or 'any'. Not the same as overdue: a ticket replied to late
   * breached its reply deadline and is no longer overdue.
   */
  breached?: readonly DeadlineKind[] | 'any';
  /** true: a running deadline is past due at `now`; false: none is. */
  overdue?: { now: Date; value: boolean };
  /**
   * Words typed in the search box (search.ts parseTicketSearch): every one is in the ticket's
   * text (subject, description, replies, follow-up comments, customer number) or is the name
   * of its customer (customers.surname_key, with the title when typed).
   */
  search?: readonly SearchTerm[];
  /** Inclusive. */
  createdFrom?: Date;
  /** Exclusive. */
  createdTo?: Date;
  /** An agent's view: tickets assigned to this user, opened by them, or nobody's yet. */
  visibleTo?: string;
}

export type TicketSort = 'created' | 'deadline';

// ---- tickets: mapping ----

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const date = (s: unknown): Date => new Date(String(s));
const dateOrNull = (s: unknown): Date | null => (s === null || s === undefined ? null : date(s));

/** The domain ticket from its JSON, dates restored (in place: the parsed value is ours alone). */
function reviveTicket(json: string): Ticket {
  // biome-ignore lint/suspicious/noExplicitAny: raw JSON, typed by the mapping below
  const t = JSON.parse(json) as any;
  t.createdAt = date(t.createdAt);
  t.updatedAt = date(t.updatedAt);
  t.pausedAt = dateOrNull(t.pausedAt);
  t.resolvedAt = dateOrNull(t.resolvedAt);
  t.closedAt = dateOrNull(t.closedAt);
  for (const d of t.deadlines) {
    d.startsAt = date(d.startsAt);
    d.dueAt = date(d.dueAt);
    d.metAt = dateOrNull(d.metAt);
    d.breachedAt = dateOrNull(d.breachedAt);
  }
  for (const r of t.replies) r.at = date(r.at);
  for (const f of t.followUps) {
    f.at = date(f.at);
    f.reached ??= true; // visits stored before 2026120201 all reached the customer
  }
  t.nextReminderAt = dateOrNull(t.nextReminderAt);
  t.number ??= null; // tickets opened before 2026120211 have no short number
  t.contactPhone ??= t.customerPhone ?? null; // before 2026-12-03 the customer's number was the contact
  if (t.type === 'repair') t.visitWindow = { from: date(t.visitWindow.from), to: date(t.visitWindow.to) };
  if (t.type === 'callback') t.dueAt = dateOrNull(t.dueAt);
  // Complaints stored before 2026112903 name no agent.
  if (t.type === 'complaint') {
    t.aboutAgentNumber ??= null;
    t.aboutUserId ??= null;
  }
  return t as Ticket;
}

/** The deadline kinds breached, as stored: `|first-response|reply|`, null when none (a LIKE per kind). */
function breachedColumn(t: Ticket): string | null {
  const kinds = breachedKinds(t);
  return kinds.length > 0 ? `|${kinds.join('|')}|` : null;
}

function toColumns(s: StoredTicket) {
  const t = s.ticket;
  const schedule = ticketSchedule(t);
  return {
    brand: t.brand,
    type: t.type,
    status: t.status,
    priority: t.priority,
    subject: t.subject,
    customer_phone: t.customerPhone,
    call_id: s.callId,
    assignee_id: t.assignee,
    escalation_level: t.level,
    about_agent_number: t.type === 'complaint' ? t.aboutAgentNumber : null,
    about_user_id: t.type === 'complaint' ? t.aboutUserId : null,
    next_deadline_at: iso(schedule.nextDueAt),
    breach_check_at: iso(schedule.breachCheckAt),
    number: t.number,
    breached_deadlines: breachedColumn(t),
    search_text: ticketSearchText(t),
    data: JSON.stringify(t),
    version: t.version,
    updated_at: t.updatedAt.toISOString(),
  };
}

function fromRow(row: { data: string; call_id: string | null }): StoredTicket {
  return { ticket: reviveTicket(row.data), callId: row.call_id };
}

// ---- tickets: reads and writes ----

/** Inserts a new ticket. `createdBy` is null for one opened by the system (CTI, the checker). */
export async function insertTicket(db: Db, s: StoredTicket, createdBy: string | null): Promise<void> {
  await ticketInsert(db, s, createdBy).execute();
}

/** The INSERT of a new ticket, not executed (see db/batch.ts). */
export function ticketInsert(db: Db, s: StoredTicket, createdBy: string | null): PreparedWrite {
  return insertRows(db, 'tickets', [
    {
      id: s.ticket.id,
      ...toColumns(s),
      created_by: createdBy,
      created_at: s.ticket.createdAt.toISOString(),
    },
  ]);
}

/**
 * Stores a changed ticket if the stored one is still at `expectedVersion`; false when someone
 * else changed it first (nothing is written then).
 */
export async function updateTicket(db: Db, s: StoredTicket, expectedVersion: number): Promise<boolean> {
  const r = await db
    .updateTable('tickets')
    .set(toColumns(s))
    .where('id', '=', s.ticket.id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const ticketById = prepared((db, p: { id: string }) =>
  db.selectFrom('tickets').select(['data', 'call_id']).where('id', '=', p.id),
);

export async function findTicket(db: Db, id: string): Promise<StoredTicket | undefined> {
  const [row] = (await ticketById(db, { id })).rows;
  return row ? fromRow(row) : undefined;
}

function applyFilter<O>(
  db: Db,
  q: SelectQueryBuilder<DB, 'tickets', O>,
  f: TicketFilter,
): SelectQueryBuilder<DB, 'tickets', O> {
  if (f.status && f.status.length > 0) q = q.where('status', 'in', [...f.status]);
  if (f.type && f.type.length > 0) q = q.where('type', 'in', [...f.type]);
  if (f.level && f.level.length > 0) q = q.where('escalation_level', 'in', [...f.level]);
  if (f.brand !== undefined) q = q.where('brand', '=', f.brand);
  if (f.assignee === null) q = q.where('assignee_id', 'is', null);
  else if (f.assignee !== undefined) q = q.where('assignee_id', '=', f.assignee);
  if (f.assigned !== undefined) q = q.where('assignee_id', f.assigned ? 'is not' : 'is', null);
  if (f.customerPhone !== undefined) q = q.where('customer_phone', '=', f.customerPhone);
  if (f.callId !== undefined) q = q.where('call_id', '=', f.callId);
  if (f.number !== undefined) q = q.where('number', '=', f.number);
  if (f.createdFrom) q = q.where('created_at', '>=', f.createdFrom.toISOString());
  if (f.createdTo) q = q.where('created_at', '<', f.createdTo.toISOString());
  if (f.breached === 'any') q = q.where('breached_deadlines', 'is not', null);
  else if (f.breached && f.breached.length > 0) {
    const kinds = f.breached;
    q = q.where((eb) => eb.or(kinds.map((k) => eb('breached_deadlines', 'like', `%|${k}|%`))));
  }
  for (const term of f.search ?? []) q = q.where(matchesTerm(db, term));
  if (f.overdue) {
    const now = f.overdue.now.toISOString();
    q = f.overdue.value
      ? q.where('next_deadline_at', '<', now)
      : q.where((eb) => eb.or([eb('next_deadline_at', 'is', null), eb('next_deadline_at', '>=', now)]));
  }
  if (f.visibleTo !== undefined) {
    const me = f.visibleTo;
    q = q.where((eb: ExpressionBuilder<DB, 'tickets'>) =>
      eb.or([eb('assignee_id', '=', me), eb('created_by', '=', me), eb('assignee_id', 'is', null)]),
    );
  }
  return q;
}

/** `%`, `_` and the escape itself taken literally in a LIKE pattern (ESCAPE '\'). */
const likeLiteral = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One search word: a substring of `search_text` (both read by searchKey, so plain LIKE compares
 * them on both engines: SQLite's ASCII case folding has nothing left to fold), or the name of
 * the ticket's customer through the indexed surname key (陈先生: surname 陈, title 先生).
 */
function matchesTerm(db: Db, term: SearchTerm) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) => {
    const like = (s: string) => sql<boolean>`search_text like ${`%${likeLiteral(s)}%`} escape '\\'`;
    const inText =
      term.asTyped === undefined ? like(term.text) : eb.or([like(term.text), like(term.asTyped)]);
    if (term.names.length === 0) return inText;
    return eb.or([inText, eb('tickets.customer_phone', 'in', phonesOfCustomersNamed(db, term.names))]);
  };
}

/**
 * Where a page starts: after the ticket a cursor names (keyset: an index seek however deep the
 * page), then `offset` more rows (the older way to page; deep offsets get slower).
 */
export interface TicketPage {
  limit: number;
  offset: number;
  after?: TicketCursor;
}

export interface TicketList {
  items: StoredTicket[];
  /** How many tickets match in all: exact up to EXACT_COUNT_LIMIT, else an estimate. */
  total: number;
  totalIsEstimate: boolean;
  /** The cursor of the page's last ticket when more follow, else null. */
  next: TicketCursor | null;
}

/** Up to this many matching tickets the total is counted exactly (a bounded scan). */
export const EXACT_COUNT_LIMIT = 10_000;
/** How long a counted estimate of a large filtered list is reused, per process. */
const ESTIMATE_TTL_MS = 30_000;
const estimates = new WeakMap<object, Map<string, { n: number; at: number }>>();

/** The keyset condition: rows after the cursor in the order of its sort. */
function afterCursor(c: TicketCursor) {
  return (eb: ExpressionBuilder<DB, 'tickets'>) => {
    if (c.sort === 'created')
      // Newest first. A row-value comparison, which both engines turn into one seek on the
      // (created_at, id) index; the same condition spelled with OR scans from the top.
      return eb(sql`(created_at, id)`, '<', sql`(${c.createdAt}, ${c.id})`);
    const sameDeadlineLater = eb.or([
      eb('created_at', '>', c.createdAt),
      eb.and([eb('created_at', '=', c.createdAt), eb('id', '>', c.id)]),
    ]);
    // Due first, tickets without a running deadline last.
    return c.deadline === null
      ? eb.and([eb('next_deadline_at', 'is', null), sameDeadlineLater])
      : eb.or([
          eb('next_deadline_at', 'is', null),
          eb('next_deadline_at', '>', c.deadline),
          eb.and([eb('next_deadline_at', '=', c.deadline), sameDeadlineLater]),
        ]);
  };
}

/**
 * How many tickets match, without a count that grows with the table: exact up to
 * EXACT_COUNT_LIMIT (a count over at most that many rows); beyond it, on PostgreSQL without a
 * filter the planner's row estimate (pg_class.reltuples), else an exact count made at most
 * once per ESTIMATE_TTL_MS per filter and process.
 */
async function countTickets(db: Db, filter: TicketFilter): Promise<{ total: number; estimate: boolean }> {
  const capped = await db
    .selectFrom(
      applyFilter(db, db.selectFrom('tickets').select('id'), filter)
        .limit(EXACT_COUNT_LIMIT + 1)
        .as('t'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(capped.n);
  if (n <= EXACT_COUNT_LIMIT) return { total: n, estimate: false };
  const { now: _changesEveryCall, ...overdue } = filter.overdue ?? {};
  const unfiltered = Object.values(filter).every((v) => v === undefined);
  if (unfiltered && isPostgres(db)) {
    const row = await sql<{
      n: number;
    }>`select reltuples::bigint as n from pg_class where oid = 'tickets'::regclass`
      .execute(db)
      .then((r) => r.rows[0]);
    // -1 until the table is first analysed: the bounded count is the best known then.
    return { total: Math.max(n, Number(row?.n ?? 0)), estimate: true };
  }
  const key = JSON.stringify({ ...filter, overdue });
  let byFilter = estimates.get(db);
  if (!byFilter) {
    byFilter = new Map();
    estimates.set(db, byFilter);
  }
  const cached = byFilter.get(key);
  if (cached && performance.now() - cached.at < ESTIMATE_TTL_MS) return { total: cached.n, estimate: true };
  const all = await applyFilter(db, db.selectFrom('tickets'), filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (byFilter.size >= 100) byFilter.clear(); // bounded: filters are few in practice
  byFilter.set(key, { n: Number(all.n), at: performance.now() });
  return { total: Number(all.n), estimate: true };
}

/** One page of tickets, the cursor of the next, and how many match in all. */
export async function listTickets(
  db: Db,
  filter: TicketFilter,
  page: TicketPage,
  sort: TicketSort = 'created',
): Promise<TicketList> {
  let q = applyFilter(
    db,
    db.selectFrom('tickets').select(['data', 'call_id', 'created_at', 'id', 'next_deadline_at']),
    filter,
  );
  if (page.after) q = q.where(afterCursor(page.after));
  q =
    sort === 'deadline'
      ? // Due first; tickets without a running deadline last (CASE: the same on both engines).
        q
          .orderBy(sql`case when next_deadline_at is null then 1 else 0 end`)
          .orderBy('next_deadline_at')
          .orderBy('created_at')
          .orderBy('id')
      : q.orderBy('created_at', 'desc').orderBy('id', 'desc');
  // One row more than the page tells whether another page follows.
  const rows = await q
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  const next: TicketCursor | null =
    more && last
      ? sort === 'deadline'
        ? { sort, deadline: last.next_deadline_at, createdAt: last.created_at, id: last.id }
        : { sort, createdAt: last.created_at, id: last.id }
      : null;
  // A first page that holds every match is its own count.
  const { total, estimate } =
    !page.after && page.offset === 0 && !more
      ? { total: shown.length, estimate: false }
      : await countTickets(db, filter);
  return { items: shown.map(fromRow), total, totalIsEstimate: estimate, next };
}

/**
 * The next `limit` tickets after `after` in (created_at, id) order: keyset pagination, so an
 * export reads a bounded batch at a time however many tickets there are.
 */
export async function ticketsAfter(
  db: Db,
  filter: TicketFilter,
  after: { createdAt: string; id: string } | null,
  limit: number,
): Promise<{ items: StoredTicket[]; last: { createdAt: string; id: string } | null }> {
  let q = applyFilter(db, db.selectFrom('tickets').select(['data', 'call_id', 'created_at', 'id']), filter);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '>', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
      ]),
    );
  const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
  const tail = rows.at(-1);
  return { items: rows.map(fromRow), last: tail ? { createdAt: tail.created_at, id: tail.id } : null };
}

/** A keyset step of the deadline checker: tickets with `column` before `now`, in (column, id) order after `after`. */
async function dueBy(
  db: Db,
  column: 'breach_check_at' | 'next_deadline_at',
  now: Date,
  after: { at: string; id: string } | null,
  limit: number,
  unplanned: boolean,
): Promise<{ id: string; at: string }[]> {
  let q = db.selectFrom('tickets').select(['id', column]).where(column, '<', now.toISOString());
  if (unplanned) q = q.where('breach_check_at', 'is', null);
  if (after)
    q = q.where((eb) =>
      eb.or([eb(column, '>', after.at), eb.and([eb(column, '=', after.at), eb('id', '>', after.id)])]),
    );
  const rows = await q.orderBy(column).orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, at: (r as Record<typeof column, string | null>)[column] ?? '' }));
}

/**
 * Tickets that may have breached a deadline by `now` (indexed on breach_check_at), due first,
 * after `after` in (breach_check_at, id) order: the checker walks them once in batches.
 */
export function dueForBreachCheck(
  db: Db,
  now: Date,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<{ id: string; at: string }[]> {
  return dueBy(db, 'breach_check_at', now, after, limit, false);
}

/**
 * Tickets overdue at `now` with nothing planned for them (no breach to record, no reminder):
 * overdue before reminders existed, they would wait for a change to plan one. Found through
 * the index on next_deadline_at, after `after` in (next_deadline_at, id) order; a check plans
 * each one's reminder, so it leaves this set.
 */
export function overdueUnplanned(
  db: Db,
  now: Date,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<{ id: string; at: string }[]> {
  return dueBy(db, 'next_deadline_at', now, after, limit, true);
}

/** The open callback ticket of a brand for a phone number, if there is one (the oldest). */
export async function findOpenCallback(
  db: Db,
  brand: string,
  customerPhone: string,
): Promise<StoredTicket | undefined> {
  const row = await db
    .selectFrom('tickets')
    .select(['data', 'call_id'])
    .where('type', '=', 'callback')
    .where('brand', '=', brand)
    .where('customer_phone', '=', customerPhone)
    .where('status', 'in', [...OPEN_STATUSES])
    .orderBy('created_at')
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

// ---- events ----

export interface StoredEvent {
  id: string;
  event: TicketEvent;
}

/**
 * Appends events of one ticket, numbered after the last one. Call it in the transaction that
 * updated the ticket row with its version check: that row lock keeps the numbers unique.
 */
export async function insertEvents(db: Db, ticketId: string, events: readonly StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  const last = await db
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('ticket_id', '=', ticketId)
    .executeTakeFirst();
  await eventsInsert(db, ticketId, events, Number(last?.seq ?? 0)).execute();
}

/**
 * The INSERT of events numbered after `lastSeq`, not executed (see db/batch.ts): for a ticket
 * being inserted (0), or with the number insertEvents reads. At least one event.
 */
export function eventsInsert(
  db: Db,
  ticketId: string,
  events: readonly StoredEvent[],
  lastSeq: number,
): PreparedWrite {
  return insertRows(
    db,
    'ticket_events',
    events.map((e, i) => ({
      id: e.id,
      ticket_id: ticketId,
      seq: lastSeq + i + 1,
      at: e.event.at.toISOString(),
      type: e.event.type,
      data: JSON.stringify(e.event),
    })),
  );
}

/** The ticket's history, oldest first, as stored (dates as ISO text). */
export async function listEvents(
  db: Db,
  ticketId: string,
): Promise<{ id: string; at: string; type: string; data: Record<string, unknown> }[]> {
  const rows = await db
    .selectFrom('ticket_events')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }));
}

// ---- notifications ----

export interface Notification {
  id: string;
  at: string;
  /** Set for a notification to one user. */
  userId: string | null;
  /** The role the notification was for (with userId null: anyone who has it). */
  role: string | null;
  ticketId: string | null;
  /** The brand of the ticket or call it is about (null: an older row; unlimited readers only). */
  brand: string | null;
  reason: string | null;
  message: string;
  readAt: string | null;
}

export async function insertNotifications(db: Db, items: readonly Notification[]): Promise<void> {
  if (items.length === 0) return;
  await notificationsInsert(db, items).execute();
}

/** The INSERT of notifications, not executed (see db/batch.ts); at least one. */
export function notificationsInsert(db: Db, items: readonly Notification[]): PreparedWrite {
  return insertRows(
    db,
    'notifications',
    items.map((n) => ({
      id: n.id,
      at: n.at,
      user_id: n.userId,
      role: n.role,
      ticket_id: n.ticketId,
      brand: n.brand,
      reason: n.reason,
      message: n.message,
      read_at: n.readAt,
    })),
  );
}

/** Who reads notifications: a user, their role, and the brand they are limited to (null: every brand). */
export interface NotificationWho {
  userId: string;
  role: string;
  brand: string | null;
}

/**
 * Addressed to the user, or to their role when no one user was named; for a brand-limited user,
 * only those about its brand (a ticket's or a review's alike; none whose brand is unknown).
 * The brand is the one stored with the notification when it was written (a ticket's brand never
 * changes today: a correction of it would have to rewrite its notifications' too).
 */
function visibleTo(who: NotificationWho) {
  return (eb: ExpressionBuilder<DB, 'notifications'>) => {
    const addressed = eb.or([
      eb('user_id', '=', who.userId),
      eb.and([eb('user_id', 'is', null), eb('role', '=', who.role)]),
    ]);
    if (who.brand === null) return addressed;
    return eb.and([addressed, eb('brand', '=', who.brand)]);
  };
}

function visibleNotifications(db: Db, who: NotificationWho) {
  return db.selectFrom('notifications').where(visibleTo(who));
}

export async function listNotifications(
  db: Db,
  who: NotificationWho,
  opts: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ items: Notification[]; total: number; unread: number }> {
  const base = visibleNotifications(db, who);
  const filtered = opts.unreadOnly ? base.where('read_at', 'is', null) : base;
  const total = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const unread = await base
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await filtered
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      role: r.role,
      ticketId: r.ticket_id,
      brand: r.brand,
      reason: r.reason,
      message: r.message,
      readAt: r.read_at,
    })),
    total: Number(total.n),
    unread: Number(unread.n),
  };
}

/** Marks notifications the user can see as read; `id` null: all of them. Returns how many. */
export async function markNotificationsRead(
  db: Db,
  who: NotificationWho,
  id: string | null,
  at: string,
): Promise<number> {
  let q = db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('read_at', 'is', null)
    .where(visibleTo(who));
  if (id !== null) q = q.where('id', '=', id);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function notificationVisible(db: Db, who: NotificationWho, id: string): Promise<boolean> {
  const row = await visibleNotifications(db, who).select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** Which of these calls a complaint ticket was opened from (the review module's sampling plans). */
export async function callsWithComplaint(db: Db, callIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < callIds.length; i += 500) {
    const rows = await db
      .selectFrom('tickets')
      .select('call_id')
      .where('type', '=', 'complaint')
      .where('call_id', 'in', callIds.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.call_id) out.add(r.call_id);
  }
  return out;
}

// Users and calls belong to the accounts and calls modules: their repositories read them. Re-
// exported for the ticket service, which passes its transaction (test/architecture.test.ts).
export {
  activeUserIdsWithAgentNumber,
  activeUserIdsWithRole,
  displayNames,
  findActiveUser,
} from '../accounts/repository.ts';
export { brandOfCall } from '../calls/repository.ts';

/**
 * The tickets opened for a number, newest first, for the customer card (src/customers);
 * tickets.customer_phone holds canonical numbers. With a brand, that brand's only.
 */
export async function ticketsOfPhone(
  db: Db,
  phone: Phone,
  limit: number,
  brand: string | null = null,
): Promise<CustomerTicket[]> {
  let q = db
    .selectFrom('tickets')
    .select([
      'id',
      'number',
      'brand',
      'type',
      'status',
      'subject',
      'call_id',
      'created_at',
      'next_deadline_at',
    ])
    .where('customer_phone', '=', phone);
  if (brand !== null) q = q.where('brand', '=', brand);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    brand: r.brand,
    type: r.type,
    status: r.status,
    subject: r.subject,
    callId: r.call_id,
    createdAt: r.created_at,
    nextDeadlineAt: r.next_deadline_at,
  }));
}

// ---- short ticket numbers ----

/**
 * The next count of a brand's local day (1 for its first ticket): one atomic upsert, so two
 * openings at once never share a count. Outside the opening's transaction on PostgreSQL, a
 * count taken by an opening that then fails is simply not used (a gap, never a duplicate).
 */
export async function nextTicketCount(db: Db, brand: string, day: string): Promise<number> {
  const row = await db
    .insertInto('ticket_number_counters')
    .values({ brand, day, last: 1 })
    .onConflict((oc) =>
      oc.columns(['brand', 'day']).doUpdateSet((eb) => ({ last: eb('ticket_number_counters.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}
