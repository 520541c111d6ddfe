// The in-process bus: handlers per event type (or '*'), called in delivery order. Delivery is
// at least once (a relay that dies after publishing and before stamping the rows delivered
// publishes them again), so the bus drops an event id it has already dispatched: handlers see
// each event once per process. The remembered ids are bounded (the newest SEEN_IDS); a repeat
// comes within seconds of the first delivery, far inside that window.
import type { EventEnvelope, EventType } from './map.ts';

export type Handler<T extends EventType = EventType> = (event: EventEnvelope<T>) => void | Promise<void>;

export const SEEN_IDS = 20_000;

export class EventBus {
  private readonly handlers = new Map<EventType | '*', Set<Handler>>();
  private readonly seen = new Set<string>();

  constructor(private readonly onError: (err: unknown, event: EventEnvelope) => void) {}

  /** Calls `handler` for every event of the type ('*': all); returns the function that stops it. */
  subscribe<T extends EventType>(type: T | '*', handler: Handler<T>): () => void {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    const h = handler as Handler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  /** Hands an event to its handlers unless it was dispatched before; false for a repeat. */
  dispatch(event: EventEnvelope): boolean {
    if (this.seen.has(event.id)) return false;
    this.seen.add(event.id);
    if (this.seen.size > SEEN_IDS) {
      // A Set iterates in insertion order: drop the oldest.
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    for (const key of [event.type, '*'] as const) {
      for (const h of this.handlers.get(key) ?? []) {
        try {
          const r = h(event);
          if (r && typeof (r as Promise<void>).catch === 'function')
            (r as Promise<void>).catch((err) => this.onError(err, event));
        } catch (err) {
          this.onError(err, event);
        }
      }
    }
    return true;
  }
}
