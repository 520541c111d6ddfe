// Which scorecard results are already settled on a call that is still going on. Each rule is
// evaluated on the call so far, node by node of its condition tree: the leaves, triggers and
// holds with the compiled evaluators of the Inspector (the same code `huashu qa` runs), the
// combinators (all, any, not, cases) by the same semantics as operators.ts; each result comes
// with what the rest of the call can still change about it. A failure the rest of the call
// cannot undo is what live assist may alert on: the guarantee that every alert is a finding
// of the whole call rests on this file (tested on every example call, prefix by prefix).
// Pure: no I/O, no clock.
import type { CompiledScorecard } from '../qa/compiled-scorecard.ts';
import {
  anchorTurn,
  type Ctx,
  type Evidence,
  fail,
  missingEvidence,
  NA,
  pass,
  type Result,
  repeatedTriggerWindow,
  scope,
  setting,
  windowAfter,
  windowBefore,
} from '../qa/evaluation.ts';
import { noneUnion } from '../qa/operators.ts';
import type { Outcome } from '../qa/result.ts';
import {
  type Condition,
  type HoldsOp,
  isNoneWords,
  type PhrasesOp,
  type Rule,
} from '../qa/scorecard-schema.ts';
import { holdSpans, placeHold } from '../qa/timing-operators.ts';

/**
 * A result on the call so far, with what stays of it however the call goes on (more turns,
 * more events after the present ones).
 */
export interface Settled {
  result: Result;
  /** Outcome and evidence stay exactly as they are. */
  final: boolean;
  /** The outcome that stays whatever follows (null: it may change). */
  keeps: Outcome | null;
  /** With `keeps`: the first `stable` evidence entries stay the first ones. */
  stable: number;
  /** With `keeps`: all present evidence stays, and evidence still to come is on turns not said yet. */
  later: boolean;
}

const final = (result: Result): Settled => ({
  result,
  final: true,
  keeps: result.outcome,
  stable: result.evidence.length,
  later: true,
});
const open = (result: Result): Settled => ({ result, final: false, keeps: null, stable: 0, later: false });
/** The outcome stays and the present evidence stays first; more may come on later turns. */
const growing = (result: Result): Settled => ({
  result,
  final: false,
  keeps: result.outcome,
  stable: result.evidence.length,
  later: true,
});
const neverPass = (s: Settled) => s.keeps === 'fail' || s.keeps === 'n/a';
const neverFail = (s: Settled) => s.keeps === 'pass' || s.keeps === 'n/a';
const keepsPass = (s: Settled) => s.keeps === 'pass';

export interface SettleOptions {
  /**
   * A call whose turns so far all have start and end times keeps having them (one ASR source
   * per call), so a timing rule's failure (an interruption, a hold without consent) is settled
   * when it happens. Off: timing rules are never alerted before hang-up.
   */
  timingsStay: boolean;
  /**
   * A CTI event at this time is being handled (live assist's alerts at it) and the turns that
   * started before it are all there (turns fed at their start: alerts.ts `turnsArrive`), so the
   * check before a hold that began by then is settled on them. With `timingsStay`, on a call
   * whose turns so far all have their start.
   */
  turnsKnownUntil?: number;
}

type ScopeState = 'final' | 'growing' | 'open';

/**
 * What a whole-call phrases/regex `none`/`any` check found in a call's first `n` turns, kept
 * between turns of one call so that each turn is checked once (the evidence of such a check
 * is the concatenation of what each turn gives).
 */
export interface Found {
  n: number;
  evidence: Evidence[];
  /** The role has said something in those turns (the check applies). */
  applicable: boolean;
  /** `any` with nothing found: the note of its failure (fixed for a whole-call check). */
  missing?: string | undefined;
}
export type FoundMemo = Map<Condition, Found>;

type Appendable = {
  role: PhrasesOp['role'];
  turns?: PhrasesOp['turns'] | undefined;
  none?: unknown;
  any?: unknown;
};

/** The rules of a compiled scorecard, settled on one call so far (`ctx`, built from the prefix). */
export class Settler {
  /** Rules whose result is final on this prefix (their anchors can be relied on). */
  private readonly finalRules = new Set<string>();

  constructor(
    private readonly compiled: CompiledScorecard,
    private readonly ctx: Ctx,
    private readonly options: SettleOptions,
    /** Found so far on this call (an earlier prefix of it), reused and updated; none: all anew. */
    private readonly memo?: FoundMemo,
  ) {}

  /** Every rule, in evaluation order, with anchors set as the Inspector sets them. */
  rules(): Map<string, Settled> {
    const out = new Map<string, Settled>();
    for (const rule of this.compiled.orderedRules) {
      const s = this.rule(rule);
      out.set(rule.id, s);
      const r = s.result;
      const firstTurn = r.evidence.find((e) => e.turn !== null)?.turn ?? null;
      this.ctx.anchors.set(rule.id, r.outcome === 'pass' ? firstTurn : null);
      if (s.final) this.finalRules.add(rule.id);
    }
    return out;
  }

  private rule(rule: Rule): Settled {
    // The channel is the call's from its start: a rule of other channels is n/a for good.
    if (rule.channels && !rule.channels.includes(this.ctx.call.channel ?? 'phone')) return final(NA);
    if (rule.when) {
      const w = this.settle(rule.when, null, false);
      if (w.result.outcome !== 'pass') return neverPass(w) ? final(NA) : open(NA);
      const e = this.settle(rule.expect, null, false);
      return keepsPass(w) ? e : open(e.result);
    }
    return this.settle(rule.expect, null, false);
  }

  /** A condition on a window of turns (null: the whole call); `done`: the window is complete. */
  settle(c: Condition, w: readonly number[] | null, done: boolean): Settled {
    if ('all' in c) return c.all.every(isNoneWords) ? this.allNone(c.all, w, done) : this.all(c.all, w, done);
    if ('any' in c) return this.any(c.any, w, done);
    if ('not' in c) return this.not(c.not, w, done);
    if ('cases' in c) return this.cases(c.cases, w, done);
    if ('trigger' in c) return this.trigger(c, c.trigger, w, done);
    if ('holds' in c) return this.holds(c, c.holds);
    const r = this.leaf(c, w);
    if ('direction' in c || 'channel' in c) return final(r);
    if ('phrases' in c) return this.words(r, c.phrases, w, done, c.phrases.none !== undefined);
    if ('regex' in c) return this.words(r, c.regex, w, done, c.regex.none !== undefined);
    // Each turn is read on its own: once read as a fault, it stays one.
    if ('classifier' in c) return this.words(r, c.classifier, w, done, true);
    if ('count' in c) {
      const op = c.count;
      const state = this.scopeState(w, done, op.role, op.turns);
      if (state === 'final') return final(r);
      if (state === 'open') return open(r);
      // More turns only add occurrences: over a maximum stays over it (with the hits as
      // evidence; a turn count's note would change), at a minimum stays at it.
      if (r.outcome === 'fail' && op.of && op.max !== undefined && !r.evidence.some((e) => e.note))
        return growing(r);
      if (r.outcome === 'pass' && op.max === undefined) return growing(r);
      return open(r);
    }
    if ('share' in c) {
      const state = this.scopeState(w, done, c.share.role, c.share.turns);
      return state === 'final' ? final(r) : open(r);
    }
    // The pauses owed (a silent line's attempts): more turns change the count and the gaps.
    if ('silence' in c && c.silence.minMs !== undefined) return open(r);
    if ('silence' in c || 'interruption' in c) {
      // Untimed now is untimed for good (a call is timed when every turn is).
      if (!this.ctx.timed && this.ctx.turns.length > 0) return final(r);
      // Each gap or overlap is found at the turn it ends in, in turn order.
      if (r.outcome === 'fail' && this.ctx.timed && this.options.timingsStay) return growing(r);
      return open(r);
    }
    if ('answer' in c) {
      const ev = this.ctx.call.events;
      return ev.some((e) => e.type === 'ring') && ev.some((e) => e.type === 'answer') ? final(r) : open(r);
    }
    if ('hangupCause' in c || 'callEnd' in c)
      return this.ctx.call.events.some((e) => e.type === 'hangup') ? final(r) : open(r);
    if ('agentNumber' in c)
      // Passes for good once the own number is said; a wrong or missing one may still be put right.
      return this.words(r, { role: 'agent', turns: c.agentNumber.turns }, w, done, false);
    if ('hangup' in c)
      return this.ctx.call.events.some((e) => e.type === 'hangup' && e.by !== undefined) ? final(r) : open(r);
    if ('repetition' in c) {
      // Each agent turn is compared with the customer's turn before it: found once, for good.
      return r.outcome === 'fail' ? growing(r) : open(r);
    }
    if ('situation' in c) {
      // What the detector finds in the customer's turns, turn by turn (the `situation` operator
      // of the situation detector's branch): it passes for good once a turn shows it.
      const op = (c as { situation: { turns?: PhrasesOp['turns'] } }).situation;
      return this.words(r, { role: 'customer', turns: op.turns }, w, done, false);
    }
    // speechRate (over the whole call), and any operator this file does not know.
    return open(r);
  }

  private leaf(c: Condition, w: readonly number[] | null): Result {
    const ev = this.compiled.evaluator(c);
    const op: Appendable | undefined = 'phrases' in c ? c.phrases : 'regex' in c ? c.regex : undefined;
    if (
      !this.memo ||
      w !== null ||
      !op ||
      op.turns !== undefined ||
      (op.none === undefined && op.any === undefined)
    )
      return ev(this.ctx, w);
    const ctx = this.ctx;
    const n = ctx.turns.length;
    const before = this.memo.get(c);
    // Asked about a shorter prefix than the one remembered (a replay going back): check it whole.
    if (before && before.n > n) return ev(ctx, w);
    const from = before?.n ?? 0;
    const found: Found = before
      ? { ...before, evidence: [...before.evidence] }
      : { n: 0, evidence: [], applicable: false };
    if (from < n) {
      const window: number[] = [];
      for (let i = from; i < n; i++) window.push(i);
      // The new turns alone: what they add to the evidence (a failed `any` adds nothing).
      const part = ev(ctx, window);
      if (part.outcome !== 'n/a') found.applicable = true;
      if (op.none !== undefined ? part.outcome === 'fail' : part.outcome === 'pass')
        found.evidence.push(...part.evidence);
    }
    found.n = n;
    let r: Result;
    if (!found.applicable) r = NA;
    else if (op.none !== undefined) r = found.evidence.length ? fail(found.evidence) : pass();
    else if (found.evidence.length) r = pass(found.evidence);
    else if (found.missing !== undefined) {
      r = fail(missingEvidence(ctx.byRole[op.role], found.missing));
    } else {
      r = ev(ctx, w);
      found.missing = r.evidence[0]?.note;
    }
    this.memo.set(c, found);
    return r;
  }

  /** phrases and regex: `none` fails for good once a turn said it; `any`/`all` pass for good. */
  private words(
    r: Result,
    op: Pick<PhrasesOp, 'role' | 'turns'> & { atLeast?: number; atMost?: number; of?: unknown },
    w: readonly number[] | null,
    done: boolean,
    none: boolean,
  ): Settled {
    const state = this.scopeState(w, done, op.role, op.turns);
    if (state === 'final') return final(r);
    if (state === 'open' || r.outcome === 'n/a') return open(r);
    if (op.of !== undefined) {
      // Over atMost (hits as evidence, no note) stays over; atLeast alone, once met, stays met.
      if (r.outcome === 'fail' && op.atMost !== undefined && !r.evidence.some((e) => e.note))
        return growing(r);
      if (r.outcome === 'pass' && op.atMost === undefined) return growing(r);
      return open(r);
    }
    if (none) return r.outcome === 'fail' ? growing(r) : open(r);
    return r.outcome === 'pass' ? growing(r) : open(r);
  }

  /** Whether the turns an operator looks at are all there, only to grow at the end, or unknown. */
  private scopeState(
    w: readonly number[] | null,
    done: boolean,
    role: PhrasesOp['role'],
    turns: PhrasesOp['turns'],
  ): ScopeState {
    let state: ScopeState = w && done ? 'final' : 'growing';
    if (turns?.after !== undefined || turns?.before !== undefined) {
      const ref = (turns.after ?? turns.before) as string;
      if (!this.finalRules.has(ref)) return 'open';
      const anchor = this.ctx.anchors.get(ref);
      if (anchor === undefined || anchor === null) return 'final';
      // Every turn before the anchor is already there.
      if (turns.before !== undefined) state = 'final';
    }
    const limit = Math.min(
      turns?.first ?? Number.POSITIVE_INFINITY,
      turns?.after !== undefined ? (turns.within ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY,
    );
    if (state !== 'final' && limit < Number.POSITIVE_INFINITY) {
      // Complete once the role has said as many turns (after the anchor) as the window takes.
      const anchored = turns?.after !== undefined ? { after: turns.after } : {};
      if ((scope(this.ctx, w, role, anchored)?.length ?? 0) >= limit) state = 'final';
    }
    if (state !== 'final' && turns?.last !== undefined) return 'open';
    return state;
  }

  /**
   * An \`all\` of \`none\` word checks (the engine's \`allNone\`): like one of them, it fails for good
   * once a turn says one child's words, and what later turns say comes after — when no child
   * looks at a window of turns of its own (\`turns\`), which could reach back.
   */
  private allNone(children: Condition[], w: readonly number[] | null, done: boolean): Settled {
    const parts = children.map((child) => this.settle(child, w, done));
    const r = noneUnion(parts.map((p) => p.result));
    if (parts.every((p) => p.final)) return final(r);
    const ownWindow = children.some((c) =>
      'phrases' in c
        ? c.phrases.turns
        : 'regex' in c
          ? c.regex.turns
          : 'classifier' in c
            ? c.classifier.turns
            : 1,
    );
    return r.outcome === 'fail' && !ownWindow ? growing(r) : open(r);
  }

  private all(children: Condition[], w: readonly number[] | null, done: boolean): Settled {
    let na = false;
    const passEvidence: Evidence[] = [];
    const settled: Settled[] = [];
    for (const child of children) {
      const s = this.settle(child, w, done);
      const r = s.result;
      if (r.outcome === 'fail') {
        // The first failure stays the one reported if no child before it can fail.
        if (!settled.every(neverFail)) return open(r);
        // The result is this child's own: as settled as it is.
        return s.final || s.keeps === 'fail' ? s : open(r);
      }
      settled.push(s);
      if (r.outcome === 'n/a') na = true;
      else passEvidence.push(...r.evidence);
    }
    const r = na ? NA : pass(passEvidence);
    if (settled.every((p) => p.final)) return final(r);
    if (r.outcome === 'pass' && settled.every(keepsPass)) {
      // The evidence is the children's in order: stable up to the first that may still grow.
      let stable = 0;
      for (const p of settled) {
        stable += p.final ? p.result.evidence.length : p.stable;
        if (!p.final) break;
      }
      const lastGrows = settled.slice(0, -1).every((p) => p.final) && (settled.at(-1)?.later ?? true);
      return { result: r, final: false, keeps: 'pass', stable, later: lastGrows };
    }
    return open(r);
  }

  private any(children: Condition[], w: readonly number[] | null, done: boolean): Settled {
    const settled: Settled[] = [];
    let firstFail: number | undefined;
    for (const child of children) {
      const s = this.settle(child, w, done);
      if (s.result.outcome === 'pass') {
        if (!settled.every(neverPass)) return open(s.result);
        return s.final ? final(s.result) : s.keeps === 'pass' ? s : open(s.result);
      }
      if (s.result.outcome === 'fail') firstFail ??= settled.length;
      settled.push(s);
    }
    if (firstFail === undefined) return settled.every((p) => p.final) ? final(NA) : open(NA);
    const f = settled[firstFail] as Settled;
    // Fails for good if no child can pass; the same child's evidence if none before it can fail.
    if (!settled.every(neverPass) || !settled.slice(0, firstFail).every((p) => p.final))
      return open(f.result);
    if (settled.every((p) => p.final)) return final(f.result);
    return { ...f, final: false, keeps: 'fail', stable: f.final ? f.result.evidence.length : f.stable };
  }

  private not(child: Condition, w: readonly number[] | null, done: boolean): Settled {
    const s = this.settle(child, w, done);
    const r = s.result;
    if (r.outcome === 'n/a') return s.final ? final(NA) : open(NA);
    const flipped = r.outcome === 'pass' ? fail(r.evidence) : pass(r.evidence);
    if (s.final) return final(flipped);
    if (s.keeps === 'pass' || s.keeps === 'fail')
      return { ...s, result: flipped, keeps: s.keeps === 'pass' ? 'fail' : 'pass' };
    return open(flipped);
  }

  private cases(
    list: { when: Condition; then: Condition }[],
    w: readonly number[] | null,
    done: boolean,
  ): Settled {
    let before = true; // every `when` so far will never pass
    for (const k of list) {
      const sw = this.settle(k.when, w, done);
      if (sw.result.outcome === 'pass') {
        const then = this.settle(k.then, w, done);
        return before && keepsPass(sw) ? then : open(then.result);
      }
      if (!neverPass(sw)) before = false;
    }
    return before ? final(NA) : open(NA);
  }

  /**
   * The result is the Inspector's own; what stays of it follows the trigger's parts: the
   * situations found (`when`) and, after each, the check (`then`) in its window of turns.
   */
  private trigger(
    c: Condition,
    op: {
      when: Condition;
      then: Condition;
      within?: number | undefined;
      once: boolean;
      opening?: boolean | undefined;
      answeredBefore?: number | undefined;
    },
    w: readonly number[] | null,
    done: boolean,
  ): Settled {
    const result = this.compiled.evaluator(c)(this.ctx, w);
    const sw = this.settle(op.when, w, done);
    const r = sw.result;
    if (r.outcome !== 'pass') return neverPass(sw) ? final(result) : open(result);
    const triggers = [...new Set(r.evidence.map((e) => e.turn).filter((t): t is number => t !== null))].sort(
      (a, b) => a - b,
    );
    if (op.once) triggers.splice(1);
    // The present triggers stay, in order, if the situation's evidence only grows on later turns.
    const ctx = this.ctx;
    let settledRun = sw.final || (keepsPass(sw) && sw.later); // each trigger so far keeps its outcome
    let allFinal = sw.final;
    let failures = 0;
    let stableFailures = 0;
    for (const t of triggers) {
      const window = repeatedTriggerWindow(
        ctx,
        t,
        triggers[0] as number,
        op.within,
        op.opening,
        op.answeredBefore,
      );
      const complete =
        op.within !== undefined &&
        window.filter((i) => i > t && ctx.speakers[i] === 'agent').length >= op.within;
      const s = this.settle(op.then, window, complete);
      if (!s.final) allFinal = false;
      if (!(s.final || s.keeps !== null)) settledRun = false;
      // One failure per trigger whose check failed, in trigger order.
      if (s.result.outcome === 'fail') {
        failures++;
        if (settledRun) stableFailures = failures;
      }
    }
    if (allFinal) return final(result);
    // More triggers (and the checks still open) only add failures after these.
    if (stableFailures > 0 && result.outcome === 'fail')
      return { result, final: false, keeps: 'fail', stable: stableFailures, later: false };
    return open(result);
  }

  /** The result is the Inspector's own; what stays of it follows the holds so far and their checks. */
  private holds(c: Condition, op: HoldsOp): Settled {
    const ctx = this.ctx;
    const result = this.compiled.evaluator(c)(ctx, null);
    const minMs = op.minMs === undefined ? () => 0 : setting(op.minMs);
    const maxMs = op.maxMs === undefined ? undefined : setting(op.maxMs);
    const events = ctx.call.events;
    const all = holdSpans(events);
    // A hold not yet released is the last span; its end is not known.
    let openHold = false;
    for (const e of events) {
      if (e.type === 'hold') openHold = true;
      else if (e.type === 'unhold' || e.type === 'hangup') openHold = false;
    }
    const spans = all
      .map((s, i) => ({ ...s, closed: !(openHold && i === all.length - 1) }))
      .filter((s) => s.end - s.start >= minMs(ctx));
    if (spans.length === 0) return open(result);
    // Holds are placed among the turns by the times they have: they stay placed only if so assumed.
    if ((op.before || op.after) && !this.options.timingsStay) return open(result);
    // Count the failures hold by hold, in the order the operator lists them, and how many of
    // the first ones no later turn or event can change.
    let failures = 0;
    let stableFailures = 0;
    let settledRun = true;
    const n = ctx.turns.length;
    // The words before a hold that began by the event being handled are all there, and placed
    // exactly when every turn so far has its start (typed turns too: they are sent at it).
    const known = this.options.turnsKnownUntil;
    const placedExactly = known !== undefined && ctx.call.turns.every((t) => t.start !== undefined);
    const before = (start: number) => placedExactly && known !== undefined && start <= known;
    // What the operator says of a hold other than the check before it depends on its length.
    const byLength = op.minMs !== undefined || maxMs !== undefined || op.after !== undefined;
    for (const span of spans) {
      // A hold not yet released has no end: its length (in the evidence note too) may change.
      // The check before it names its start alone (timing-operators.ts): it does not wait.
      let fixed = span.closed || !byLength;
      if (maxMs && span.end - span.start > maxMs(ctx)) {
        failures++;
      } else {
        // No turn has times yet: a later one may place the hold.
        const placed = placeHold(ctx, span.start, span.end);
        if (!placed) fixed = false;
        if (placed && op.before) {
          const at = placed.beforeAt;
          // The turns before the hold are all there once a turn after it is (a late transcript
          // of words said before it would change them).
          if (at >= n && !before(span.start)) fixed = false;
          const s = this.settle(op.before, windowBefore(ctx, at, op.within), true);
          if (!(s.final || s.keeps !== null)) fixed = false;
          if (s.result.outcome === 'fail') failures++;
        }
        if (placed && op.after) {
          const at = placed.afterAt;
          if (at >= n || !span.closed) fixed = false;
          const window = windowAfter(ctx, at - 1, op.within);
          const complete = window.filter((i) => ctx.speakers[i] === 'agent').length >= op.within;
          const s = this.settle(op.after, window, complete);
          // A failure after the hold is reported with the failing check's evidence: it must stay whole.
          if (!(s.final || s.keeps === 'pass')) fixed = false;
          if (s.result.outcome === 'fail') failures += anchorTurn(s.result, '').length;
        }
      }
      if (settledRun && fixed) stableFailures = failures;
      else settledRun = false;
    }
    // Holds still to come add their failures after these.
    if (stableFailures > 0 && result.outcome === 'fail')
      return { result, final: false, keeps: 'fail', stable: stableFailures, later: false };
    return open(result);
  }
}
