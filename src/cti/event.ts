// One CTI event as the route has validated it. Apart from service.ts so that permissions.ts
// (which service.ts imports) can name it without an import cycle.
import type { CallEventType, Direction, HangupCause, Speaker, Turn } from '../calls/model.ts';
import type { Phone } from '../customers/phone.ts';

// Why a line ended: `dropped` is a line cut mid-call (断线), which the hotline calls back.
export { HANGUP_CAUSES, type HangupCause } from '../calls/model.ts';

/** One event as the route has validated it: the number canonical, the turns checked. */
export interface CtiEvent {
  callId: string;
  type: CallEventType;
  at: Date;
  /** Required on ring. */
  brand?: string;
  /** Ring: default inbound. */
  direction?: Direction;
  /** Ring: the customer's number (`phone` canonical when mainland); null when withheld. */
  caller?: { phone: Phone | null; asGiven: string } | null;
  /** Ring or answer: the agent (工号 as id). */
  agent?: { id?: string; name?: string };
  /** Transfer: where the call went. */
  to?: string;
  /** Hangup: who hung up. */
  by?: Speaker;
  cause?: HangupCause;
  /** Hangup: the agent marks the call as harassment; the number goes on the blacklist. */
  harassment?: boolean;
  /** Hangup: what the call was about (the agent's wrap-up). */
  subject?: string;
  /** Hangup: the transcript, when the CTI or ASR has one (times in ms since the ring). */
  turns?: Turn[];
  /** Ring: the ASR transcribes the call live; the console may post only the agent's own turns. */
  asr?: boolean;
  /** Ring: a practice call the softphone starts (softphone.ts); never from a request body. */
  practice?: boolean;
}
