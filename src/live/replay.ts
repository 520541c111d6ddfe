// Replay (回放): a recorded call run through the live engine on a simulated clock, as if its CTI
// events and turns arrived one by one. Pure: the call in, the flow's events and its inspection
// out. `huashu replay` prints what this gives.
import type { Call } from '../calls/model.ts';
import type { CallResult } from '../qa/result.ts';
import { type LiveCallFlow, sortByTime } from './flow.ts';
import type { FlowInput, FlowSetup, LiveEvent } from './model.ts';

export interface Replayed {
  id: string;
  /** Every event the flow gave, sorted by `at` (events at one time in the order caused). */
  events: LiveEvent[];
  inspection: CallResult;
}

/**
 * The inputs of a recorded call in the order they would reach the engine: CTI events in their
 * order, turns in file order, merged by time — a turn when it starts (an ASR turn arrives later,
 * but the words began then: the caller was not silent), a turn without times right after the
 * one before it. At one time an event comes before a turn, except the hang-up, which comes
 * after every turn: the recorded words are part of the call.
 */
export function replayInputs(call: Call): FlowInput[] {
  const out: FlowInput[] = [];
  const events = call.events.filter((e) => e.type !== 'hangup');
  const hangup = call.events.find((e) => e.type === 'hangup');
  let e = 0;
  let lastKey = 0;
  for (const t of call.turns) {
    const key = t.start ?? lastKey;
    lastKey = key;
    while (e < events.length && (events[e]?.at ?? 0) <= key)
      out.push(cti(events[e++] as Call['events'][number]));
    out.push({
      kind: 'turn',
      speaker: t.speaker,
      text: t.text,
      ...(t.start !== undefined ? { start: t.start } : {}),
      ...(t.end !== undefined ? { end: t.end } : {}),
    });
  }
  while (e < events.length) out.push(cti(events[e++] as Call['events'][number]));
  if (hangup) out.push(cti(hangup));
  return out;
}

function cti(e: Call['events'][number]): FlowInput {
  return {
    kind: 'cti',
    type: e.type,
    at: e.at,
    ...(e.to !== undefined ? { to: e.to } : {}),
    ...(e.by !== undefined ? { by: e.by } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

/** What the flow of a recorded call is told at ring: the call's own people and direction. */
export function replaySetup(call: Call, defaultBrand = 'generic'): FlowSetup {
  return {
    callId: call.id,
    brand: call.brand ?? defaultBrand,
    direction: call.direction,
    ...(call.channel ? { channel: call.channel } : {}),
    ...(call.agent ? { agent: { ...call.agent } } : {}),
    ...(call.customer ? { customer: { ...call.customer } } : {}),
  };
}

/**
 * Runs a recorded call through a flow made for it (with `recordRing: false`: the call's own
 * events are fed). Timers run to the end: after the last input the clock goes on until the
 * wrap-up is over. A call without a hang-up is closed at its last time. Throws FlowError for a
 * call the engine cannot take.
 */
export function replayCall(flow: LiveCallFlow, call: Call): Replayed {
  const events: LiveEvent[] = [];
  let last = 0;
  for (const input of replayInputs(call)) {
    events.push(...flow.apply(input));
    last = Math.max(last, input.kind === 'turn' ? (input.end ?? input.start ?? last) : input.at);
  }
  if (!call.events.some((e) => e.type === 'hangup')) events.push(...flow.close(last));
  for (let next = flow.nextDeadline(); next !== null; next = flow.nextDeadline())
    events.push(...flow.advance(next));
  const inspection = flow.inspection;
  if (!inspection) throw new Error(`call ${call.id}: the flow ended without an inspection`);
  return { id: call.id, events: sortByTime(events), inspection };
}
