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
