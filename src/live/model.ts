// The contract of live assist: what goes into a call's flow (CTI events, turns, the agent's
// buttons) and what comes out (timers, stages, situations, guidance, alerts). Pure types: the
// engine (flow.ts), the alert checker (alerts.ts), the WebSocket adapter and `huashu replay`
// all speak these. Times are ms since the ring (`at`), as in a call file.
import type { CallEventType, Speaker } from '../calls/model.ts';
import type { CallResult } from '../qa/result.ts';
import type { DetectedSituation } from '../situations/ids.ts';
import type { StageId, StageState } from './flow-stages.ts';

export const TIMERS = ['ring', 'silent-line', 'hold', 'wrap-up'] as const;
export type TimerName = (typeof TIMERS)[number];
export type TimerState = 'started' | 'warning' | 'expired' | 'stopped';

/** The agent's buttons on the console (what the line shows that no word does). */
export const BUTTONS = [
  'silent-line',
  'noisy-line',
  'dialect',
  'transfer-failed',
  'harassment',
  'wrong-number',
  'not-the-customer',
  'reconnected',
] as const;
export type Button = (typeof BUTTONS)[number];

/** A CTI event of the call. */
export interface CtiInput {
  kind: 'cti';
  type: CallEventType;
  at: number;
  /** transfer: where the call went. */
  to?: string;
  /** hangup: who hung up, and why the line ended. */
  by?: Speaker;
  cause?: 'normal' | 'dropped' | 'no-answer' | 'busy' | 'rejected' | 'failed';
}

/** One turn of words (ASR or typed). */
export interface TurnInput {
  kind: 'turn';
  speaker: Speaker;
  text: string;
  /** ms since the ring; typed turns have `start` only (when sent), ASR turns both. */
  start?: number;
  end?: number;
}

/** The agent pressed one of the console's buttons. */
export interface ButtonInput {
  kind: 'button';
  button: Button;
  at: number;
}

/** One thing that happened to a call, in the order it reaches the engine. */
export type FlowInput = CtiInput | TurnInput | ButtonInput;

/** What the engine says, each with `at` (ms since the ring). */
export type LiveEvent =
  | { at: number; kind: 'timer'; timer: TimerName; state: TimerState }
  | { at: number; kind: 'stage'; stage: StageId; state: Exclude<StageState, 'pending'> }
  | { at: number; kind: 'situation'; turn: number; situations: DetectedSituation[] }
  | { at: number; kind: 'guidance'; turn: number | null; scenario: string; text: string }
  | {
      at: number;
      kind: 'alert';
      turn: number;
      rule: string;
      /** The rule's title in the scorecard (a custom rule has no console label of its own). */
      title?: string;
      evidence: string;
      suggestion: string;
    };

/** One alert the rules raise on an agent turn (the LiveEvent without `at`/`kind`). */
export interface TurnAlert {
  turn: number;
  rule: string;
  /** The rule's title in the scorecard: what the console names it by where it has no label. */
  title?: string;
  evidence: string;
  suggestion: string;
}

/** The scorecard as live assist applies it (alerts.ts implements it over the Inspector). */
export interface TurnRules {
  /** The alerts agent turn `turn` of `call` raises, decided with the turns so far. */
  alertsFor(call: import('../calls/model.ts').Call, turn: number): TurnAlert[];
  /**
   * The alerts CTI event `event` (its index in `call.events`) raises as it is handled, at its
   * time (a hold without the caller's consent asked, where the turns before it are known by
   * then). Without it, those come with the next agent turn.
   */
  alertsAt?(call: import('../calls/model.ts').Call, event: number): TurnAlert[];
  /** The full inspection at hang-up: exactly what `huashu qa` gives for the call. */
  inspect(call: import('../calls/model.ts').Call): CallResult;
  /**
   * Whether agent turn `turn` says what a rule looks for in a turn (by rule id), as quality
   * inspection judges that turn; null: the scorecard cannot tell (no such rule…). Without it
   * the stages checklist goes by the phrase sets alone.
   */
  saysIn?(call: import('../calls/model.ts').Call, turn: number): (ruleId: string) => boolean | null;
  /**
   * Whether the words before a hold starting at `at` (the call's turns so far) pass a `holds`
   * rule's check before a hold, as quality inspection judges it; null: the scorecard cannot
   * tell (no such rule, not for the call's channel, no such check).
   */
  passesBeforeHold?(call: import('../calls/model.ts').Call, at: number, ruleId: string): boolean | null;
  /**
   * Whether the scorecard's named condition holds on the call, as quality inspection reads it;
   * null: the scorecard names no such condition.
   */
  conditionHolds?(call: import('../calls/model.ts').Call, name: string): boolean | null;
}

/** Raised for input a call cannot take (an event out of order, a turn after hang-up…). */
export class FlowError extends Error {
  constructor(
    readonly callId: string,
    readonly code: 'out-of-order' | 'call-ended' | 'invalid-turn' | 'invalid-input',
    message: string,
  ) {
    super(message);
    this.name = 'FlowError';
  }
}

/** A call's timer limits in ms (from its brand's playbook): what a console counts down to. */
export interface TimerLimits {
  /** An inbound call's ring is answered late after this (ringsToAnswer × ringPeriodSeconds). */
  ringMs: number;
  /** A hold is over the limit at this long; its warning comes `holdWarningMs` after it began. */
  holdMs: number;
  holdWarningMs: number;
  /** A silent line's pause per attempt, and how many attempts before the farewell line. */
  silentLinePauseMs: number;
  silentLineAttempts: number;
  /** The after-call work (话后处理) after the hang-up. */
  wrapUpMs: number;
}

/** One call's engine (flow.ts): feed it inputs in order, ask it for the timers due. */
export interface CallFlow {
  readonly callId: string;
  /** Its timers' limits (the engine's; a stand-in flow may have none). */
  readonly limits?: TimerLimits;
  /** The stages of its checklist, in call order (a stand-in flow may have none). */
  readonly stageList?: readonly StageId[];
  /** True after hang-up (and the wrap-up timer, if any, is done). */
  readonly ended: boolean;
  /** Applies one input; the events it causes, in time order. Throws FlowError on bad input. */
  apply(input: FlowInput): LiveEvent[];
  /** The timer events due up to `now` (ms since the ring), in time order. */
  advance(now: number): LiveEvent[];
  /** When the next timer fires (ms since the ring), or null. */
  nextDeadline(): number | null;
  /** The inspection at hang-up (null before). */
  readonly inspection: CallResult | null;
  /** The call as received so far (events and turns); a stand-in flow may keep none. */
  call?(): import('../calls/model.ts').Call;
}

/** What a call's flow is told when the call rings. */
export interface FlowSetup {
  callId: string;
  brand: string;
  direction: import('../calls/model.ts').Direction;
  /** Absent: a phone call (the CTI's calls are); a replayed chat keeps its channel. */
  channel?: import('../calls/model.ts').Channel;
  agent?: { id?: string; name?: string };
  customer?: { phone?: string; surname?: string; title?: string };
  /** What the hotline knows at ring (the CTI service looks it up). */
  atRing?: {
    /** Called earlier today; what about (never a harasser's words: null then). */
    repeatCaller: { count: number; lastSubject: string | null } | null;
    blacklisted: boolean;
    /** The same number's previous call dropped this many ms before this ring (a reconnection). */
    droppedMsAgo: number | null;
  };
  /**
   * The scorecard version in force at the ring (the CTI's live call; null: the shipped file): the
   * application's factory gives the call that version's rules for its whole length. The engine
   * itself does not read it.
   */
  scorecardVersion?: number | null;
}

/** Makes the flow of a call that just rang (flow.ts builds one from the catalog and rules). */
export type CallFlowFactory = (setup: FlowSetup) => CallFlow;
