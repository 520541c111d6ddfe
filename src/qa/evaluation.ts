// What a compiled rule works on and returns: the call prepared for evaluation (its normalized
// turns, who spoke them, the phrase hits of the one matching pass), evaluator closures and
// their results, and the scoping every operator shares (which turns, which window).
import type { Call, Speaker } from '../calls/model.ts';
import type { SituationDetector, TurnContext } from '../situations/detector.ts';
import type { DetectedSituation } from '../situations/ids.ts';
import type { Normalized } from '../text/normalize.ts';
import type { GateState } from './literal-gate.ts';
import { insideQuoted, quotedSpans } from './quoted-words.ts';
import type { Outcome } from './result.ts';
import type { PhrasesOp, SettingRef } from './scorecard-schema.ts';
import type { SpokenReading } from './spoken-reading.ts';

/** Where a rule found what made it pass or fail: a span of a turn, a whole turn, or the call. */
export interface Evidence {
  turn: number | null;
  start?: number;
  end?: number;
  /** Human description (Chinese), for whole-call or whole-turn evidence. */
  note?: string;
  /** The phrase that matched, for phrase evidence. */
  phrase?: string;
}

export interface Result {
  outcome: Outcome;
  evidence: Evidence[];
}

export interface Hit {
  turn: number;
  start: number;
  end: number;
  phrase: number;
}

export interface Settings {
  holdLimitMs: number;
  answerLimitMs: number;
  silentAttempts: number;
  silentPauseMs: number;
}

export interface Ctx {
  call: Call;
  turns: Normalized[];
  speakers: Speaker[];
  /** Turn indices per role, ascending. */
  byRole: Record<Speaker | 'any', number[]>;
  /** Every turn has a start and an end time. */
  timed: boolean;
  hits: Hit[][];
  settings: Settings;
  /** For each evaluated rule that passed: the first turn of its evidence. */
  anchors: Map<string, number | null>;
  /** What the customer's turns show, detected on first use, once per turn of the call. */
  detector: SituationDetector;
  situations: (readonly DetectedSituation[] | undefined)[];
  /**
   * Results of whole-call checks several rules share (the provoking rule holds the blame,
   * lecture and excuse patterns), by their slot (operators.ts `memoSlot`): computed once per call.
   */
  memo: (Result | undefined)[];
  /** Turn marks for set membership without allocation: marks[t] === stamp. */
  marks: Int32Array;
  stamp: number;
  /** Which regex alternatives' literals each turn holds (literal-gate.ts), made on first use. */
  gate: GateState | null;
  /** The agent turns' spoken readings (spoken-reading.ts), made on first use. */
  readings?: (SpokenReading | null)[];
  /**
   * Per turn, the spans of words in quotation marks (quoted-words.ts), made on first use; null
   * when no agent turn of the call has a quotation mark (most calls: nothing to look up).
   */
  quoted?: (readonly number[] | null | undefined)[] | null;
  /** The agent turns that have a reading, ascending (made on first use). */
  readingTurns?: readonly number[];
  /**
   * Per turn, the language classifier's rules read in it (`LanguageClassifier.flags`), -1 until
   * asked: the four rules that ask it read each turn once per call (made on first use).
   */
  languageFlags?: Int8Array;
  /**
   * Turns whose phrases are not in `hits` yet (1), matched by `scanLater` when a check reads
   * them (`hitsIn`); null: every turn is. Their hits are then added after later turns' (a
   * phrase's list is no longer in turn order; `hitsIn` orders what it returns).
   */
  unscanned: Uint8Array | null;
  scanLater: ((ctx: Ctx, turn: number) => void) | null;
}

export type Evaluator = (ctx: Ctx, window: readonly number[] | null) => Result;

export const NA: Result = { outcome: 'n/a', evidence: [] };
export const pass = (evidence: Evidence[] = []): Result => ({ outcome: 'pass', evidence });
export const fail = (evidence: Evidence[] = []): Result => ({ outcome: 'fail', evidence });

/** Turn `t`'s words in quotation marks (quoted-words.ts), null when none; found once per call. */
export function quotedIn(ctx: Ctx, t: number): readonly number[] | null {
  if (ctx.quoted === undefined) ctx.quoted = anyQuoteMark(ctx) ? [] : null;
  if (ctx.quoted === null) return null;
  let spans = ctx.quoted[t];
  if (spans === undefined) {
    spans = quotedSpans(ctx.turns[t]?.text ?? '');
    ctx.quoted[t] = spans;
  }
  return spans;
}

/** Whether an agent turn of the call holds a quotation mark (normalized: " or '). */
function anyQuoteMark(ctx: Ctx): boolean {
  for (const t of ctx.byRole.agent) {
    const text = ctx.turns[t]?.text ?? '';
    if (text.indexOf('"') >= 0 || text.indexOf("'") >= 0) return true;
  }
  return false;
}

/**
 * `found` without what lies inside an agent turn's quotation marks (someone else's words read
 * back: quoted-words.ts), for the checks of what the agent must not say. The same array when
 * nothing is left out (the usual case: no marks).
 */
export function ownWords<E extends { turn: number | null; start?: number; end?: number }>(
  ctx: Ctx,
  found: E[],
): E[] {
  if (ctx.quoted === null) return found;
  let out: E[] | null = null;
  for (let i = 0; i < found.length; i++) {
    const e = found[i] as E;
    const t = e.turn;
    const reported =
      t !== null &&
      e.start !== undefined &&
      e.end !== undefined &&
      ctx.speakers[t] === 'agent' &&
      insideQuoted(quotedIn(ctx, t), e.start, e.end);
    if (reported && out === null) out = found.slice(0, i);
    else if (!reported && out !== null) out.push(e);
  }
  return out ?? found;
}

/** The situations a turn shows (a customer's turn; the detector reads it once per call). */
export function situationsOf(ctx: Ctx, turn: number): readonly DetectedSituation[] {
  let found = ctx.situations[turn];
  if (found === undefined) {
    let prev = turn - 1;
    while (prev >= 0 && ctx.speakers[prev] !== 'agent') prev--;
    const previousAgentText = prev >= 0 ? ctx.call.turns[prev]?.text : undefined;
    const text = ctx.call.turns[turn]?.text ?? '';
    // The turn is normalized already (phrase matching): the detector need not do it again.
    const n = ctx.turns[turn];
    const context: TurnContext = {};
    if (previousAgentText !== undefined) context.previousAgentText = previousAgentText;
    if (n !== undefined && n.original === text) context.normalized = n.text;
    found = ctx.detector.detect(text, context);
    ctx.situations[turn] = found;
  }
  return found;
}

/** A number, or a playbook setting (`$holdLimitMs`…) read from the context of the call. */
export function setting(v: number | SettingRef): (ctx: Ctx) => number {
  if (typeof v === 'number') return () => v;
  const key = v.slice(1) as keyof Settings;
  return (ctx) => ctx.settings[key];
}

/** The turns a phrase/regex/count operator looks at; null when an anchor it needs is absent. */
export function scope(
  ctx: Ctx,
  window: readonly number[] | null,
  role: Speaker | 'any',
  turns: PhrasesOp['turns'],
): readonly number[] | null {
  // Without a window the role's own list is used as is, and so is a window for any role
  // (callers never modify either).
  let idx: readonly number[] =
    window === null
      ? ctx.byRole[role]
      : role === 'any'
        ? window
        : window.filter((i) => ctx.speakers[i] === role);
  if (turns?.withTrigger && window) {
    const cause = triggerTurns.get(window);
    if (cause !== undefined && (role === 'any' || ctx.speakers[cause] === role))
      idx = [...idx, cause].sort((a, b) => a - b);
  }
  if (turns?.after !== undefined || turns?.before !== undefined) {
    const ref = (turns.after ?? turns.before) as string;
    const anchor = ctx.anchors.get(ref);
    if (anchor === undefined || anchor === null) return null;
    if (turns.after !== undefined) {
      idx = idx.filter((i) => i > anchor);
      if (turns.within) idx = idx.slice(0, turns.within);
    } else {
      idx = idx.filter((i) => i < anchor);
      if (turns.within) idx = idx.slice(-turns.within);
    }
  }
  if (turns?.first) idx = idx.slice(0, turns.first);
  if (turns?.last) idx = idx.slice(-turns.last);
  return idx;
}

export function hitsIn(
  ctx: Ctx,
  ids: readonly number[],
  turns: readonly number[],
  exclude: readonly number[],
): Hit[] {
  const stamp = ++ctx.stamp;
  const unscanned = ctx.unscanned;
  for (const t of turns) {
    ctx.marks[t] = stamp;
    if (unscanned !== null && unscanned[t] === 1) {
      unscanned[t] = 0;
      ctx.scanLater?.(ctx, t);
    }
  }
  // Occurrences of the exclusion phrases (harmless words) in scope; usually none.
  let excluders: Hit[] | null = null;
  for (const x of exclude) {
    const list = ctx.hits[x];
    if (list === undefined) continue;
    for (const e of list) {
      if (ctx.marks[e.turn] !== stamp) continue;
      if (excluders === null) excluders = [];
      excluders.push(e);
    }
  }
  const out: Hit[] = [];
  for (const id of ids) {
    const list = ctx.hits[id];
    if (list === undefined) continue;
    for (const h of list) {
      if (ctx.marks[h.turn] !== stamp) continue;
      if (excluders === null || !covered(excluders, h)) out.push(h);
    }
  }
  // Sorting copies the array into a scratch one even when there is nothing to order: a phrase's
  // hits come in turn and text order (but for a turn matched later: `Ctx.unscanned`), so only
  // hits of several phrases may need it (the sort is stable: hits already in order keep it, and
  // hits of one turn keep their order whenever the turn was matched).
  return out.length > 1 && !inTurnOrder(out) ? out.sort((a, b) => a.turn - b.turn || a.start - b.start) : out;
}

/** Whether another phrase's hit of `excluders` covers hit `h` (a harmless word holding it). */
function covered(excluders: readonly Hit[], h: Hit): boolean {
  for (const e of excluders)
    if (e.turn === h.turn && e.start <= h.start && e.end >= h.end && e.phrase !== h.phrase) return true;
  return false;
}

/** Each hit at or after the one before it, by turn then start. */
function inTurnOrder(hits: readonly Hit[]): boolean {
  for (let i = 1; i < hits.length; i++) {
    const a = hits[i - 1] as Hit;
    const b = hits[i] as Hit;
    if (a.turn > b.turn || (a.turn === b.turn && a.start > b.start)) return false;
  }
  return true;
}

/**
 * Where something expected was missing: the one turn looked at (the last of a window at the
 * end of the call, else the first), or the whole call when the window is wide.
 */
export function missingEvidence(turns: readonly number[], note: string, fromEnd = false): Evidence[] {
  const turn = fromEnd ? turns[turns.length - 1] : turns[0];
  if (turns.length <= 3 && turn !== undefined) return [{ turn, note }];
  return [{ turn: null, note }];
}

/** Turns after `pos` up to and including the n-th agent turn after it. */
export function windowAfter(ctx: Ctx, pos: number, n: number | undefined): number[] {
  const out: number[] = [];
  let agents = 0;
  for (let i = pos + 1; i < ctx.turns.length; i++) {
    out.push(i);
    if (ctx.speakers[i] === 'agent' && n !== undefined && ++agents >= n) break;
  }
  return out;
}

/**
 * The turn that set each trigger window off, for `turns: { withTrigger: true }`: kept beside the
 * window rather than in it, so that every other check of the `then` reads the turns after it only.
 */
const triggerTurns = new WeakMap<readonly number[], number>();

/**
 * A trigger's window: the turns after `pos` up to the `within`-th agent turn; with `opening`, also
 * the agent's opening turn when `pos` answers it (no other agent turn before): a reply given there
 * already counts (对不起,让您久等了 before the caller says they waited).
 */
export function triggerWindow(
  ctx: Ctx,
  pos: number,
  within: number | undefined,
  opening: boolean | undefined,
  /** False when no check reads the turn (`withTrigger`): a WeakMap entry per window costs more than the window. */
  keepCause = true,
  /** Turns before `pos` that count too (a reply given already: `answeredBefore`). */
  before?: readonly number[],
): number[] {
  const window = before
    ? [...before, ...openingWindow(ctx, pos, within, opening)]
    : openingWindow(ctx, pos, within, opening);
  if (keepCause) triggerTurns.set(window, pos);
  return window;
}

/**
 * The window of a trigger at `pos` when `first` is the call's first trigger of the rule: with
 * `answeredBefore`, a later trigger's window also holds the agent's turns among its last
 * `answeredBefore` before it, after `first` (a reply given already: a complaint repeated after the
 * apology). Shared by the inspection and live assist's settling, so both read the same turns.
 */
export function repeatedTriggerWindow(
  ctx: Ctx,
  pos: number,
  first: number,
  within: number | undefined,
  opening: boolean | undefined,
  answeredBefore: number | undefined,
  keepCause = true,
): number[] {
  // The common case (no answeredBefore, or the first trigger) allocates nothing more.
  if (answeredBefore === undefined || pos <= first)
    return triggerWindow(ctx, pos, within, opening, keepCause);
  const before = windowBefore(ctx, pos, answeredBefore).filter(
    (i) => i > first && ctx.speakers[i] === 'agent',
  );
  return triggerWindow(ctx, pos, within, opening, keepCause, before.length > 0 ? before : undefined);
}

function openingWindow(
  ctx: Ctx,
  pos: number,
  within: number | undefined,
  opening: boolean | undefined,
): number[] {
  const after = windowAfter(ctx, pos, within);
  if (!opening) return after;
  const before = windowBefore(ctx, pos, 1);
  const agentTurn = before[0];
  if (agentTurn === undefined || ctx.speakers[agentTurn] !== 'agent') return after;
  for (let i = 0; i < agentTurn; i++) if (ctx.speakers[i] === 'agent') return after;
  return [...before, ...after];
}

/** Turns before `pos` back to and including the n-th agent turn before it. */
export function windowBefore(ctx: Ctx, pos: number, n: number): number[] {
  const out: number[] = [];
  let agents = 0;
  for (let i = pos - 1; i >= 0; i--) {
    out.unshift(i);
    if (ctx.speakers[i] === 'agent' && ++agents >= n) break;
  }
  return out;
}

/** Evidence of a failed sub-check, with a note saying which hold it was about. */
export function anchorTurn(r: Result, note: string): Evidence[] {
  const turns = r.evidence.filter((e) => e.turn !== null);
  return turns.length ? turns.map((e) => ({ turn: e.turn, note })) : [{ turn: null, note }];
}
