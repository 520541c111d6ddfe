// "Does this pattern match this turn at all?" for every regex of a compiled scorecard, from one
// exact phrase-matcher pass per turn over the literals of all their alternatives. A pattern's
// top-level alternative can match only a text holding one of its anchors (literals proved by
// ../situations/anchors.ts), so on a turn only the alternatives whose anchors occur are run, each
// alone; an alternative that is a plain set of literals is answered by the hit itself. Most
// turns hold the anchors of a few alternatives out of the hundreds of the forbidden-language
// patterns, which each used to scan the turn for their own literals and then run whole.
// The answer is always the whole expression's `test` (literal-gate.test.ts compares them).
import { anchorsOf } from '../situations/anchors.ts';
import { PhraseMatcher } from '../text/match.ts';
import { normalizeText } from '../text/normalize.ts';
import { hasReferences, regexProbe, splitAlternatives } from './regex-probe.ts';

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
  /** The alternatives with no provable anchor, together: run on every text (null: none). */
  always: ((text: string) => boolean) | null;
}

export class LiteralGate {
  readonly #patterns: Pattern[] = [];
  readonly #bySource = new Map<string, number>();
  /** Alternatives by id: their expression, or null when a hit of an anchor is a match. */
  readonly #alternatives: (RegExp | null)[] = [];
  readonly #altBySource = new Map<string, number>();
  readonly #entries: { phrase: string; value: number }[] = [];
  #matcher: PhraseMatcher<number> | null = null;
  #words = 0;

  /**
   * A test of `new RegExp(source, 'u').test(text)` by turn, or null when the pattern comes
   * after the first scan (the caller then tests the text itself).
   */
  register(source: string): number | null {
    const known = this.#bySource.get(source);
    if (known !== undefined) return known;
    if (this.#matcher !== null) return null;
    const whole = new RegExp(source, 'u'); // throws where the whole expression would
    const parts = splitAlternatives(source);
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
        // A literal holding another of the same alternative adds nothing (the shorter is found).
        const literals = [...new Set(a.literals)];
        for (const phrase of literals)
          if (!literals.some((o) => o !== phrase && phrase.includes(o)))
            this.#entries.push({ phrase, value: id });
      }
      if (!gated.includes(id)) gated.push(id);
    }
    const rest = always.join('|');
    const id = this.#patterns.length;
    this.#patterns.push({
      gated: Int32Array.from(gated),
      always: always.length === 0 ? null : regexProbe(hasReferences(rest) ? source : rest),
    });
    this.#bySource.set(source, id);
    return id;
  }
  /** Per-call state for `turns` turns. */
  state(turns: number): GateState {
    this.#build();
    return { bits: new Uint32Array(turns * this.#words), read: new Uint8Array(turns) };
  }

  /** Whether pattern `p` matches `text`, the text of turn `turn` of the call `state` is for. */
  test(p: number, state: GateState, turn: number, text: string): boolean {
    const matcher = this.#build();
    const words = this.#words;
    const base = turn * words;
    const bits = state.bits;
    if (state.read[turn] === 0) {
      state.read[turn] = 1;
      matcher.scan(text, (alt) => {
        const w = base + (alt >>> 5);
        bits[w] = (bits[w] as number) | (1 << (alt & 31));
      });
    }
    const pattern = this.#patterns[p] as Pattern;
    const gated = pattern.gated;
    for (let k = 0; k < gated.length; k++) {
      const alt = gated[k] as number;
      if (((bits[base + (alt >>> 5)] as number) & (1 << (alt & 31))) === 0) continue;
      const re = this.#alternatives[alt];
      if (re === null || re === undefined || re.test(text)) return true;
    }
    return pattern.always?.(text) === true;
  }

  #build(): PhraseMatcher<number> {
    if (this.#matcher === null) {
      this.#matcher = new PhraseMatcher(this.#entries);
      this.#words = Math.max(1, (this.#alternatives.length + 31) >>> 5);
    }
    return this.#matcher;
  }
}
