// What live assist records of each live call so that one process without Redis keeps its calls
// across a restart: not the events (they follow from the flow) but the inputs the flow took, in
// order, each with the time the flow had been advanced to before it. Replayed through a fresh
// flow at start-up, they give the same events with the same seq numbers, and the same
// inspection at hang-up (service.ts `restore`). The SQL journal is repository.ts's.
//
// Rows are read back through `readJournal`: a row that is not JSON or not an entry (an unknown
// input kind, a gap in the numbers, an input of another call) damages its call only; the other
// calls replay (README "Restart").
import { z } from 'zod';
import {
  CALL_EVENT_TYPES,
  type CallEvent,
  type CallEventType,
  CHANNELS,
  HANGUP_CAUSES,
  type Speaker,
} from '../calls/model.ts';
import type { CallRef, RingCard, RoutedInput } from './hub.ts';
import { BUTTONS, type FlowSetup } from './model.ts';

/** One input the flow accepted (inputs it refused change nothing and are not recorded). */
export interface JournalEntry {
  input: RoutedInput;
  /**
   * The time (ms since the ring) the timers had advanced the flow to before this input; -1:
   * never. A timer's events depend on when it fired, not on how many advances fired it, so
   * advancing once to this time before replaying the input repeats them exactly.
   */
  advancedTo: number;
  /** The first entry (the ring): what the flow was made with, looked up at the ring. */
  ring?: { setup: FlowSetup; card: RingCard; ref: CallRef };
}

/** A call whose rows could not all be read back: not replayed; its rows are moved aside. */
export interface DamagedJournal {
  callId: string;
  /** How many rows the call has. */
  rows: number;
  /** The rows that are wrong (n, the entry's number) and what is wrong with each. */
  problems: Array<{ n: number; problem: string }>;
}

export interface LoadedJournal {
  /** Every sound call's entries, in order (entry 0 the ring). */
  calls: Map<string, JournalEntry[]>;
  damaged: DamagedJournal[];
}

/** Another live process keeps this database's journal (a second process without Redis). */
export class LiveJournalHeldError extends Error {
  constructor(
    readonly holder: { host: string; pid: number; seenAt: string },
    readonly freeAfterMs: number,
  ) {
    super(
      `another huashu serve (pid ${holder.pid} on ${holder.host}, last seen ${holder.seenAt}) keeps the live calls of this database; a second process without REDIS_URL on the same database is not supported (README "Several processes"): stop the other process, or run every process on PostgreSQL with REDIS_URL. If that process is gone, its claim lapses ${Math.ceil(freeAfterMs / 1000)} s after it was last seen`,
    );
    this.name = 'LiveJournalHeldError';
  }
}

/** Where a claim tells what it did (took over a stopped holder, waits on one). */
export interface ClaimLog {
  warn(obj: object, msg: string): void;
}

/** This process holds the journal until `release`, or until another process takes it over. */
export interface JournalClaim {
  /** False once released, or once another process took the journal over. */
  readonly held: boolean;
  /**
   * `listener` runs once when the heartbeat finds the journal taken over (this process was not
   * seen for HOLDER_LAPSES_MS: paused, or cut off from the database): it must write no more.
   */
  onLost(listener: () => void): void;
  release(): Promise<void>;
}

export interface LiveJournal {
  /** Records entry `n` (0: the ring) of a call. */
  append(callId: string, n: number, entry: JournalEntry): Promise<void>;
  /** The call ended (or is past HUASHU_LIVE_CALL_HOURS): its entries go. */
  drop(callId: string): Promise<void>;
  /** Every call's entries, each call's in order; the calls whose rows cannot be read apart. */
  load(): Promise<LoadedJournal>;
  /**
   * Moves a damaged call's rows aside, kept for inspection (`problems`: what is wrong with
   * which entry); the journal no longer has the call. How many rows moved.
   */
  reject(callId: string, problems: DamagedJournal['problems']): Promise<number>;
  /**
   * Makes this process the journal's one writer, or throws LiveJournalHeldError when another
   * live process is (two processes would number the same call's rows alike). May wait (up to
   * HOLDER_LAPSES_MS, said in `log`) on a holder that may have stopped.
   */
  claim(log?: ClaimLog): Promise<JournalClaim>;
}

// ---- reading rows back ----

const SPEAKERS = ['agent', 'customer'] as const satisfies readonly Speaker[];
const time = z.number().finite();
const inputBase = { callId: z.string().min(1), receivedAt: time };

const routedInputSchema = z.discriminatedUnion('kind', [
  z.object({
    ...inputBase,
    kind: z.literal('cti'),
    type: z.enum(CALL_EVENT_TYPES),
    at: time,
    to: z.string().optional(),
    by: z.enum(SPEAKERS).optional(),
    cause: z.enum(HANGUP_CAUSES).optional(),
    agentNumber: z.string().optional(),
  }),
  z.object({
    ...inputBase,
    kind: z.literal('turn'),
    speaker: z.enum(SPEAKERS),
    text: z.string(),
    start: time.optional(),
    end: time.optional(),
    source: z.enum(['asr', 'console']).optional(),
  }),
  z.object({ ...inputBase, kind: z.literal('button'), button: z.enum(BUTTONS) }),
]);

const flowSetupSchema = z.object({
  callId: z.string().min(1),
  brand: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  channel: z.enum(CHANNELS).optional(),
  agent: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  customer: z
    .object({ phone: z.string().optional(), surname: z.string().optional(), title: z.string().optional() })
    .optional(),
  atRing: z
    .object({
      repeatCaller: z.object({ count: z.number(), lastSubject: z.string().nullable() }).nullable(),
      blacklisted: z.boolean(),
      droppedMsAgo: z.number().nullable(),
    })
    .optional(),
  scorecardVersion: z.number().int().nullable().optional(),
});

// Not protocol.ts's RingCard schema: that module sees the service, which sees this one.
const ringCardSchema = z.object({
  caller: z.string().nullable(),
  customer: z
    .object({ id: z.string(), surname: z.string().nullable(), title: z.string().nullable() })
    .nullable(),
  repeatCaller: z.object({ count: z.number().int(), lastSubject: z.string().nullable() }).nullable(),
  blacklisted: z.boolean(),
  droppedMsAgo: z.number().nullable(),
  practice: z.boolean(),
});

const journalEntrySchema = z.object({
  input: routedInputSchema,
  advancedTo: time,
  ring: z
    .object({
      setup: flowSetupSchema,
      card: ringCardSchema,
      ref: z.object({
        callId: z.string().min(1),
        brand: z.string(),
        agentNumber: z.string().nullable(),
        ringAt: time,
      }),
    })
    .optional(),
});

// What is written passes the schema, and what passes it is an entry (checked by the compiler).
type Assignable<T, U extends T> = U;
export type JournalChecks = [
  Assignable<z.infer<typeof journalEntrySchema>, JournalEntry>,
  Assignable<JournalEntry, z.infer<typeof journalEntrySchema>>,
];

/** A stored row of the journal. */
export interface JournalRow {
  call_id: string;
  n: number;
  data: string;
}

/** What is wrong with row `row` (the i-th of its call), or the entry it holds. */
function readRow(row: JournalRow, i: number): JournalEntry | string {
  let json: unknown;
  try {
    json = JSON.parse(row.data);
  } catch {
    // Not the parser's message: it quotes the row, and the row may hold a caller's words.
    return 'not JSON (the stored text does not parse)';
  }
  const parsed = journalEntrySchema.safeParse(json);
  if (!parsed.success)
    return `not a journal entry: ${parsed.error.issues
      .slice(0, 3)
      .map((x) => `${x.path.join('.') || 'the row'}: ${x.message}`)
      .join('; ')}`;
  const entry = parsed.data;
  if (row.n !== i) return `entry ${row.n} where ${i} was expected (an entry before it is missing)`;
  if (entry.input.callId !== row.call_id)
    return `an input of call '${entry.input.callId}' stored under call '${row.call_id}'`;
  if (i === 0) {
    if (!entry.ring || entry.input.kind !== 'cti' || entry.input.type !== 'ring')
      return 'entry 0 is not the ring (no setup to rebuild the call from)';
    if (entry.ring.ref.callId !== row.call_id || entry.ring.setup.callId !== row.call_id)
      return `the ring of call '${entry.ring.ref.callId}' stored under call '${row.call_id}'`;
  } else if (entry.ring) return `entry ${i} carries a ring's setup (only entry 0 may)`;
  return entry;
}

/**
 * The journal's rows (ordered by call, then n) as calls: each row parsed and checked; a call
 * with one wrong row is damaged as a whole (replaying the rest would number its events anew).
 */
export function readJournal(rows: readonly JournalRow[]): LoadedJournal {
  const calls = new Map<string, JournalEntry[]>();
  const damaged: DamagedJournal[] = [];
  let i = 0;
  while (i < rows.length) {
    const callId = rows[i]?.call_id as string;
    const entries: JournalEntry[] = [];
    const problems: DamagedJournal['problems'] = [];
    let count = 0;
    for (; i < rows.length && rows[i]?.call_id === callId; i++, count++) {
      const row = rows[i] as JournalRow;
      const read = readRow(row, count);
      if (typeof read === 'string') problems.push({ n: row.n, problem: read });
      else entries.push(read);
    }
    if (problems.length > 0) damaged.push({ callId, rows: count, problems });
    else calls.set(callId, entries);
  }
  return { calls, damaged };
}

// ---- the journal against the CTI ----

/** How many CTI events of each type (a type absent: none). */
export type CtiEventCounts = Partial<Record<CallEventType, number>>;

/** A CTI event type of which the CTI and the journal hold different numbers. */
export interface CtiEventGap {
  type: CallEventType;
  cti: number;
  journal: number;
  /** The journal has more: the entry (its number) of the first one beyond the CTI's. */
  n?: number;
}

export interface CtiComparison {
  /** Types the CTI committed more of than the journal holds. */
  short: CtiEventGap[];
  /** Types the journal holds more of than the CTI committed. */
  extra: CtiEventGap[];
  counts: { cti: CtiEventCounts; journal: CtiEventCounts };
}

/**
 * Compares a call's journal with the CTI's events of it (its live row's `events`), type by
 * type. The hang-up is left out: the CTI's row never holds one (it goes at the hang-up). The
 * journal records a CTI event only after the CTI committed it, and only when the flow took
 * it, so for one call it never holds more of a type than the CTI (README "Restart", *Gaps*).
 */
export function compareWithCti(
  entries: readonly JournalEntry[],
  ctiEvents: readonly CallEvent[],
): CtiComparison {
  const cti: CtiEventCounts = {};
  const journal: CtiEventCounts = {};
  const beyond = new Map<CallEventType, number>();
  for (const e of ctiEvents) if (e.type !== 'hangup') cti[e.type] = (cti[e.type] ?? 0) + 1;
  entries.forEach(({ input }, n) => {
    if (input.kind !== 'cti' || input.type === 'hangup') return;
    const count = (journal[input.type] ?? 0) + 1;
    journal[input.type] = count;
    if (count === (cti[input.type] ?? 0) + 1) beyond.set(input.type, n);
  });
  const short: CtiEventGap[] = [];
  const extra: CtiEventGap[] = [];
  for (const type of CALL_EVENT_TYPES) {
    const c = cti[type] ?? 0;
    const j = journal[type] ?? 0;
    if (c > j) short.push({ type, cti: c, journal: j });
    else if (j > c) extra.push({ type, cti: c, journal: j, n: beyond.get(type) as number });
  }
  return { short, extra, counts: { cti, journal } };
}

/** "transfer: CTI 1, journal 0; hold: CTI 2, journal 1". */
export function describeGaps(gaps: readonly CtiEventGap[]): string {
  return gaps.map((g) => `${g.type}: CTI ${g.cti}, journal ${g.journal}`).join('; ');
}
