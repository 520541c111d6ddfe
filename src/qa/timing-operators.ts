// The operators on the call's timing and events: silences, holds, answer speed, interruptions,
// speech rate and who hung up first. A call without the timings or events one needs is not
// applicable to it, never a silent pass.
import { type CallEvent, handedOverBy } from '../calls/model.ts';
import {
  anchorTurn,
  type Ctx,
  type Evaluator,
  type Evidence,
  fail,
  NA,
  pass,
  setting,
  windowAfter,
  windowBefore,
} from './evaluation.ts';
import type {
  AnswerOp,
  HangupOp,
  HoldsOp,
  InterruptionOp,
  SilenceOp,
  SpeechRateOp,
} from './scorecard-schema.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}秒`;
const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** 1 for the BMP code units that are spoken characters: letters and digits, Han included. */
const SPOKEN = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) {
  if (c < 0xd800 || c > 0xdfff) SPOKEN[c] = /[\p{L}\p{N}]/u.test(String.fromCharCode(c)) ? 1 : 0;
}

/** Counts characters that are spoken (punctuation and spaces are not); astral Han counts once. */
function spokenLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n++;
      i++;
    } else n += SPOKEN[c] ?? 0;
  }
  return n;
}

/**
 * Holds paired with their unholds; a hold never released ends at hang-up (`cut`: the line ended
 * with the caller on hold) or the last event.
 */
export function holdSpans(events: readonly CallEvent[]): { start: number; end: number; cut?: true }[] {
  const spans: { start: number; end: number; cut?: true }[] = [];
  let open: number | null = null;
  for (const e of events) {
    if (e.type === 'hold' && open === null) open = e.at;
    else if (e.type === 'unhold' && open !== null) {
      spans.push({ start: open, end: e.at });
      open = null;
    } else if (e.type === 'hangup' && open !== null) {
      spans.push({ start: open, end: e.at, cut: true });
      open = null;
    }
  }
  const last = events[events.length - 1];
  if (open !== null && last) spans.push({ start: open, end: last.at });
  return spans;
}

export function silence(op: SilenceOp): Evaluator {
  if (op.minMs !== undefined) return pauses(op, setting(op.minMs));
  const max = setting(op.maxMs ?? 0);
  return (ctx) => {
    if (!ctx.timed || ctx.turns.length < 2) return NA;
    const turns = ctx.call.turns;
    const found: Evidence[] = [];
    for (let i = 1; i < turns.length; i++) {
      const prev = turns[i - 1];
      const cur = turns[i];
      if (!prev || !cur || (op.after !== 'any' && prev.speaker !== op.after)) continue;
      const gap = (cur.start ?? 0) - (prev.end ?? 0);
      if (gap > max(ctx))
        found.push({
          turn: i,
          note: `${clock(prev.end ?? 0)}起静默${seconds(gap)}, 上限${seconds(max(ctx))}`,
        });
    }
    return found.length ? fail(found) : pass();
  };
}

/**
 * The pauses owed after turns of `after` (a silent line: each attempt, then a wait of the brand's
 * pause before the next attempt or the final line): a turn followed by a shorter gap fails, and
 * with `atLeast`, fewer such turns than that. The last turn is followed by nothing: the final
 * line is no attempt. The count is known without timings; the pauses are not (n/a).
 */
function pauses(op: SilenceOp, min: (ctx: Ctx) => number): Evaluator {
  const atLeast = op.atLeast === undefined ? undefined : setting(op.atLeast);
  const max = op.maxMs === undefined ? undefined : setting(op.maxMs);
  return (ctx) => {
    const turns = ctx.call.turns;
    const found: Evidence[] = [];
    let followed = 0;
    let unknown = false;
    for (let i = 1; i < turns.length; i++) {
      const prev = turns[i - 1];
      const cur = turns[i];
      if (!prev || !cur || (op.after !== 'any' && prev.speaker !== op.after)) continue;
      followed++;
      if (prev.end === undefined || cur.start === undefined) {
        unknown = true;
        continue;
      }
      const gap = cur.start - prev.end;
      if (gap < min(ctx))
        found.push({
          turn: i,
          note: `${clock(prev.end)}起仅停${seconds(Math.max(0, gap))}, 应稍停${seconds(min(ctx))}`,
        });
      else if (max && gap > max(ctx))
        found.push({ turn: i, note: `${clock(prev.end)}起静默${seconds(gap)}, 上限${seconds(max(ctx))}` });
    }
    // Too few attempts is a fault of the whole call, not of a turn.
    if (atLeast && followed < atLeast(ctx))
      found.push({ turn: null, note: `仅尝试${followed}次, 应${atLeast(ctx)}次` });
    if (found.length) return fail(found);
    return unknown || followed === 0 ? NA : pass();
  };
}

/** What a text hold (`textHolds` of the scorecard) is found by: phrase ids and the shortest gap. */
export interface TextHoldFinder {
  ask: readonly number[];
  back: readonly number[];
  minGapMs: number;
  /** The agent handing the call over: a wait after it that the line ends is the transfer's. */
  handover: readonly number[];
}

/**
 * A hold as the holds operator checks it: the telephone system's (hold → unhold), or one seen
 * in the text. `beforeAt`/`afterAt`: the first turn after its start / after its end; `ms`: its
 * length when known (a text hold of an untimed call has none).
 */
interface HoldSpan {
  beforeAt: number;
  afterAt: number;
  /** False: a telephone system's hold no turn's times place (its turn checks are n/a). */
  placed: boolean;
  ms: number | undefined;
  what: string;
  /**
   * The hold as the check before it names it: a telephone system's by its start alone (the
   * words before it are judged as the caller is put on hold, its end not yet known: live assist
   * alerts it then, with these same words), one seen in the text as `what`.
   */
  before: string;
  fromText: boolean;
  /** The line ended during it (the caller hung up on hold): nobody came back from it. */
  cut: boolean;
}

/** What a turn says of a text hold, as bits of `holdWords`. */
const ASK = 1;
const BACK = 2;
const HANDOVER = 4;

/**
 * Per turn of the call, which of the finder's phrase lists it has a hit of (ASK, BACK, HANDOVER):
 * each phrase's hits read once, not once per agent turn asked about. Only agent turns are asked
 * about (a customer's may not be matched yet: `Ctx.unscanned`).
 */
function holdWords(ctx: Ctx, finder: TextHoldFinder): Uint8Array {
  const words = new Uint8Array(ctx.turns.length);
  const mark = (ids: readonly number[], bit: number) => {
    for (const id of ids) {
      const list = ctx.hits[id];
      if (list === undefined) continue;
      for (const h of list) if (h.turn < words.length) words[h.turn] = (words[h.turn] as number) | bit;
    }
  };
  mark(finder.ask, ASK);
  mark(finder.back, BACK);
  mark(finder.handover, HANDOVER);
  return words;
}

/** Customer turns between two agent turns of a hold: an acknowledgment or a check-in, not a talk. */
const MAX_TURNS_BETWEEN = 2;

/**
 * Holds seen in the text of a call whose telephone system sent no hold events: an agent turn W
 * and the agent's return R (at most a short acknowledgment or check-in of the caller's between
 * two agent turns), where W asks the caller to wait and either the hold is at least `minGapMs`
 * long or R says the wait is over (让您久等了); or, without an ask, R says so after such a hold.
 * One hold, however the caller checks in (喂?还在吗): the agent's answer to a check-in that asks
 * again to wait (在的,请您再稍等) and is no return is part of it. The first agent turn is never a
 * return (its 久等 is the opening's). The hold runs from the end of W to the start of R.
 */
export function textHolds(ctx: Ctx, finder: TextHoldFinder): HoldSpan[] {
  const memo = textHoldMemo.get(ctx);
  if (memo && memo.finder === finder && memo.turns === ctx.turns.length) return memo.spans;
  const spans: HoldSpan[] = [];
  const agents = ctx.byRole.agent;
  const words = holdWords(ctx, finder);
  const said = (t: number, bit: number) => ((words[t] as number) & bit) !== 0;
  let k = 1;
  while (k < agents.length) {
    const w = agents[k - 1] as number;
    const asked = said(w, ASK);
    // The return: past the agent's answers to check-ins that ask the caller to wait on.
    let j = k;
    let last = w;
    let r = agents[j] as number;
    while (
      asked &&
      j + 1 < agents.length &&
      r - last > 1 &&
      r - last - 1 <= MAX_TURNS_BETWEEN &&
      said(r, ASK) &&
      !said(r, BACK)
    ) {
      last = r;
      r = agents[++j] as number;
    }
    // Neither asked to wait nor back from a wait: no hold, whatever the gap (most pairs of turns).
    if (r - last - 1 > MAX_TURNS_BETWEEN || (!asked && !said(r, BACK))) {
      k++;
      continue;
    }
    const from = ctx.call.turns[w]?.end;
    const to = ctx.call.turns[r]?.start;
    const gap = from !== undefined && to !== undefined ? Math.max(0, to - from) : undefined;
    // Long enough when the line was quiet that long: the caller's own talk in between (a
    // question the agent then answers) is no wait, a check-in is too short to matter.
    let talk = 0;
    for (let t = w + 1; t < r; t++) {
      const turn = ctx.call.turns[t];
      if (ctx.speakers[t] === 'customer' && turn?.start !== undefined && turn.end !== undefined)
        talk += Math.max(0, turn.end - turn.start);
    }
    const long = gap !== undefined && gap - talk >= finder.minGapMs;
    const back = said(r, BACK);
    if (!((asked && (long || back)) || (back && long))) {
      k++;
      continue;
    }
    const how = asked ? `第${w + 1}句请客户等待` : `第${w + 1}句后`;
    const what =
      gap === undefined
        ? `${how}, 第${r + 1}句返回(按文本判断的等待)`
        : `${how}, ${clock(from ?? 0)}-${clock(to ?? 0)}等待${seconds(gap)}(按文本判断)`;
    spans.push({
      beforeAt: w + 1,
      afterAt: r,
      placed: true,
      ms: gap,
      what,
      before: what,
      fromText: true,
      cut: false,
    });
    // The return may ask for the next hold.
    k = j + 1;
  }
  const cut = textHoldCut(ctx, finder, words);
  if (cut) {
    const n = ctx.turns.length;
    const what = `第${cut.ask + 1}句请客户等待, ${clock(cut.from)}-${clock(cut.to)}等待${seconds(cut.to - cut.from)}后挂机(按文本判断)`;
    spans.push({
      beforeAt: n,
      afterAt: n,
      placed: true,
      ms: cut.to - cut.from,
      what,
      before: what,
      fromText: true,
      cut: true,
    });
  }
  textHoldMemo.set(ctx, { finder, turns: ctx.turns.length, spans });
  return spans;
}

/**
 * A text hold the hang-up ended: the agent's last turn asks the caller to wait (at most a short
 * acknowledgment after it), and the line ends, not by the agent, at least `minGapMs` after the
 * last words. Needs the hang-up's time and the turns' (a transcript that merely stops there
 * could have been cut short).
 */
function textHoldCut(
  ctx: Ctx,
  finder: TextHoldFinder,
  words: Uint8Array,
): { ask: number; from: number; to: number } | null {
  const events = ctx.call.events;
  const h = events.find((e) => e.type === 'hangup');
  if (!h || h.by === 'agent' || h.cause === 'dropped' || handedOverBy(events)) return null;
  const agents = ctx.byRole.agent;
  const w = agents[agents.length - 1];
  const n = ctx.turns.length;
  if (w === undefined || n - w - 1 > MAX_TURNS_BETWEEN || ((words[w] as number) & ASK) === 0) return null;
  if (((words[w] as number) & HANDOVER) !== 0) return null;
  const last = ctx.call.turns[n - 1]?.end;
  if (last === undefined || h.at - last < finder.minGapMs) return null;
  return { ask: w, from: last, to: h.at };
}

const textHoldMemo = new WeakMap<Ctx, { finder: TextHoldFinder; turns: number; spans: HoldSpan[] }>();

/**
 * Where a telephone system's hold (start → end, its own times) falls among the turns:
 * `beforeAt`, the turns before it end before that index; `afterAt`, those after it start there.
 * The turns with a start time place it; a turn without times is placed by its timed neighbours,
 * and one whose neighbours leave it on either side of the hold counts on both (the words that
 * may have been said before it as said before, those that may have been said after as said
 * after: a failure is a failure wherever it was). Null when no turn has times: nothing places it.
 * On a call whose every turn has times: the first turn starting at or after each.
 */
export function placeHold(
  ctx: Ctx,
  start: number,
  end: number,
): { beforeAt: number; afterAt: number } | null {
  const turns = ctx.call.turns;
  if (!turns.some((t) => t.start !== undefined)) return null;
  let beforeAt = -1;
  let lastBeforeEnd = -1;
  for (let i = 0; i < turns.length; i++) {
    const s = turns[i]?.start;
    if (s === undefined) continue;
    if (beforeAt < 0 && s >= start) beforeAt = i;
    if (s < end) lastBeforeEnd = i;
    else break;
  }
  return { beforeAt: beforeAt < 0 ? turns.length : beforeAt, afterAt: lastBeforeEnd + 1 };
}

/** The holds of a call: the telephone system's, else (with a finder) those seen in the text. */
function callHolds(ctx: Ctx, finder: TextHoldFinder | undefined): HoldSpan[] {
  const events = ctx.call.events;
  if (finder && !events.some((e) => e.type === 'hold')) return textHolds(ctx, finder);
  // A dropped line ends a hold with nobody hanging up, a transfer hands the caller on (one that
  // failed does not: the caller stayed with this agent): nobody was left waiting for this agent
  // (its hold is judged as before).
  const dropped =
    handedOverBy(events) !== undefined || events.some((e) => e.type === 'hangup' && e.cause === 'dropped');
  return holdSpans(events).map((s) => {
    const at = placeHold(ctx, s.start, s.end);
    return {
      beforeAt: at?.beforeAt ?? -1,
      afterAt: at?.afterAt ?? -1,
      placed: at !== null,
      ms: s.end - s.start,
      what: `${clock(s.start)}-${clock(s.end)}保持${seconds(s.end - s.start)}${s.cut ? '后挂机' : ''}`,
      before: `${clock(s.start)}保持`,
      fromText: false,
      cut: s.cut === true && !dropped,
    };
  });
}

/**
 * Whether the line ended with the caller on hold (the `callEnd: hold` operator): a hold never
 * released before the hang-up, or (no hold events, with `textHolds`) a text hold the hang-up
 * ended. A hang-up by the agent is no caller hanging up on hold; a dropped line is its own case.
 */
export function endedOnHold(finder: TextHoldFinder | undefined): Evaluator {
  return (ctx) => {
    const h = ctx.call.events.find((e) => e.type === 'hangup');
    if (h && h.by !== 'agent' && h.cause !== 'dropped') {
      const cut = callHolds(ctx, finder).find((s) => s.cut);
      if (cut) return pass([{ turn: null, note: `等待中挂机: ${cut.what}` }]);
    }
    return fail([{ turn: null, note: '挂机时客户未在等待' }]);
  };
}

export function holds(
  op: HoldsOp,
  before: Evaluator | undefined,
  after: Evaluator | undefined,
  finder?: TextHoldFinder,
): Evaluator {
  const minMs = op.minMs === undefined ? () => 0 : setting(op.minMs);
  const maxMs = op.maxMs === undefined ? undefined : setting(op.maxMs);
  return (ctx) => {
    // A hold of unknown length is not known to be at least minMs long (a text hold of an
    // untimed call): only a check of every hold (minMs 0) looks at it.
    const min = minMs(ctx);
    const spans = callHolds(ctx, finder).filter((s) => (s.ms === undefined ? min === 0 : s.ms >= min));
    if (spans.length === 0) return NA;
    const failures: Evidence[] = [];
    let applicable = false;
    for (const span of spans) {
      const what = span.what;
      if (maxMs && span.ms !== undefined && span.ms > maxMs(ctx)) {
        applicable = true;
        failures.push({
          turn: span.fromText ? span.afterAt : null,
          note: `${what}, 超过上限${seconds(maxMs(ctx))}`,
        });
        continue;
      }
      // The telephone system's holds are placed among the turns by their timings.
      if (!span.placed) continue;
      if (before) {
        const window = windowBefore(ctx, span.beforeAt, op.within);
        const r = before(ctx, window);
        if (r.outcome !== 'n/a') applicable = true;
        if (r.outcome === 'fail') {
          // The agent's last words before the hold are where the consent was missing.
          const last = [...window].reverse().find((t) => ctx.speakers[t] === 'agent');
          failures.push({ turn: last ?? null, note: `${span.before}前未征得同意` });
        }
      }
      if (after && span.cut) {
        // Nobody came back from a hold the caller hung up on: what is owed after it is owed
        // only once it has lasted `minMs` (the limit passed with the caller still waiting).
        if (min > 0) {
          applicable = true;
          failures.push({ turn: null, note: `${what}, 坐席未返回` });
        }
      } else if (after) {
        const r = after(ctx, windowAfter(ctx, span.afterAt - 1, op.within));
        if (r.outcome !== 'n/a') applicable = true;
        if (r.outcome === 'fail') failures.push(...anchorTurn(r, `${what}后未按标准表述`));
      }
      if (!before && !after && !maxMs) applicable = true;
    }
    if (!applicable) return NA;
    return failures.length ? fail(failures) : pass();
  };
}

export function answer(op: AnswerOp): Evaluator {
  const max = setting(op.maxMs);
  return (ctx) => {
    const ring = ctx.call.events.find((e) => e.type === 'ring');
    const answer = ctx.call.events.find((e) => e.type === 'answer');
    if (!ring || !answer) return NA;
    const took = answer.at - ring.at;
    const note = `振铃${seconds(took)}后接起, 上限${seconds(max(ctx))}`;
    return took > max(ctx) ? fail([{ turn: null, note }]) : pass([{ turn: null, note }]);
  };
}

export function interruption(op: InterruptionOp): Evaluator {
  return (ctx) => {
    if (!ctx.timed || ctx.byRole[op.by].length === 0) return NA;
    const turns = ctx.call.turns;
    const found: Evidence[] = [];
    for (let i = 1; i < turns.length; i++) {
      const cur = turns[i];
      if (!cur || cur.speaker !== op.by) continue;
      // The other side's most recent turn that started before this one.
      let j = i - 1;
      while (j >= 0 && turns[j]?.speaker === op.by) j--;
      const other = turns[j];
      if (!other) continue;
      const overlap = (other.end ?? 0) - (cur.start ?? 0);
      if (overlap >= op.minOverlapMs && spokenLength(ctx.turns[i]?.text ?? '') >= op.minChars) {
        found.push({ turn: i, note: `在对方说完前${seconds(overlap)}开始说话` });
      }
    }
    return found.length ? fail(found) : pass();
  };
}

export function speechRate(op: SpeechRateOp): Evaluator {
  return (ctx) => {
    let chars = 0;
    let ms = 0;
    const perTurn: { turn: number; cpm: number }[] = [];
    for (const i of ctx.byRole[op.role]) {
      const t = ctx.call.turns[i];
      if (t?.start === undefined || t.end === undefined || t.end <= t.start) continue;
      const n = spokenLength(ctx.turns[i]?.text ?? '');
      if (n < op.minChars) continue;
      chars += n;
      ms += t.end - t.start;
      perTurn.push({ turn: i, cpm: (n * 60000) / (t.end - t.start) });
    }
    if (ms === 0) return NA;
    const cpm = (chars * 60000) / ms;
    const rate = `语速${Math.round(cpm)}字/分钟`;
    if (op.maxCpm !== undefined && cpm > op.maxCpm) {
      const fast = perTurn.filter((p) => p.cpm > (op.maxCpm ?? 0));
      return fail([
        { turn: null, note: `${rate}, 上限${op.maxCpm}` },
        ...fast.map((p) => ({ turn: p.turn, note: `本句${Math.round(p.cpm)}字/分钟` })),
      ]);
    }
    if (op.minCpm !== undefined && cpm < op.minCpm)
      return fail([{ turn: null, note: `${rate}, 下限${op.minCpm}` }]);
    return pass([{ turn: null, note: rate }]);
  };
}

export function hangup(op: HangupOp): Evaluator {
  return (ctx) => {
    const h = ctx.call.events.find((e) => e.type === 'hangup' && e.by !== undefined);
    if (!h?.by) return NA;
    const who = h.by === 'agent' ? '坐席' : '客户';
    return h.by === op.first ? pass() : fail([{ turn: null, note: `${who}先挂机(${clock(h.at)})` }]);
  };
}
