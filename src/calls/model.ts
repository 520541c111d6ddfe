// The call as Huashu inspects it: who, which brand, the CTI events and the transcript turns.
// Times are milliseconds from the call's first event. Everything but `id` and `turns` is
// optional; rules that need what a call lacks report "not applicable" rather than pass.

export type Speaker = 'agent' | 'customer';
export type Direction = 'inbound' | 'outbound';
export type CallEventType = 'ring' | 'answer' | 'hold' | 'unhold' | 'transfer' | 'hangup';

export interface CallEvent {
  type: CallEventType;
  at: number;
  /** transfer: the department or person the call went to. */
  to?: string;
  /** hangup: who hung up. */
  by?: Speaker;
}

export interface Turn {
  speaker: Speaker;
  text: string;
  /** Start and end in ms from the first event, when the transcript has timings. */
  start?: number;
  end?: number;
}

export interface Call {
  id: string;
  brand?: string;
  direction: Direction;
  agent?: { id?: string; name?: string };
  customer?: { phone?: string; surname?: string; title?: string };
  startedAt?: string;
  events: CallEvent[];
  turns: Turn[];
}
