// The review module's pure core (人工复核 / 申诉 / 校准): which calls a sampling plan picks (a
// seeded RNG, reproducible), whom each goes to, a review's score from the scorecard with the
// inspector's corrections, the appeal window, and agreement statistics (percent agreement,
// Cohen's and Fleiss' kappa). No I/O and no clock: every instant is passed in.
import { seededRandom } from '../shared/random.ts';

// ---- sampling ----

export const ASSIGN_STRATEGIES = ['round-robin', 'least-loaded'] as const;
export type AssignStrategy = (typeof ASSIGN_STRATEGIES)[number];
export const SAMPLE_MODES = ['percent', 'count'] as const;
export type SampleMode = (typeof SAMPLE_MODES)[number];
export const SAMPLE_REASONS = ['fatal', 'complaint', 'random', 'calibration'] as const;
export type SampleReason = (typeof SAMPLE_REASONS)[number];

/** A brand's sampling plan (抽检方案) and its review settings. */
export interface SamplingPlan {
  brand: string;
  /** Every call with a fatal (一票否决) finding is reviewed. */
  allFatal: boolean;
  /** Every call a complaint ticket was opened from is reviewed. */
  allComplaints: boolean;
  /** Plus, per agent per week: `percent` of their other calls, or `count` of them, at random. */
  mode: SampleMode;
  amount: number;
  /** Seed of the random draw: the same plan, week and calls always pick the same calls. */
  seed: number;
  /** Days an inspector has to review an assignment. */
  dueDays: number;
  /** Days after the review an agent may appeal a finding. */
  appealWindowDays: number;
  assign: AssignStrategy;
}

export function defaultPlan(brand: string): SamplingPlan {
  return {
    brand,
    allFatal: true,
    allComplaints: true,
    mode: 'percent',
    amount: 5,
    seed: 1,
    dueDays: 3,
    appealWindowDays: 7,
    assign: 'least-loaded',
  };
}

/** A call a plan may pick, as the calls module gives it. */
export interface SampleCandidate {
  id: string;
  agentId: string | null;
  fatal: boolean;
  complaint: boolean;
}

export interface Picked {
  callId: string;
  reason: SampleReason;
}

/** FNV-1a of a text, to mix the week and the agent into the plan's seed. */
export function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The calls the plan picks from one week's calls: every fatal and complaint call (when the plan
 * says so), then per agent a random share or number of the rest. The draw depends only on the
 * plan's seed, the week, the agent and the ids (sorted first), so a second run picks the same.
 */
export function sample(plan: SamplingPlan, week: string, calls: readonly SampleCandidate[]): Picked[] {
  const picked: Picked[] = [];
  const rest = new Map<string, string[]>();
  for (const c of [...calls].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (plan.allFatal && c.fatal) picked.push({ callId: c.id, reason: 'fatal' });
    else if (plan.allComplaints && c.complaint) picked.push({ callId: c.id, reason: 'complaint' });
    else {
      const agent = c.agentId ?? '';
      const list = rest.get(agent) ?? [];
      list.push(c.id);
      rest.set(agent, list);
    }
  }
  for (const agent of [...rest.keys()].sort()) {
    const ids = rest.get(agent) ?? [];
    const n =
      plan.mode === 'count'
        ? Math.min(ids.length, Math.floor(plan.amount))
        : Math.min(ids.length, Math.ceil((ids.length * plan.amount) / 100));
    const rnd = seededRandom(plan.seed ^ hashText(`${week}|${agent}`));
    // Fisher–Yates on a copy; the first n are the draw.
    const pool = [...ids];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
    }
    for (const id of pool.slice(0, n)) picked.push({ callId: id, reason: 'random' });
  }
  return picked;
}

/**
 * Whom each picked call goes to. `least-loaded`: the inspector with the fewest open
 * assignments (their current load counted), ties in the order given; `round-robin`: in turn,
 * starting after `lastIndex`. Inspectors are user ids; none: no assignment can be made.
 */
export function assignInspectors(
  callIds: readonly string[],
  inspectors: readonly string[],
  strategy: AssignStrategy,
  load: ReadonlyMap<string, number>,
): Map<string, string> {
  const out = new Map<string, string>();
  if (inspectors.length === 0) return out;
  const counts = new Map(inspectors.map((i) => [i, load.get(i) ?? 0]));
  let turn = 0;
  for (const id of callIds) {
    let who: string;
    if (strategy === 'round-robin') {
      who = inspectors[turn % inspectors.length] as string;
      turn++;
    } else {
      who = inspectors.reduce((best, i) => ((counts.get(i) ?? 0) < (counts.get(best) ?? 0) ? i : best));
    }
    counts.set(who, (counts.get(who) ?? 0) + 1);
    out.set(id, who);
  }
  return out;
}

/** Monday 00:00 UTC of the week holding the instant, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

// ---- a review's score ----

/** A scorecard rule as a review scores it. */
export interface ScoredRule {
  id: string;
  title: string;
  points: number;
  fatal: boolean;
  deduct?: { perOccurrence: number; cap: number } | undefined;
}

export interface ScorecardTerms {
  total: number;
  rules: readonly ScoredRule[];
}

/** The machine's finding as a review shows it (index: its place in the call's findings). */
export interface MachineFinding {
  index: number;
  rule: string;
  turn: number | null;
  evidence: string;
}

/** A finding the machine missed, added by the inspector. */
export interface MissedFinding {
  rule: string;
  /** 0-based turn of the evidence; null for the whole call. */
  turn: number | null;
  note: string;
}

export type Verdict = 'correct' | 'wrong';

export interface RuleOutcome {
  rule: string;
  machine: 'fail' | 'pass';
  human: 'fail' | 'pass';
  deducted: number;
}

export interface ReviewScore {
  score: number;
  fatal: boolean;
  rules: RuleOutcome[];
}

/**
 * The score the reviewed findings give: a rule fails when a machine finding of it was confirmed
 * or the inspector added one; it deducts as the engine does (points, or per occurrence up to
 * the cap, each confirmed or added finding an occurrence); a fatal rule's failure zeroes it.
 */
export function reviewScore(
  terms: ScorecardTerms,
  findings: readonly MachineFinding[],
  verdicts: ReadonlyMap<number, Verdict>,
  missed: readonly MissedFinding[],
): ReviewScore {
  const machineFails = new Set(findings.map((f) => f.rule));
  const confirmed = new Map<string, number>();
  for (const f of findings)
    if (verdicts.get(f.index) !== 'wrong') confirmed.set(f.rule, (confirmed.get(f.rule) ?? 0) + 1);
  for (const m of missed) confirmed.set(m.rule, (confirmed.get(m.rule) ?? 0) + 1);
  let deducted = 0;
  let fatal = false;
  const rules: RuleOutcome[] = [];
  for (const r of terms.rules) {
    const n = confirmed.get(r.id) ?? 0;
    const d = n === 0 ? 0 : r.deduct ? Math.min(r.deduct.cap, r.deduct.perOccurrence * n) : r.points;
    if (n > 0 && r.fatal) fatal = true;
    deducted += d;
    rules.push({
      rule: r.id,
      machine: machineFails.has(r.id) ? 'fail' : 'pass',
      human: n > 0 ? 'fail' : 'pass',
      deducted: d,
    });
  }
  const score = fatal ? 0 : Math.max(0, terms.total - deducted);
  return { score: Math.round(score * 100) / 100, fatal, rules };
}

// ---- appeals ----

export const APPEAL_STATUSES = ['open', 'upheld', 'overturned'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];
export const JUDGEMENTS = ['uphold', 'overturn'] as const;
export type Judgement = (typeof JUDGEMENTS)[number];

/** The last instant an appeal may be filed: the review's completion plus the window. */
export function appealDeadline(reviewedAt: Date, windowDays: number): Date {
  return addDays(reviewedAt, windowDays);
}

// ---- agreement ----

/** Share of pairs of raters that agree, averaged over the items (each item: one label per rater). */
export function percentAgreement(items: readonly (readonly string[])[]): number | null {
  let agree = 0;
  let pairs = 0;
  for (const labels of items) {
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++) {
        pairs++;
        if (labels[i] === labels[j]) agree++;
      }
  }
  return pairs === 0 ? null : agree / pairs;
}

/**
 * Cohen's kappa of two raters over the same items: (po − pe) / (1 − pe). Null when chance
 * agreement is total (both raters gave one and the same label throughout: nothing to measure).
 */
export function cohensKappa(a: readonly string[], b: readonly string[]): number | null {
  const n = Math.min(a.length, b.length);
  if (n === 0) return null;
  let po = 0;
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) po++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  po /= n;
  let pe = 0;
  for (const [label, k] of ca) pe += (k / n) * ((cb.get(label) ?? 0) / n);
  if (pe >= 1) return null;
  return (po - pe) / (1 - pe);
}

/** Mean of Cohen's kappa over every pair of raters (raters: columns of `items`); null when none is defined. */
export function meanPairwiseKappa(items: readonly (readonly string[])[]): number | null {
  const raters = items[0]?.length ?? 0;
  const ks: number[] = [];
  for (let i = 0; i < raters; i++)
    for (let j = i + 1; j < raters; j++) {
      const k = cohensKappa(
        items.map((r) => r[i] as string),
        items.map((r) => r[j] as string),
      );
      if (k !== null) ks.push(k);
    }
  return ks.length === 0 ? null : ks.reduce((s, k) => s + k, 0) / ks.length;
}

/** Fleiss' kappa: every item rated by the same number (≥ 2) of raters; null when undefined. */
export function fleissKappa(items: readonly (readonly string[])[]): number | null {
  const N = items.length;
  const n = items[0]?.length ?? 0;
  if (N === 0 || n < 2 || items.some((r) => r.length !== n)) return null;
  const totals = new Map<string, number>();
  let sumPi = 0;
  for (const labels of items) {
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    let s = 0;
    for (const [l, c] of counts) {
      s += c * (c - 1);
      totals.set(l, (totals.get(l) ?? 0) + c);
    }
    sumPi += s / (n * (n - 1));
  }
  const pBar = sumPi / N;
  let pe = 0;
  for (const c of totals.values()) pe += (c / (N * n)) ** 2;
  if (pe >= 1) return null;
  return (pBar - pe) / (1 - pe);
}

export interface RuleAgreement {
  rule: string;
  /** Calls rated (each by every inspector of the session). */
  calls: number;
  /** Calls at least one inspector failed the rule on. */
  failedBySomeone: number;
  percentAgreement: number | null;
  /** Cohen's kappa: of the two inspectors, or the mean over every pair. */
  kappa: number | null;
  fleissKappa: number | null;
  /** How often the machine agreed with the inspectors (each inspector's label against the machine's). */
  machineAgreement: number | null;
}

/**
 * Agreement per rule of a calibration session: `ratings[call][inspector]` is each inspector's
 * outcome per rule; `machine[call]` the machine's. Only calls every inspector reviewed count.
 */
export function calibrationAgreement(
  rules: readonly string[],
  calls: readonly {
    machine: ReadonlyMap<string, 'fail' | 'pass'>;
    humans: readonly ReadonlyMap<string, 'fail' | 'pass'>[];
  }[],
): RuleAgreement[] {
  return rules.map((rule) => {
    const items = calls.map((c) => c.humans.map((h) => h.get(rule) ?? 'pass'));
    let machineAgree = 0;
    let machinePairs = 0;
    for (const c of calls) {
      const m = c.machine.get(rule) ?? 'pass';
      for (const h of c.humans) {
        machinePairs++;
        if ((h.get(rule) ?? 'pass') === m) machineAgree++;
      }
    }
    return {
      rule,
      calls: items.length,
      failedBySomeone: items.filter((r) => r.includes('fail')).length,
      percentAgreement: percentAgreement(items),
      kappa: meanPairwiseKappa(items),
      fleissKappa: fleissKappa(items),
      machineAgreement: machinePairs === 0 ? null : machineAgree / machinePairs,
    };
  });
}

export interface PrecisionRow {
  rule: string;
  week: string;
  /** Machine findings the inspectors confirmed (a calibrated call's split among its inspectors: 0.5). */
  confirmed: number;
  /** Machine findings the inspectors marked wrong. */
  wrong: number;
  /** Findings the machine missed (added by inspectors). */
  missed: number;
  /** confirmed / (confirmed + wrong); null without a reviewed finding. */
  precision: number | null;
}

export interface ReviewedCall {
  /** The call reviewed: a call counts once, however many reviews it had. */
  callId?: string;
  /** A calibration copy (校准): one of several inspectors' reviews of the same call. */
  calibration?: boolean;
  /** The calibration session of a copy: a gold call reused in another session counts again there. */
  sessionId?: string | null;
  reviewedAt: Date;
  findings: readonly MachineFinding[];
  verdicts: ReadonlyMap<number, Verdict>;
  missed: readonly MissedFinding[];
}

/**
 * The machine's measured precision per rule and week, from completed reviews. Each call counts
 * once: its sampled review when it has one (the review of record), else its calibration copies
 * together, per session, each weighing 1/n of the call (two inspectors split on a finding: ½
 * confirmed, ½ wrong), so a call calibrated by three inspectors is not three calls.
 */
export function machinePrecision(reviews: readonly ReviewedCall[]): PrecisionRow[] {
  const rows = new Map<string, PrecisionRow>();
  const row = (rule: string, week: string) => {
    const key = `${rule}|${week}`;
    let r = rows.get(key);
    if (!r) {
      r = { rule, week, confirmed: 0, wrong: 0, missed: 0, precision: null };
      rows.set(key, r);
    }
    return r;
  };
  const byCall = new Map<string, ReviewedCall[]>();
  for (const [i, rv] of reviews.entries()) {
    const key = rv.callId ?? `\u0000${i}`;
    const group = byCall.get(key);
    if (group) group.push(rv);
    else byCall.set(key, [rv]);
  }
  const count = (counted: readonly ReviewedCall[], weight: number, week: (rv: ReviewedCall) => string) => {
    for (const rv of counted) {
      const w = week(rv);
      for (const f of rv.findings) {
        const r = row(f.rule, w);
        if (rv.verdicts.get(f.index) === 'wrong') r.wrong += weight;
        else r.confirmed += weight;
      }
      for (const m of rv.missed) row(m.rule, w).missed += weight;
    }
  };
  for (const group of byCall.values()) {
    const sampled = group.filter((rv) => !rv.calibration);
    if (sampled.length > 0) {
      count(sampled, 1, (rv) => weekOf(rv.reviewedAt));
      continue;
    }
    // A gold call reused in several sessions is judged afresh in each: one call per session,
    // its copies weighing 1/n of that session's completed copies.
    const bySession = new Map<string, ReviewedCall[]>();
    for (const rv of group) {
      const key = rv.sessionId ?? '';
      const copies = bySession.get(key);
      if (copies) copies.push(rv);
      else bySession.set(key, [rv]);
    }
    for (const copies of bySession.values()) {
      // The calibration copies of a session fall in the week the last of them was done.
      let last = (copies[0] as ReviewedCall).reviewedAt;
      for (const rv of copies) if (rv.reviewedAt > last) last = rv.reviewedAt;
      const week = weekOf(last);
      count(copies, 1 / copies.length, () => week);
    }
  }
  // Precision from the exact sums; only the counts shown are rounded (thirds read as 0.33).
  return [...rows.values()]
    .map((r) => ({
      ...r,
      confirmed: round2(r.confirmed),
      wrong: round2(r.wrong),
      missed: round2(r.missed),
      precision: r.confirmed + r.wrong === 0 ? null : r.confirmed / (r.confirmed + r.wrong),
    }))
    .sort((a, b) => (a.rule === b.rule ? a.week.localeCompare(b.week) : a.rule.localeCompare(b.rule)));
}

/** Two decimals: a calibrated call's thirds add up to what a person would read. */
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
