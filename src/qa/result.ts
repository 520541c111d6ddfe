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
