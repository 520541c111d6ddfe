// The live-assist socket's messages as the console reads them (README "Live assist"; the
// server's side is src/live/hub.ts and src/http/routes/live.ts). Written by hand: the socket is
// not in the OpenAPI document's typed paths.

export type TimerName = 'ring' | 'silent-line' | 'hold' | 'wrap-up';
export type TimerState = 'started' | 'warning' | 'expired' | 'stopped';
export type LiveCallStatus = 'ringing' | 'talking' | 'on-hold' | 'ended';
export type Speaker = 'agent' | 'customer';

export const BUTTONS = [
  'silent-line',
  'noisy-line',
  'dialect',
  'transfer-failed',
  'harassment',
  'wrong-number',
  'not-the-customer',
] as const;
export type Button = (typeof BUTTONS)[number] | 'reconnected';

export const STAGE_IDS = [
  'greeting',
  'surname',
  'confirm',
  'verify',
  'solve',
  'more-questions',
  'farewell',
  'customer-hangs-up-first',
] as const;
export type StageId = (typeof STAGE_IDS)[number];

export interface RingCard {
  caller: string | null;
  customer: { id: string; surname: string | null; title: string | null } | null;
  repeatCaller: { count: number; lastSubject: string | null } | null;
  blacklisted: boolean;
  droppedMsAgo: number | null;
  practice?: boolean;
}

export interface TimerLimits {
  ringMs: number;
  holdMs: number;
  holdWarningMs: number;
  silentLinePauseMs: number;
  silentLineAttempts: number;
  wrapUpMs: number;
}

export interface Finding {
  rule: string;
  turn: number | null;
  start: number | null;
  end: number | null;
  evidence: string;
  seed: string;
  suggestion: string | null;
}

export interface Inspection {
  id: string;
  brand: string;
  agent: { id?: string; name?: string } | null;
  score: number;
  fatal: boolean;
  rules: { id: string; outcome: 'pass' | 'fail' | 'n/a'; points: number }[];
  findings: Finding[];
}

/** One event of a call: the engine's, or a note of an input, or the inspection at hang-up. */
export type LiveEvent =
  | { at: number; kind: 'timer'; timer: TimerName; state: TimerState }
  | { at: number; kind: 'stage'; stage: string; state: 'done' | 'missed' }
  | { at: number; kind: 'situation'; turn: number; situations: string[] }
  | { at: number; kind: 'guidance'; turn: number | null; scenario: string; text: string }
  | { at: number; kind: 'alert'; turn: number; rule: string; evidence: string; suggestion: string }
  | {
      at: number;
      kind: 'call';
      type: 'ring' | 'answer' | 'hold' | 'unhold' | 'transfer' | 'hangup';
      status: LiveCallStatus;
      direction?: 'inbound' | 'outbound';
      card?: RingCard;
      limits?: TimerLimits | null;
      to?: string;
      cause?: string;
    }
  | { at: number; kind: 'turn'; turn: number; speaker: Speaker; text: string; start?: number; end?: number }
  | { at: number; kind: 'button'; button: Button }
  | { at: number; kind: 'inspection'; inspection: Inspection };

export interface SnapshotCall {
  callId: string;
  brand: string;
  agentNumber: string | null;
  ringAt: string;
  status: LiveCallStatus;
  inspection?: Inspection | null;
  lastSeq: number;
  events: { seq: number; event: LiveEvent; receivedAt?: number }[];
}

export type ServerMessage =
  | {
      type: 'ready';
      user: { username: string; role: string; agentNumber: string | null; brand: string | null };
      heartbeatMs: number;
    }
  | { type: 'snapshot'; calls: SnapshotCall[]; gone: string[] }
  | {
      type: 'event';
      callId: string;
      seq: number;
      brand: string;
      agentNumber: string | null;
      event: LiveEvent;
      receivedAt?: number;
    }
  | { type: 'ack'; ref: string; callId: string }
  | { type: 'pong'; ref?: string }
  | { type: 'error'; code: string; message: string; details: unknown[]; callId?: string; ref?: string };

export type ClientMessage =
  | { type: 'subscribe'; resume?: Record<string, number> }
  | { type: 'turn'; callId: string; speaker: Speaker; text: string; ref?: string }
  | { type: 'button'; callId: string; button: Button; ref?: string }
  | { type: 'ping'; ref?: string };
