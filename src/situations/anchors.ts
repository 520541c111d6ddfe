// Literal anchors of the lexicon's regular expressions, so that one phrase-matcher pass over a
// turn tells which of the ~50 expressions could match it and only those are run (most turns
// hold a few anchors). The anchors of an expression are a set of literal strings at least one
// of which occurs in every text the expression matches: skipping an expression none of whose
// anchors occurs never changes its result. An expression with no provable anchor is always run.
//
// The analysis reads the subset of the RegExp syntax the lexicon uses (literals, escapes,
// classes, groups, alternation, quantifiers, lookarounds, ^ $ \b) and is conservative
// elsewhere: anything it does not know (., \s, a negated class, a back reference) requires
// nothing.

/** Largest set of strings one position (a class, a group) or a run of positions may stand for. */
const MAX_SET = 128;

/** What a piece of an expression tells: the strings it matches exactly, and what it requires. */
interface Info {
  /** Every match of the piece is one of these strings (null: unknown or too many). */
  exact: string[] | null;
  /** Every match of the piece contains one of these strings (null: nothing provable). */
  required: string[] | null;
  /** `exact` is the whole truth: the piece matches wherever one of these strings occurs (no assertion). */
  plain: boolean;
  /**
   * Per alternative, every set of literals it requires (each match of the alternative holds one
   * string of each set), or null when one alternative requires nothing provable.
   */
  terms: string[][][] | null;
  /** Per term, whether its alternative is a plain literal one: a text holding the term matches it. */
  sure: boolean[] | null;
}

export interface Anchors {
  /** Null: no anchor could be proved; the expression must be run on every text. */
  literals: string[] | null;
  /**
   * The expression matches exactly when one of `literals` occurs (an alternation of plain
   * literals): an anchor hit is a match, no need to run it.
   */
  literalOnly: boolean;
  /**
   * A stricter test than `literals` (null when it has none): per top-level alternative, up to
   * MAX_TERM_SETS sets of literals, a string of each of which every match of that alternative
   * holds (`(打|等)了?(半天|好久)`: one of 打/等 and one of 半天/好久). The expression can match
   * only a text where, for some alternative, each of its sets has a string present: a word
   * as common as 等 or 找 alone no longer runs it.
   */
  terms: string[][][] | null;
  /**
   * Per term of `terms`, whether its alternative is an alternation of plain literals (its one
   * set is the strings it matches, with no assertion): a text holding the term is matched by
   * the expression, no need to run it (`投诉|说好.{0,10}又` on a text holding 投诉). Absent
   * without terms.
   */
  sure?: boolean[];
}

/** Literal sets kept per alternative in `Anchors.terms` (the most selective ones). */
export const MAX_TERM_SETS = 3;
/** Single characters a set other than an alternative's most selective one may hold. */
const MAX_TERM_CHARS = 4;
/**
 * Characters in most sentences: a set holding one would tell little and cost the scan a visit
 * at nearly every text, so it is no extra set of a term. (The inspection's literal gate,
 * ../qa/literal-gate.ts, counts these too, with a few of the agent's turns.)
 */
export const COMMON_CHARACTERS = '我你您他她它们的了是不没有一个这那就也都还在要好吗呢吧啊';

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    /** Whether a literal may serve as an anchor (the phrase matcher must find it as written). */
    private readonly usable: (literal: string) => boolean,
  ) {}

  parse(): Info {
    const r = this.disjunction();
    if (this.i !== this.src.length) throw new Error(`anchors: unexpected ')' at ${this.i} in /${this.src}/`);
    return r;
  }

  private peek(): string {
    return this.src[this.i] ?? '';
  }

  private disjunction(): Info {
    const alts: Info[] = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    if (alts.length === 1) return alts[0] as Info;
    return {
      exact: union(
        alts.map((a) => a.exact),
        MAX_SET,
      ),
      // Any number of required literals: the phrase matcher looks for all of them at once.
      required: union(
        alts.map((a) => a.required),
        Number.POSITIVE_INFINITY,
      ),
      plain: alts.every((a) => a.plain),
      terms: alts.some((a) => a.terms === null) ? null : alts.flatMap((a) => a.terms as string[][][]),
      sure: alts.some((a) => a.sure === null) ? null : alts.flatMap((a) => a.sure as boolean[]),
    };
  }

  private alternative(): Info {
    // A run: consecutive positions that each match one of a few strings, so the match holds
    // one of their concatenations. Candidates: every run, and what each other piece requires.
    // The strings the whole alternative matches are the run's while no piece has broken it
    // (a break — a quantifier, an unknown piece, too many strings — makes them unknown for
    // good), so they are not computed a second time: `whole` says whether `run` is them.
    let run: string[] | null = [''];
    let whole = true;
    let plain = true;
    const candidates: string[][] = [];
    const endRun = () => {
      if (run !== null && !(run.length === 1 && run[0] === '')) candidates.push(run);
      run = [''];
    };
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '|' || c === ')') break;
      if (this.assertion()) {
        plain = false;
        continue;
      }
      const atom = this.atom();
      const { min, max } = this.quantifier();
      if (!atom.plain) plain = false;
      if (min === 1 && max === 1) {
        const joined: string[] | null = atom.exact === null ? null : product(run, atom.exact);
        if (joined !== null) {
          run = joined;
          continue;
        }
        whole = false;
        endRun();
        if (atom.required !== null) candidates.push(atom.required);
        run = atom.exact ?? [''];
        continue;
      }
      whole = false;
      plain = false;
      endRun();
      if (min >= 1 && atom.required !== null) candidates.push(atom.required);
    }
    const exact = whole ? run : null;
    endRun();
    const usable = candidates.filter((set) => set.every((x) => x !== '' && this.isUsable(x)));
    const sets = mostSelective(usable, MAX_TERM_SETS);
    // Plain (no assertion, every piece once, its strings known): it matches wherever one of its
    // strings occurs, and its one set is those strings when the matcher finds them all.
    const sure =
      plain &&
      exact !== null &&
      sets.length === 1 &&
      exact.every((x) => x !== '' && this.isUsable(x)) &&
      (sets[0] as string[]).length === new Set(exact).size;
    return {
      exact,
      required: best(usable),
      plain: plain && exact !== null,
      terms: sets.length === 0 ? null : [sets],
      sure: sets.length === 0 ? null : [sure],
    };
  }

  /** `usable`, asked once per literal: runs repeat the same strings across alternatives. */
  private readonly usableMemo = new Map<string, boolean>();
  private isUsable(literal: string): boolean {
    let ok = this.usableMemo.get(literal);
    if (ok === undefined) {
      ok = this.usable(literal);
      this.usableMemo.set(literal, ok);
    }
    return ok;
  }

  /** Zero-width pieces: ^ $ \b \B and lookarounds (their contents are not required). */
  private assertion(): boolean {
    const s = this.src;
    const c = s[this.i];
    if (c === '^' || c === '$') {
      this.i++;
      return true;
    }
    if (c === '\\' && (s[this.i + 1] === 'b' || s[this.i + 1] === 'B')) {
      this.i += 2;
      return true;
    }
    if (s.startsWith('(?=', this.i) || s.startsWith('(?!', this.i)) {
      this.i += 3;
      this.disjunction();
      this.expect(')');
      return true;
    }
    if (s.startsWith('(?<=', this.i) || s.startsWith('(?<!', this.i)) {
      this.i += 4;
      this.disjunction();
      this.expect(')');
      return true;
    }
    return false;
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw new Error(`anchors: expected '${c}' at ${this.i} in /${this.src}/`);
    this.i++;
  }

  private atom(): Info {
    const s = this.src;
    const c = s[this.i] as string;
    if (c === '(') {
      this.i++;
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (s.startsWith('?<', this.i)) this.i = s.indexOf('>', this.i) + 1;
      const inner = this.disjunction();
      this.expect(')');
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.i++;
      return UNKNOWN;
    }
    if (c === '\\') {
      const ch = this.escape();
      return ch === null || (ch.length === 1 && (isHighSurrogate(ch) || isLowSurrogate(ch)))
        ? UNKNOWN
        : literal(ch);
    }
    if ('*+?{'.includes(c)) throw new Error(`anchors: nothing to repeat at ${this.i} in /${s}/`);
    // A character beyond the BMP (an emoji) is one atom, as the `u` flag reads it; a lone
    // surrogate is left unknown.
    if (isHighSurrogate(c) && isLowSurrogate(s[this.i + 1] ?? '')) {
      this.i += 2;
      return literal(s.slice(this.i - 2, this.i));
    }
    this.i++;
    return isHighSurrogate(c) || isLowSurrogate(c) ? UNKNOWN : literal(c);
  }

  /**
   * An escape: the character it stands for, or null for a class, a reference or anything not
   * read here. Every character the escape spans is consumed (`\x41`, `\u{4e0d}`, `\p{Script=Han}`,
   * `\k<name>`, `\12`), so none of it is taken for a literal of its own.
   */
  private escape(): string | null {
    const s = this.src;
    const e = s[this.i + 1] ?? '';
    this.i += 2;
    const hex = (n: number) => new RegExp(`^[0-9a-fA-F]{${n}}`).test(s.slice(this.i));
    if (e === 'u' && hex(4)) {
      this.i += 4;
      let code = Number.parseInt(s.slice(this.i - 4, this.i), 16);
      // A surrogate pair written as two escapes is one character (as the `u` flag reads it).
      if (code >= 0xd800 && code <= 0xdbff && s.startsWith('\\u', this.i)) {
        const low = s.slice(this.i + 2, this.i + 6);
        const lowCode = /^[0-9a-fA-F]{4}$/.test(low) ? Number.parseInt(low, 16) : 0;
        if (lowCode >= 0xdc00 && lowCode <= 0xdfff) {
          this.i += 6;
          code = 0x10000 + (code - 0xd800) * 0x400 + (lowCode - 0xdc00);
        }
      }
      return String.fromCodePoint(code);
    }
    if (e === 'x' && hex(2)) {
      this.i += 2;
      return String.fromCharCode(Number.parseInt(s.slice(this.i - 2, this.i), 16));
    }
    if (e === 'c' && /[a-zA-Z]/.test(s[this.i] ?? '')) {
      this.i++;
      return String.fromCharCode((s.charCodeAt(this.i - 1) as number) % 32);
    }
    // \u{…} (a code point, or u repeated without the `u` flag), \p{…} \P{…}: not read, consumed.
    if ((e === 'u' || e === 'p' || e === 'P') && s[this.i] === '{') {
      const end = s.indexOf('}', this.i);
      if (end > 0) this.i = end + 1;
      return null;
    }
    // \k<name>: a back reference (or k<name> without named groups: claiming nothing is safe).
    if (e === 'k' && s[this.i] === '<') {
      const end = s.indexOf('>', this.i);
      if (end > 0) this.i = end + 1;
      return null;
    }
    // \12: one back reference, not \1 and a literal 2 (or an octal escape without the `u` flag,
    // \012 too).
    if (/[1-9]/.test(e) || (e === '0' && /[0-9]/.test(s[this.i] ?? ''))) {
      while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
      return null;
    }
    const controls: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', '0': '\0' };
    if (e in controls) return controls[e] as string;
    // \d \s \w and their negations, anything else lettered: not a single known character.
    if (/[a-zA-Z0-9]/.test(e)) return null;
    return e;
  }

  private charClass(): Info {
    const s = this.src;
    this.i++; // [
    const negated = s[this.i] === '^';
    if (negated) this.i++;
    const chars = new Set<string>();
    let known = !negated;
    while (this.i < s.length && s[this.i] !== ']') {
      let from: string | null;
      if (s[this.i] === '\\') from = this.escape();
      else from = s[this.i++] as string;
      // Beyond the BMP a class holds code points with the `u` flag, code units without: not read.
      if (from !== null && (from.length !== 1 || isHighSurrogate(from) || isLowSurrogate(from))) from = null;
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length) {
        this.i++;
        const to = s[this.i] === '\\' ? this.escape() : (s[this.i++] as string);
        if (from === null || to === null || to.length !== 1 || isHighSurrogate(to) || isLowSurrogate(to))
          known = false;
        else {
          const a = from.charCodeAt(0);
          const b = to.charCodeAt(0);
          if (b - a + 1 > MAX_SET) known = false;
          else for (let k = a; k <= b; k++) chars.add(String.fromCharCode(k));
        }
        continue;
      }
      if (from === null) known = false;
      else chars.add(from);
    }
    this.expect(']');
    if (!known || chars.size > MAX_SET || chars.size === 0) return UNKNOWN;
    const exact = [...chars];
    return { exact, required: exact, plain: true, terms: null, sure: null };
  }

  private quantifier(): { min: number; max: number } {
    const s = this.src;
    const c = s[this.i];
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Number.POSITIVE_INFINITY };
    else if (c === '+') q = { min: 1, max: Number.POSITIVE_INFINITY };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (m) {
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        this.i += m[0].length - 1;
        q = { min, max };
      }
    }
    if (!q) return { min: 1, max: 1 };
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: the same strings
    return q;
  }
}

const UNKNOWN: Info = { exact: null, required: null, plain: false, terms: null, sure: null };

const isHighSurrogate = (c: string) => c >= '\ud800' && c <= '\udbff';
const isLowSurrogate = (c: string) => c >= '\udc00' && c <= '\udfff';

function literal(ch: string): Info {
  return { exact: [ch], required: [ch], plain: true, terms: null, sure: null };
}

function union(sets: (string[] | null)[], max: number): string[] | null {
  const out = new Set<string>();
  for (const s of sets) {
    if (s === null) return null;
    for (const x of s) out.add(x);
  }
  return out.size > max ? null : [...out];
}

function product(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || b === null || a.length * b.length > MAX_SET) return null;
  const out = new Array<string>(a.length * b.length);
  let k = 0;
  for (const x of a) for (const y of b) out[k++] = x + y;
  return out;
}

/** The length of the shortest string of a set. */
function shortest(set: readonly string[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const x of set) if (x.length < min) min = x.length;
  return min;
}

/** The most selective candidate: longest shortest string, then fewest strings. */
function best(candidates: string[][]): string[] | null {
  let pick: string[] | null = null;
  let pickMin = 0;
  for (const c of candidates) {
    const min = shortest(c);
    if (pick === null || min > pickMin || (min === pickMin && c.length < pick.length)) {
      pick = c;
      pickMin = min;
    }
  }
  return pick === null ? null : [...new Set(pick)];
}

/**
 * Up to `n` of the candidates for a term: the most selective one (`best`'s pick), then the
 * others in its order, leaving out sets of many single characters (a digit class, a class of
 * surnames): those occur in most texts and would only cost the scan visits.
 */
function mostSelective(candidates: string[][], n: number): string[][] {
  const unique = new Map<string, { set: string[]; rank: number }>();
  for (const c of candidates) {
    const set = [...new Set(c)].sort();
    unique.set(set.join('\u0000'), { set, rank: shortest(set) });
  }
  const sorted = [...unique.values()].sort((a, b) => b.rank - a.rank || a.set.length - b.set.length);
  const out: string[][] = [];
  for (const { set } of sorted) {
    if (out.length === n) break;
    if (out.length > 0) {
      const chars = set.filter((x) => x.length === 1);
      if (chars.length > MAX_TERM_CHARS || chars.some((x) => COMMON_CHARACTERS.includes(x))) continue;
    }
    out.push(set);
  }
  return out;
}

/**
 * The anchors of one expression's source (no flags other than `g`: case-sensitive).
 * `usable` says whether the phrase matcher finds a literal as written (it normalizes phrases).
 */
export function anchorsOf(source: string, usable: (literal: string) => boolean): Anchors {
  const info = new Parser(source, usable).parse();
  const exact = info.exact;
  if (info.plain && exact?.every((x) => x !== '' && usable(x)))
    return { literals: [...new Set(exact)], literalOnly: true, terms: null };
  const terms = info.required === null ? null : info.terms;
  const out: Anchors = { literals: info.required, literalOnly: false, terms };
  if (terms !== null && info.sure !== null) out.sure = info.sure;
  return out;
}

/** A back reference or a named group: an alternative holding one cannot run apart as written. */
export function hasReferences(source: string): boolean {
  return /\\[1-9]|\\k<|\(\?<[^=!]/.test(source);
}

/**
 * The top-level alternatives of `source`, and those of an alternative that is one
 * non-capturing group as a whole, recursively: `(?:a|b)|c` → `a`, `b`, `c`. The scorecard joins
 * a list of expressions so (`(?:x)|(?:y)`), and the same alternatives then stand apart.
 */
export function flatAlternatives(source: string): string[] {
  return splitAlternatives(source).flatMap((part) => {
    const inner = wholeGroup(part);
    return inner === null ? [part] : flatAlternatives(inner);
  });
}

/**
 * The characters of a regex source that give it structure: each with its index, neither escaped
 * nor inside a character class (where ( ) | are literal).
 */
function* structural(source: string): Generator<[number, string]> {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else yield [i, c];
  }
}

/** `x` of a text that is `(?:x)` as a whole (the group opened first closes last), else null. */
function wholeGroup(part: string): string | null {
  if (!part.startsWith('(?:') || !part.endsWith(')')) return null;
  let depth = 0;
  for (const [i, c] of structural(part)) {
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i === part.length - 1 ? part.slice(3, -1) : null;
    }
  }
  return null;
}

/** The top-level alternatives of a source as written, references or not. */
export function splitAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (const [i, c] of structural(source)) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}
