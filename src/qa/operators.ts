// The operators on what was said: the logic combinators (all, any, not, cases), phrases,
// regular expressions, triggers (what the agent says after the customer says something),
// counts, shares, repetition of the customer's words and the situations they show (the shared
// detector). Each returns an evaluator closure.
import { type Channel, handedOverBy, type Speaker } from '../calls/model.ts';
import { DETECTED_SITUATIONS, type DetectedSituation } from '../situations/ids.ts';
import {
  type Ctx,
  type Evaluator,
  type Evidence,
  fail,
  hitsIn,
  missingEvidence,
  NA,
  ownWords,
  pass,
  quotedIn,
  type Result,
  repeatedTriggerWindow,
  scope,
  setting,
  situationsOf,
} from './evaluation.ts';
import type { GrievanceClassifier } from './grievance-classifier.ts';
import { CLASSIFIED_RULES, type LanguageClassifier } from './language-classifier.ts';
import type { LiteralGate } from './literal-gate.ts';
import type { PhraseTable } from './phrase-table.ts';
import { withoutQuoted } from './quoted-words.ts';
import { regexProbe } from './regex-probe.ts';
import type {
  AgentNumberOp,
  ClassifierOp,
  CountOp,
  PhrasesOp,
  RegexOp,
  RepetitionOp,
  ShareOp,
  SituationOp,
} from './scorecard-schema.ts';
import { MAYBE_SPOKEN_WORDS, type SpokenReading, spokenReading } from './spoken-reading.ts';

/**
 * Fails if any child fails; otherwise not applicable if any child is (a conjunction that
 * cannot be checked whole is not a pass); passes when every child passes.
 */
export function all(children: Evaluator[]): Evaluator {
  return (ctx, w) => {
    let na = false;
    // Made when a child passes with evidence (a spread push made an arguments list per child).
    let passEvidence: Evidence[] | null = null;
    for (const child of children) {
      const r = child(ctx, w);
      if (r.outcome === 'fail') return r;
      if (r.outcome === 'n/a') na = true;
      else if (r.evidence.length > 0) {
        passEvidence ??= [];
        for (const e of r.evidence) passEvidence.push(e);
      }
    }
    return na ? NA : pass(passEvidence ?? []);
  };
}

/**
 * An `all` of `none` word checks (`isNoneWords`): fails with every child's occurrences, in turn
 * and text order (words found by two children, overlapping, count once); else n/a if a child is, else
 * passes.
 */
export function allNone(children: Evaluator[]): Evaluator {
  // Pushed, not `map`ped: one elements kind in every call (see engine.ts `inspect`).
  return (ctx, w) => {
    const results: Result[] = [];
    for (let i = 0; i < children.length; i++) results.push((children[i] as Evaluator)(ctx, w));
    return noneUnion(results);
  };
}

export function noneUnion(results: Result[]): Result {
  const failed = results.filter((r) => r.outcome === 'fail');
  if (failed.length === 0) return results.some((r) => r.outcome === 'n/a') ? NA : pass();
  // In turn and text order, the longer of two spans starting together first; a span overlapping
  // one kept is the same words found twice (你去投诉好了 by the list and by a pattern): once.
  const sorted = failed
    .flatMap((r) => r.evidence)
    .sort(
      (x, y) =>
        (x.turn ?? -1) - (y.turn ?? -1) || (x.start ?? 0) - (y.start ?? 0) || (y.end ?? 0) - (x.end ?? 0),
    );
  const evidence: Evidence[] = [];
  for (const e of sorted) {
    // The classifier's whole turn gives way to the words a pattern found on the same turn.
    if (e.note === CLASSIFIER_NOTE && sorted.some((x) => x.turn === e.turn && x.note !== CLASSIFIER_NOTE))
      continue;
    const last = evidence.at(-1);
    const overlaps =
      last !== undefined &&
      last.turn === e.turn &&
      (e.start === undefined || last.end === undefined ? last.note === e.note : e.start < last.end);
    if (!overlaps) evidence.push(e);
  }
  return fail(evidence);
}

/**
 * Passes if any child passes; otherwise fails with the first failing child that has evidence (a
 * child failing on a call-wide fact, such as `not: { channel: phone }`, has none to show), else
 * with the first failing child; n/a when none fails.
 */
export function any(children: Evaluator[]): Evaluator {
  return (ctx, w) => {
    let firstFail: Result | undefined;
    for (const child of children) {
      const r = child(ctx, w);
      if (r.outcome === 'pass') return r;
      if (
        r.outcome === 'fail' &&
        (firstFail === undefined || (firstFail.evidence.length === 0 && r.evidence.length > 0))
      )
        firstFail = r;
    }
    return firstFail ?? NA;
  };
}

export function not(child: Evaluator): Evaluator {
  return (ctx, w) => {
    const r = child(ctx, w);
    if (r.outcome === 'n/a') return NA;
    return r.outcome === 'pass' ? fail(r.evidence) : pass(r.evidence);
  };
}

export function cases(cases: { when: Evaluator; then: Evaluator }[]): Evaluator {
  return (ctx, w) => {
    for (const k of cases) if (k.when(ctx, w).outcome === 'pass') return k.then(ctx, w);
    return NA;
  };
}

export function phrases(table: PhraseTable, op: PhrasesOp): Evaluator {
  const exclude = table.ids(op.exclude);
  const list = op.any ?? op.all ?? op.none ?? op.of ?? [];
  const ids = table.ids(list);
  const perItem = op.all ? op.all.map((item) => ({ item, ids: table.ids([item]) })) : [];
  const fromEnd = op.turns?.last !== undefined;
  // The note of a miss is the same for every call: made on the first one.
  let unsaid: string | undefined;
  return (ctx, w) => {
    const turns = scope(ctx, w, op.role, op.turns);
    if (turns === null || turns.length === 0) return NA;
    const found = hitsIn(ctx, ids, turns, exclude);
    // Words in an agent's quotation marks are someone else's (quoted-words.ts): neither a fault
    // of the agent's nor what the agent was to say.
    const own = found.length === 0 || op.role === 'customer' ? found : ownWords(ctx, found);
    if (op.none) return own.length === 0 ? pass() : fail(table.hitEvidence(own));
    if (op.any) {
      if (own.length > 0) return pass(table.hitEvidence(own));
      unsaid ??= `未说: ${table.describe(list)}`;
      return fail(missingEvidence(turns, unsaid, fromEnd));
    }
    if (op.all) {
      const missing = perItem.filter((p) => !own.some((h) => p.ids.includes(h.phrase))).map((p) => p.item);
      return missing.length === 0
        ? pass(table.hitEvidence(own))
        : fail(missingEvidence(turns, `未说: ${table.describe(missing)}`, fromEnd));
    }
    // Counts are of every occurrence, quoted or not (as before quoted words were read).
    const n = found.length;
    if (op.atLeast !== undefined && n < op.atLeast)
      return fail(
        missingEvidence(turns, `出现${n}次, 应至少${op.atLeast}次: ${table.describe(list)}`, fromEnd),
      );
    if (op.atMost !== undefined && n > op.atMost) return fail(table.hitEvidence(found));
    return pass(table.hitEvidence(found));
  };
}

export function regex(op: RegexOp, gate?: LiteralGate): Evaluator {
  const source = (op.any ?? op.none) as string;
  const re = new RegExp(source, 'gu');
  // The quick "any match at all?" test most turns stop at: with the scorecard's gate, one pass
  // per turn finds the literals of every pattern's alternatives and only those alternatives run
  // (literal-gate.ts); else each alternative runs on turns holding one of its literals
  // (应该, 下次, 嗯…; regex-probe.ts).
  const gated = gate?.register(source, op.role) ?? null;
  // Whether an agent turn may read otherwise than written (`maybeSpoken`), from the same scan.
  const spokenPattern = gate?.register(MAYBE_SPOKEN_WORDS, 'agent') ?? null;
  const spoken: SpokenGate | null =
    gate === undefined || spokenPattern === null ? null : { gate, pattern: spokenPattern };
  let own: ((text: string) => boolean) | null = gated === null ? regexProbe(source) : null;
  const probe = (ctx: Ctx, t: number, text: string): boolean => {
    if (gated !== null && gate !== undefined && t < ctx.turns.length) {
      ctx.gate ??= gate.state(ctx.turns.length);
      return gate.test(gated, ctx.gate, t, text, ctx.speakers[t] ?? 'agent');
    }
    own ??= regexProbe(source);
    return own(text);
  };
  const ex = op.exclude ? new RegExp(op.exclude, 'gu') : undefined;
  // The probe of the agent turns' spoken readings (no gate: their literals were not scanned).
  let ownProbe: ((text: string) => boolean) | undefined;
  // Over all the role's turns the result depends on nothing but the call: rules repeating the
  // same pattern (YAML aliases) share it. Results are never modified by their readers.
  const slot =
    op.turns === undefined
      ? memoSlot(
          `regex\u0000${op.none ? 'none' : 'any'}\u0000${op.role}\u0000${source}\u0000${op.exclude ?? ''}`,
        )
      : -1;
  return memoized(slot, evaluate);

  /**
   * Each match of the pattern in `text` that no exclusion overlaps. The matches are `matchAll`'s,
   * found with `exec` on the pattern itself: `matchAll` makes a new RegExp per call (a copy of the
   * pattern, ~30 thousand instructions a call in all). `add` may run this again on another text
   * (previousMatches): `lastIndex` is put back after it.
   */
  function matches(text: string, add: (start: number, end: number) => void): void {
    const excluded = ex === undefined ? null : spans(ex, text);
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index;
      const next = advance(re, text, start, m[0].length);
      const end = start + Math.max(m[0].length, 1);
      if (excluded === null || !overlaps(excluded, start, end)) add(start, end);
      re.lastIndex = next;
    }
  }

  /** Each match of `text` (turn `t`) that no exclusion overlaps, as evidence added to `found`. */
  function addMatches(text: string, t: number, found: Evidence[]): void {
    matches(text, (start, end) => found.push({ turn: t, start, end }));
  }

  /**
   * The agent's words as meant (spoken-reading.ts): what is found in turn `t`'s reading only is
   * added, on this turn (a match that began in the previous turn's unfinished sentence starts at
   * 0), to the turn's evidence `found[from…]`. A match from that tail counts only when it goes on
   * into this turn and the previous turn did not already have it there (这个应该没问题 | 吧您先试一下:
   * the fault is the previous turn's).
   */
  function addReadingMatches(
    ctx: Ctx,
    t: number,
    reading: SpokenReading,
    found: Evidence[],
    from: number,
  ): void {
    const own = found.splice(from);
    const { map, tail } = reading;
    let before: (readonly [number, number])[] | null = null;
    matches(reading.text, (s, e) => {
      const joined = map[s] ?? 0;
      const start = Math.max(joined - tail, 0);
      const end = (map[e] ?? 0) - tail;
      if (end <= 0 || own.some((o) => (o.start ?? 0) < end && start < (o.end ?? 0))) return;
      if (joined < tail) {
        const prev = ctx.turns[t - 1]?.text ?? '';
        before ??= previousMatches(ctx, t - 1, prev, matches, spoken);
        const at = prev.length - tail + joined;
        if (before.some(([, pe]) => pe > at)) return;
      }
      own.push({ turn: t, start, end: Math.max(end, start + 1) });
    });
    own.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
    for (const e of own) found.push(e);
  }

  function evaluate(ctx: Ctx, w: readonly number[] | null): Result {
    const turns = scope(ctx, w, op.role, op.turns);
    if (turns === null || turns.length === 0) return NA;
    const found: Evidence[] = [];
    if (w === null && op.turns === undefined && gated !== null && gate?.sealed) {
      const last = turns[turns.length - 1] as number;
      if (last < ctx.turns.length) {
        allTurns(ctx, turns, gated, gate, found);
        return outcome(ctx, found, turns);
      }
    }
    // No closure in the loop: one capturing the turn made a context object per turn and rule.
    for (let i = 0; i < turns.length; i++) {
      const t = turns[i] as number;
      const text = ctx.turns[t]?.text ?? '';
      // This turn's evidence is found[from…]: no array per turn when there is no reading.
      const from = found.length;
      if (probe(ctx, t, text)) addMatches(text, t, found);
      const reading = ctx.speakers[t] === 'agent' ? readingOf(ctx, t, spoken) : null;
      if (reading === null) continue;
      ownProbe ??= regexProbe(source);
      if (ownProbe(reading.text)) addReadingMatches(ctx, t, reading, found, from);
    }
    return outcome(ctx, found, turns);
  }

  /**
   * The loop above over all of the role's turns (`turns`, ascending), the same evidence in the
   * same order, from the turns the gate says the pattern matches (passed over a bit test each,
   * not a probe and a reading look-up per turn and rule) and the agent turns with a reading.
   */
  function allTurns(ctx: Ctx, turns: readonly number[], p: number, g: LiteralGate, found: Evidence[]): void {
    ctx.gate ??= g.state(ctx.turns.length);
    const state = ctx.gate;
    const withReading = op.role === 'customer' ? NO_TURNS : readingTurns(ctx, spoken);
    let i = g.next(p, state, turns, 0, ctx.turns, ctx.speakers);
    let r = 0;
    for (;;) {
      const matched = i < turns.length ? (turns[i] as number) : -1;
      const read = r < withReading.length ? (withReading[r] as number) : -1;
      if (matched === -1 && read === -1) return;
      const t = matched === -1 ? read : read === -1 ? matched : Math.min(matched, read);
      const from = found.length;
      if (t === matched) {
        addMatches(ctx.turns[t]?.text ?? '', t, found);
        i = g.next(p, state, turns, i + 1, ctx.turns, ctx.speakers);
      }
      if (t === read) {
        r++;
        const reading = readingOf(ctx, t, spoken) as SpokenReading;
        ownProbe ??= regexProbe(source);
        if (ownProbe(reading.text)) addReadingMatches(ctx, t, reading, found, from);
      }
    }
  }

  function outcome(ctx: Ctx, found: Evidence[], turns: readonly number[]): Result {
    // Words in an agent's quotation marks are someone else's (quoted-words.ts): neither a fault
    // of the agent's nor what the agent was to say.
    const own = found.length === 0 || op.role === 'customer' ? found : ownWords(ctx, found);
    if (op.none) return own.length === 0 ? pass() : fail(own);
    return own.length > 0
      ? pass(own)
      : fail(missingEvidence(turns, '未出现应有的表述', op.turns?.last !== undefined));
  }
}

const NO_TURNS: readonly number[] = [];

/** The note of a turn the language classifier reads as a fault: the whole line is the evidence. */
export const CLASSIFIER_NOTE = '整句判定';

/**
 * `classifier: { none: rule }`: fails on each turn in scope the language classifier reads as the
 * rule's fault (language-classifier.ts), the whole turn as evidence with CLASSIFIER_NOTE.
 */
export function classifier(op: ClassifierOp, model: LanguageClassifier): Evaluator {
  const bit = 1 << CLASSIFIED_RULES.indexOf(op.none);
  const unless = op.unless === undefined ? null : new RegExp(op.unless, 'u');
  const slot =
    op.turns === undefined
      ? memoSlot(`classifier\u0000${op.none}\u0000${op.role}\u0000${op.unless ?? ''}`)
      : -1;
  const evaluate = (ctx: Ctx, w: readonly number[] | null): Result => {
    const turns = scope(ctx, w, op.role, op.turns);
    if (turns === null || turns.length === 0) return NA;
    let found: Evidence[] | null = null;
    let flags = ctx.languageFlags;
    if (flags === undefined || flags.length !== ctx.turns.length) {
      flags = new Int8Array(ctx.turns.length).fill(-1);
      ctx.languageFlags = flags;
    }
    for (const t of turns) {
      const text = ctx.turns[t]?.text ?? '';
      let f = flags[t] as number;
      if (f < 0) {
        f = model.flagsNormalized(text);
        // A fault read in a line with quotation marks is read again without the quoted words
        // (someone else's: quoted-words.ts).
        const quoted = f !== 0 && ctx.speakers[t] === 'agent' ? quotedIn(ctx, t) : null;
        if (quoted !== null) f = model.flagsNormalized(withoutQuoted(text, quoted));
        flags[t] = f;
      }
      if ((f & bit) === 0) continue;
      if (unless?.test(text)) continue;
      found ??= [];
      found.push({ turn: t, note: CLASSIFIER_NOTE });
    }
    return found === null ? pass() : fail(found);
  };
  return memoized(slot, evaluate);
}

/**
 * `evaluate`, its whole-call result kept in `slot` of the call's memo (a window, or no slot:
 * evaluated each time).
 */
function memoized(slot: number, evaluate: Evaluator): Evaluator {
  return (ctx, w) => {
    if (slot < 0 || w !== null) return evaluate(ctx, w);
    let r = ctx.memo[slot];
    if (r === undefined) {
      r = evaluate(ctx, w);
      ctx.memo[slot] = r;
    }
    return r;
  };
}

/**
 * One `Ctx.memo` slot per check (its kind, role, pattern and exclusion): the evaluators of rules
 * sharing a pattern (YAML aliases) share the slot. An index, not a map by the key: a call's ~35
 * stores and ~50 look-ups in a map were ~1% of `huashu qa`. Slots are never given back: there
 * are as many as distinct checks compiled in the process.
 */
const memoSlots = new Map<string, number>();
function memoSlot(key: string): number {
  let slot = memoSlots.get(key);
  if (slot === undefined) {
    slot = memoSlots.size;
    memoSlots.set(key, slot);
  }
  return slot;
}

/**
 * Where the next search of global pattern `re` starts after a match at `start` of `length` code
 * units, as `matchAll` goes on: past the match, or past the character at an empty match (a
 * surrogate pair whole, the patterns being 'u').
 */
function advance(re: RegExp, text: string, start: number, length: number): number {
  if (length > 0) return start + length;
  if (!re.unicode || start + 1 >= text.length) return start + 1;
  const c = text.charCodeAt(start);
  if (c < 0xd800 || c > 0xdbff) return start + 1;
  const d = text.charCodeAt(start + 1);
  return d >= 0xdc00 && d <= 0xdfff ? start + 2 : start + 1;
}

/** The [start, end) spans of every match of global pattern `re` in `text`, flat (as `matchAll`). */
function spans(re: RegExp, text: string): number[] {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m.index, m.index + m[0].length);
    re.lastIndex = advance(re, text, m.index, m[0].length);
  }
  return out;
}

/** Whether a span of flat `spans` overlaps [start, end). */
function overlaps(spans: readonly number[], start: number, end: number): boolean {
  for (let i = 0; i < spans.length; i += 2)
    if ((spans[i] as number) < end && start < (spans[i + 1] as number)) return true;
  return false;
}

/** The agent turns that have a spoken reading, ascending: every agent turn read once per call. */
function readingTurns(ctx: Ctx, spoken: SpokenGate | null): readonly number[] {
  if (ctx.readingTurns === undefined) {
    const list: number[] = [];
    for (const t of ctx.byRole.agent) if (readingOf(ctx, t, spoken) !== null) list.push(t);
    ctx.readingTurns = list;
  }
  return ctx.readingTurns;
}

export function trigger(
  when: Evaluator,
  then: Evaluator,
  within: number | undefined,
  once: boolean,
  opening?: boolean,
  failOnAgentHangUp = false,
  /** A check of `then` reads the turn that set it off (`withTrigger`): the windows keep it. */
  keepCause = true,
  /** Later triggers: the agent's last this-many turns before them count too, back to the first trigger. */
  answeredBefore?: number,
  /** Channels where a trigger no agent turn follows fails (a written thread has no hang-up). */
  unansweredOn?: readonly Channel[],
): Evaluator {
  return (ctx, w) => {
    const r = when(ctx, w);
    if (r.outcome !== 'pass') return NA;
    const triggers = evidenceTurns(r.evidence);
    if (once) triggers.splice(1);
    let applicable = false;
    const failures: Evidence[] = [];
    const passes: Evidence[] = [];
    const first = triggers[0] as number;
    for (const t of triggers) {
      const window = repeatedTriggerWindow(ctx, t, first, within, opening, answeredBefore, keepCause);
      const res = then(ctx, window);
      if (res.outcome === 'n/a') {
        if (failOnAgentHangUp && hungUpWithoutReply(ctx, t)) {
          applicable = true;
          failures.push(triggerFailure(ctx, r.evidence, t, window, res, '即挂机'));
        } else if (
          unansweredOn?.includes(ctx.call.channel ?? 'phone') &&
          noAgentTurnAfter(ctx, t) &&
          !answeredJustBefore(ctx, t, then)
        ) {
          applicable = true;
          failures.push(triggerFailure(ctx, r.evidence, t, window, res));
        }
        continue;
      }
      applicable = true;
      if (res.outcome === 'fail') failures.push(triggerFailure(ctx, r.evidence, t, window, res));
      else passes.push(...res.evidence);
    }
    if (!applicable) return NA;
    return failures.length > 0 ? fail(failures) : pass(passes);
  };
}

/**
 * The turns of `evidence`, each once, ascending. Evidence comes in turn order nearly always:
 * a turn is then added by one comparison, without a set, a filtered copy and a sort.
 */
function evidenceTurns(evidence: readonly Evidence[]): number[] {
  const turns: number[] = [];
  let ordered = true;
  for (const e of evidence) {
    const t = e.turn;
    if (t === null) continue;
    const last = turns.length > 0 ? (turns[turns.length - 1] as number) : -1;
    if (ordered && t > last) turns.push(t);
    else if (!turns.includes(t)) {
      turns.push(t);
      ordered = false;
    }
  }
  return ordered ? turns : turns.sort((a, b) => a - b);
}

/** No agent turn after turn `t`. */
function noAgentTurnAfter(ctx: Ctx, t: number): boolean {
  const agent = ctx.byRole.agent;
  return agent.length === 0 || (agent[agent.length - 1] as number) < t;
}

/**
 * The agent's last turn before turn `t` says what `then` asks (不客气 just before the customer's
 * closing 好的,谢谢): the customer's words sign off an exchange answered already, owing no
 * further reply (else every thread would end in an endless round of thanks).
 */
function answeredJustBefore(ctx: Ctx, t: number, then: Evaluator): boolean {
  const agent = ctx.byRole.agent;
  let before = -1;
  for (const i of agent) if (i < t) before = i;
  return before >= 0 && then(ctx, [before]).outcome === 'pass';
}

/** No agent turn after turn `t`, and the agent hung up first. */
function hungUpWithoutReply(ctx: Ctx, t: number): boolean {
  return noAgentTurnAfter(ctx, t) && ctx.call.events.some((e) => e.type === 'hangup' && e.by === 'agent');
}

/**
 * A trigger whose check failed is the agent's fault, not the customer's: the evidence is the
 * agent's first turn in the window (the reply that should have said it), whole, with a note
 * naming the customer's turn, what it showed and what the agent's turns did not say; the
 * call, when the agent said nothing after it.
 */
function triggerFailure(
  ctx: Ctx,
  causes: readonly Evidence[],
  t: number,
  window: readonly number[],
  res: Result,
  silentEnd = '',
): Evidence {
  const cause = causes.find((e) => e.turn === t);
  // A phrase names what the customer said; a detected situation names what it showed; a pattern's
  // match is quoted from the turn (never an empty quote).
  const quoted =
    cause?.phrase ??
    (cause?.start !== undefined && cause.end !== undefined
      ? ctx.turns[t]?.text.slice(cause.start, cause.end)
      : undefined);
  const what =
    cause?.phrase === undefined && cause?.note !== undefined
      ? cause.note
      : quoted
        ? `客户说"${quoted}"`
        : '客户发言';
  // A check that failed on words said (a `none`): those words are the evidence.
  const said = res.evidence.find(
    (e) => e.turn !== null && e.start !== undefined && ctx.speakers[e.turn] === 'agent',
  );
  if (said) return said;
  // The replies after the trigger: an opening turn before it (trigger `opening`) only counts
  // when it said what was owed, so it is never the reply that failed.
  const agentTurns = window.filter((i) => i > t && ctx.speakers[i] === 'agent');
  const first = agentTurns[0];
  if (first === undefined) return { turn: null, note: `第${t + 1}句${what}, 其后坐席未再发言${silentEnd}` };
  const missing = res.evidence.find((e) => e.note !== undefined)?.note ?? '未按标准回应';
  const replies =
    agentTurns.length > 3 ? `坐席第${first + 1}句起` : `坐席第${agentTurns.map((i) => i + 1).join('、')}句`;
  return { turn: first, note: `第${t + 1}句${what}, ${replies}${missing}` };
}

/** No agent turn before turn t: the customer's words that open the call or thread. */
function opening(ctx: Ctx, t: number): boolean {
  for (let i = 0; i < t; i++) if (ctx.speakers[i] === 'agent') return false;
  return true;
}

/** The first situation of `found` in `wanted`. */
function firstIn(
  found: readonly DetectedSituation[],
  wanted: ReadonlySet<DetectedSituation>,
): DetectedSituation | undefined {
  for (let i = 0; i < found.length; i++) {
    const id = found[i] as DetectedSituation;
    if (wanted.has(id)) return id;
  }
  return undefined;
}

/** The caller's first turn long enough for the grievance classifier to read, or -1. */
function firstStatingTurn(ctx: Ctx, g: GrievanceClassifier): number {
  for (const t of ctx.byRole.customer) if (g.statesNormalized(ctx.turns[t]?.text ?? '')) return t;
  return -1;
}

/** Customer turns showing one of the situations, as the shared detector finds them. */
export function situation(op: SituationOp, grievance?: GrievanceClassifier, gate?: LiteralGate): Evaluator {
  const wanted = new Set(op.any);
  // The grievance classifier's reading stands for a complaint on its channels (SituationOp.grievance).
  const channels = op.grievance === undefined ? undefined : new Set<string>(op.grievance);
  if (channels !== undefined && grievance === undefined)
    throw new Error('situation: grievance asked but no grievance classifier given');
  const labels = op.any.map((id) => DETECTED_SITUATIONS[id].zh).join('/');
  // Only whether the guard matches is read. With the scorecard's gate, from the customer turns'
  // scan the other customer patterns share: each alternative runs only on a turn holding its own
  // anchors. The guards are long alternations of expressions anchored at the start (^(?!.*…)…),
  // and run whole they scanned every complaint turn once per such alternative (5% of an
  // inspection). Else each alternative runs on turns holding its literals (regex-probe.ts).
  const gatedUnless = op.unless === undefined ? null : (gate?.register(op.unless, 'customer') ?? null);
  const probedUnless = op.unless === undefined || gatedUnless !== null ? undefined : regexProbe(op.unless);
  const unless = (ctx: Ctx, t: number): boolean => {
    const text = ctx.turns[t]?.text ?? '';
    if (gatedUnless !== null && gate !== undefined) {
      ctx.gate ??= gate.state(ctx.turns.length);
      return gate.test(gatedUnless, ctx.gate, t, text, ctx.speakers[t] ?? 'customer');
    }
    return probedUnless?.(text) === true;
  };
  const guarded = op.unless !== undefined;
  const openingUnless = op.openingUnless === undefined ? undefined : new Set(op.openingUnless);
  // The notes are the same for every call: built once, not per turn and call.
  const shownNote = new Map(op.any.map((id) => [id, `客户话语显示"${DETECTED_SITUATIONS[id].zh}"`]));
  const grievanceNote = `客户话语显示"${DETECTED_SITUATIONS.complaint.zh}"(${CLASSIFIER_NOTE})`;
  const missingNote = `客户话语未显示: ${labels}`;
  return (ctx, w) => {
    const turns = scope(ctx, w, 'customer', op.turns);
    if (turns === null || turns.length === 0) return NA;
    // Inbound only: the model learnt how callers open a call, not how a called customer answers.
    const reads =
      channels?.has(ctx.call.channel ?? 'phone') === true && ctx.call.direction !== 'outbound'
        ? grievance
        : undefined;
    // Only the caller's first turn that states something is asked: the model learnt complaints
    // from the turns that open a call, and reads a later remark (你们得严肃处理, after the apology
    // and the promise) as a fresh one (training/qa-dev/calls/batch-s28.yaml).
    const stating = reads === undefined ? -1 : firstStatingTurn(ctx, reads);
    const found: Evidence[] = [];
    // No closure per turn (a `find` callback was an object per turn, rule and call).
    for (let i = 0; i < turns.length; i++) {
      const t = turns[i] as number;
      const shown = firstIn(situationsOf(ctx, t), wanted);
      const heard =
        shown === undefined && t === stating && reads?.readsNormalized(ctx.turns[t]?.text ?? '') === true;
      if (shown === undefined && !heard) continue;
      // The guard reads the turn only when the detector (or the grievance classifier) found it.
      if (guarded && unless(ctx, t)) continue;
      if (openingUnless && opening(ctx, t) && firstIn(situationsOf(ctx, t), openingUnless) !== undefined)
        continue;
      found.push({ turn: t, note: shown === undefined ? grievanceNote : (shownNote.get(shown) as string) });
    }
    return found.length > 0 ? pass(found) : fail(missingEvidence(turns, missingNote));
  };
}

export function count(table: PhraseTable, op: CountOp): Evaluator {
  const ids = op.of ? table.ids(op.of) : undefined;
  const min = op.min === undefined ? undefined : setting(op.min);
  const max = op.max === undefined ? undefined : setting(op.max);
  const what = ids ? `"${(op.of ?? []).join(' / ')}"出现` : `${op.role === 'customer' ? '客户' : '坐席'}发言`;
  return (ctx, w) => {
    const turns = scope(ctx, w, op.role, op.turns);
    if (turns === null) return NA;
    const hits = ids ? hitsIn(ctx, ids, turns, []) : [];
    const n = ids ? hits.length : turns.length;
    if (min && n < min(ctx)) return fail([{ turn: null, note: `${what}${n}次, 应至少${min(ctx)}次` }]);
    if (max && n > max(ctx)) {
      return fail(
        ids ? table.hitEvidence(hits) : [{ turn: null, note: `${what}${n}次, 应至多${max(ctx)}次` }],
      );
    }
    return pass(ids ? table.hitEvidence(hits) : turns.map((t) => ({ turn: t })));
  };
}

export function share(table: PhraseTable, op: ShareOp): Evaluator {
  const ids = table.ids(op.of);
  return (ctx, w) => {
    const turns = scope(ctx, w, op.role, op.turns);
    if (turns === null || turns.length < op.minTurns || turns.length === 0) return NA;
    const hits = hitsIn(ctx, ids, turns, []);
    const withHit = new Set(hits.map((h) => h.turn)).size;
    const share = withHit / turns.length;
    const pct = `${Math.round(share * 100)}%`;
    if (op.max !== undefined && share > op.max) {
      const ev = table.hitEvidence(hits);
      const first = ev[0];
      if (first) first.note = `${turns.length}句中${withHit}句使用(${pct}), 上限${Math.round(op.max * 100)}%`;
      return fail(ev);
    }
    if (op.min !== undefined && share < op.min) {
      return fail([
        {
          turn: null,
          note: `${turns.length}句中${withHit}句使用(${pct}), 应至少${Math.round(op.min * 100)}%`,
        },
      ]);
    }
    return pass(table.hitEvidence(hits));
  };
}

export function repetition(op: RepetitionOp): Evaluator {
  const other: Speaker = op.role === 'agent' ? 'customer' : 'agent';
  return (ctx) => {
    const found: Evidence[] = [];
    let applicable = false;
    for (const i of ctx.byRole[op.role]) {
      let j = i - 1;
      while (j >= 0 && ctx.speakers[j] !== other) j--;
      const prev = ctx.turns[j];
      const cur = ctx.turns[i];
      if (j < 0 || !prev || !cur) continue;
      applicable = true;
      const run = longestCommonRun(cur.text, prev.text);
      if (run.length >= op.minChars)
        found.push({ turn: i, start: run.start, end: run.start + run.length, note: '复述客户原话' });
    }
    if (!applicable) return NA;
    return found.length > op.max ? fail(found) : pass(found);
  };
}

function longestCommonRun(a: string, b: string): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  if (!a || !b) return best;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] ?? 0) + 1 : 0;
      if ((cur[j] ?? 0) > best.length) best = { start: i - (cur[j] ?? 0), length: cur[j] ?? 0 };
    }
    [prev, cur] = [cur, prev];
    cur.fill(0);
  }
  return best;
}

/** What the `agentNumber` operator knows of the brand (its playbook). */
export interface AgentNumberForm {
  /** The brand's 工号 form (playbook brand.agentNumber.pattern). */
  pattern: RegExp;
  announcedBy: 'agent' | 'menu' | 'none';
  /** Numbers that are not a 工号 though they have its form: the hotline. */
  notNumbers: readonly string[];
}

// Speech recognition writes a spoken number as digits or as Chinese numerals (幺零二四).
const CN_DIGITS: Record<string, string> = {
  零: '0',
  〇: '0',
  洞: '0',
  幺: '1',
  一: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};
const NUMBER_RUN = /[0-9零〇洞幺一二两三四五六七八九]{2,}/gu;
// Words that make a run of numerals a 工号: 工号(是)… before it; 号, 为您服务 after it.
const NUMBER_BEFORE = /(?:工号|编号)(?:是|为)?[:：,，]?\s*$/u;
const NUMBER_AFTER = /^\s*(?:号|[,，]?\s*(?:很高兴|竭诚|将)?\s*为您服务)/u;

/**
 * The agent's own 工号 said in scope: passes on it; another number of the brand's 工号 form is
 * a fault (a wrong number), and so is none at all. Without the call's agent id any number of
 * the form passes (whose it is cannot be checked). A brand whose 工号 the menu announces, or
 * whose greeting has none, passes with a note saying so.
 */
export function agentNumber(op: AgentNumberOp, form: AgentNumberForm): Evaluator {
  return (ctx, w) => {
    const turns = scope(ctx, w, 'agent', op.turns);
    if (turns === null || turns.length === 0) return NA;
    if (form.announcedBy !== 'agent') {
      const note = form.announcedBy === 'menu' ? '工号由语音菜单播报' : '本品牌开头语不报工号';
      return pass([{ turn: turns[0] ?? null, note }]);
    }
    const own = ctx.call.agent?.id;
    const said: Evidence[] = [];
    const wrong: Evidence[] = [];
    for (const t of turns) {
      const text = ctx.turns[t]?.text ?? '';
      for (const m of text.matchAll(NUMBER_RUN)) {
        const digits = [...m[0]].map((ch) => CN_DIGITS[ch] ?? ch).join('');
        // A run of Chinese numerals alone is a word as often as a number (一一, 三四): it counts
        // when it has a digit, when the words around it say it is a 工号 (工号一零二四, 一二三号,
        // 一二三为您服务), or when it is the agent's own number.
        const isDigits =
          /\d/.test(m[0]) ||
          digits === own ||
          NUMBER_BEFORE.test(text.slice(0, m.index)) ||
          NUMBER_AFTER.test(text.slice(m.index + m[0].length));
        if (!isDigits || !form.pattern.test(digits) || form.notNumbers.includes(digits)) continue;
        const ev: Evidence = { turn: t, start: m.index, end: m.index + m[0].length };
        if (own === undefined || digits === own) said.push(ev);
        // The whole turn with a note: a finding shows the note only for turn-wide evidence.
        else wrong.push({ turn: t, note: `报的工号${digits}不是本通话坐席的工号${own}` });
      }
    }
    if (said.length > 0) return pass(said);
    if (wrong.length > 0) return fail(wrong);
    return fail(missingEvidence(turns, own === undefined ? '未报工号' : `未报工号(本通话坐席${own})`));
  };
}

/** Why the line ended, from the hang-up event: passes on this cause; never n/a (like direction). */
export function hangupCause(cause: string): Evaluator {
  return (ctx) => {
    const h = ctx.call.events.find((e) => e.type === 'hangup');
    if (h?.cause === cause) return pass([{ turn: null, note: `挂机原因: ${cause}` }]);
    return fail([{ turn: null, note: `挂机原因: ${h?.cause ?? '未记录'}` }]);
  };
}

/**
 * The call was handed to another desk (`callEnd: transfer`): a transfer event with no
 * `transfer-failed` after it (`handedOverBy`). Its end (the closing, who hangs up) is then the
 * next desk's; a failed transfer leaves the caller with this agent (seed 000 B.四.2), until a
 * later transfer hands over again. Never n/a (like hangupCause).
 */
export function transferred(): Evaluator {
  return (ctx) => {
    const events = ctx.call.events;
    const t = handedOverBy(events);
    if (t) return pass([{ turn: null, note: `已转接${t.to ? `至${t.to}` : ''}` }]);
    const failed = events.findLast((e) => e.type === 'transfer-failed');
    if (failed)
      return fail([{ turn: null, note: `转接失败${failed.to ? `(${failed.to})` : ''},仍由本坐席服务` }]);
    return fail([{ turn: null, note: '未转接' }]);
  };
}

/**
 * The agent ended the call (`callEnd: agent-hangup`): the hang-up event says the agent hung up
 * first. Fails when the caller did or nobody is recorded, so `not` of it reads "the agent did not
 * cut the call": a caller whose own words end the call without a sign-off left it (the closing
 * rules n/a), unless the agent is known to have hung up on them. Never n/a (like hangupCause).
 */
export function agentHungUp(): Evaluator {
  return (ctx) => {
    const h = ctx.call.events.find((e) => e.type === 'hangup' && e.by !== undefined);
    if (h?.by === 'agent') return pass([{ turn: null, note: '坐席挂机' }]);
    return fail([{ turn: null, note: h?.by === 'customer' ? '客户挂机' : '挂机方未记录' }]);
  };
}

/** Who spoke the call's last turn: passes on that role (its turn the evidence); n/a without turns. */
export function lastSpeaker(role: Speaker): Evaluator {
  return (ctx) => {
    const last = ctx.turns.length - 1;
    if (last < 0) return NA;
    const who = ctx.speakers[last];
    return who === role
      ? pass([{ turn: last }])
      : fail([{ turn: last, note: `最后一句为${who === 'agent' ? '坐席' : '客户'}所说` }]);
  };
}

/**
 * The spans of turn `t` (text `text`) a pattern finds, as written and as read (its own words only):
 * what a match running on from its tail into the next turn is checked against.
 */
function previousMatches(
  ctx: Ctx,
  t: number,
  text: string,
  matches: (text: string, add: (start: number, end: number) => void) => void,
  spoken: SpokenGate | null,
): (readonly [number, number])[] {
  const spans: (readonly [number, number])[] = [];
  matches(text, (s, e) => spans.push([s, e]));
  const r = readingOf(ctx, t, spoken);
  if (r !== null) {
    matches(r.text, (s, e) => {
      const end = (r.map[e] ?? 0) - r.tail;
      if (end > 0) spans.push([Math.max((r.map[s] ?? 0) - r.tail, 0), end]);
    });
  }
  return spans;
}

/** The scorecard's literal gate and its pattern of the words a turn reads otherwise with (`MAYBE_SPOKEN_WORDS`). */
interface SpokenGate {
  gate: LiteralGate;
  pattern: number;
}

/**
 * The agent turn's spoken reading (spoken-reading.ts), made once per call and turn. A turn after
 * no agent turn of its own reads as written unless it holds a word of `MAYBE_SPOKEN_WORDS`, which
 * the gate answers from its scan of the turn (every agent turn is scanned for the patterns).
 */
function readingOf(ctx: Ctx, t: number, spoken: SpokenGate | null): SpokenReading | null {
  ctx.readings ??= [];
  let r = ctx.readings[t];
  if (r === undefined) {
    const prev = t > 0 && ctx.speakers[t - 1] === 'agent' ? (ctx.turns[t - 1]?.text ?? null) : null;
    const text = ctx.turns[t]?.text ?? '';
    if (prev === null && spoken !== null && spoken.gate.sealed && t < ctx.turns.length) {
      ctx.gate ??= spoken.gate.state(ctx.turns.length);
      r = spoken.gate.test(spoken.pattern, ctx.gate, t, text, 'agent') ? spokenReading(text, null) : null;
    } else r = spokenReading(text, prev);
    ctx.readings[t] = r;
  }
  return r;
}
