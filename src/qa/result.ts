// What inspecting a call produces.

export type Outcome = 'pass' | 'fail' | 'n/a';

export interface RuleResult {
  id: string;
  outcome: Outcome;
  /** Points deducted: negative when the rule failed, 0 otherwise (n/a never deducts). */
  points: number;
  /**
   * A failed rule: how many occurrences it found (each 你, each interruption); with the rule's
   * `deduct`, each costs its points up to the cap.
   */
  occurrences?: number;
}

export interface Finding {
  rule: string;
  /** 0-based turn index; null for a finding about the whole call (answer speed, hang-up). */
  turn: number | null;
  /** Offsets in that turn's original text; null with turn null. */
  start: number | null;
  end: number | null;
  /** The words that made the rule fire, or a description for whole-call findings. */
  evidence: string;
  /** The standard it comes from: "seed section". */
  seed: string;
  /**
   * The correct script line from the brand's playbook (else `generic`), one that passes the
   * rule; for a rule whose remedy is not a line (timing), what to do instead. Never null.
   */
  suggestion: string;
}

export interface CallResult {
  id: string;
  brand: string;
  agent: { id?: string; name?: string } | null;
  score: number;
  /** True when a fatal (一票否决) rule failed. */
  fatal: boolean;
  rules: RuleResult[];
  findings: Finding[];
}

/**
 * Whether a call has a score: some rule applied to it. On a call where every rule is n/a (an
 * unanswered call, no words yet) `score` is the scorecard's total only because nothing was
 * deducted; that 100 would flatter the agent, so averages, rankings and the readable output
 * leave such a call out (`huashu qa --json` and the stored result keep the number as it is).
 */
export function isScored(r: { rules: readonly Pick<RuleResult, 'outcome'>[] }): boolean {
  return r.rules.some((x) => x.outcome !== 'n/a');
}

/**
 * The JSON text of a result as `Inspector.inspect` makes it (its fields in that order, no
 * undefined field but a passed rule's `occurrences`): what `JSON.stringify(r)` gives, for
 * `huashu qa --json`. A call's 31 rule results are nearly all the same few texts call after
 * call, and its findings' rule, seed and suggestion too: those are escaped once, not per call.
 */
export function callResultJson(r: CallResult): string {
  let out = `{"id":${JSON.stringify(r.id)},"brand":${escaped(r.brand)},"agent":${JSON.stringify(r.agent)},"score":${number(r.score)},"fatal":${r.fatal},"rules":[`;
  const rules = r.rules;
  for (let i = 0; i < rules.length; i++) {
    const x = rules[i] as RuleResult;
    if (i > 0) out += ',';
    if (x.occurrences === undefined && x.points === 0 && x.outcome !== 'fail')
      out += unscored(x.id, x.outcome);
    else out += JSON.stringify(x);
  }
  out += '],"findings":[';
  const findings = r.findings;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    if (i > 0) out += ',';
    out += `{"rule":${escaped(f.rule)},"turn":${orNull(f.turn)},"start":${orNull(f.start)},"end":${orNull(f.end)},"evidence":${JSON.stringify(f.evidence)},"seed":${escaped(f.seed)},"suggestion":${escaped(f.suggestion)}}`;
  }
  return `${out}]}`;
}

/** Texts that recur from call to call (brands, rule ids, seeds, suggestions), escaped once. */
const escapes = new Map<string, string>();
function escaped(s: string): string {
  let e = escapes.get(s);
  if (e === undefined) {
    // Bounded: a server inspecting with many scorecards over months starts again.
    if (escapes.size >= 20_000) escapes.clear();
    e = JSON.stringify(s);
    escapes.set(s, e);
  }
  return e;
}

/** A passed or not applicable rule's text, per rule id and outcome. */
const unscoredTexts = new Map<string, string>();
function unscored(id: string, outcome: Outcome): string {
  const key = outcome === 'pass' ? id : `${id}\u0000${outcome}`;
  let t = unscoredTexts.get(key);
  if (t === undefined) {
    if (unscoredTexts.size >= 20_000) unscoredTexts.clear();
    t = JSON.stringify({ id, outcome, points: 0 });
    unscoredTexts.set(key, t);
  }
  return t;
}

/** A number as JSON writes it (null when not finite). */
function number(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

function orNull(n: number | null): string {
  return n === null ? 'null' : number(n);
}
