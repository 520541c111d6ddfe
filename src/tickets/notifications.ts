// Whom a ticket change tells, and the notification as the API shows it. A role reached is told
// user by user (each marks their own read) among those who see the ticket's brand; when nobody
// has the role yet, one notification is addressed to the role. The actor is never told about
// their own action, and the agent a complaint is about is never told about it (who handles it
// is kept from them, as in the ticket view).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { IdGenerator } from '../shared/clock.ts';
import * as repo from './repository.ts';
import { notificationMessage } from './texts.ts';
import {
  ESCALATION_CHAIN,
  type EscalationLevel,
  type NotificationIntent,
  type Ticket,
  type TicketEvent,
} from './types.ts';
import { iso, type NotificationView } from './views.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The notifications to write: one per user of a role reached (so each reads their own), or
 * one to the role itself when nobody has it yet, and one to a named user. The actor is not
 * told about their own action; a user named twice gets one.
 */
export async function notificationsFor(
  db: Db,
  ids: IdGenerator,
  change: {
    ticket: Ticket;
    intents: readonly NotificationIntent[];
    events: readonly TicketEvent[];
    /** Who made the change (not told about it); userId null for the system. */
    actor: { userId: string | null };
    now: Date;
  },
): Promise<repo.Notification[]> {
  const { ticket, actor } = change;
  const rows: repo.Notification[] = [];
  // The agent a complaint is about (by user id, or every account with its 工号) is told nothing
  // of it: its notifications say who it went to and who works it.
  const subjects = new Set<string>();
  if (ticket.type === 'complaint') {
    if (ticket.aboutUserId !== null) subjects.add(ticket.aboutUserId);
    if (ticket.aboutAgentNumber !== null)
      for (const u of await repo.activeUserIdsWithAgentNumber(db, ticket.aboutAgentNumber)) subjects.add(u);
  }
  const seen = new Set<string>(subjects);
  const add = (userId: string | null, role: string | null, reason: string) => {
    const key = userId ?? `role:${role}`;
    if (seen.has(key) || (userId !== null && userId === actor.userId)) return;
    seen.add(key);
    rows.push({
      id: ids(),
      at: iso(change.now),
      userId,
      role,
      ticketId: ticket.id,
      brand: ticket.brand,
      reason,
      message: notificationMessage(ticket, reason, change.events),
      readAt: null,
    });
  };
  for (const n of change.intents) {
    if (n.to === 'user') {
      add(n.userId, null, n.reason);
      continue;
    }
    let role = n.role;
    let users = await repo.activeUserIdsWithRole(db, role, ticket.brand);
    // When every holder of the role is the complaint's subject, the level above is told instead
    // (nobody else would be, and the complaint would wait silently for its deadline to breach).
    while (users.length > 0 && users.every((u) => subjects.has(u))) {
      const up = ESCALATION_CHAIN[ESCALATION_CHAIN.indexOf(role as EscalationLevel) + 1];
      if (up === undefined) break;
      role = up;
      users = await repo.activeUserIdsWithRole(db, role, ticket.brand);
    }
    // Addressed to the role only when nobody has it: not when its one holder is the subject
    // (they would read the role's notification).
    if (users.length === 0) add(null, role, n.reason);
    for (const u of users) add(u, role, n.reason);
  }
  return rows;
}

/** A stored notification as its reader sees it. */
export function notificationView(n: repo.Notification): NotificationView {
  return {
    id: n.id,
    at: n.at,
    ticketId: n.ticketId,
    reason: n.reason,
    message: n.message,
    to: n.userId ? 'user' : 'role',
    role: n.role,
    readAt: n.readAt,
  };
}
