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
 * `huashu qa --json`. The text of `writeCallResultLine`'s bytes, without the line end.
 */
export function callResultJson(r: CallResult): string {
  for (;;) {
    const end = writeCallResultLine(r, scratch, 0);
    if (end >= 0) return scratch.toString('utf8', 0, end - 1);
    scratch = Buffer.allocUnsafe(2 * scratch.length);
  }
}
let scratch = Buffer.allocUnsafe(1 << 14);

/**
 * `callResultJson(r)` and a line end, as UTF-8 bytes written into `into` from `at`: the end of
 * what was written, or -1 when it does not fit (then nothing past `at` is to be kept). A call's
 * 31 rule results are nearly all the same few texts call after call, and its findings' rule,
 * seed and suggestion too: those are escaped and encoded once and copied, so that neither the
 * line's text nor its encoding is made per call.
 */
export function writeCallResultLine(r: CallResult, into: Buffer, at: number): number {
  o = into;
  p = at;
  cap = into.length;
  putText(`{"id":${JSON.stringify(r.id)},"brand":`);
  put(escaped(r.brand));
  putText(`,"agent":${JSON.stringify(r.agent)},"score":`);
  putNumber(r.score);
  put(r.fatal ? FATAL_RULES : NOT_FATAL_RULES);
  const rules = r.rules;
  for (let i = 0; i < rules.length; i++) {
    const x = rules[i] as RuleResult;
    if (i > 0) put(COMMA);
    if (x.occurrences === undefined && x.points === 0 && x.outcome !== 'fail') put(unscored(x.id, x.outcome));
    else putText(JSON.stringify(x));
  }
  put(FINDINGS);
  const findings = r.findings;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    put(i > 0 ? NEXT_RULE : FIRST_RULE);
    put(escaped(f.rule));
    put(TURN);
    putNumber(f.turn);
    put(START);
    putNumber(f.start);
    put(END);
    putNumber(f.end);
    put(EVIDENCE);
    putText(JSON.stringify(f.evidence));
    put(SEED);
    put(escaped(f.seed));
    put(SUGGESTION);
    put(escaped(f.suggestion));
    put(CLOSE_BRACE);
  }
  put(LINE_END);
  o = NO_BYTES;
  return p > cap ? -1 : p;
}

// The line being written (module state: one line at a time, never re-entered). Past the end
// of its room, `p` is set beyond `cap` and nothing more is written.
const NO_BYTES = Buffer.alloc(0);
let o: Buffer = NO_BYTES;
let p = 0;
let cap = 0;

const ascii = (s: string) => Buffer.from(s, 'latin1');
const COMMA = ascii(',');
const FATAL_RULES = ascii(',"fatal":true,"rules":[');
const NOT_FATAL_RULES = ascii(',"fatal":false,"rules":[');
const FINDINGS = ascii('],"findings":[');
const FIRST_RULE = ascii('{"rule":');
const NEXT_RULE = ascii(',{"rule":');
const TURN = ascii(',"turn":');
const START = ascii(',"start":');
const END = ascii(',"end":');
const EVIDENCE = ascii(',"evidence":');
const SEED = ascii(',"seed":');
const SUGGESTION = ascii(',"suggestion":');
const CLOSE_BRACE = ascii('}');
const LINE_END = ascii(']}\n');

function put(bytes: Uint8Array): void {
  if (p + bytes.length > cap) p = cap + 1;
  else {
    o.set(bytes, p);
    p += bytes.length;
  }
}

/** A text made for this line: at most 3 bytes per UTF-16 unit (a pair is 4 bytes for 2). */
function putText(s: string): void {
  if (p + 3 * s.length > cap) p = cap + 1;
  else p += o.write(s, p);
}

/** A number as JSON writes it (null when not finite): a small whole number digit by digit. */
function putNumber(n: number | null): void {
  if (n === null || !(n >= 0 && n <= 0x7fffffff && (n | 0) === n)) {
    putText(n === null || !Number.isFinite(n) ? 'null' : String(n));
    return;
  }
  let digits = 1;
  for (let t = n; t >= 10; t = (t / 10) | 0) digits++;
  if (p + digits > cap) {
    p = cap + 1;
    return;
  }
  for (let k = p + digits - 1, t = n; k >= p; k--, t = (t / 10) | 0) o[k] = 0x30 + (t % 10);
  p += digits;
}

/** Texts that recur from call to call (brands, rule ids, seeds, suggestions), as JSON's UTF-8. */
const escapes = new Map<string, Buffer>();
function escaped(s: string): Buffer {
  let e = escapes.get(s);
  if (e === undefined) {
    // Bounded: a server inspecting with many scorecards over months starts again.
    if (escapes.size >= 20_000) escapes.clear();
    e = Buffer.from(JSON.stringify(s));
    escapes.set(s, e);
  }
  return e;
}

/** A passed or not applicable rule's JSON, per outcome and rule id. */
const passTexts = new Map<string, Buffer>();
const naTexts = new Map<string, Buffer>();
function unscored(id: string, outcome: Outcome): Buffer {
  const texts = outcome === 'pass' ? passTexts : naTexts;
  let t = texts.get(id);
  if (t === undefined) {
    if (texts.size >= 20_000) texts.clear();
    t = Buffer.from(JSON.stringify({ id, outcome, points: 0 }));
    texts.set(id, t);
  }
  return t;
}
