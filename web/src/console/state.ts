// The console's picture of its calls, built from the socket's snapshot and events and nothing
// else (pure: no React, no socket), so that a reconnect that resumes from each call's last seq
// ends in exactly the state an unbroken connection would have.
import type {
  Button,
  Inspection,
  LiveCallStatus,
  LiveEvent,
  RingCard,
  SnapshotCall,
  Speaker,
  StageId,
  StageState,
  TimerLimits,
  TimerName,
  TimerState,
} from './protocol';

export interface AlertView {
  turn: number;
  rule: string;
  /** The rule's title in the scorecard (null: an older server's alert). */
  title: string | null;
  evidence: string;
  suggestion: string;
  at: number;
}

export interface TurnView {
  turn: number;
  speaker: Speaker;
  text: string;
  at: number;
  alerts: AlertView[];
  situations: string[];
}

export interface GuidanceView {
  seq: number;
  turn: number | null;
  scenario: string;
  text: string;
  at: number;
}

export interface TimerView {
  state: TimerState;
  /** ms since the ring: when it last changed, and when its current run began. */
  at: number;
  startedAt: number;
  /** How many times it expired in this call (a silent line's attempts). */
  expiries: number;
}

export interface CallView {
  callId: string;
  brand: string;
  agentNumber: string | null;
  /** ms since 1970 (the server's clock). */
  ringAt: number;
  status: LiveCallStatus;
  direction: 'inbound' | 'outbound';
  card: RingCard | null;
  limits: TimerLimits | null;
  lastSeq: number;
  turns: TurnView[];
  /** Newest first: the line for what is happening now leads. */
  guidance: GuidanceView[];
  /** What became of each stage so far (n/a: its rule does not apply to how the call ended). */
  stages: Partial<Record<StageId, StageState>>;
  /** The stages of this call's checklist, in call order, as the ring said (null: every stage). */
  stageList: StageId[] | null;
  timers: Partial<Record<TimerName, TimerView>>;
  situations: string[];
  buttons: Button[];
  transferredTo: string | null;
  hangupCause: string | null;
  inspection: Inspection | null;
  /** The server no longer keeps it (restarted without Redis, or ended long ago): shown as ended. */
  lost: boolean;
  /** The call was answered (an unanswered one that ended: the caller hung up while it rang). */
  answered: boolean;
}

export interface ConsoleState {
  calls: Record<string, CallView>;
  /** Call ids, most recent ring last. */
  order: string[];
}

export const EMPTY: ConsoleState = { calls: {}, order: [] };

function newCall(id: string, brand: string, agentNumber: string | null, ringAt: number): CallView {
  return {
    callId: id,
    brand,
    agentNumber,
    ringAt,
    status: 'ringing',
    direction: 'inbound',
    card: null,
    limits: null,
    lastSeq: 0,
    turns: [],
    guidance: [],
    stages: {},
    stageList: null,
    timers: {},
    situations: [],
    buttons: [],
    transferredTo: null,
    hangupCause: null,
    inspection: null,
    lost: false,
    answered: false,
  };
}

/**
 * Lines that stop applying once what they were for is over: dropped from the suggestions then,
 * so the line that leads is one for now (the F key takes it). The hold's consent at the unhold,
 * whose own line (hold.return / hold.thanks) then leads; not the callback offer of a hold past
 * its limit (hold.over-limit, 稍后我给您回拨好吗): the caller hears it only once back, so it stays,
 * under the return line, until the next hold (which gives its own) or the hang-up. The silent
 * line's when the caller speaks (the engine stops that procedure then).
 */
const DONE_AT_UNHOLD = new Set(['hold.ask']);
const DONE_AT_HOLD = new Set(['hold.over-limit']);
const DONE_AT_CALLER_TURN = new Set(['exception.silent-line']);
/**
 * A stage's own lines once the checklist ticks it: said, so no longer the line for now (after
 * 您好,请问您贵姓? the ask-surname line led on and F put it in again). Only on `done`: a stage
 * missed on the way may still be worth saying late, and one n/a has its call over.
 */
const DONE_WITH_STAGE: Partial<Record<string, ReadonlySet<string>>> = {
  // Not the late answer's apology (让您久等了 still counts in the agent's second turn) nor the
  // outbound opening (its line also asks for the callee, which the greeting does not check).
  greeting: new Set(['opening.greeting']),
  surname: new Set(['identify.ask-surname']),
  confirm: new Set(['confirm.problem', 'confirm.repeat-caller']),
  verify: new Set(['verify.identity']),
  solve: new Set(['solve.offer']),
  'more-questions': new Set(['closing.more-questions']),
  farewell: new Set(['closing.farewell']),
};

/** One event applied to a call (a new object; the call given is not changed). */
export function applyEvent(call: CallView, seq: number, e: LiveEvent): CallView {
  if (seq <= call.lastSeq) return call; // had it already (a resume never repeats, but be safe)
  const c: CallView = { ...call, lastSeq: seq };
  switch (e.kind) {
    case 'call':
      c.status = e.status;
      if (e.type === 'ring') {
        if (e.card) c.card = e.card;
        if (e.limits) c.limits = e.limits;
        if (e.direction) c.direction = e.direction;
        if (e.stages) c.stageList = e.stages;
      }
      if (e.type === 'transfer' && e.to) c.transferredTo = e.to;
      // The transfer did not go through: the caller is still this agent's (no "transferred" tag).
      if (e.type === 'transfer-failed') c.transferredTo = null;
      // Any event of a call in talk says it was answered (the answer itself may be past the kept log).
      if (e.type === 'answer' || e.status === 'talking' || e.status === 'on-hold') c.answered = true;
      if (e.type === 'unhold') c.guidance = c.guidance.filter((g) => !DONE_AT_UNHOLD.has(g.scenario));
      if (e.type === 'hold') c.guidance = c.guidance.filter((g) => !DONE_AT_HOLD.has(g.scenario));
      if (e.type === 'hangup') c.hangupCause = e.cause ?? 'normal';
      break;
    case 'turn':
      if (e.speaker === 'customer')
        c.guidance = c.guidance.filter((g) => !DONE_AT_CALLER_TURN.has(g.scenario));
      c.turns = [
        ...c.turns,
        { turn: e.turn, speaker: e.speaker, text: e.text, at: e.start ?? e.at, alerts: [], situations: [] },
      ];
      break;
    case 'alert':
      c.turns = c.turns.map((t) =>
        t.turn === e.turn
          ? {
              ...t,
              alerts: [
                ...t.alerts,
                {
                  turn: e.turn,
                  rule: e.rule,
                  title: e.title ?? null,
                  evidence: e.evidence,
                  suggestion: e.suggestion,
                  at: e.at,
                },
              ],
            }
          : t,
      );
      break;
    case 'situation':
      c.turns = c.turns.map((t) => (t.turn === e.turn ? { ...t, situations: e.situations } : t));
      c.situations = [...new Set([...c.situations, ...e.situations])];
      break;
    case 'guidance': {
      // The newest turn's lines first, and among one turn's lines the engine's order (its best
      // first): a line joins the group of its turn at the top.
      const line = { seq, turn: e.turn, scenario: e.scenario, text: e.text, at: e.at };
      // Lines no turn caused (a timer's) group by their time: one timer's lines in order.
      const same = (g: GuidanceView | undefined) =>
        g !== undefined && (e.turn !== null ? g.turn === e.turn : g.turn === null && g.at === e.at);
      let i = 0;
      while (i < c.guidance.length && same(c.guidance[i])) i++;
      c.guidance = [...c.guidance.slice(0, i), line, ...c.guidance.slice(i)];
      break;
    }
    case 'stage': {
      c.stages = { ...c.stages, [e.stage]: e.state };
      const said = e.state === 'done' ? DONE_WITH_STAGE[e.stage] : undefined;
      if (said) c.guidance = c.guidance.filter((g) => !said.has(g.scenario));
      break;
    }
    case 'timer': {
      const prev = c.timers[e.timer];
      c.timers = {
        ...c.timers,
        [e.timer]: {
          state: e.state,
          at: e.at,
          startedAt: e.state === 'started' ? e.at : (prev?.startedAt ?? e.at),
          expiries: (prev?.expiries ?? 0) + (e.state === 'expired' ? 1 : 0),
        },
      };
      break;
    }
    case 'button':
      c.buttons = [...c.buttons, e.button];
      break;
    case 'inspection':
      c.inspection = e.inspection;
      break;
  }
  return c;
}

export function applyMessage(
  state: ConsoleState,
  m: { callId: string; seq: number; brand: string; agentNumber: string | null; event: LiveEvent },
  ringAt?: number,
): ConsoleState {
  const existing = state.calls[m.callId];
  const base =
    existing ??
    newCall(
      m.callId,
      m.brand,
      m.agentNumber,
      ringAt ?? (m.event.kind === 'call' ? Date.now() - m.event.at : 0),
    );
  const next = applyEvent({ ...base, agentNumber: m.agentNumber ?? base.agentNumber }, m.seq, m.event);
  if (next === existing) return state;
  return {
    calls: { ...state.calls, [m.callId]: next },
    order: existing ? state.order : [...state.order, m.callId],
  };
}

/**
 * The snapshot after (re)subscribing: each call's events after the seq this console said it had
 * are applied on top of what it holds; calls it never had start from their events; calls the
 * server no longer keeps (`gone`: it restarted without Redis, or they ended long ago) stay on
 * screen as ended and lost, not as the live calls they were.
 */
export function applySnapshot(state: ConsoleState, calls: SnapshotCall[], gone: string[]): ConsoleState {
  const out: Record<string, CallView> = { ...state.calls };
  const order = [...state.order];
  for (const id of gone) {
    const c = out[id];
    if (c) out[id] = { ...c, status: 'ended', lost: true };
  }
  for (const s of calls) {
    let c = out[s.callId] ?? newCall(s.callId, s.brand, s.agentNumber, Date.parse(s.ringAt));
    c = { ...c, ringAt: Date.parse(s.ringAt), agentNumber: s.agentNumber, lost: false };
    for (const e of s.events) c = applyEvent(c, e.seq, e.event);
    if (s.inspection && !c.inspection) c = { ...c, inspection: s.inspection };
    // A resumed call whose events were all seen is as it was; its status is the server's (a call
    // in talk or on hold was answered, though its answer may be past the kept log).
    c = { ...c, status: s.status, answered: c.answered || s.status === 'talking' || s.status === 'on-hold' };
    if (!out[s.callId]) order.push(s.callId);
    out[s.callId] = c;
  }
  return { calls: out, order };
}

/** What the console says it has, per call, when it resubscribes. */
export function resumePoint(state: ConsoleState): Record<string, number> {
  const r: Record<string, number> = {};
  for (const id of state.order) {
    const c = state.calls[id];
    if (c && c.lastSeq > 0 && !c.lost) r[id] = c.lastSeq;
  }
  return r;
}

/**
 * The call the console shows: the one that rang last (an agent takes one call at a time; an
 * ended call stays on screen with its inspection until the next one rings).
 */
export function currentCall(state: ConsoleState): CallView | null {
  const last = state.order.at(-1);
  return last ? (state.calls[last] ?? null) : null;
}

/** The parts of a turn's text, the flagged words marked (an alert's evidence, where found). */
export function highlight(text: string, words: string[]): { text: string; flagged: boolean }[] {
  const ranges: [number, number][] = [];
  for (const w of words) {
    if (!w) continue;
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + w.length)) ranges.push([i, i + w.length]);
  }
  if (ranges.length === 0) return [{ text, flagged: false }];
  ranges.sort((a, b) => a[0] - b[0]);
  const out: { text: string; flagged: boolean }[] = [];
  let pos = 0;
  for (const [s, e] of ranges) {
    if (e <= pos) continue;
    const from = Math.max(s, pos);
    if (from > pos) out.push({ text: text.slice(pos, from), flagged: false });
    out.push({ text: text.slice(from, e), flagged: true });
    pos = e;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), flagged: false });
  return out;
}

export type Severity = 'normal' | 'warning' | 'over';

/** A running clock: ms left to its limit (negative: over) and how urgent; null when not running. */
export function countdown(
  call: CallView,
  timer: 'hold' | 'silent-line' | 'ring',
  serverNow: number,
): { leftMs: number; severity: Severity } | null {
  const t = call.timers[timer];
  if (!t || t.state === 'stopped') return null;
  const limits = call.limits;
  const elapsed = serverNow - (call.ringAt + t.startedAt);
  const limit =
    timer === 'hold' ? limits?.holdMs : timer === 'ring' ? limits?.ringMs : limits?.silentLinePauseMs;
  if (limit === undefined) return null;
  // A silent line's pause that expired waits for the next attempt's start: nothing to count.
  // Past the server's expiry the clock shows the time over, never time left.
  const left =
    t.state === 'expired' ? (timer === 'silent-line' ? 0 : Math.min(-1, limit - elapsed)) : limit - elapsed;
  const warnAt = timer === 'hold' ? (limits?.holdWarningMs ?? limit * 0.75) : limit * 0.6;
  const severity: Severity =
    t.state === 'expired' || left <= 0
      ? 'over'
      : t.state === 'warning' || elapsed >= warnAt
        ? 'warning'
        : 'normal';
  return { leftMs: left, severity };
}
