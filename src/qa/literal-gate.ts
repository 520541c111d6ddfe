// "Does this pattern match this turn at all?" for every regex of a compiled scorecard, from one
// exact phrase-matcher pass per turn over the literals of all their alternatives. A pattern's
// top-level alternative can match only a text holding one of its anchors (literals proved by
// ../situations/anchors.ts), so on a turn only the alternatives whose anchors occur are run, each
// alone; an alternative that is a plain set of literals is answered by the hit itself. Most
// turns hold the anchors of a few alternatives out of the hundreds of the forbidden-language
// patterns, which each used to scan the turn for their own literals and then run whole.
// An alternative whose every match also holds other literal sets (`Anchors.terms`: 不(?<=我…不)…懂
// holds 不 and 懂) is anchored on the least common of them and runs only when each of the others
// has a hit in the same scan (a set of single characters, 您/你, is looked for in the text then):
// four in five of the runs its first anchor alone started (不, 您, 请…) found nothing, and a
// common character no longer ends a scanned literal at most turns.
// The answer is always the whole expression's `test` (literal-gate.test.ts compares them).
import { anchorsOf, COMMON_CHARACTERS, flatAlternatives } from '../situations/anchors.ts';
import { PhraseMatcher } from '../text/match.ts';
import { normalizeText } from '../text/normalize.ts';
import { hasReferences, regexProbe } from './regex-probe.ts';

/** The phrase matcher normalizes its phrases: only literals it finds as written can anchor. */
const usable = (literal: string) => normalizeText(literal) === literal;

/** Per call: which alternatives' anchors each turn holds, found on the turn's first read. */
export interface GateState {
  /** `words` 32-bit words per turn, bit k: an anchor of alternative k occurs. */
  bits: Uint32Array;
  /** 1 once a turn has been scanned. */
  read: Uint8Array;
}

interface Pattern {
  /** Alternatives (ids) to run when one of their anchors occurs. */
  gated: Int32Array;
  /**
   * The same alternatives as bits of a turn's alternative words, in (word, mask) pairs (set by
   * `#build`): a turn's set bits are read a word at a time, not every alternative one by one
   * (the forbidden-language patterns have dozens to hundreds each, a turn's anchors a few).
   */
  altWords: Int32Array;
  /** The alternatives with no provable anchor, together: run on every text (null: none). */
  always: ((text: string) => boolean) | null;
  /** Whose turns it reads: bit 0 the agent's, bit 1 the customer's. */
  speakers: number;
  whole: RegExp;
}

/**
 * Characters in most sentences (`COMMON_CHARACTERS`, with 请 对 再 and ? of the agent's turns,
 * which the gate scans too): a literal set holding one is an alternative's anchor only when all
 * its sets do.
 */
const COMMON = `${COMMON_CHARACTERS}请对再?`;

/**
 * The set of `sets` to anchor an alternative on: one without a common character if there is one,
 * else one without a single character, in the analysis' order (the most selective first).
 */
function leastCommon(sets: readonly (readonly string[])[]): readonly string[] {
  const rank = (set: readonly string[]) =>
    set.some((l) => l.length === 1 && COMMON.includes(l)) ? 0 : set.some((l) => l.length === 1) ? 1 : 2;
  let best = sets[0] as readonly string[];
  for (const set of sets) if (rank(set) > rank(best)) best = set;
  return best;
}

/** Whether `text` holds a literal of each of `sets`. */
function holdsEach(text: string, sets: readonly (readonly string[])[]): boolean {
  for (const set of sets) {
    let found = false;
    for (let i = 0; i < set.length && !found; i++) found = text.includes(set[i] as string);
    if (!found) return false;
  }
  return true;
}

/** A literal set to look for in the text rather than scan for: single characters, or a common one. */
const lookedUp = (set: readonly string[]) =>
  set.every((l) => l.length === 1) || set.some((l) => l.length === 1 && COMMON.includes(l));

/** A speaker's automaton states: the scan each was last visited in, and what each sets (`#fold`). */
interface Side {
  seen: Int32Array;
  /** (word, mask) pairs of state s: `data[from[s]…to[s]]`; from −1 until its first visit. */
  from: Int32Array;
  to: Int32Array;
  data: Int32Array;
  used: number;
}

/** The speakers a role's patterns read, as bits (agent 1, customer 2). */
const SPEAKERS = { agent: 1, customer: 2, any: 3 } as const;
export type GateRole = keyof typeof SPEAKERS;

export class LiteralGate {
  readonly #patterns: Pattern[] = [];
  readonly #bySource = new Map<string, number>();
  /** Alternatives by id: their expression, or null when a hit of an anchor is a match. */
  readonly #alternatives: (RegExp | null)[] = [];
  readonly #altBySource = new Map<string, number>();
  /** The anchors: each literal once, with the alternatives it stands for. */
  readonly #literalIds = new Map<string, number>();
  readonly #literalAlts: number[][] = [];
  /** The conditions (below) each literal sets. */
  readonly #literalConds: number[][] = [];
  /** The patterns each alternative belongs to (several patterns may share one). */
  readonly #altPatterns: number[][] = [];
  /**
   * An alternative's other literal sets (`Anchors.terms`): a match holds a string of each, so
   * the alternative runs only when every one of them has a hit too. Each set is a condition,
   * a bit of its own per turn (`#condLiterals`: the literals setting condition c, found in the
   * same scan); `#altConds[alt]` lists the alternative's conditions.
   */
  readonly #altConds: number[][] = [];
  readonly #condLiterals: number[][] = [];
  /** Per alternative, its sets looked for in the text (`lookedUp`), not scanned for; null: none. */
  readonly #altLookups: (string[][] | null)[] = [];
  /** Per alternative, its conditions as (word, mask) pairs of the turn's condition words. */
  #condStart = new Int32Array(0);
  #condRows = new Int32Array(0);
  /** Per speaker (agent, customer): the literals of the patterns reading that speaker's turns. */
  #matchers: [PhraseMatcher<number>, PhraseMatcher<number>] | null = null;
  #spare: GateState | null = null;
  /** Words per turn: the patterns' bits (`#patternWords`), the alternatives', then the conditions' (from `#condWords`). */
  #words = 0;
  #patternWords = 0;
  #condWords = 0;
  /** What a literal's hit sets in a turn's words: (word, mask) pairs of `#rows[#rowStart[l]…]`. */
  #rowStart = new Int32Array(0);
  #rows = new Int32Array(0);
  /** The turn being scanned (its first word) and, per literal, the scan it was last set in. */
  #base = 0;
  #bits: Uint32Array = new Uint32Array(0);
  #scans = 0;
  /**
   * Per speaker (agent 0, customer 1) and automaton state: the scan it was last visited in, and
   * what its literals set in a turn's words, as (word, mask) pairs `data[from[s]…to[s]]` (`Side`),
   * made on the state's first visit (from −1 until then) and kept flat: a visit reads typed
   * arrays, not an array per state. A state stands for every literal ending there, so a hit
   * costs one fold, not one per literal.
   */
  #sides: Side[] = [];
  /** The side being scanned, and its arrays (read at every visit). */
  #side = 0;
  #sideSeen: Int32Array = new Int32Array(0);
  #sideFrom: Int32Array = new Int32Array(0);
  readonly #visit = (state: number): void => {
    const seen = this.#sideSeen;
    if (seen[state] === this.#scans) return;
    seen[state] = this.#scans;
    let from = this.#sideFrom[state] as number;
    if (from < 0) from = this.#fold(state);
    const side = this.#sides[this.#side] as Side;
    const data = side.data;
    const bits = this.#bits;
    const base = this.#base;
    for (let r = from, end = side.to[state] as number; r < end; r += 2) {
      const w = base + (data[r] as number);
      bits[w] = (bits[w] as number) | (data[r + 1] as number);
    }
  };

  /** Makes state `state`'s (word, mask) pairs on the current side: its literals' rows ORed. */
  #fold(state: number): number {
    const masks = new Map<number, number>();
    const matcher = this.#matchers?.[this.#side] as PhraseMatcher<number>;
    for (const literal of matcher.stateValues(state)) {
      for (
        let r = this.#rowStart[literal] as number, end = this.#rowStart[literal + 1] as number;
        r < end;
        r += 2
      )
        masks.set(
          this.#rows[r] as number,
          (masks.get(this.#rows[r] as number) ?? 0) | (this.#rows[r + 1] as number),
        );
    }
    const side = this.#sides[this.#side] as Side;
    if (side.used + 2 * masks.size > side.data.length) {
      const grown = new Int32Array(Math.max(2 * side.data.length, side.used + 2 * masks.size, 256));
      grown.set(side.data.subarray(0, side.used));
      side.data = grown;
    }
    const from = side.used;
    for (const [w, m] of masks) {
      side.data[side.used++] = w;
      side.data[side.used++] = m;
    }
    side.from[state] = from;
    side.to[state] = side.used;
    return from;
  }

  /**
   * A test of `new RegExp(source, 'u').test(text)` on the turns of `role`, or null when the
   * pattern comes after `seal` or the first scan (the caller then tests the text itself).
   */
  register(source: string, role: GateRole): number | null {
    const speakers = SPEAKERS[role];
    const known = this.#bySource.get(source);
    if (known !== undefined) {
      const pattern = this.#patterns[known] as Pattern;
      if ((pattern.speakers & speakers) === speakers) return known;
      if (this.#matchers !== null) return null;
      pattern.speakers |= speakers;
      return known;
    }
    if (this.#matchers !== null) return null;
    const whole = new RegExp(source, 'u'); // throws where the whole expression would
    // A list of expressions, joined as (?:a)|(?:b), stands as its own alternatives: the group
    // of a long one would run whole wherever any of its anchors occurs.
    const parts = flatAlternatives(source);
    const gated: number[] = [];
    const always: string[] = [];
    for (const part of parts) {
      let a: ReturnType<typeof anchorsOf> | null;
      try {
        a = anchorsOf(part, usable);
      } catch {
        a = null;
      }
      if (a === null || a.literals === null || a.literals.length === 0) {
        always.push(part);
        continue;
      }
      // An alternative with a back reference or a named group means what it does only inside
      // the whole expression: when its anchors occur, the whole expression runs.
      const refs = hasReferences(part);
      const key = refs ? `${source}\u0000${part}` : part;
      let id = this.#altBySource.get(key);
      if (id === undefined) {
        id = this.#alternatives.length;
        this.#alternatives.push(a.literalOnly ? null : refs ? whole : new RegExp(part, 'u'));
        this.#altBySource.set(key, id);
        this.#altPatterns.push([]);
        const alt = id;
        // Every literal set a match holds (a lookbehind's 不 and the 懂 of 不(?<=我…不)…懂): the
        // anchor is the least common of them, and without a hit of each the alternative cannot match.
        const sets = a.literalOnly ? [a.literals] : (a.terms?.[0] ?? [a.literals]);
        const anchor = leastCommon(sets);
        for (const l of this.#literalsOf(anchor)) this.#literalAlts[l]?.push(alt);
        const conds: number[] = [];
        const lookups: string[][] = [];
        for (const set of sets) {
          if (set === anchor) continue;
          // Single characters are looked for in the text when the anchor occurs, not scanned for:
          // 您, 不 or 请 would end an automaton state at most characters of the agent's turns.
          if (lookedUp(set)) {
            lookups.push([...new Set(set)]);
            continue;
          }
          const c = this.#condLiterals.length;
          this.#condLiterals.push(this.#literalsOf(set));
          conds.push(c);
        }
        this.#altConds.push(conds);
        this.#altLookups.push(lookups.length === 0 ? null : lookups);
      }
      if (!gated.includes(id)) gated.push(id);
    }
    const rest = always.join('|');
    const id = this.#patterns.length;
    for (const alt of gated) this.#altPatterns[alt]?.push(id);
    this.#patterns.push({
      gated: Int32Array.from(gated),
      altWords: new Int32Array(0),
      always: always.length === 0 ? null : regexProbe(hasReferences(rest) ? source : rest),
      speakers,
      whole,
    });
    this.#bySource.set(source, id);
    return id;
  }

  /** The ids of a set's literals (each once; one holding another of the set adds nothing: the shorter is found). */
  #literalsOf(set: readonly string[]): number[] {
    const literals = [...new Set(set)];
    const ids: number[] = [];
    for (const phrase of literals) {
      if (literals.some((o) => o !== phrase && phrase.includes(o))) continue;
      let l = this.#literalIds.get(phrase);
      if (l === undefined) {
        l = this.#literalAlts.length;
        this.#literalIds.set(phrase, l);
        this.#literalAlts.push([]);
        this.#literalConds.push([]);
      }
      ids.push(l);
    }
    return ids;
  }
  /**
   * Builds the phrase matchers now: patterns registered later are left to their callers. Call it
   * before the first call is inspected. Built lazily inside the first call's inspection, the
   * allocation of the automata triggered scavenges while that call's hits, maps and arrays were
   * all alive, so V8 marked their allocation sites for pretenuring: every later call's objects
   * went straight to the old generation, which then grew until a mark-compact (peak RSS +30–60%
   * at 20,000 calls).
   */
  seal(): void {
    this.#build();
  }

  /** Whether the matchers are built (by `seal` or a first scan): later patterns get null. */
  get sealed(): boolean {
    return this.#matchers !== null;
  }

  /**
   * Per-call state for `turns` turns: the one given back by `release`, cleared, when it is
   * large enough: no kilobytes of typed arrays allocated (outside the heap) per call. (The growth
   * of resident memory once blamed on those was pretenuring: see `seal`.)
   */
  state(turns: number): GateState {
    this.#build();
    const spare = this.#spare;
    if (spare !== null && spare.read.length >= turns) {
      this.#spare = null;
      spare.bits.fill(0, 0, turns * this.#words);
      spare.read.fill(0, 0, turns);
      return spare;
    }
    const room = Math.max(turns, 128);
    return { bits: new Uint32Array(room * this.#words), read: new Uint8Array(room) };
  }

  /** A state no one reads any more (the call's inspection is over), for the next call. */
  release(state: GateState): void {
    this.#spare = state;
  }

  /**
   * Whether pattern `p` matches `text`, the text of turn `turn` of the call `state` is for,
   * said by `speaker` (one of the pattern's role).
   */
  test(p: number, state: GateState, turn: number, text: string, speaker: 'agent' | 'customer'): boolean {
    const matchers = this.#matchers ?? this.#build();
    const pattern = this.#patterns[p] as Pattern;
    // Not a turn of the pattern's role (callers scope by role): its literals may not be scanned for.
    if ((pattern.speakers & (speaker === 'agent' ? 1 : 2)) === 0) return pattern.whole.test(text);
    const base = turn * this.#words;
    const bits = state.bits;
    if (state.read[turn] === 0) {
      state.read[turn] = 1;
      this.#bits = bits;
      this.#base = base;
      this.#scans++;
      const side = speaker === 'agent' ? 0 : 1;
      const arrays = this.#sides[side] as Side;
      this.#side = side;
      this.#sideSeen = arrays.seen;
      this.#sideFrom = arrays.from;
      matchers[side].scanStates(text, this.#visit);
    }
    // No alternative of the pattern has an anchor in the turn: only the unanchored ones can match.
    if (((bits[base + (p >>> 5)] as number) & (1 << (p & 31))) !== 0) {
      // Only the pattern's alternatives with an anchor in the turn, lowest id first (each test
      // is the alternative alone, without state: the order changes no answer).
      const words = pattern.altWords;
      const alts = base + this.#patternWords;
      const conds = base + this.#condWords;
      const condStart = this.#condStart;
      const condRows = this.#condRows;
      for (let k = 0; k < words.length; k += 2) {
        const w = words[k] as number;
        let set = (bits[alts + w] as number) & (words[k + 1] as number);
        next: while (set !== 0) {
          const low = set & -set;
          set ^= low;
          const alt = w * 32 + 31 - Math.clz32(low);
          // A set the alternative's every match holds has no hit in the turn: it cannot match.
          for (let r = condStart[alt] as number, end = condStart[alt + 1] as number; r < end; r += 2) {
            const m = condRows[r + 1] as number;
            if (((bits[conds + (condRows[r] as number)] as number) & m) !== m) continue next;
          }
          const lookups = this.#altLookups[alt];
          if (lookups !== null && lookups !== undefined && !holdsEach(text, lookups)) continue;
          const re = this.#alternatives[alt];
          if (re === null || re === undefined || re.test(text)) return true;
        }
      }
    }
    return pattern.always?.(text) === true;
  }

  /**
   * The first index `i >= from` of `turns` (ascending turn numbers of the call `state` is for,
   * each below `texts.length`) whose turn pattern `p` matches, as `test` answers; `turns.length`
   * when none does. A turn whose literals hold no anchor of the pattern is passed over by one bit
   * test: a pattern over all of a role's turns costs its matching turns, not a call per turn.
   */
  next(
    p: number,
    state: GateState,
    turns: readonly number[],
    from: number,
    texts: readonly { readonly text: string }[],
    speakers: readonly ('agent' | 'customer')[],
  ): number {
    const pattern = this.#patterns[p] as Pattern;
    const words = this.#words;
    const word = p >>> 5;
    const bit = 1 << (p & 31);
    const { bits, read } = state;
    const quick = pattern.always === null;
    for (let i = from; i < turns.length; i++) {
      const t = turns[i] as number;
      const speaker = speakers[t] ?? 'agent';
      if (
        quick &&
        read[t] === 1 &&
        ((bits[t * words + word] as number) & bit) === 0 &&
        (pattern.speakers & (speaker === 'agent' ? 1 : 2)) !== 0
      )
        continue;
      if (this.test(p, state, t, texts[t]?.text ?? '', speaker)) return i;
    }
    return turns.length;
  }

  #build(): [PhraseMatcher<number>, PhraseMatcher<number>] {
    if (this.#matchers !== null) return this.#matchers;
    this.#patternWords = (this.#patterns.length + 31) >>> 5;
    this.#condWords = this.#patternWords + ((this.#alternatives.length + 31) >>> 5);
    this.#words = this.#condWords + ((this.#condLiterals.length + 31) >>> 5);
    const literalConds = this.#literalConds;
    for (let c = 0; c < this.#condLiterals.length; c++)
      for (const l of this.#condLiterals[c] ?? []) literalConds[l]?.push(c);
    // Each literal's row: the words and bits of its alternatives, of their patterns and of the conditions it sets.
    const rowStart = [0];
    const rows: number[] = [];
    this.#literalAlts.forEach((alts, l) => {
      const masks = new Map<number, number>();
      const set = (bit: number) => masks.set(bit >>> 5, (masks.get(bit >>> 5) ?? 0) | (1 << (bit & 31)));
      for (const alt of alts) {
        set(this.#patternWords * 32 + alt);
        for (const p of this.#altPatterns[alt] ?? []) set(p);
      }
      for (const c of literalConds[l] ?? []) set(this.#condWords * 32 + c);
      for (const [w, m] of masks) rows.push(w, m);
      rowStart.push(rows.length);
    });
    // Each alternative's conditions, as (word, mask) pairs relative to the first condition word.
    const condStart = [0];
    const condRows: number[] = [];
    for (const conds of this.#altConds) {
      const masks = new Map<number, number>();
      for (const c of conds) masks.set(c >>> 5, (masks.get(c >>> 5) ?? 0) | (1 << (c & 31)));
      for (const [w, m] of masks) condRows.push(w, m);
      condStart.push(condRows.length);
    }
    this.#condStart = Int32Array.from(condStart);
    this.#condRows = Int32Array.from(condRows);
    for (const pattern of this.#patterns) {
      const masks = new Map<number, number>();
      for (const alt of pattern.gated) masks.set(alt >>> 5, (masks.get(alt >>> 5) ?? 0) | (1 << (alt & 31)));
      pattern.altWords = Int32Array.from([...masks].sort((a, b) => a[0] - b[0]).flat());
    }
    this.#rowStart = Int32Array.from(rowStart);
    this.#rows = Int32Array.from(rows);
    // Each speaker's turns are scanned for the literals of the patterns reading them only.
    const condAlts: number[][] = this.#condLiterals.map(() => []);
    this.#altConds.forEach((conds, alt) => {
      for (const c of conds) condAlts[c]?.push(alt);
    });
    const read = (literal: number) => {
      let speakers = 0;
      const alts = [...(this.#literalAlts[literal] ?? [])];
      for (const c of literalConds[literal] ?? []) alts.push(...(condAlts[c] ?? []));
      for (const alt of alts)
        for (const p of this.#altPatterns[alt] ?? []) speakers |= (this.#patterns[p] as Pattern).speakers;
      return speakers;
    };
    const entries = [...this.#literalIds].map(([phrase, value]) => ({
      phrase,
      value,
      speakers: read(value),
    }));
    this.#matchers = [
      new PhraseMatcher(entries.filter((e) => (e.speakers & 1) !== 0)),
      new PhraseMatcher(entries.filter((e) => (e.speakers & 2) !== 0)),
    ];
    this.#sides = this.#matchers.map((m) => ({
      seen: new Int32Array(m.states).fill(-1),
      from: new Int32Array(m.states).fill(-1),
      to: new Int32Array(m.states),
      data: new Int32Array(0),
      used: 0,
    }));
    return this.#matchers;
  }
}
