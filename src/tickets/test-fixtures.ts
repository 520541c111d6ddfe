// Shared by the tests of this folder: one brand (Asia/Shanghai, Mon–Fri 09:00–18:00, so that
// nights and weekends matter) and helpers that open tickets at fixed times.
import { deadlinePolicyFromSettings } from './deadlines.ts';
import type { Ticket } from './types.ts';
import { openTicket, type TicketDraft, type WorkerLookup } from './workflow.ts';

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** A Shanghai wall time on a date (2026-03-02 is a Monday). */
export const cst = (date: string, time: string): Date => new Date(`${date}T${time}:00+08:00`);

export const WORKING_HOURS = {
  timezone: 'Asia/Shanghai',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  open: '09:00',
  close: '18:00',
} as const;

/** The complaint reply in working hours (a brand setting; clock hours are the default). */
export const policy = deadlinePolicyFromSettings({
  complaintReplyHours: { urgent: 2, standard: 24 },
  complaintReplyBasis: 'working',
  workingHours: { ...WORKING_HOURS, days: [...WORKING_HOURS.days] },
});

/** Monday 2 March 2026, 10:00 in Shanghai. */
export const MONDAY_10 = cst('2026-03-02', '10:00');

type Extra = Partial<Omit<TicketDraft, 'type'>>;

export function draft(
  details: Pick<TicketDraft, 'type'> & Record<string, unknown>,
  extra: Extra = {},
): TicketDraft {
  return {
    id: 't-1',
    brand: 'zhonghua',
    subject: '客户来电',
    createdBy: 'agent-1024',
    createdAt: MONDAY_10,
    ...extra,
    ...details,
  } as TicketDraft;
}

export function open(
  details: Pick<TicketDraft, 'type'> & Record<string, unknown>,
  extra: Extra = {},
): Ticket {
  return openTicket(draft(details, extra), policy, people).ticket;
}

export const complaint = (subtype = 'product-quality', extra: Extra = {}): Ticket =>
  open({ type: 'complaint', subtype }, extra);

/** The due time of one deadline kind, for short assertions. */
export function due(ticket: Ticket, kind: string): Date | undefined {
  return ticket.deadlines.find((d) => d.kind === kind)?.dueAt;
}

const ROLE_OF_PREFIX: Record<string, string> = {
  agent: 'agent',
  lead: 'team-lead',
  director: 'room-director',
  desk: 'complaint-desk',
  qa: 'qa-inspector',
  admin: 'admin',
  u: 'agent',
};

/**
 * The users of these tests, read from their ids: `agent-1024` is an agent with 工号 1024,
 * `lead-7` a team lead, `director-1` a room director, `desk-1` the complaint desk, `qa-1` a QA
 * inspector, `admin-1` an admin; anything else is unknown.
 */
export const people: WorkerLookup = (id) => {
  const [prefix, number] = id.split('-');
  const role = prefix ? ROLE_OF_PREFIX[prefix] : undefined;
  if (!role) return undefined;
  return { id, role, agentNumber: role === 'agent' && number ? number : null };
};
