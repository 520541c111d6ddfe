// The rule engine: a scorecard compiled, once per brand, into evaluator closures over a call.
// Pure: no I/O, no clock. Every phrase of every rule is found in one Aho–Corasick pass per
// turn; rules then read those hits. A rule whose data is absent (no timings, no events, no
// turn of the role) is not applicable, never a silent pass. This file holds the Inspector (the
// front door: brand, score, findings); compiled-scorecard.ts compiles, operators.ts and
// timing-operators.ts evaluate, phrase-table.ts keeps the phrases, suggestions.ts the fixes.
import type { Call, Turn } from '../calls/model.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { createSituationDetector } from '../situations/detect.ts';
import type { SituationDetector } from '../situations/detector.ts';
import { type Normalized, normalize } from '../text/normalize.ts';
import { CompiledScorecard } from './compiled-scorecard.ts';
import { type Evidence, NA, type Result } from './evaluation.ts';
import type { CallResult, Finding, RuleResult } from './result.ts';
import type { Scorecard } from './scorecard.ts';
import type { Rule } from './scorecard-schema.ts';

export type { Evidence, Result } from './evaluation.ts';

/** Raised for a call the engine cannot inspect (an unknown brand). */
export class InspectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InspectionError';
  }
}

const NOTHING_TO_INSPECT: { results: readonly never[] } = { results: [] };

/** Whether some agent turn has words (whitespace alone is none). */
function agentSpoke(call: Call): boolean {
  for (const t of call.turns) if (t.speaker === 'agent' && t.text.trim() !== '') return true;
  return false;
}

/** The caller said something and the agent hung up first (the transcript arrived). */
function agentHungUpOnCaller(call: Call): boolean {
  const hangup = call.events.find((e) => e.type === 'hangup');
  return hangup?.by === 'agent' && call.turns.some((t) => t.speaker === 'customer' && t.text.trim() !== '');
}

/** A rule that judges only who hung up first (`expect: { hangup: … }`). */
function isHangupOrderRule(rule: Rule): boolean {
  return 'hangup' in rule.expect;
}

/** Answered: an answer event or any words (the calls' rule, `../calls`). */
function answered(call: Call): boolean {
  return call.turns.length > 0 || call.events.some((e) => e.type === 'answer');
}

/** Findings kept per failed rule (the first ones, in the order the rule found them). */
export const MAX_FINDINGS_PER_RULE = 20;
const MAX_EVIDENCE_CHARS = 80;

export interface InspectorOptions {
  /** Brand for calls that name none (default: "generic"). */
  defaultBrand?: string;
  /** Use this brand for every call, whatever it names. */
  forceBrand?: string;
  /**
   * What the `situation` operator reads the customer's turns with: the detector live assist
   * uses (default: the shipped one), so a complaint is recognised alike during and after a call.
   */
  detector?: SituationDetector;
}

/**
 * What a failed rule deducts: its points, or with `deduct` each occurrence's points up to the
 * cap (one 你 costs less than seven). Not applicable rules never deduct.
 */
export function deduction(rule: Rule, occurrences: number): number {
  if (!rule.deduct) return rule.points;
  return Math.min(rule.deduct.cap, rule.deduct.perOccurrence * occurrences);
}

/** The evidence of a failed rule that gave none: one whole-call finding. */
const NO_EVIDENCE: readonly Evidence[] = [{ turn: null }];

/** The part of a suggestion's cache key that is the call's: its direction, channel and people. */
function suggestionCallKey(call: Call): string {
  return `${call.direction}\u0000${call.channel ?? 'phone'}\u0000${call.agent?.id ?? ''}\u0000${call.agent?.name ?? ''}\u0000${call.customer?.surname ?? ''}\u0000${call.customer?.title ?? ''}`;
}

/** Inspects calls against a scorecard with the playbook of each call's brand. */
export class Inspector {
  private readonly compiled = new Map<string, CompiledScorecard>();
  private catalogRevision: number;
  readonly detector: SituationDetector;
  /** The detector narrowed to the situations a compiled scorecard reads, by their list. */
  private readonly focused = new Map<string, SituationDetector>();
  /** Each rule's sources as its findings name them (the same string for every call). */
  private readonly seeds = new WeakMap<Rule, string>();
  /** The detector `detectorFor` gave each compiled scorecard, and how many situations it then read. */
  private readonly focusOf = new Map<CompiledScorecard, { count: number; detector: SituationDetector }>();

  constructor(
    readonly scorecard: Scorecard,
    private readonly catalog: Catalog,
    private readonly options: InspectorOptions = {},
  ) {
    this.catalogRevision = catalog.revision;
    this.detector = options.detector ?? createSituationDetector();
    // Made now, not when a rule first fails: that first failure, calls into a run, deoptimized
    // the inspection that had inlined the making (`sources` read for the first time).
    for (const rule of scorecard.rules) this.seedOf(rule);
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
      this.focusOf.clear();
      this.catalogRevision = this.catalog.revision;
    }
    let c = this.compiled.get(brand);
    if (!c) {
      const pb = this.catalog.find(brand);
      if (!pb)
        throw new InspectionError(
          `unknown brand '${brand}'; known brands: ${this.catalog.brandIds.join(', ')}`,
        );
      // One compiled scorecard per brand, whichever name (全家樂, 全家乐, quanjiale) the call gives.
      c = this.compiled.get(pb.brand.id);
      if (!c) {
        const base = pb.extends ? this.catalog.find(pb.extends) : undefined;
        c = new CompiledScorecard(this.scorecard, pb, base);
        this.compiled.set(pb.brand.id, c);
      }
      this.compiled.set(brand, c);
    }
    return c;
  }

  /**
   * The detector deciding only the situations the scorecard reads: the same answers for
   * them, at a fraction of the cost (the whole detector when it cannot be narrowed).
   */
  private detectorFor(c: CompiledScorecard): SituationDetector {
    // The same scorecard reads the same situations call after call: no list and key per call.
    const known = this.focusOf.get(c);
    if (known !== undefined && known.count === c.situationCount) return known.detector;
    const ids = c.situations;
    const key = ids.join(',');
    let d = this.focused.get(key);
    if (!d) {
      d = this.detector.focus?.(ids) ?? this.detector;
      this.focused.set(key, d);
    }
    this.focusOf.set(c, { count: c.situationCount, detector: d });
    return d;
  }

  /** The normalized phrases the scorecard looks for in calls of a brand. */
  phrases(brand: string): readonly string[] {
    return this.forBrand(brand).phraseList;
  }

  /** Compiles the scorecard for every brand now, so that a bad reference shows at start-up. */
  warmUp(): void {
    for (const id of this.catalog.brandIds) this.forBrand(id);
  }

  /**
   * Compiles the scorecard for one brand now (the forced or default one, if the catalog has
   * it): a scorecard that cannot be compiled shows before the first call. Every brand compiles
   * the same rules and conditions, only with its playbook's phrases (checked when the catalog
   * loaded), so the other brands are compiled on first use: a start pays for one brand, not
   * four (a Traditional brand name would also build the Traditional→Simplified tries).
   */
  prepare(): void {
    const wanted = this.options.forceBrand ?? this.options.defaultBrand ?? 'generic';
    const brand = this.catalog.find(wanted) ? wanted : this.catalog.brandIds[0];
    if (brand !== undefined) this.forBrand(brand);
  }

  inspect(call: Call): CallResult {
    const brand = this.options.forceBrand ?? call.brand ?? this.options.defaultBrand ?? 'generic';
    const compiled = this.forBrand(brand);
    // Pushed, not `map`ped: `map`'s result is now packed, now holey (its slow path), and each
    // kind not seen before deoptimized the inspection that reads it (`turns` and `results`).
    const turns: Normalized[] = [];
    for (let i = 0; i < call.turns.length; i++) turns.push(normalize((call.turns[i] as Turn).text));
    // An answered call where the agent said nothing (a dead line, a lost recording) has nothing
    // to inspect, like an unanswered one: every rule n/a, no score (`isScored`), not a 100
    // from the timing rules alone.
    // A missed call (no answer, no words) is left to the scorecard: a rule may be about it.
    // But an agent who answers a caller who spoke and hangs up on them without a word is judged
    // on who hung up (closing.customer-first fails): otherwise dropping callers would leave the
    // call unscored, and sampling skips unscored calls. Every other rule stays n/a.
    let results: readonly Result[];
    if (agentSpoke(call) || !answered(call))
      results = compiled.inspect(call, turns, this.detectorFor(compiled)).results;
    else if (agentHungUpOnCaller(call)) {
      const all = compiled.inspect(call, turns, this.detectorFor(compiled)).results;
      results = compiled.scorecardRules.map((rule, i) => (isHangupOrderRule(rule) ? (all[i] ?? NA) : NA));
    } else results = NOTHING_TO_INSPECT.results;
    const rules: RuleResult[] = [];
    const findings: Finding[] = [];
    let deducted = 0;
    let fatal = false;
    let callKey: string | undefined;
    const scRules = compiled.scorecardRules;
    for (let i = 0; i < scRules.length; i++) {
      const rule = scRules[i] as Rule;
      const r = results[i] ?? NA;
      const failed = r.outcome === 'fail';
      if (!failed) {
        rules.push({ id: rule.id, outcome: r.outcome, points: 0 });
        continue;
      }
      // Each piece of evidence on a turn is an occurrence; a whole-call note alone is one.
      let onTurns = 0;
      for (const e of r.evidence) if (e.turn !== null) onTurns++;
      const occurrences = onTurns > 0 ? onTurns : Math.max(1, r.evidence.length);
      const points = deduction(rule, occurrences);
      rules.push({ id: rule.id, outcome: r.outcome, points: -points, occurrences });
      deducted += points;
      if (rule.fatal) fatal = true;
      const seed = this.seedOf(rule);
      // What the suggestion depends on besides the rule and the phrase: the same for the call.
      callKey ??= suggestionCallKey(call);
      const evidence = r.evidence.length ? r.evidence : NO_EVIDENCE;
      const n = Math.min(evidence.length, MAX_FINDINGS_PER_RULE);
      for (let i = 0; i < n; i++) {
        findings.push(this.finding(compiled, rule, call, turns, evidence[i] as Evidence, seed, callKey));
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

  private seedOf(rule: Rule): string {
    let seed = this.seeds.get(rule);
    if (seed === undefined) {
      seed = rule.sources.map((s) => `${s.seed} ${s.section}`).join('; ');
      this.seeds.set(rule, seed);
    }
    return seed;
  }

  /** The scorecard compiled for the brand a call is inspected with (live assist reads it part by part). */
  compiledFor(call: Call): CompiledScorecard {
    return this.forBrand(this.options.forceBrand ?? call.brand ?? this.options.defaultBrand ?? 'generic');
  }

  /** The finding of one piece of a failed rule's evidence (live assist alerts with the same). */
  finding(
    c: CompiledScorecard,
    rule: Rule,
    call: Call,
    turns: readonly Normalized[],
    ev: Evidence,
    seed: string,
    callKey: string = suggestionCallKey(call),
  ): Finding {
    // Suggestions depend only on the rule, the phrase, the channel and who is on the call: cache them.
    const key = `${rule.id}\u0000${ev.phrase ?? ''}\u0000${callKey}`;
    const suggestion = c.suggestions.cachedSuggestion(key, () =>
      c.suggestions.suggestion(rule, call, ev.phrase),
    );
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
