// The rule engine: a scorecard compiled, once per brand, into evaluator closures over a call.
// Pure: no I/O, no clock. Every phrase of every rule is found in one Aho–Corasick pass per
// turn; rules then read those hits. A rule whose data is absent (no timings, no events, no
// turn of the role) is not applicable, never a silent pass.
import type { Call, CallEvent, Speaker } from '../calls/model.ts';
import type { Catalog } from '../playbook/catalog.ts';
import type { Playbook } from '../playbook/load.ts';
import { brandVariables, renderText, traditional, type Variables } from '../playbook/render.ts';
import { PhraseMatcher } from '../text/match.ts';
import { type Normalized, normalize, normalizeText } from '../text/normalize.ts';
import type { CallResult, Finding, Outcome, RuleResult } from './result.ts';
import { evaluationOrder, type Scorecard } from './scorecard.ts';
import type {
  AnswerOp,
  Condition,
  CountOp,
  HangupOp,
  HoldsOp,
  InterruptionOp,
  PhrasesOp,
  RegexOp,
  RepetitionOp,
  Rule,
  SettingRef,
  ShareOp,
  SilenceOp,
  SpeechRateOp,
} from './scorecard-schema.ts';

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

interface Hit {
  turn: number;
  start: number;
  end: number;
  phrase: number;
}

interface Settings {
  holdLimitMs: number;
  answerLimitMs: number;
  silentAttempts: number;
  silentPauseMs: number;
}

interface Ctx {
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
  /** Turn marks for set membership without allocation: marks[t] === stamp. */
  marks: Int32Array;
  stamp: number;
}

type Evaluator = (ctx: Ctx, window: readonly number[] | null) => Result;

const NA: Result = { outcome: 'n/a', evidence: [] };
const pass = (evidence: Evidence[] = []): Result => ({ outcome: 'pass', evidence });
const fail = (evidence: Evidence[] = []): Result => ({ outcome: 'fail', evidence });

/** Raised for a call the engine cannot inspect (an unknown brand). */
export class InspectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InspectionError';
  }
}

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

/** Holds paired with their unholds; a hold never released ends at hang-up or the last event. */
function holdSpans(events: readonly CallEvent[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let open: number | null = null;
  for (const e of events) {
    if (e.type === 'hold' && open === null) open = e.at;
    else if ((e.type === 'unhold' || e.type === 'hangup') && open !== null) {
      spans.push({ start: open, end: e.at });
      open = null;
    }
  }
  const last = events[events.length - 1];
  if (open !== null && last) spans.push({ start: open, end: last.at });
  return spans;
}

/** One scorecard compiled for one brand's playbook. */
class CompiledScorecard {
  private readonly phraseIds = new Map<string, number>();
  private readonly phraseTexts: string[] = [];
  private readonly matcher: PhraseMatcher<number>;
  private readonly rules: { rule: Rule; when?: Evaluator; expect: Evaluator }[];
  private readonly ruleOrder: Rule[];
  readonly settings: Settings;
  private readonly suggestions = new Map<string, string | null>();
  private readonly rewrites: { habitual: string; professional: string }[];
  private readonly brandVars: Variables;

  constructor(
    private readonly scorecard: Scorecard,
    private readonly playbook: Playbook,
    private readonly base: Playbook | undefined,
  ) {
    const s = playbook.settings;
    this.settings = {
      holdLimitMs: s.holdLimitSeconds * 1000,
      answerLimitMs: s.ringsToAnswer * (scorecard.ringPeriodSeconds ?? s.ringPeriodSeconds) * 1000,
      silentAttempts: s.silentLine.attempts,
      silentPauseMs: s.silentLine.pauseSeconds * 1000,
    };
    this.brandVars = brandVariables(playbook);
    this.rewrites = playbook.rewrites.map((r) => ({
      habitual: normalizeText(r.habitual),
      professional: r.professional,
    }));
    const byId = new Map(scorecard.rules.map((r) => [r.id, r]));
    this.ruleOrder = evaluationOrder(scorecard).map((id) => byId.get(id) as Rule);
    this.rules = this.ruleOrder.map((rule) => ({
      rule,
      ...(rule.when ? { when: this.compile(rule.when) } : {}),
      expect: this.compile(rule.expect),
    }));
    this.matcher = new PhraseMatcher(this.phraseTexts.map((phrase, value) => ({ phrase, value })));
  }

  // ---- phrases ----

  private phraseId(text: string): number | undefined {
    const norm = normalizeText(text);
    if (!norm) return undefined;
    let id = this.phraseIds.get(norm);
    if (id === undefined) {
      id = this.phraseTexts.length;
      this.phraseIds.set(norm, id);
      this.phraseTexts.push(norm);
    }
    return id;
  }

  /** The phrase ids of one list item: a literal, a $set or an @playbook reference. */
  private itemIds(item: string): number[] {
    let phrases: string[];
    if (item.startsWith('$')) phrases = this.scorecard.phraseSets[item.slice(1)] ?? [];
    else if (item === '@brand') phrases = [this.playbook.brand.name, ...this.playbook.brand.aliases];
    else if (item === '@rewrites.habitual') phrases = this.playbook.rewrites.map((r) => r.habitual);
    else if (item.startsWith('@forbidden.')) {
      const group = item.slice('@forbidden.'.length);
      // A phrase the standards write with 你 is as forbidden said with 您 (你到底想怎么样 /
      // 您到底想怎么样): a polite pronoun does not make a rebuke polite.
      phrases = this.playbook.forbidden
        .filter((f) => f.group === group)
        .flatMap((f) => f.phrases)
        .flatMap((p) => (p.includes('你') ? [p, p.replaceAll('你', '您')] : [p]));
    } else phrases = [item];
    return phrases.map((p) => this.phraseId(p)).filter((id): id is number => id !== undefined);
  }

  private ids(items: readonly string[] | undefined): number[] {
    return [...new Set((items ?? []).flatMap((i) => this.itemIds(i)))];
  }

  // ---- compile ----

  private compile(c: Condition): Evaluator {
    if ('all' in c) return this.all(c.all.map((x) => this.compile(x)));
    if ('any' in c) return this.any(c.any.map((x) => this.compile(x)));
    if ('not' in c) return this.not(this.compile(c.not));
    if ('cases' in c)
      return this.cases(c.cases.map((k) => ({ when: this.compile(k.when), then: this.compile(k.then) })));
    if ('direction' in c) {
      const d = c.direction;
      return (ctx) =>
        ctx.call.direction === d ? pass() : fail([{ turn: null, note: `方向为${ctx.call.direction}` }]);
    }
    if ('phrases' in c) return this.phrases(c.phrases);
    if ('regex' in c) return this.regex(c.regex);
    if ('trigger' in c)
      return this.trigger(
        this.compile(c.trigger.when),
        this.compile(c.trigger.then),
        c.trigger.within,
        c.trigger.once,
      );
    if ('count' in c) return this.count(c.count);
    if ('share' in c) return this.share(c.share);
    if ('silence' in c) return this.silence(c.silence);
    if ('holds' in c)
      return this.holds(
        c.holds,
        c.holds.before ? this.compile(c.holds.before) : undefined,
        c.holds.after ? this.compile(c.holds.after) : undefined,
      );
    if ('answer' in c) return this.answer(c.answer);
    if ('interruption' in c) return this.interruption(c.interruption);
    if ('speechRate' in c) return this.speechRate(c.speechRate);
    if ('hangup' in c) return this.hangup(c.hangup);
    if ('repetition' in c) return this.repetition(c.repetition);
    throw new Error(`unknown condition ${JSON.stringify(c)}`);
  }

  private setting(v: number | SettingRef): (ctx: Ctx) => number {
    if (typeof v === 'number') return () => v;
    const key = v.slice(1) as keyof Settings;
    return (ctx) => ctx.settings[key];
  }

  /**
   * Fails if any child fails; otherwise not applicable if any child is (a conjunction that
   * cannot be checked whole is not a pass); passes when every child passes.
   */
  private all(children: Evaluator[]): Evaluator {
    return (ctx, w) => {
      let na = false;
      const passEvidence: Evidence[] = [];
      for (const child of children) {
        const r = child(ctx, w);
        if (r.outcome === 'fail') return r;
        if (r.outcome === 'n/a') na = true;
        else passEvidence.push(...r.evidence);
      }
      return na ? NA : pass(passEvidence);
    };
  }

  private any(children: Evaluator[]): Evaluator {
    return (ctx, w) => {
      let firstFail: Result | undefined;
      for (const child of children) {
        const r = child(ctx, w);
        if (r.outcome === 'pass') return r;
        if (r.outcome === 'fail') firstFail ??= r;
      }
      return firstFail ?? NA;
    };
  }

  private not(child: Evaluator): Evaluator {
    return (ctx, w) => {
      const r = child(ctx, w);
      if (r.outcome === 'n/a') return NA;
      return r.outcome === 'pass' ? fail(r.evidence) : pass(r.evidence);
    };
  }

  private cases(cases: { when: Evaluator; then: Evaluator }[]): Evaluator {
    return (ctx, w) => {
      for (const k of cases) if (k.when(ctx, w).outcome === 'pass') return k.then(ctx, w);
      return NA;
    };
  }

  /** The turns a phrase/regex/count operator looks at; null when an anchor it needs is absent. */
  private scope(
    ctx: Ctx,
    window: readonly number[] | null,
    role: Speaker | 'any',
    turns: PhrasesOp['turns'],
  ): readonly number[] | null {
    // Without a window the role's own list is used as is (callers never modify it).
    let idx: readonly number[] = window
      ? window.filter((i) => role === 'any' || ctx.speakers[i] === role)
      : ctx.byRole[role];
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

  private hitsIn(
    ctx: Ctx,
    ids: readonly number[],
    turns: readonly number[],
    exclude: readonly number[],
  ): Hit[] {
    const stamp = ++ctx.stamp;
    for (const t of turns) ctx.marks[t] = stamp;
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
        const excluded = excluders?.some(
          (e) => e.turn === h.turn && e.start <= h.start && e.end >= h.end && e.phrase !== h.phrase,
        );
        if (excluded !== true) out.push(h);
      }
    }
    return out.sort((a, b) => a.turn - b.turn || a.start - b.start);
  }

  private hitEvidence(hits: readonly Hit[]): Evidence[] {
    return hits.map((h) => ({
      turn: h.turn,
      start: h.start,
      end: h.end,
      phrase: this.phraseTexts[h.phrase],
    }));
  }

  /**
   * Where something expected was missing: the one turn looked at (the last of a window at the
   * end of the call, else the first), or the whole call when the window is wide.
   */
  private missingEvidence(turns: readonly number[], note: string, fromEnd = false): Evidence[] {
    const turn = fromEnd ? turns[turns.length - 1] : turns[0];
    if (turns.length <= 3 && turn !== undefined) return [{ turn, note }];
    return [{ turn: null, note }];
  }

  /** A phrase list as a person reads it: sets and references shown by their first phrases. */
  private readonly described = new Map<string, string>();

  private describe(items: readonly string[]): string {
    const key = items.join('\u0000');
    const known = this.described.get(key);
    if (known !== undefined) return known;
    const shown = items.flatMap((item) => {
      const ids = this.itemIds(item);
      const words = ids.slice(0, 3).map((id) => this.phraseTexts[id] ?? '');
      return ids.length > 3 ? [...words, '…'] : words;
    });
    const text = shown.join(' / ');
    this.described.set(key, text);
    return text;
  }

  private phrases(op: PhrasesOp): Evaluator {
    const exclude = this.ids(op.exclude);
    const list = op.any ?? op.all ?? op.none ?? op.of ?? [];
    const ids = this.ids(list);
    const perItem = op.all ? op.all.map((item) => ({ item, ids: this.ids([item]) })) : [];
    const fromEnd = op.turns?.last !== undefined;
    return (ctx, w) => {
      const turns = this.scope(ctx, w, op.role, op.turns);
      if (turns === null || turns.length === 0) return NA;
      const hits = this.hitsIn(ctx, ids, turns, exclude);
      if (op.none) return hits.length === 0 ? pass() : fail(this.hitEvidence(hits));
      if (op.any)
        return hits.length > 0
          ? pass(this.hitEvidence(hits))
          : fail(this.missingEvidence(turns, `未说: ${this.describe(list)}`, fromEnd));
      if (op.all) {
        const missing = perItem.filter((p) => !hits.some((h) => p.ids.includes(h.phrase))).map((p) => p.item);
        return missing.length === 0
          ? pass(this.hitEvidence(hits))
          : fail(this.missingEvidence(turns, `未说: ${this.describe(missing)}`, fromEnd));
      }
      const n = hits.length;
      if (op.atLeast !== undefined && n < op.atLeast)
        return fail(
          this.missingEvidence(turns, `出现${n}次, 应至少${op.atLeast}次: ${this.describe(list)}`, fromEnd),
        );
      if (op.atMost !== undefined && n > op.atMost) return fail(this.hitEvidence(hits));
      return pass(this.hitEvidence(hits));
    };
  }

  private regex(op: RegexOp): Evaluator {
    const re = new RegExp((op.any ?? op.none) as string, 'gu');
    // A non-global twin for the quick "any match at all?" test that most turns stop at.
    const probe = new RegExp((op.any ?? op.none) as string, 'u');
    const ex = op.exclude ? new RegExp(op.exclude, 'gu') : undefined;
    return (ctx, w) => {
      const turns = this.scope(ctx, w, op.role, op.turns);
      if (turns === null || turns.length === 0) return NA;
      const found: Evidence[] = [];
      for (const t of turns) {
        const text = ctx.turns[t]?.text ?? '';
        if (!probe.test(text)) continue;
        const excluded = ex
          ? [...text.matchAll(ex)].map((m) => [m.index, m.index + m[0].length] as const)
          : [];
        for (const m of text.matchAll(re)) {
          const start = m.index;
          const end = start + Math.max(m[0].length, 1);
          if (excluded.some(([s, e]) => s < end && start < e)) continue;
          found.push({ turn: t, start, end });
        }
      }
      if (op.none) return found.length === 0 ? pass() : fail(found);
      return found.length > 0
        ? pass(found)
        : fail(this.missingEvidence(turns, '未出现应有的表述', op.turns?.last !== undefined));
    };
  }

  /** Turns after `pos` up to and including the n-th agent turn after it. */
  private windowAfter(ctx: Ctx, pos: number, n: number | undefined): number[] {
    const out: number[] = [];
    let agents = 0;
    for (let i = pos + 1; i < ctx.turns.length; i++) {
      out.push(i);
      if (ctx.speakers[i] === 'agent' && n !== undefined && ++agents >= n) break;
    }
    return out;
  }

  /** Turns before `pos` back to and including the n-th agent turn before it. */
  private windowBefore(ctx: Ctx, pos: number, n: number): number[] {
    const out: number[] = [];
    let agents = 0;
    for (let i = pos - 1; i >= 0; i--) {
      out.unshift(i);
      if (ctx.speakers[i] === 'agent' && ++agents >= n) break;
    }
    return out;
  }

  private trigger(when: Evaluator, then: Evaluator, within: number | undefined, once: boolean): Evaluator {
    return (ctx, w) => {
      const r = when(ctx, w);
      if (r.outcome !== 'pass') return NA;
      const triggers = [
        ...new Set(r.evidence.map((e) => e.turn).filter((t): t is number => t !== null)),
      ].sort((a, b) => a - b);
      if (once) triggers.splice(1);
      let applicable = false;
      const failures: Evidence[] = [];
      const passes: Evidence[] = [];
      for (const t of triggers) {
        const res = then(ctx, this.windowAfter(ctx, t, within));
        if (res.outcome === 'n/a') continue;
        applicable = true;
        if (res.outcome === 'fail') {
          const cause = r.evidence.find((e) => e.turn === t);
          failures.push({ ...cause, turn: t, note: `客户说"${cause?.phrase ?? ''}"后未按标准回应` });
        } else passes.push(...res.evidence);
      }
      if (!applicable) return NA;
      return failures.length > 0 ? fail(failures) : pass(passes);
    };
  }

  private count(op: CountOp): Evaluator {
    const ids = op.of ? this.ids(op.of) : undefined;
    const min = op.min === undefined ? undefined : this.setting(op.min);
    const max = op.max === undefined ? undefined : this.setting(op.max);
    return (ctx, w) => {
      const turns = this.scope(ctx, w, op.role, op.turns);
      if (turns === null) return NA;
      const hits = ids ? this.hitsIn(ctx, ids, turns, []) : [];
      const n = ids ? hits.length : turns.length;
      const what = ids
        ? `"${(op.of ?? []).join(' / ')}"出现`
        : `${op.role === 'customer' ? '客户' : '坐席'}发言`;
      if (min && n < min(ctx)) return fail([{ turn: null, note: `${what}${n}次, 应至少${min(ctx)}次` }]);
      if (max && n > max(ctx)) {
        return fail(
          ids ? this.hitEvidence(hits) : [{ turn: null, note: `${what}${n}次, 应至多${max(ctx)}次` }],
        );
      }
      return pass(ids ? this.hitEvidence(hits) : turns.map((t) => ({ turn: t })));
    };
  }

  private share(op: ShareOp): Evaluator {
    const ids = this.ids(op.of);
    return (ctx, w) => {
      const turns = this.scope(ctx, w, op.role, op.turns);
      if (turns === null || turns.length < op.minTurns || turns.length === 0) return NA;
      const hits = this.hitsIn(ctx, ids, turns, []);
      const withHit = new Set(hits.map((h) => h.turn)).size;
      const share = withHit / turns.length;
      const pct = `${Math.round(share * 100)}%`;
      if (op.max !== undefined && share > op.max) {
        const ev = this.hitEvidence(hits);
        const first = ev[0];
        if (first)
          first.note = `${turns.length}句中${withHit}句使用(${pct}), 上限${Math.round(op.max * 100)}%`;
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
      return pass(this.hitEvidence(hits));
    };
  }

  private silence(op: SilenceOp): Evaluator {
    const max = this.setting(op.maxMs);
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

  /** The index of the first turn starting at or after `at` (turns.length if none). */
  private turnAt(ctx: Ctx, at: number): number {
    const i = ctx.call.turns.findIndex((t) => (t.start ?? 0) >= at);
    return i < 0 ? ctx.call.turns.length : i;
  }

  private holds(op: HoldsOp, before: Evaluator | undefined, after: Evaluator | undefined): Evaluator {
    const minMs = op.minMs === undefined ? () => 0 : this.setting(op.minMs);
    const maxMs = op.maxMs === undefined ? undefined : this.setting(op.maxMs);
    return (ctx) => {
      const spans = holdSpans(ctx.call.events).filter((s) => s.end - s.start >= minMs(ctx));
      if (spans.length === 0) return NA;
      if ((before || after) && !ctx.timed) return NA;
      const failures: Evidence[] = [];
      let applicable = false;
      for (const span of spans) {
        const what = `${clock(span.start)}-${clock(span.end)}保持${seconds(span.end - span.start)}`;
        if (maxMs && span.end - span.start > maxMs(ctx)) {
          applicable = true;
          failures.push({ turn: null, note: `${what}, 超过上限${seconds(maxMs(ctx))}` });
          continue;
        }
        if (before) {
          const window = this.windowBefore(ctx, this.turnAt(ctx, span.start), op.within);
          const r = before(ctx, window);
          if (r.outcome !== 'n/a') applicable = true;
          if (r.outcome === 'fail') {
            // The agent's last words before the hold are where the consent was missing.
            const last = [...window].reverse().find((t) => ctx.speakers[t] === 'agent');
            failures.push({ turn: last ?? null, note: `${what}前未征得同意` });
          }
        }
        if (after) {
          const at = this.turnAt(ctx, span.end);
          const r = after(ctx, this.windowAfter(ctx, at - 1, op.within));
          if (r.outcome !== 'n/a') applicable = true;
          if (r.outcome === 'fail') failures.push(...this.anchorTurn(r, `${what}后未按标准表述`));
        }
        if (!before && !after && !maxMs) applicable = true;
      }
      if (!applicable) return NA;
      return failures.length ? fail(failures) : pass();
    };
  }

  /** Evidence of a failed sub-check, with a note saying which hold it was about. */
  private anchorTurn(r: Result, note: string): Evidence[] {
    const turns = r.evidence.filter((e) => e.turn !== null);
    return turns.length ? turns.map((e) => ({ turn: e.turn, note })) : [{ turn: null, note }];
  }

  private answer(op: AnswerOp): Evaluator {
    const max = this.setting(op.maxMs);
    return (ctx) => {
      const ring = ctx.call.events.find((e) => e.type === 'ring');
      const answer = ctx.call.events.find((e) => e.type === 'answer');
      if (!ring || !answer) return NA;
      const took = answer.at - ring.at;
      const note = `振铃${seconds(took)}后接起, 上限${seconds(max(ctx))}`;
      return took > max(ctx) ? fail([{ turn: null, note }]) : pass([{ turn: null, note }]);
    };
  }

  private interruption(op: InterruptionOp): Evaluator {
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

  private speechRate(op: SpeechRateOp): Evaluator {
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

  private hangup(op: HangupOp): Evaluator {
    return (ctx) => {
      const h = ctx.call.events.find((e) => e.type === 'hangup' && e.by !== undefined);
      if (!h?.by) return NA;
      const who = h.by === 'agent' ? '坐席' : '客户';
      return h.by === op.first ? pass() : fail([{ turn: null, note: `${who}先挂机(${clock(h.at)})` }]);
    };
  }

  private repetition(op: RepetitionOp): Evaluator {
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

  // ---- inspect ----

  inspect(call: Call, turns: Normalized[]): { results: Map<string, Result> } {
    const speakers = call.turns.map((t) => t.speaker);
    const byRole: Ctx['byRole'] = { agent: [], customer: [], any: [] };
    speakers.forEach((s, i) => {
      byRole[s].push(i);
      byRole.any.push(i);
    });
    const hits: Hit[][] = [];
    let turn = 0;
    const visit = (phrase: number, start: number, end: number) => {
      let list = hits[phrase];
      if (!list) {
        list = [];
        hits[phrase] = list;
      }
      list.push({ turn, start, end, phrase });
    };
    for (; turn < turns.length; turn++) this.matcher.scan(turns[turn]?.text ?? '', visit);
    const ctx: Ctx = {
      call,
      turns,
      speakers,
      byRole,
      timed: call.turns.length > 0 && call.turns.every((t) => t.start !== undefined && t.end !== undefined),
      hits,
      settings: this.settings,
      anchors: new Map(),
      marks: new Int32Array(turns.length),
      stamp: 0,
    };
    const results = new Map<string, Result>();
    for (const { rule, when, expect } of this.rules) {
      let r: Result;
      if (when && when(ctx, null).outcome !== 'pass') r = NA;
      else r = expect(ctx, null);
      results.set(rule.id, r);
      const firstTurn = r.evidence.find((e) => e.turn !== null)?.turn ?? null;
      ctx.anchors.set(rule.id, r.outcome === 'pass' ? firstTurn : null);
    }
    return { results };
  }

  /** The correct script line for a rule's miss, filled with what the call tells. */
  suggestion(rule: Rule, call: Call, phrase: string | undefined): string | null {
    if (phrase) {
      // A rewrite fits when the words said contain its habitual phrasing (or, for a phrase
      // of some length, are part of it): "我没办法" → "对不起,我们暂时还没有解决方案".
      const rewrite = this.rewrites.find(
        (r) => phrase.includes(r.habitual) || (phrase.length >= 3 && r.habitual.includes(phrase)),
      );
      if (rewrite) return this.inScript(rewrite.professional);
    }
    if (rule.scenario) {
      // The brand's own scenario, else its base playbook's (e.g. generic).
      const sc =
        this.playbook.scenarios.find((s) => s.id === rule.scenario) ??
        this.base?.scenarios.find((s) => s.id === rule.scenario);
      const line = sc?.lines[0]?.text;
      if (line) {
        const vars: Variables = { ...this.brandVars };
        if (call.agent?.id) vars.agentNumber = call.agent.id;
        if (call.agent?.name) vars.agentName = call.agent.name;
        if (call.customer?.surname) vars.surname = call.customer.surname;
        if (call.customer?.title) vars.title = call.customer.title;
        return renderText(line, vars, this.playbook.brand.script).text;
      }
    }
    return rule.suggest === undefined ? null : this.inScript(rule.suggest);
  }

  /** Text in the brand's script (Traditional for a Traditional brand). */
  private inScript(text: string): string {
    return this.playbook.brand.script === 'traditional' ? traditional(text) : text;
  }

  get scorecardRules(): readonly Rule[] {
    return this.scorecard.rules;
  }

  /** Every phrase the compiled rules look for, normalized (for benchmarks and tooling). */
  get phraseList(): readonly string[] {
    return this.phraseTexts;
  }

  get playbookBrand(): string {
    return this.playbook.brand.id;
  }

  cachedSuggestion(key: string, make: () => string | null): string | null {
    if (!this.suggestions.has(key)) {
      // Bounded: a batch of many agents must not grow the cache without end.
      if (this.suggestions.size >= 10_000) this.suggestions.clear();
      this.suggestions.set(key, make());
    }
    return this.suggestions.get(key) ?? null;
  }
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

const MAX_FINDINGS_PER_RULE = 20;
const MAX_EVIDENCE_CHARS = 80;

export interface InspectorOptions {
  /** Brand for calls that name none (default: "generic"). */
  defaultBrand?: string;
  /** Use this brand for every call, whatever it names. */
  forceBrand?: string;
}

/** Inspects calls against a scorecard with the playbook of each call's brand. */
export class Inspector {
  private readonly compiled = new Map<string, CompiledScorecard>();
  private catalogRevision: number;

  constructor(
    readonly scorecard: Scorecard,
    private readonly catalog: Catalog,
    private readonly options: InspectorOptions = {},
  ) {
    this.catalogRevision = catalog.revision;
    for (const b of [options.defaultBrand, options.forceBrand]) {
      if (b !== undefined && !catalog.find(b)) {
        throw new InspectionError(`no brand '${b}'; known brands: ${catalog.brandIds.join(', ')}`);
      }
    }
  }

  private forBrand(brand: string): CompiledScorecard {
    // A playbook changed since the scorecard was compiled: compile again from the new one.
    if (this.catalogRevision !== this.catalog.revision) {
      this.compiled.clear();
      this.catalogRevision = this.catalog.revision;
    }
    let c = this.compiled.get(brand);
    if (!c) {
      const pb = this.catalog.find(brand);
      if (!pb)
        throw new InspectionError(
          `unknown brand '${brand}'; known brands: ${this.catalog.brandIds.join(', ')}`,
        );
      const base = pb.extends ? this.catalog.find(pb.extends) : undefined;
      c = new CompiledScorecard(this.scorecard, pb, base);
      this.compiled.set(brand, c);
    }
    return c;
  }

  /** The normalized phrases the scorecard looks for in calls of a brand. */
  phrases(brand: string): readonly string[] {
    return this.forBrand(brand).phraseList;
  }

  /** Compiles the scorecard for every brand now, so that a bad reference shows at start-up. */
  warmUp(): void {
    for (const id of this.catalog.brandIds) this.forBrand(id);
  }

  inspect(call: Call): CallResult {
    const brand = this.options.forceBrand ?? call.brand ?? this.options.defaultBrand ?? 'generic';
    const compiled = this.forBrand(brand);
    const turns = call.turns.map((t) => normalize(t.text));
    const { results } = compiled.inspect(call, turns);
    const rules: RuleResult[] = [];
    const findings: Finding[] = [];
    let deducted = 0;
    let fatal = false;
    for (const rule of compiled.scorecardRules) {
      const r = results.get(rule.id) ?? NA;
      const failed = r.outcome === 'fail';
      rules.push({ id: rule.id, outcome: r.outcome, points: failed ? -rule.points : 0 });
      if (!failed) continue;
      deducted += rule.points;
      if (rule.fatal) fatal = true;
      const seed = rule.sources.map((s) => `${s.seed} ${s.section}`).join('; ');
      const evidence = r.evidence.length ? r.evidence : [{ turn: null } as Evidence];
      for (const ev of evidence.slice(0, MAX_FINDINGS_PER_RULE)) {
        findings.push(this.finding(compiled, rule, call, turns, ev, seed));
      }
    }
    const score = fatal ? 0 : Math.max(0, this.scorecard.total - deducted);
    return {
      id: call.id,
      brand: compiled.playbookBrand,
      agent: call.agent ? { ...call.agent } : null,
      score: Math.round(score * 100) / 100,
      fatal,
      rules,
      findings,
    };
  }

  private finding(
    c: CompiledScorecard,
    rule: Rule,
    call: Call,
    turns: Normalized[],
    ev: Evidence,
    seed: string,
  ): Finding {
    // Suggestions depend only on the rule, the phrase and who is on the call: cache them.
    const key = `${rule.id}\u0000${ev.phrase ?? ''}\u0000${call.agent?.id ?? ''}\u0000${call.agent?.name ?? ''}\u0000${call.customer?.surname ?? ''}\u0000${call.customer?.title ?? ''}`;
    const suggestion = c.cachedSuggestion(key, () => c.suggestion(rule, call, ev.phrase));
    if (ev.turn === null) {
      return { rule: rule.id, turn: null, start: null, end: null, evidence: ev.note ?? '', seed, suggestion };
    }
    const n = turns[ev.turn];
    const original = call.turns[ev.turn]?.text ?? '';
    let start = 0;
    let end = original.length;
    if (n && ev.start !== undefined && ev.end !== undefined)
      ({ start, end } = n.originalSpan(ev.start, ev.end));
    let evidence = original.slice(start, end);
    if (evidence.length > MAX_EVIDENCE_CHARS) evidence = `${evidence.slice(0, MAX_EVIDENCE_CHARS)}…`;
    if (ev.note && ev.start === undefined) evidence = `${evidence} (${ev.note})`;
    return { rule: rule.id, turn: ev.turn, start, end, evidence, seed, suggestion };
  }
}
