// The call as Huashu inspects it: who, which brand, the CTI events and the transcript turns.
// Times are milliseconds from the call's first event. Everything but `id` and `turns` is
// optional; rules that need what a call lacks report "not applicable" rather than pass.

export type Speaker = 'agent' | 'customer';
export type Direction = 'inbound' | 'outbound';
/**
 * Where the conversation took place: a phone call (the default), a chat thread or an email
 * thread. The scorecard says which rules apply on which channel (no ring or hang-up in a chat).
 */
export const CHANNELS = ['phone', 'chat', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Why a line ended: `dropped` is a line cut mid-call (断线); the closing rules cannot apply. */
export const HANGUP_CAUSES = ['normal', 'dropped', 'no-answer', 'busy', 'rejected', 'failed'] as const;
export type HangupCause = (typeof HANGUP_CAUSES)[number];
/**
 * The call events a telephone system reports (振铃/接起/保持/取消保持/转接/转接失败/挂机): the one list
 * the call file, the CTI's route, live assist's engine and journal, and the socket's protocol all
 * take. `transfer-failed`: the transfer before it did not go through (seed 000 B.四.2), so the
 * caller stays with this agent; it follows a transfer not already failed.
 */
export const CALL_EVENT_TYPES = [
  'ring',
  'answer',
  'hold',
  'unhold',
  'transfer',
  'transfer-failed',
  'hangup',
] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

export interface CallEvent {
  type: CallEventType;
  at: number;
  /** transfer: the department or person the call went to; transfer-failed: the one it did not reach. */
  to?: string;
  /** hangup: who hung up. */
  by?: Speaker;
  /** hangup: why the line ended, when the telephone system says. */
  cause?: HangupCause;
}

/**
 * The transfer the call ended handed over by: the last `transfer` event with no `transfer-failed`
 * after it (a failed transfer leaves the caller with the agent; a later transfer hands over
 * again). Undefined: the call was not handed over by the telephone system.
 */
export function handedOverBy(events: readonly CallEvent[]): CallEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as CallEvent;
    if (e.type === 'transfer') return e;
    if (e.type === 'transfer-failed') return undefined;
  }
  return undefined;
}

export interface Turn {
  speaker: Speaker;
  text: string;
  /** Start and end in ms from the first event, when the transcript has timings. */
  start?: number;
  end?: number;
  /**
   * Who gave the words (`TURN_SOURCES`). `console`: a customer turn the agent typed in the
   * live-assist console on a call the ASR transcribes (typed before the ASR's first turn: kept,
   * and inspected, but not the ASR's); `asr`: the speech recognition's. Absent: the words'
   * source is the transcript's own. Kept as given; quality inspection does not read it.
   */
  source?: TurnSource;
}

/** Where a turn's words came from: the telephone system's speech recognition, or typed in a console. */
export const TURN_SOURCES = ['asr', 'console'] as const;
export type TurnSource = (typeof TURN_SOURCES)[number];

export interface Call {
  id: string;
  brand?: string;
  direction: Direction;
  /** Absent: a phone call. */
  channel?: Channel;
  agent?: { id?: string; name?: string };
  customer?: { phone?: string; surname?: string; title?: string };
  startedAt?: string;
  events: CallEvent[];
  turns: Turn[];
}
