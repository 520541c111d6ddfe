// What live assist records of each live call so that one process without Redis keeps its calls
// across a restart: not the events (they follow from the flow) but the inputs the flow took, in
// order, each with the time the flow had been advanced to before it. Replayed through a fresh
// flow at start-up, they give the same events with the same seq numbers, and the same
// inspection at hang-up (service.ts `restore`). The SQL journal is repository.ts's.
import type { CallRef, RingCard, RoutedInput } from './hub.ts';
import type { FlowSetup } from './model.ts';

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

export interface LiveJournal {
  /** Records entry `n` (0: the ring) of a call. */
  append(callId: string, n: number, entry: JournalEntry): Promise<void>;
  /** The call ended (or is past HUASHU_LIVE_CALL_HOURS): its entries go. */
  drop(callId: string): Promise<void>;
  /** Every call's entries, each call's in order. */
  load(): Promise<Map<string, JournalEntry[]>>;
}
