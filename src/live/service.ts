// Live assist in the application core (no transport): the CallFlow of every call this process
// took the ring of, fed by the CTI service (ring → a flow with what the hotline knows at ring;
// answer/hold/unhold/transfer/hangup → applied) and by the turns and buttons of agents and the
// ASR. Wall time (the injected clock) becomes ms since the ring; one heap of deadlines and one
// timer serve every call's nextDeadline(). Every event of a call is numbered (1, 2, 3…) and
// kept in a bounded log (hub.ts) a while after hang-up, so a console that reconnects — to any
// process — gets exactly what it missed. The flow lives in the process that took the ring; an
// input arriving elsewhere is forwarded there (hub-redis.ts). One process without Redis keeps
// a journal of each call's inputs in the database (journal.ts) and, at start-up, replays the
// calls a restart interrupted (`restore`).
import { type CallEventType, handedOverBy, type Speaker, type Turn } from '../calls/model.ts';
import { awaitsReportFrom, type LiveCallStore } from '../cti/live.ts';
import type { CtiEvent, EventOutcome } from '../cti/service.ts';
import type { CallResult } from '../qa/result.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { AgentStateService } from './agent-service.ts';
import type { AgentInput, AgentRecord } from './agent-state.ts';
import type {
  CallNote,
  CallRef,
  HubListener,
  LiveCallError,
  LiveCallStatus,
  LiveHub,
  LiveMessage,
  LoggedEvent,
  RingCard,
  RoutedInput,
  TurnSource,
} from './hub.ts';
import {
  compareWithCti,
  type DamagedJournal,
  describeGaps,
  type JournalClaim,
  type JournalEntry,
  type LiveJournal,
} from './journal.ts';
import {
  type CallFlow,
  type CallFlowFactory,
  FlowError,
  type FlowInput,
  type FlowSetup,
  TIMERS,
  type TimerName,
  type TimerState,
} from './model.ts';
import { type LiveScope, sees, seesAgent } from './scope.ts';
import { DeadlineHeap } from './timer-heap.ts';

export const KEEP_AFTER_END_MS = 15 * 60_000;
/** How often flows whose hang-up never came are looked for. */
const SWEEP_MS = 60_000;

/**
 * Who sends an input: the telephone system / ASR integration, or the agent whose call it is.
 * `scopes`: a person's API token's (absent: a session); one without `cti` records no call event.
 */
export type InputSender =
  | { kind: 'integration' }
  | { kind: 'person'; agentNumber: string | null; brand: string | null; scopes?: readonly string[] };

export interface TimerView {
  state: TimerState;
  /** ms since the ring. */
  at: number;
}

/** One call as a console (re)connecting sees it. */
export interface CallSnapshot {
  callId: string;
  brand: string;
  agentNumber: string | null;
  ringAt: string;
  status: LiveCallStatus;
  timers: Partial<Record<TimerName, TimerView>>;
  /** The inspection at hang-up (what `huashu qa --json` gives), once the call has one. */
  inspection: CallResult | null;
  /** The last seq of the call; `events` are those after the seq the client said it had. */
  lastSeq: number;
  events: Array<Pick<LiveMessage, 'seq' | 'event' | 'receivedAt'>>;
}

/** A console's subscription (LiveAssistService.subscribe). */
export interface LiveSubscription {
  snapshot: CallSnapshot[];
  /** Calls the client asked to resume whose events are no longer kept (or not theirs). */
  gone: string[];
  /** The agents' states in scope (an agent: their own), as of now. */
  agents: AgentRecord[];
  /** Call once the snapshot is sent: what came meanwhile, and everything after, is pushed. */
  start(): void;
  close(): void;
}

/** What a subscription pushes. */
export type Pushed =
  | { kind: 'event'; message: LiveMessage }
  | { kind: 'error'; error: LiveCallError }
  | { kind: 'agent'; agent: AgentRecord };

export interface LiveAssistOptions {
  clock: Clock;
  factory: CallFlowFactory;
  hub: LiveHub;
  /** The CTI's live calls (shared by every process): whose a call is, checked where an input arrives. */
  liveCalls: LiveCallStore;
  /** A flow whose hang-up never came is dropped this long after its last input. */
  liveTtlMs: number;
  keepAfterEndMs?: number;
  log?: { warn(obj: object, msg: string): void; error?(obj: object, msg: string): void };
  /**
   * Told, once, of the words of a call that has ended with turns typed in the console or posted
   * by the ASR. The CTI's hang-up stores the call with them already (`transcriptOf`); this is for
   * a call stored without (its words unreadable then): the stored call gets them and its
   * inspection. Practice calls are never stored and are not told. Must not throw.
   */
  onTranscript?: (callId: string, turns: Turn[]) => Promise<void>;
  /** Agents' states: told of each call's events for the agent it rang to (agent-service.ts). */
  agents?: AgentStateService;
  /**
   * Where each live call's inputs are recorded, for `start` to rebuild the calls a restart
   * interrupted (one process without Redis: the database). None: a restart loses live calls.
   */
  journal?: LiveJournal | null;
  /**
   * The journal's claim when taken before the service starts (server.ts claims it right after
   * migrating, before anything else runs); else `start` takes it.
   */
  claim?: JournalClaim;
  /**
   * Before a restart's replay: makes the factory ready for the calls' setups (the rules of a
   * scorecard version no longer in force, read from the store). Default: nothing to do.
   */
  prepare?: (setups: FlowSetup[]) => Promise<void>;
  /**
   * Run by `start` before the journal's replay: settles the CTI's hang-ups a stopped process left
   * half done (cti/service.ts `settleInterruptedHangups`), so the replay compares each call with
   * what the CTI finally holds. `alone`: this process holds the journal, so no other one can be
   * hanging up a call now.
   */
  settleCti?: (alone: boolean, log: LiveAssistOptions['log']) => Promise<void>;
  /**
   * Records the agent's `transfer-failed` button as the call's `transfer-failed` event at the CTI
   * (cti/service.ts `transferFailed`: checked, stored with the call, told back to live assist as
   * every CTI event), when the call has a transfer not already failed. None (a service without a
   * CTI): the button goes to the flow, which records the event on its own call only.
   */
  transferFailed?: (callId: string, at: Date, sender: InputSender) => Promise<void>;
}

interface Watcher {
  scope: LiveScope;
  listener: HubListener;
}

interface Held {
  flow: CallFlow;
  ref: CallRef;
  setup: FlowSetup;
  seq: number;
  turns: number;
  status: LiveCallStatus;
  generation: number;
  lastInputAt: number;
  /** The customer card shown at ring. */
  card: RingCard;
  /** The inspection at hang-up has been published. */
  inspected: boolean;
  /** The latest time the timers advanced the flow to (ms since the ring); -1: never. */
  advancedTo: number;
  /** Journal entries written (the next one's number). */
  journaled: number;
  /**
   * The call's journal writes and, after each, the events of its input, one after another: an
   * event reaches the consoles only once the row of its input (or, for a timer's, of the input
   * before it) is in, so a restart's replay never numbers again a seq a console has seen.
   */
  writes: Promise<void>;
  /**
   * The ASR posts this call's words (the integration's turn was taken): the customer's words
   * are its, never typed in the agent's console (the agent would put words in the caller's mouth).
   */
  asr: boolean;
  /**
   * The turn numbers of the customer turns typed in the console (null: none). On a call the ASR
   * transcribes they can only be from before its first turn (refused after): kept in the call
   * and its inspection, and marked `source: 'console'` in its words (`wordsOf`).
   */
  typedCustomer: number[] | null;
  /** A row could not be written: nothing more is recorded and the call's rows went. */
  unjournaled: boolean;
  /** Its rows are deleted after such a failure (retried with each later input until they are). */
  journalDropped: boolean;
}

export class LiveAssistService {
  private readonly flows = new Map<string, Held>();
  /**
   * The consoles' listeners, indexed so that an event reaches only those who may see it: an
   * agent's under their 工号, the supervisors' (brand or team) in a list (a few of them). One hub
   * listener for all: thousands of agents' sockets must not each test every event.
   */
  private readonly byAgent = new Map<string, Set<Watcher>>();
  private readonly broad = new Set<Watcher>();
  private readonly heap = new DeadlineHeap();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly keepMs: number;
  /** Replaying a journal (`restore`): nothing is recorded again, no agent is told. */
  private replaying = false;
  /** Journal writes not yet done, awaited by close(). */
  private readonly writing = new Set<Promise<void>>();
  /** The events a replay numbered, published once the call is rebuilt whole (`restore`). */
  private replayed: LiveMessage[] | null = null;
  /** This process holds the journal (one writer a database). */
  private claim: JournalClaim | undefined;
  /** Another process took the journal over: nothing more is written to it from here. */
  private journalLost = false;
  private log: LiveAssistOptions['log'];

  constructor(private readonly opts: LiveAssistOptions) {
    this.keepMs = opts.keepAfterEndMs ?? KEEP_AFTER_END_MS;
    this.log = opts.log;
    this.claim = opts.claim;
    opts.hub.onInput((input) => void this.applyHere(input));
    opts.hub.listen({
      message: (m) => {
        for (const w of this.watchersOf(m)) w.listener.message(m);
      },
      error: (e) => {
        for (const w of this.watchersOf(e)) w.listener.error(e);
      },
      agent: (a) => {
        for (const w of this.broad) if (seesAgent(w.scope, a)) w.listener.agent?.(a);
        const agents = this.byAgent.get(a.agentNumber);
        if (agents) for (const w of agents) if (seesAgent(w.scope, a)) w.listener.agent?.(a);
      },
    });
  }

  /** Tells the agents' states of a call's input or timer; never throws (a state is not worth a call). */
  private toAgent(held: Held, input: Extract<AgentInput, { kind: 'call' | 'wrap-up-end' }>): void {
    const { agents } = this.opts;
    const log = this.log;
    const number = held.ref.agentNumber;
    if (!agents || number === null || this.replaying) return;
    agents
      .onCall(held.ref.brand, number, input)
      .catch((err: unknown) =>
        log?.warn({ err, callId: held.ref.callId }, 'an agent’s state could not follow a call'),
      );
  }

  /** A call rebuilt at start-up told to its agent's state at the times of its answer and hold. */
  private agentAfterRestart(held: Held, entries: readonly JournalEntry[]): void {
    const { agents } = this.opts;
    const number = held.ref.agentNumber;
    if (!agents || number === null) return;
    const { callId, brand } = held.ref;
    const cti = entries.flatMap((e) => (e.input.kind === 'cti' ? [e.input] : []));
    const answer = cti.findLast((i) => i.type === 'answer' || i.type === 'unhold');
    const hold = held.status === 'on-hold' ? cti.findLast((i) => i.type === 'hold') : undefined;
    const log = this.log;
    void (async () => {
      await agents.onCall(brand, number, { kind: 'call', callId, brand, type: 'answer' }, answer?.at);
      if (hold) await agents.onCall(brand, number, { kind: 'call', callId, brand, type: 'hold' }, hold.at);
    })().catch((err: unknown) => log?.warn({ err, callId }, 'an agent’s state could not follow a call'));
  }

  private *watchersOf(call: Pick<CallRef, 'brand' | 'agentNumber'>): Iterable<Watcher> {
    for (const w of this.broad) if (sees(w.scope, call)) yield w;
    if (call.agentNumber === null) return;
    const agents = this.byAgent.get(call.agentNumber);
    if (agents) for (const w of agents) if (sees(w.scope, call)) yield w;
  }

  /** Listens to the events of the calls in `scope`; returns the function that stops it. */
  private watch(scope: LiveScope, listener: HubListener): () => void {
    const w: Watcher = { scope, listener };
    if (scope.kind !== 'agent') {
      this.broad.add(w);
      return () => this.broad.delete(w);
    }
    const key = scope.agentNumber;
    if (key === null) return () => undefined; // no 工号: no call of theirs
    let set = this.byAgent.get(key);
    if (!set) {
      set = new Set();
      this.byAgent.set(key, set);
    }
    set.add(w);
    return () => {
      set.delete(w);
      if (set.size === 0) this.byAgent.delete(key);
    };
  }

  private now(): number {
    return this.opts.clock.now().getTime();
  }

  /**
   * Connects the hub (Redis), claims the journal, settles the CTI's interrupted hang-ups, rebuilds
   * the calls the journal holds (a restart), and starts the stale-flow sweep. `log`: where what went wrong with a call is told (the
   * server's). Throws LiveJournalHeldError when another process keeps this database's journal.
   */
  async start(log?: LiveAssistOptions['log']): Promise<void> {
    if (log) this.log = log;
    await this.opts.hub.start();
    if (this.opts.journal && !this.claim) {
      this.claim = await this.opts.journal.claim(this.log);
    }
    this.claim?.onLost(() => this.lostJournal());
    await this.opts.settleCti?.(this.claim !== undefined, this.log);
    await this.restore();
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  /** Stops; the journal keeps the live calls (written to the end) for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.sweeper);
    this.flows.clear();
    await Promise.all([...this.writing]);
    const claim = this.claim;
    this.claim = undefined;
    await claim
      ?.release()
      .catch((err: unknown) => this.log?.warn({ err }, 'the live journal could not be released'));
    await this.opts.hub.stop();
  }

  // ---- the journal ---------------------------------------------------------------------

  /**
   * Whether the call's events wait for its journal's writes (a journal this process still
   * holds, not replaying it).
   */
  private journaling(): boolean {
    return !!this.opts.journal && !this.replaying && !this.journalLost;
  }

  /**
   * Another process took the journal over (this one was not seen for a lapse: paused, or cut
   * off from the database). Its rows are that process's now: nothing more is written or
   * deleted from here; the calls held here go on unjournaled, as with Redis (a restart of this
   * process does not keep them).
   */
  private lostJournal(): void {
    if (this.journalLost || this.closed) return;
    this.journalLost = true;
    for (const held of this.flows.values()) held.unjournaled = true;
    const say = this.log?.error ?? this.log?.warn;
    say?.call(
      this.log,
      { calls: this.flows.size },
      'another process took over the live journal (this one’s heartbeat was not seen for a minute): the live calls here are no longer journaled, and a restart will not keep them; two processes without REDIS_URL on one database is not supported (README "Several processes"): stop one of them',
    );
  }

  /** Queues `step` after the call's earlier writes and publications; resolves when done (never rejects). */
  private queue(held: Held, step: () => Promise<void> | void): Promise<void> {
    const done = held.writes
      .then(step)
      .catch((err: unknown) =>
        this.log?.warn({ err, callId: held.ref.callId }, 'a live call’s journal or events failed'),
      );
    held.writes = done;
    this.writing.add(done);
    void done.then(() => this.writing.delete(done));
    return done;
  }

  /**
   * Queues the row of the call's input `n`. A row that fails leaves a journal a restart would
   * replay short (seq numbers the consoles saw given again to other events): the call's rows go
   * and nothing more is recorded, so a restart loses the call (consoles are told it is gone).
   */
  private journalAppend(held: Held, n: number, entry: JournalEntry): void {
    const journal = this.opts.journal;
    if (!journal || !this.journaling()) return;
    const { callId } = held.ref;
    void this.queue(held, async () => {
      // Lost while the row waited: not this process's journal any more.
      if (this.journalLost) return;
      if (held.unjournaled) {
        // The drop failed too (the database is away): each later input tries it again, so a
        // short journal does not outlive the outage.
        if (!held.journalDropped) {
          await journal.drop(callId);
          held.journalDropped = true;
        }
        return;
      }
      try {
        await journal.append(callId, n, entry);
      } catch (err) {
        held.unjournaled = true;
        this.log?.warn(
          { err, callId },
          'the live call’s journal could not be written; a restart will lose it',
        );
        await journal.drop(callId);
        held.journalDropped = true;
      }
    });
  }

  /**
   * Rebuilds each call of the journal through a fresh flow: every input on its recorded times,
   * the timers advanced where they had been before each, so seq numbers, events and the
   * inspection are what they were. Calls past the live window are dropped. The timers that
   * fell due while the process was down fire at the first advance, in time order. A call whose
   * journal cannot be read back or replayed, or holds fewer or more of a CTI event type than
   * the CTI committed, is not rebuilt: it is handled as a call whose journal was dropped (README
   * "Restart"); the others go on.
   */
  private async restore(): Promise<void> {
    const journal = this.opts.journal;
    if (!journal) return;
    const { calls, damaged } = await journal.load();
    for (const d of damaged) await this.reject(journal, d, 'its rows cannot be read back');
    const cutoff = this.now() - this.opts.liveTtlMs;
    const setups = [...calls.values()].flatMap((entries) => entries[0]?.ring?.setup ?? []);
    if (setups.length > 0) await this.opts.prepare?.(setups);
    for (const [callId, entries] of calls) {
      const ring = entries[0]?.ring;
      const last = entries.at(-1);
      if (!ring || !last || last.input.receivedAt < cutoff || this.flows.has(callId)) {
        await journal.drop(callId).catch(() => undefined);
        continue;
      }
      const cti = await this.opts.liveCalls.get(callId);
      const journaled = statusOf(entries);
      // A journal that hung up is over, whatever the CTI's row still says (it never holds the hang-up).
      const gap = cti && journaled !== 'ended' ? compareWithCti(entries, cti.events) : null;
      if (cti && gap && gap.extra.length > 0) {
        // More than the CTI committed: no stopped process leaves that (the journal records a CTI
        // event only after the CTI committed it). The journal is not of the CTI's call (a call id
        // used again, rows edited): kept aside for a look, not replayed.
        await this.reject(
          journal,
          {
            callId,
            rows: entries.length,
            problems: gap.extra.map((g) => ({
              n: g.n ?? 0,
              problem: `a ${g.type} the CTI never committed (${describeGaps([g])}): the journal records a CTI event only after the CTI committed it, so this journal is not of the CTI's call`,
            })),
          },
          `its journal holds CTI events the CTI never committed (${describeGaps(gap.extra)})`,
        );
        continue;
      }
      if (cti && gap && gap.short.length > 0) {
        // The CTI committed more of a type (answer, hold, unhold, transfer) than the journal
        // holds: the process did not write that event's row before it stopped (a journal that
        // runs short, as after a row that failed), or the flow refused the event live (refused
        // inputs are not journaled). Which one, the counts cannot tell: the log says both.
        this.log?.warn(
          {
            callId,
            cti: cti.status,
            journal: journaled,
            events: gap.counts,
            rows: entries.length,
          },
          `the live call’s CTI events and its journal differ (${describeGaps(gap.short)}; the CTI says ${cti.status}, the journal ${journaled}): the process may have stopped before writing the row of a CTI event the CTI had committed, or live assist refused that CTI event while the call was live (its consoles were told then); the call is not rebuilt, its rows are deleted; live assist is unavailable for it and consoles are told it is gone`,
        );
        await journal.drop(callId).catch(() => undefined);
        continue;
      }
      let held: Held;
      try {
        held = this.replay(callId, ring, entries);
      } catch (err) {
        this.flows.delete(callId);
        const n = err instanceof ReplayFailure ? err.n : 0;
        const why = err instanceof ReplayFailure ? err.cause : err;
        await this.reject(
          journal,
          {
            callId,
            rows: entries.length,
            problems: [{ n, problem: `replay refused it: ${String((why as Error)?.message ?? why)}` }],
          },
          'it cannot be replayed',
        );
        continue;
      }
      for (const m of this.takeReplayed()) this.opts.hub.publish(m);
      if (this.flows.get(callId) !== held) {
        // It ended in the replay (finish records nothing while replaying): its rows go here.
        await journal.drop(callId).catch(() => undefined);
        continue;
      }
      if (held.status !== 'ended' && !cti) {
        // The CTI has the call no more: its hang-up (or expiry) was committed there, but the
        // process died before the journal row of it. Ended as the sweep ends a call, not left
        // live (and its agent busy) until the live window passes.
        this.emit(held, [
          {
            at: this.now() - held.ref.ringAt,
            kind: 'call',
            type: 'hangup',
            status: 'ended',
            cause: 'expired',
          },
        ]);
        this.finish(held);
        await journal.drop(callId).catch(() => undefined);
        continue;
      }
      await this.opts.hub.own(callId, this.opts.liveTtlMs);
      // The agents' states were this process's memory: their call is on again, since when it was
      // answered, on hold since its hold (not "talking since the restart").
      if (held.status === 'talking' || held.status === 'on-hold') this.agentAfterRestart(held, entries);
    }
    // A call the CTI holds with no journal: its ring's row was never written (the process
    // stopped first) or its journal was dropped. Nothing to rebuild it from: said once here.
    const bad = new Set(damaged.map((d) => d.callId));
    for (const c of await this.opts.liveCalls.list())
      if (!this.flows.has(c.callId) && !calls.has(c.callId) && !bad.has(c.callId))
        this.log?.warn(
          { callId: c.callId, cti: c.status },
          'a live call has no journal (its ring’s row was not written before the process stopped, or its journal was dropped): live assist is unavailable for it',
        );
  }

  /** Moves a call's rows aside (kept for inspection) and says so; its call is not rebuilt. */
  private async reject(journal: LiveJournal, d: DamagedJournal, why: string): Promise<void> {
    const message = `a live call is not rebuilt: ${why}; live assist is unavailable for it and consoles are told it is gone`;
    try {
      const moved = await journal.reject(d.callId, d.problems);
      this.log?.warn(
        { callId: d.callId, problems: d.problems, rows: d.rows, moved, keptIn: 'live_inputs_rejected' },
        `${message}; its rows are kept in live_inputs_rejected`,
      );
    } catch (err) {
      this.log?.warn(
        { err, callId: d.callId, problems: d.problems, rows: d.rows },
        `${message}; its rows could not be moved and stay in live_inputs (the next start tells of them again)`,
      );
    }
  }

  private takeReplayed(): LiveMessage[] {
    const out = this.replayed ?? [];
    this.replayed = null;
    return out;
  }

  /** A call's fresh state at its ring (live, or rebuilt from its journal). */
  private newHeld(ref: Held['ref'], setup: Held['setup'], card: Held['card'], lastInputAt: number): Held {
    return {
      flow: this.opts.factory(setup),
      ref,
      setup,
      seq: 0,
      turns: 0,
      status: 'ringing',
      generation: 0,
      lastInputAt,
      card,
      inspected: false,
      advancedTo: -1,
      journaled: 0,
      asr: false,
      typedCustomer: null,
      writes: Promise.resolve(),
      unjournaled: false,
      journalDropped: false,
    };
  }

  private replay(callId: string, ring: NonNullable<JournalEntry['ring']>, entries: JournalEntry[]): Held {
    this.replayed = [];
    this.replaying = true;
    let n = 0;
    try {
      const held = this.newHeld(ring.ref, ring.setup, ring.card, ring.ref.ringAt);
      this.flows.set(callId, held);
      for (const e of entries) {
        if (e.advancedTo > held.advancedTo) this.advanceHeld(held, e.advancedTo);
        void this.applyHere(e.input);
        n++;
      }
      // The next input's entry follows the recorded ones.
      held.journaled = entries.length;
      return held;
    } catch (err) {
      // Nothing of it reaches a console: its events were held back (`replayed`).
      this.replayed = null;
      throw new ReplayFailure(n, err);
    } finally {
      this.replaying = false;
    }
  }

  /**
   * The words a live call has so far (typed in the console or posted by the ASR), as the flow
   * took them: the CTI's hang-up stores the call with them, so the call is inspected once, with
   * all its words (the score it answers is the stored call's). Read from the flow when this
   * process holds it, else from the call's events (another process's flow). Null: none, or a
   * practice call (never stored).
   */
  async transcriptOf(callId: string): Promise<Turn[] | null> {
    const held = this.flows.get(callId);
    if (held) {
      if (held.turns === 0 || held.card.practice) return null;
      return wordsOf(held) ?? null;
    }
    const turns: Turn[] = [];
    const typed: number[] = [];
    let asr = false;
    for (const { event: e } of (await this.opts.hub.history(callId, 0)) ?? []) {
      if (e.kind === 'call' && e.type === 'ring' && e.card?.practice) return null;
      if (e.kind === 'turn') {
        if (e.source === 'asr') asr = true;
        if (e.source === 'console' && e.speaker === 'customer') typed.push(turns.length);
        turns.push({
          speaker: e.speaker,
          text: e.text,
          start: e.start,
          ...(e.end !== undefined ? { end: e.end } : {}),
        });
      }
    }
    return turns.length > 0 ? (asr ? markTyped(turns, typed) : turns) : null;
  }

  /** How many calls' flows this process holds. */
  get heldCalls(): number {
    return this.flows.size;
  }

  // ---- inputs --------------------------------------------------------------------------

  /** The CTI service's listener: every event it accepted, with its outcome. Never throws. */
  async onCti(event: CtiEvent, outcome: EventOutcome): Promise<void> {
    try {
      if (event.type === 'ring') await this.ring(event, outcome);
      else
        await this.route({
          callId: event.callId,
          receivedAt: this.now(),
          kind: 'cti',
          type: event.type,
          at: event.at.getTime(),
          ...(event.to !== undefined ? { to: event.to } : {}),
          ...(event.by !== undefined ? { by: event.by } : {}),
          ...(event.cause !== undefined ? { cause: event.cause } : {}),
          ...(event.agent?.id !== undefined ? { agentNumber: event.agent.id } : {}),
        });
    } catch (err) {
      this.log?.warn({ err, callId: event.callId }, 'live assist could not take a CTI event');
    }
  }

  /**
   * A turn or a button for a call, from the agent whose call it is or from the integration
   * (ASR). Checked here (the call is live and theirs), then handed to the flow wherever it is.
   */
  async submit(
    input: { callId: string } & (
      | { kind: 'turn'; speaker: Speaker; text: string; start?: number; end?: number }
      | { kind: 'button'; button: import('./model.ts').Button }
    ),
    sender: InputSender,
    /** When the input reached the server (ms since 1970); default now. */
    receivedAt: number = this.now(),
  ): Promise<void> {
    const call = await this.opts.liveCalls.get(input.callId);
    if (!call) {
      const kept = await this.opts.hub.history(input.callId, Number.MAX_SAFE_INTEGER);
      throw kept
        ? new AppError('conflict', {
            zh: `通话“${input.callId}”已挂机，不能再发送话轮或按键`,
            en: `call '${input.callId}' has hung up; no turns or buttons after that`,
          })
        : new AppError('not-found', {
            zh: `没有进行中的通话“${input.callId}”（须先由电话系统振铃）`,
            en: `no live call '${input.callId}' (a call starts with a ring from the telephone system)`,
          });
    }
    if (sender.kind === 'person') {
      const mine = sender.agentNumber;
      if (mine === null || call.agent.id !== mine || (sender.brand !== null && sender.brand !== call.brand))
        throw new AppError('forbidden', {
          zh: `通话“${input.callId}”不是振铃到您的工号（${mine ?? '无'}）的通话；只能为自己的通话发送话轮和按键`,
          en: `call '${input.callId}' did not ring to your 工号 (${mine ?? 'none'}); you may send turns and buttons only for your own calls`,
        });
    }
    // The ring said the ASR transcribes the call: refused from the first turn (the flow knows
    // only from the ASR's first turn on).
    if (call.asr && sender.kind === 'person' && input.kind === 'turn' && input.speaker === 'customer')
      throw asrOnly(input.callId);
    // A failed transfer is the call's event, not only a prompt: the CTI records it (the stored
    // call and the inspection at hang-up read it), and tells the flow as every CTI event. Once per
    // transfer: after the telephone system's own transfer-failed, the first press is taken quietly
    // (a duplicate: the lines are out already); pressed again (or with no transfer event), the
    // button goes to the flow.
    if (
      input.kind === 'button' &&
      input.button === 'transfer-failed' &&
      this.opts.transferFailed &&
      (handedOverBy(call.events) || awaitsReportFrom(call.events, 'console'))
    ) {
      // A call event, as POST /api/cti/events records: a token needs its scope `cti` here too.
      if (sender.kind === 'person' && sender.scopes && !sender.scopes.includes('cti'))
        throw new AppError('forbidden', {
          zh: `转接失败会记录为通话“${input.callId}”的通话事件：此 API 令牌缺少权限“cti”（现有：${sender.scopes.join('、') || '无'}）；通话事件由电话系统的集成令牌（权限 cti，归管理员所有）或登录工作台的坐席本人提交`,
          en: `a transfer-failed is recorded as an event of call '${input.callId}': this API token lacks the scope 'cti' (it has: ${sender.scopes.join(', ') || 'none'}); call events come from the telephone system's integration token (scope cti, owned by an admin) or from the agent's signed-in console`,
        });
      await this.opts.transferFailed(input.callId, new Date(receivedAt), sender);
      return;
    }
    const source: TurnSource = sender.kind === 'integration' ? 'asr' : 'console';
    const delivered = await this.route({
      ...input,
      receivedAt,
      ...(input.kind === 'turn' ? { source } : {}),
    } as RoutedInput);
    if (!delivered)
      throw new AppError('unavailable', {
        zh: `处理通话“${input.callId}”的服务进程没有响应（它可能已重启）；实时辅助对这通电话不可用`,
        en: `the server process holding call '${input.callId}' does not answer (it may have restarted); live assist is unavailable for this call`,
      });
  }

  /** To the flow here, or to the process holding it; false when no process does. */
  private async route(input: RoutedInput): Promise<boolean> {
    const held = this.flows.get(input.callId);
    if (held) {
      // Refused to the sender (here); a forwarded input is refused to the call's consoles.
      const refused = refusal(held, input);
      if (refused) throw refused;
      await this.applyHere(input);
      return true;
    }
    return this.opts.hub.forward(input);
  }

  private async ring(event: CtiEvent, outcome: EventOutcome): Promise<void> {
    const at = event.at.getTime();
    const phone = event.caller?.phone ?? null;
    const ring = outcome.ring;
    const dropped = phone ? await this.opts.hub.lastDropped(phone) : null;
    const live = outcome.live;
    const agentNumber = live?.agent.id ?? event.agent?.id ?? null;
    const brand = live?.brand ?? event.brand ?? '';
    const customer = ring?.customer;
    const setup: FlowSetup = {
      callId: event.callId,
      brand,
      direction: live?.direction ?? event.direction ?? 'inbound',
      ...(agentNumber !== null || event.agent?.name
        ? {
            agent: {
              ...(agentNumber !== null ? { id: agentNumber } : {}),
              ...(event.agent?.name ? { name: event.agent.name } : {}),
            },
          }
        : {}),
      customer: {
        ...(phone ? { phone } : {}),
        ...(customer?.surname ? { surname: customer.surname } : {}),
        ...(customer?.title ? { title: customer.title } : {}),
      },
      atRing: {
        repeatCaller:
          ring?.repeatCaller.repeat === true
            ? {
                count: ring.repeatCaller.callsToday,
                // A harasser's words are not repeated to the agent.
                lastSubject: ring.blacklisted ? null : (ring.repeatCaller.previous?.subject ?? null),
              }
            : null,
        blacklisted: ring?.blacklisted ?? false,
        droppedMsAgo: dropped === null || dropped > at ? null : at - dropped,
      },
      // The CTI took the version in force at the ring; the flow keeps its rules to the end.
      ...(live ? { scorecardVersion: live.scorecardVersion } : {}),
    };
    const held = this.newHeld(
      { callId: event.callId, brand, agentNumber, ringAt: at },
      setup,
      {
        caller: live?.caller ?? event.caller?.asGiven ?? null,
        customer: customer ? { id: customer.id, surname: customer.surname, title: customer.title } : null,
        repeatCaller: setup.atRing?.repeatCaller ?? null,
        blacklisted: setup.atRing?.blacklisted ?? false,
        droppedMsAgo: setup.atRing?.droppedMsAgo ?? null,
        practice: live?.practice ?? false,
      },
      this.now(),
    );
    // The ring is applied at once, so no input of the call can come before it here.
    this.flows.set(event.callId, held);
    const written = this.applyHere({
      callId: event.callId,
      receivedAt: this.now(),
      kind: 'cti',
      type: 'ring',
      at,
    });
    await this.opts.hub.own(event.callId, this.opts.liveTtlMs);
    await written;
  }

  /**
   * Applies an input to the flow this process holds, and publishes what it caused once its
   * journal row is in; the promise resolves when both are done (the input is kept).
   */
  private applyHere(input: RoutedInput): Promise<void> | undefined {
    const held = this.flows.get(input.callId);
    if (!held || this.closed) {
      this.log?.warn({ callId: input.callId }, 'live input for a call whose flow is not here');
      return;
    }
    const refused = refusal(held, input);
    if (refused) {
      this.publishError(held, refused);
      return;
    }
    held.lastInputAt = this.replaying ? input.receivedAt : this.now();
    const advancedTo = held.advancedTo;
    const since = (wall: number) => Math.max(0, wall - held.ref.ringAt);
    let flowInput: FlowInput;
    let note: CallNote;
    let status = held.status;
    switch (input.kind) {
      case 'cti': {
        const at = since(input.at);
        status = nextStatus(held.status, input.type);
        flowInput = {
          kind: 'cti',
          type: input.type,
          at,
          ...(input.to !== undefined ? { to: input.to } : {}),
          ...(input.by !== undefined ? { by: input.by } : {}),
          ...(input.cause !== undefined ? { cause: input.cause } : {}),
        };
        note = {
          at,
          kind: 'call',
          type: input.type,
          status,
          ...(input.type === 'ring'
            ? {
                direction: held.setup.direction,
                card: held.card,
                limits: held.flow.limits ?? null,
                ...(held.flow.stageList ? { stages: [...held.flow.stageList] } : {}),
              }
            : {}),
          ...(input.to !== undefined ? { to: input.to } : {}),
          ...(input.cause !== undefined ? { cause: input.cause } : {}),
        };
        break;
      }
      case 'turn': {
        // A typed turn has no time of its own: when it reached the server.
        const start = input.start ?? since(input.receivedAt);
        flowInput = {
          kind: 'turn',
          speaker: input.speaker,
          text: input.text,
          start,
          ...(input.end !== undefined ? { end: input.end } : {}),
        };
        note = {
          at: input.end ?? start,
          kind: 'turn',
          turn: held.turns,
          speaker: input.speaker,
          text: input.text,
          start,
          ...(input.end !== undefined ? { end: input.end } : {}),
          ...(input.source !== undefined ? { source: input.source } : {}),
        };
        break;
      }
      default: {
        const at = since(input.receivedAt);
        flowInput = { kind: 'button', button: input.button, at };
        note = { at, kind: 'button', button: input.button };
      }
    }
    let events: LoggedEvent[];
    try {
      events = held.flow.apply(flowInput);
    } catch (err) {
      this.publishError(held, err);
      return;
    }
    const n = held.journaled++;
    const entry: JournalEntry =
      n === 0
        ? { input, advancedTo, ring: { setup: held.setup, card: held.card, ref: held.ref } }
        : { input, advancedTo };
    this.journalAppend(held, n, entry);
    if (input.kind === 'turn') {
      if (input.source === 'console' && input.speaker === 'customer') {
        held.typedCustomer ??= [];
        held.typedCustomer.push(held.turns);
      }
      held.turns++;
      if (input.source === 'asr' && !held.asr) {
        held.asr = true;
        // The ASR joined a call whose caller's words the console had typed (a ring without
        // `asr`, HUASHU_LIVE_ASR=ring): those stay, marked as typed; said once, for QA to look.
        if (held.typedCustomer && !this.replaying)
          this.log?.warn(
            { callId: held.ref.callId, typedCustomerTurns: held.typedCustomer.length },
            'the ASR’s first turn of a call came after customer turns typed in the console: they stay in the call and its inspection, marked source "console" in its stored words; HUASHU_LIVE_ASR=all (or "asr": true on the ring) refuses them from the ring',
          );
      }
    }
    if (input.kind === 'cti') {
      held.status = status;
      if (input.type === 'answer' && input.agentNumber !== undefined)
        held.ref = { ...held.ref, agentNumber: input.agentNumber };
      const phone = held.setup.customer?.phone;
      if (input.type === 'hangup' && input.cause === 'dropped' && phone)
        void this.opts.hub.noteDropped(phone, input.at).catch(() => undefined);
    }
    if (input.kind === 'cti')
      this.toAgent(held, {
        kind: 'call',
        callId: held.ref.callId,
        brand: held.ref.brand,
        type: input.type,
        ...(input.type === 'hangup' ? { wrapUpMs: held.flow.limits?.wrapUpMs ?? 0 } : {}),
      });
    this.emit(held, [note, ...events], input.receivedAt);
    this.settle(held);
    // The row, then the events out.
    return held.writes;
  }

  private emit(held: Held, events: LoggedEvent[], receivedAt?: number): void {
    const { callId, brand, agentNumber, ringAt } = held.ref;
    // The inspection follows the events of the input (or timer) that made it, once.
    const inspection = held.flow.inspection;
    if (inspection && !held.inspected) {
      held.inspected = true;
      const turns = held.turns > 0 && !held.card.practice ? wordsOf(held) : undefined;
      if (turns?.length && this.opts.onTranscript) {
        const { onTranscript, log } = this.opts;
        void onTranscript(callId, turns).catch((err: unknown) =>
          log?.warn({ err, callId }, 'the live transcript could not be stored with the call'),
        );
      }
      const at = events.reduce((last, e) => Math.max(last, e.at), 0);
      events = [
        ...events,
        { at, kind: 'inspection', inspection, scorecardVersion: held.setup.scorecardVersion ?? null },
      ];
    }
    const out: LiveMessage[] = [];
    for (const event of events) {
      if (event.kind === 'timer' && event.timer === 'wrap-up' && event.state === 'expired')
        this.toAgent(held, { kind: 'wrap-up-end', callId });
      held.seq++;
      // A literal of one shape: a spread plus a field added after gives objects hidden classes of their own.
      const m: LiveMessage =
        receivedAt !== undefined
          ? { callId, brand, agentNumber, ringAt, seq: held.seq, event, receivedAt }
          : { callId, brand, agentNumber, ringAt, seq: held.seq, event };
      out.push(m);
    }
    if (out.length === 0) return;
    const hub = this.opts.hub;
    if (this.replayed) {
      for (const m of out) this.replayed.push(m);
      return;
    }
    // Numbered now, in the flow's order; sent after the rows queued before them (journal.ts).
    if (!this.journaling()) for (const m of out) hub.publish(m);
    else
      void this.queue(held, () => {
        for (const m of out) hub.publish(m);
      });
  }

  /**
   * Tells the call's consoles an input could not be taken, in the call's order: after the
   * events of the inputs before it, which wait for their journal rows. In a replay a recorded
   * input the flow refuses means the journal does not rebuild the call: thrown (`restore`).
   */
  private publishError(held: Held, err: unknown): void {
    if (this.replaying) throw err;
    let error: LiveCallError;
    if (err instanceof AppError && err.code === 'forbidden')
      error = {
        ...held.ref,
        code: 'forbidden',
        message: { zh: err.messages.zh ?? err.message, en: err.message },
      };
    else if (err instanceof FlowError)
      error = {
        ...held.ref,
        code: err.code,
        message: { zh: `通话“${held.ref.callId}”不能接受这个输入：${err.message}`, en: err.message },
      };
    else {
      this.log?.warn({ err, callId: held.ref.callId }, 'a call flow failed');
      error = {
        ...held.ref,
        code: 'internal',
        message: {
          zh: `通话“${held.ref.callId}”的实时辅助出错；请以话术库为准`,
          en: `live assist failed on call '${held.ref.callId}'; follow the playbook`,
        },
      };
    }
    const hub = this.opts.hub;
    if (this.journaling()) void this.queue(held, () => hub.publishError(error));
    else hub.publishError(error);
  }

  /** After an input or a timer: schedules the next deadline, or lets an ended call go. */
  private settle(held: Held): void {
    held.generation++;
    if (held.flow.ended) {
      this.finish(held);
      return;
    }
    const next = held.flow.nextDeadline();
    if (next === null) return;
    const due = held.ref.ringAt + next;
    this.heap.push({ due, callId: held.ref.callId, generation: held.generation });
    if (due < this.timerDue) this.arm(due);
  }

  private finish(held: Held): void {
    const { callId } = held.ref;
    if (this.flows.get(callId) !== held) return;
    this.flows.delete(callId);
    const journal = this.opts.journal;
    if (journal && this.journaling())
      void this.queue(held, () => (this.journalLost ? undefined : journal.drop(callId)));
    // Its events stay for consoles that reconnect; its flow, timers and owner key go (after its
    // last events are out).
    void this.queue(held, () => this.opts.hub.release(callId, this.keepMs).catch(() => undefined));
  }

  private arm(due: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.fire(), Math.max(0, due - this.now()));
    this.timer.unref();
  }

  /** Runs the timers due: each call's advance() to now, published in order. */
  private fire(): void {
    this.timer = undefined;
    this.timerDue = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (let top = this.heap.peek(); top && top.due <= now; top = this.heap.peek()) {
      this.heap.pop();
      const held = this.flows.get(top.callId);
      if (!held || held.generation !== top.generation) continue; // rescheduled since, or gone
      this.advanceHeld(held, now - held.ref.ringAt);
    }
    const next = this.heap.peek();
    if (next) this.arm(next.due);
  }

  /** Fires a call's timers due by `t` (ms since the ring) and publishes their events. */
  private advanceHeld(held: Held, t: number): void {
    let events: LoggedEvent[];
    try {
      events = held.flow.advance(t);
    } catch (err) {
      this.publishError(held, err);
      return;
    }
    held.advancedTo = Math.max(held.advancedTo, t);
    this.emit(held, events);
    this.settle(held);
  }

  /** Drops flows whose hang-up never came (the CTI's live-call expiry does the same). */
  private sweep(): void {
    const cutoff = this.now() - this.opts.liveTtlMs;
    for (const held of [...this.flows.values()]) {
      if (held.lastInputAt >= cutoff) continue;
      // Consoles see it end: a hang-up that never came, taken as the line lost.
      this.emit(held, [
        { at: this.now() - held.ref.ringAt, kind: 'call', type: 'hangup', status: 'ended', cause: 'expired' },
      ]);
      this.finish(held);
    }
  }

  // ---- consoles ------------------------------------------------------------------------

  /**
   * A console's subscription: `push` gets every event of the calls in `scope` from now on, in
   * order per call, none twice; the answer is the snapshot of the visible calls (with the
   * events after `resume[callId]`, or all). A gap (a call that became visible mid-way) is
   * filled from the log before what follows is pushed.
   */
  async subscribe(
    scope: LiveScope,
    resume: Readonly<Record<string, number>>,
    push: (p: Pushed) => void,
  ): Promise<LiveSubscription> {
    const hub = this.opts.hub;
    const cursors = new Map<string, number>();
    let buffered: LiveMessage[] | null = [];
    // Made on the first gap (rare): an empty Map is still ~100 bytes a console.
    let filling: Map<string, LiveMessage[]> | null = null;
    let closed = false;
    let agentsWaiting: AgentRecord[] | null = [];

    const deliver = (m: LiveMessage): void => {
      if (closed) return;
      const waiting = filling?.get(m.callId);
      if (waiting) {
        waiting.push(m);
        return;
      }
      const cursor = cursors.get(m.callId) ?? 0;
      if (m.seq <= cursor) return;
      if (m.seq === cursor + 1) {
        cursors.set(m.callId, m.seq);
        push({ kind: 'event', message: m });
        return;
      }
      // A gap: fetch what lies between, then go on with what waited meanwhile.
      const queue: LiveMessage[] = [m];
      filling ??= new Map();
      const gaps = filling;
      gaps.set(m.callId, queue);
      hub
        .history(m.callId, cursor)
        .catch(() => null)
        .then((missing) => {
          gaps.delete(m.callId);
          for (const x of missing ?? []) if (x.seq < m.seq) deliver(x);
          for (const x of queue) deliver(x);
        });
    };

    const unlisten = this.watch(scope, {
      message: (m) => {
        if (buffered) buffered.push(m);
        else deliver(m);
      },
      error: (e) => {
        if (!closed && !buffered) push({ kind: 'error', error: e });
      },
      agent: (a) => {
        if (closed) return;
        if (agentsWaiting) agentsWaiting.push(a);
        else push({ kind: 'agent', agent: a });
      },
    });

    const snapshot: CallSnapshot[] = [];
    const gone: string[] = [];
    let agents: AgentRecord[] = [];
    try {
      agents = ((await this.opts.agents?.list()) ?? []).filter((a) => seesAgent(scope, a));
      const ids = new Set([...(await hub.calls()), ...Object.keys(resume)]);
      const logs = await Promise.all([...ids].map(async (id) => [id, await hub.history(id, 0)] as const));
      for (const [id, log] of logs) {
        const last = log?.at(-1);
        if (!log || !last) {
          if (id in resume) gone.push(id);
          continue;
        }
        if (!sees(scope, last)) {
          if (id in resume) gone.push(id);
          continue;
        }
        const after = resume[id] ?? 0;
        cursors.set(id, last.seq);
        snapshot.push({
          callId: id,
          brand: last.brand,
          agentNumber: last.agentNumber,
          ringAt: new Date(last.ringAt).toISOString(),
          ...summarize(log.map((m) => m.event)),
          lastSeq: last.seq,
          events: log
            .filter((m) => m.seq > after)
            .map((m) =>
              m.receivedAt !== undefined
                ? { seq: m.seq, event: m.event, receivedAt: m.receivedAt }
                : { seq: m.seq, event: m.event },
            ),
        });
      }
    } catch (err) {
      unlisten();
      throw err;
    }
    snapshot.sort((a, b) => (a.ringAt < b.ringAt ? -1 : a.ringAt > b.ringAt ? 1 : 0));
    // The snapshot goes out first; what arrived while it was read follows (the caller sends
    // the snapshot before calling `start`).
    return {
      snapshot,
      gone,
      agents,
      start: () => {
        const held = buffered ?? [];
        buffered = null;
        for (const m of held) deliver(m);
        // Changes that came while the snapshot was read (a client keeps the highest revision).
        const waiting = agentsWaiting ?? [];
        agentsWaiting = null;
        for (const a of waiting) push({ kind: 'agent', agent: a });
      },
      close: () => {
        closed = true;
        unlisten();
      },
    };
  }
}

/** The call's words as the flow took them, the customer turns typed on a call the ASR transcribes marked. */
function wordsOf(held: Held): Turn[] | undefined {
  const turns = held.flow.call?.().turns;
  return turns && held.asr && held.typedCustomer ? markTyped(turns, held.typedCustomer) : turns;
}

/** Marks the turns at `typed` as typed in the console (`source: 'console'`). */
function markTyped(turns: Turn[], typed: readonly number[]): Turn[] {
  if (typed.length === 0) return turns;
  const at = new Set(typed);
  return turns.map((t, i) => (at.has(i) ? { ...t, source: 'console' } : t));
}

/** A call's status and timers from its events. */
export function summarize(
  events: readonly LoggedEvent[],
): Pick<CallSnapshot, 'status' | 'timers' | 'inspection'> {
  let status: LiveCallStatus = 'ringing';
  const timers: Partial<Record<TimerName, TimerView>> = {};
  let inspection: CallResult | null = null;
  for (const e of events) {
    if (e.kind === 'call') status = e.status;
    else if (e.kind === 'inspection') inspection = e.inspection;
    else if (e.kind === 'timer' && TIMERS.includes(e.timer)) timers[e.timer] = { state: e.state, at: e.at };
  }
  return { status, timers, inspection };
}

function nextStatus(current: LiveCallStatus, type: CallEventType): LiveCallStatus {
  switch (type) {
    case 'ring':
      return 'ringing';
    case 'answer':
    case 'unhold':
      return 'talking';
    case 'hold':
      return 'on-hold';
    case 'hangup':
      return 'ended';
    default:
      return current;
  }
}

/**
 * Why a call does not take an input from its sender, if it does not: on a call the ASR
 * transcribes, the console's customer turn (the agent's own turns and buttons are taken).
 */
function refusal(held: Held, input: RoutedInput): AppError | null {
  if (!held.asr || input.kind !== 'turn' || input.source !== 'console' || input.speaker !== 'customer')
    return null;
  return asrOnly(held.ref.callId);
}

function asrOnly(id: string): AppError {
  return new AppError('forbidden', {
    zh: `通话“${id}”的话轮由语音识别（ASR）转写：客户的话只能由语音识别提交，坐席工作台只能发送坐席自己的话轮和按键`,
    en: `call '${id}' is transcribed by speech recognition (ASR): the customer's words come only from the ASR; the console may send only the agent's own turns and buttons`,
  });
}

/** A recorded input (entry `n`) the replay's flow refused. */
class ReplayFailure extends Error {
  constructor(
    readonly n: number,
    override readonly cause: unknown,
  ) {
    super(`entry ${n} of the journal could not be replayed`);
  }
}

/** The status a call's journal leads to (words on a ringing line answer it, as in flow.ts). */
function statusOf(entries: readonly JournalEntry[]): LiveCallStatus {
  let status: LiveCallStatus = 'ringing';
  for (const { input } of entries)
    if (input.kind === 'cti') status = nextStatus(status, input.type);
    else if (input.kind === 'turn' && status === 'ringing') status = 'talking';
  return status;
}
