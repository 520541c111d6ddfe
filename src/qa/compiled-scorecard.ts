// One scorecard compiled for one brand's playbook: each rule's conditions become evaluator
// closures (operators.ts, timing-operators.ts) over the phrases of a PhraseTable, and
// `inspect` runs them over a call after one phrase-matching pass per turn.
import type { Call, Direction, Speaker, Turn } from '../calls/model.ts';
import type { Playbook } from '../playbook/load.ts';
import type { SituationDetector } from '../situations/detector.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from '../situations/ids.ts';
import { PhraseMatcher } from '../text/match.ts';
import { type Normalized, normalize } from '../text/normalize.ts';
import { answerLimitMs } from './answer-limit.ts';
import {
  type Ctx,
  type Evaluator,
  fail,
  type Hit,
  NA,
  pass,
  type Result,
  type Settings,
} from './evaluation.ts';
import { grievanceClassifier } from './grievance-classifier.ts';
import { languageClassifier } from './language-classifier.ts';
import { LiteralGate } from './literal-gate.ts';
import {
  type AgentNumberForm,
  agentHungUp,
  agentNumber,
  all,
  allNone,
  any,
  cases,
  classifier,
  count,
  hangupCause,
  lastSpeaker,
  not,
  phrases,
  regex,
  repetition,
  share,
  situation,
  transferred,
  trigger,
} from './operators.ts';
import { PhraseTable } from './phrase-table.ts';
import { evaluationOrder, readsTriggerTurn, ruleRefs, type Scorecard, walkConditions } from './scorecard.ts';
import { type Condition, isNoneWords, type Rule } from './scorecard-schema.ts';
import { Suggestions } from './suggestions.ts';

/** What a line does to a rule's remedy: 'none' when the remedy is not something said. */
export type LineVerdict = 'pass' | 'fail' | 'none';
/** A rule's words judged on the turns of `window` (null: the call's, as the rule scopes them). */
type Remedy = (ctx: Ctx, window: readonly number[] | null) => LineVerdict;

/** The situation detector of a one-line check: a remedy never reads the customer's turns. */
const NO_SITUATIONS: SituationDetector = { detect: () => [] };

import {
  answer,
  endedOnHold,
  hangup,
  holds,
  interruption,
  silence,
  speechRate,
  type TextHoldFinder,
} from './timing-operators.ts';

const gates = new WeakMap<Scorecard, LiteralGate>();

/** The turn of the first piece of evidence on a turn, or null. */
function firstTurn(evidence: readonly { turn: number | null }[]): number | null {
  for (const e of evidence) if (e.turn !== null) return e.turn;
  return null;
}

export class CompiledScorecard {
  private readonly table: PhraseTable;
  private readonly matcher: PhraseMatcher<number>;
  /** Every regex's literals found in one pass per turn (literal-gate.ts), shared by the brands. */
  private readonly gate: LiteralGate;
  /**
   * In evaluation order: each rule's evaluators, its place in the scorecard (where `inspect`
   * gives its result) and whether another rule's `turns.after`/`before` names it (`Ctx.anchors`).
   */
  private readonly rules: { rule: Rule; when?: Evaluator; expect: Evaluator; at: number; anchor: boolean }[];
  private readonly ruleOrder: Rule[];
  /** The brand's 工号 form and who announces it, for the `agentNumber` operator. */
  private readonly agentNumberForm: AgentNumberForm;
  /** Evaluators of conditions compiled on demand (live assist evaluates rules part by part). */
  private readonly evaluators = new WeakMap<Condition, Evaluator>();
  readonly settings: Settings;
  /** Holds seen in the text (the scorecard's `textHolds`), for calls without hold events. */
  private readonly textHoldFinder: TextHoldFinder | undefined;
  /** Every situation a compiled condition reads (the detector need decide no other). */
  private readonly situationsRead = new Set<DetectedSituation>();
  /** The correct script lines for the misses of this brand's calls. */
  readonly suggestions: Suggestions;

  constructor(
    private readonly scorecard: Scorecard,
    private readonly playbook: Playbook,
    base: Playbook | undefined,
  ) {
    const s = playbook.settings;
    this.settings = {
      holdLimitMs: s.holdLimitSeconds * 1000,
      answerLimitMs: answerLimitMs(s, scorecard),
      silentAttempts: s.silentLine.attempts,
      silentPauseMs: s.silentLine.pauseSeconds * 1000,
    };
    const b = playbook.brand;
    this.agentNumberForm = {
      pattern: new RegExp(b.agentNumber.pattern, 'u'),
      announcedBy: b.agentNumber.announcedBy,
      notNumbers: b.hotline ? [b.hotline] : [],
    };
    this.table = new PhraseTable(scorecard, playbook);
    // The regexes are the scorecard's, the same for every brand: one gate, one automaton.
    let gate = gates.get(scorecard);
    if (gate === undefined) {
      gate = new LiteralGate();
      gates.set(scorecard, gate);
    }
    this.gate = gate;
    const th = scorecard.textHolds;
    this.textHoldFinder = th
      ? {
          ask: this.table.ids(th.ask),
          back: this.table.ids(th.back),
          minGapMs: th.minGapMs,
          handover: th.handover ? this.table.ids(th.handover) : [],
        }
      : undefined;
    this.suggestions = new Suggestions(playbook, base, (rule, text, direction) =>
      this.lineCheck(rule, text, direction),
    );
    const byId = new Map(scorecard.rules.map((r) => [r.id, r]));
    this.byId = byId;
    this.ruleOrder = evaluationOrder(scorecard).map((id) => byId.get(id) as Rule);
    const at = new Map(scorecard.rules.map((r, i) => [r.id, i]));
    const named = new Set<string>();
    const collect = (c: Condition) => {
      for (const id of ruleRefs(c)) named.add(id);
    };
    for (const r of scorecard.rules) {
      if (r.when) walkConditions(r.when, [], collect);
      walkConditions(r.expect, [], collect);
    }
    this.rules = this.ruleOrder.map((rule) => ({
      rule,
      ...(rule.when ? { when: this.compile(rule.when) } : {}),
      expect: this.compile(rule.expect),
      at: at.get(rule.id) as number,
      anchor: named.has(rule.id),
    }));
    // Transcripts are speech recognition's: a filler, a stutter or a dropped 的 inside a phrase
    // does not hide it (src/text/match.ts `spoken`).
    this.matcher = new PhraseMatcher(
      this.table.phraseTexts.map((phrase, value) => ({ phrase, value })),
      { spoken: true },
    );
    // Every regex of the scorecard is registered: the gate's automata are built here, not inside
    // the first call (literal-gate.ts `seal`). A later brand registers the same patterns.
    this.gate.seal();
  }

  private compile(c: Condition): Evaluator {
    const t = this.table;
    if ('all' in c) {
      const children = c.all.map((x) => this.compile(x));
      return c.all.every(isNoneWords) ? allNone(children) : all(children);
    }
    if ('any' in c) return any(c.any.map((x) => this.compile(x)));
    if ('not' in c) return not(this.compile(c.not));
    if ('cases' in c)
      return cases(c.cases.map((k) => ({ when: this.compile(k.when), then: this.compile(k.then) })));
    if ('direction' in c) {
      const d = c.direction;
      return (ctx) =>
        ctx.call.direction === d ? pass() : fail([{ turn: null, note: `方向为${ctx.call.direction}` }]);
    }
    if ('channel' in c) {
      const ch = c.channel;
      return (ctx) => {
        const own = ctx.call.channel ?? 'phone';
        return own === ch ? pass() : fail([{ turn: null, note: `渠道为${own}` }]);
      };
    }
    if ('lastSpeaker' in c) return lastSpeaker(c.lastSpeaker);
    if ('hangupCause' in c) return hangupCause(c.hangupCause);
    if ('callEnd' in c)
      return c.callEnd === 'hold'
        ? endedOnHold(this.textHoldFinder)
        : c.callEnd === 'agent-hangup'
          ? agentHungUp()
          : transferred();
    if ('agentNumber' in c) return agentNumber(c.agentNumber, this.agentNumberForm);
    if ('phrases' in c) return phrases(t, c.phrases);
    if ('regex' in c) return regex(c.regex, this.gate);
    if ('classifier' in c) return classifier(c.classifier, languageClassifier());
    if ('trigger' in c)
      return trigger(
        this.compile(c.trigger.when),
        this.compile(c.trigger.then),
        c.trigger.within,
        c.trigger.once,
        c.trigger.opening,
        c.trigger.ifAgentHangsUp === 'fail',
        readsTriggerTurn(c.trigger.then),
        c.trigger.answeredBefore,
        c.trigger.ifUnansweredOn,
      );
    if ('count' in c) return count(t, c.count);
    if ('share' in c) return share(t, c.share);
    if ('silence' in c) return silence(c.silence);
    if ('holds' in c)
      return holds(
        c.holds,
        c.holds.before ? this.compile(c.holds.before) : undefined,
        c.holds.after ? this.compile(c.holds.after) : undefined,
        this.textHoldFinder,
      );
    if ('answer' in c) return answer(c.answer);
    if ('interruption' in c) return interruption(c.interruption);
    if ('speechRate' in c) return speechRate(c.speechRate);
    if ('hangup' in c) return hangup(c.hangup);
    if ('repetition' in c) return repetition(c.repetition);
    if ('situation' in c) {
      for (const id of [...c.situation.any, ...(c.situation.openingUnless ?? [])])
        this.situationsRead.add(id);
      return situation(
        c.situation,
        c.situation.grievance === undefined ? undefined : grievanceClassifier(),
        this.gate,
      );
    }
    throw new Error(`unknown condition ${JSON.stringify(c)}`);
  }

  /**
   * Every rule's result, in the scorecard's order (`scorecardRules`). An array, not a map by id,
   * and anchors kept only for the rules some rule names: two maps of ~30 entries per call were
   * ~1% of `huashu qa` (their stores and their growth).
   */
  inspect(call: Call, turns: Normalized[], detector: SituationDetector): { results: Result[] } {
    const hits: Hit[][] = [];
    const ctx = this.context(call, turns, hits, detector);
    // The agent's turns are matched now; a customer's when a check reads phrases in it (`hitsIn`):
    // the scorecard's phrases are nearly all the agent's, and a third of a call's text is the
    // customer's.
    const pending = new Uint8Array(turns.length);
    for (let t = 0; t < turns.length; t++) {
      if (ctx.speakers[t] === 'agent') this.#scanTurn(turns, hits, t);
      else pending[t] = 1;
    }
    ctx.unscanned = pending;
    ctx.scanLater = this.#scanLater;
    const results: Result[] = [];
    for (let i = 0; i < this.scorecard.rules.length; i++) results.push(NA);
    const channel = call.channel ?? 'phone';
    for (const { rule, when, expect, at, anchor } of this.rules) {
      let r: Result;
      // A rule of other channels (a ring, a hang-up on a chat thread) is not applicable.
      if (rule.channels && !rule.channels.includes(channel)) r = NA;
      else if (when && when(ctx, null).outcome !== 'pass') r = NA;
      else r = expect(ctx, null);
      results[at] = r;
      if (anchor) ctx.anchors.set(rule.id, r.outcome === 'pass' ? firstTurn(r.evidence) : null);
    }
    // The results hold no part of the context: its gate state serves the next call.
    if (ctx.gate !== null) this.gate.release(ctx.gate);
    return { results };
  }

  private readonly remedies = new Map<string, Remedy>();
  private readonly turnWords = new Map<string, Remedy>();
  private readonly byId: ReadonlyMap<string, Rule>;

  /**
   * How an agent turn saying `text`, where the rule looks for it, fares against the part of
   * the rule a line can satisfy: a trigger's check (the reply after the customer's words), a
   * hold's check (the words before or after it), the words of the rest; not applicability
   * (`when`), counts, shares, timings or situations, which no single line changes.
   */
  lineCheck(rule: Rule, text: string, direction: Direction): LineVerdict {
    let remedy = this.remedies.get(rule.id);
    if (!remedy) {
      remedy = this.remedy(rule.expect);
      this.remedies.set(rule.id, remedy);
    }
    const call: Call = { id: 'line', direction, events: [], turns: [{ speaker: 'agent', text }] };
    const turns = [normalize(text)];
    const hits: Hit[][] = [];
    this.scan(turns, hits);
    return remedy(this.context(call, turns, hits, NO_SITUATIONS), null);
  }

  /**
   * Whether agent turn `turn` of the call in `ctx` says what `rule` looks for in a turn (live
   * assist's stages checklist): the rule's word checks — phrases with their exclusions, patterns
   * with the spoken reading, the 工号 — run on that one turn as `inspect` runs them on it, the
   * call's direction and channel as they are; not which turns the rule looks at (`first`,
   * `last`), its applicability (`when`), counts, timings or situations, which are the whole
   * call's. 'none': the rule looks for no words in a turn, or is not for the call's channel.
   */
  turnSays(rule: Rule, ctx: Ctx, turn: number): LineVerdict {
    if (rule.channels && !rule.channels.includes(ctx.call.channel ?? 'phone')) return 'none';
    let words = this.turnWords.get(rule.id);
    if (!words) {
      words = this.remedy(rule.expect, true);
      this.turnWords.set(rule.id, words);
    }
    return words(ctx, [turn]);
  }

  /** The rule of this id, if the scorecard has one. */
  rule(id: string): Rule | undefined {
    return this.byId.get(id);
  }

  /**
   * The part of condition `c` a line can satisfy (see lineCheck). `agentNumber`: the 工号 is
   * one of the words (a turn of a real call; a playbook line has no agent to check it against).
   */
  private remedy(c: Condition, agentNumber = false): Remedy {
    if ('all' in c) {
      const children = c.all.map((x) => this.remedy(x, agentNumber));
      return (ctx, w) => {
        let passed = false;
        for (const child of children) {
          const v = child(ctx, w);
          if (v === 'fail') return 'fail';
          if (v === 'pass') passed = true;
        }
        return passed ? 'pass' : 'none';
      };
    }
    if ('any' in c) {
      const children = c.any.map((x) => this.remedy(x, agentNumber));
      return (ctx, w) => {
        let failed = false;
        for (const child of children) {
          const v = child(ctx, w);
          if (v === 'pass') return 'pass';
          if (v === 'fail') failed = true;
        }
        return failed ? 'fail' : 'none';
      };
    }
    if ('not' in c) {
      const child = this.remedy(c.not, agentNumber);
      return (ctx, w) => {
        const v = child(ctx, w);
        return v === 'none' ? v : v === 'pass' ? 'fail' : 'pass';
      };
    }
    if ('cases' in c) {
      const list = c.cases.map((k) => ({
        when: this.remedy(k.when, agentNumber),
        then: this.remedy(k.then, agentNumber),
      }));
      return (ctx, w) => {
        for (const k of list) if (k.when(ctx, w) === 'pass') return k.then(ctx, w);
        return 'none';
      };
    }
    if ('trigger' in c) return this.remedy(c.trigger.then, agentNumber);
    if ('holds' in c) {
      const part = c.holds.after ?? c.holds.before;
      return part ? this.remedy(part, agentNumber) : () => 'none';
    }
    if (
      'phrases' in c ||
      'regex' in c ||
      'classifier' in c ||
      'direction' in c ||
      'channel' in c ||
      (agentNumber && 'agentNumber' in c)
    ) {
      const ev = this.compile(c);
      return (ctx, w) => {
        const r = ev(ctx, w);
        return r.outcome === 'n/a' ? 'none' : r.outcome;
      };
    }
    return () => 'none';
  }

  /** How many situations the compiled conditions read so far (a condition compiled later may add one). */
  get situationCount(): number {
    return this.situationsRead.size;
  }

  /** The situations the scorecard's rules read, in DETECTED_SITUATION_IDS order. */
  get situations(): readonly DetectedSituation[] {
    return DETECTED_SITUATION_IDS.filter((id) => this.situationsRead.has(id));
  }

  get scorecardRules(): readonly Rule[] {
    return this.scorecard.rules;
  }

  /** Every phrase the compiled rules look for, normalized (for benchmarks and tooling). */
  get phraseList(): readonly string[] {
    return this.table.phraseTexts;
  }

  get playbookBrand(): string {
    return this.playbook.brand.id;
  }

  // Live assist (src/live/alerts.ts) checks a call as it grows: each turn matched once, the
  // context built for the turns so far, the rules evaluated part by part. `inspect` above
  // does the same for a whole call in one go.

  /** Finds every phrase of turns[from…] and adds the hits to `hits` (indexed by phrase id). */
  scan(turns: readonly Normalized[], hits: Hit[][], from = 0): void {
    for (let turn = from; turn < turns.length; turn++) this.#scanTurn(turns, hits, turn);
  }

  /** The hits lists and the turn `#visitHit` adds to (one visitor for every scan: no closure per call). */
  #hits: Hit[][] = [];
  #turn = 0;
  readonly #visitHit = (phrase: number, start: number, end: number): void => {
    const hit = { turn: this.#turn, start, end, phrase };
    const list = this.#hits[phrase];
    // A phrase's first hit as a literal of one: an array grown by push keeps room for 16 more,
    // and live assist keeps these lists for every call (src/live/alerts.ts).
    if (list) list.push(hit);
    else this.#hits[phrase] = [hit];
  };

  /** Finds every phrase of turn `turn` and adds the hits to `hits`. */
  #scanTurn(turns: readonly Normalized[], hits: Hit[][], turn: number): void {
    this.#hits = hits;
    this.#turn = turn;
    this.matcher.scan(turns[turn]?.text ?? '', this.#visitHit);
    this.#hits = [];
  }

  /** `Ctx.scanLater`: a turn `inspect` left unmatched, matched when a check reads it. */
  readonly #scanLater = (ctx: Ctx, turn: number): void => this.#scanTurn(ctx.turns, ctx.hits, turn);

  /**
   * What the evaluators read for a call whose turns are normalized and scanned into `hits`
   * (hits of turns past the call's are ignored).
   */
  context(
    call: Call,
    turns: Normalized[],
    hits: Hit[][],
    detector: SituationDetector,
    situations: Ctx['situations'] = [],
  ): Ctx {
    // Plain loops and pushes: arrays of one elements kind in every call (a `map`'s result and an
    // inlined `forEach` over it deoptimized the inspection on a kind not seen before).
    const speakers: Speaker[] = [];
    const byRole: Ctx['byRole'] = { agent: [], customer: [], any: [] };
    for (let i = 0; i < call.turns.length; i++) {
      const s = (call.turns[i] as Turn).speaker;
      speakers.push(s);
      byRole[s].push(i);
      byRole.any.push(i);
    }
    return {
      call,
      turns,
      speakers,
      byRole,
      timed: call.turns.length > 0 && call.turns.every((t) => t.start !== undefined && t.end !== undefined),
      hits,
      settings: this.settings,
      anchors: new Map(),
      memo: [],
      marks: new Int32Array(turns.length),
      stamp: 0,
      gate: null,
      detector,
      situations,
      // Present from the start, though made on first use: a context then has one shape, and
      // the evaluators' reads of it stay monomorphic.
      readings: undefined,
      readingTurns: undefined,
      quoted: undefined,
      languageFlags: undefined,
      unscanned: null,
      scanLater: null,
    };
  }

  /** The rules in the order `inspect` evaluates them (a rule after those it refers to). */
  get orderedRules(): readonly Rule[] {
    return this.ruleOrder;
  }

  /** The scorecard's named condition (its `conditions`), if it names one so. */
  condition(name: string): Condition | undefined {
    const named = this.scorecard.conditions ?? {};
    return Object.hasOwn(named, name) ? named[name] : undefined;
  }

  /** The evaluator of any condition of a rule's tree, compiled once. */
  evaluator(c: Condition): Evaluator {
    let e = this.evaluators.get(c);
    if (!e) {
      e = this.compile(c);
      this.evaluators.set(c, e);
    }
    return e;
  }
}
