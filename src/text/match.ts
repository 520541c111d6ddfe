// Multi-phrase matching in one pass (Aho–Corasick over UTF-16 code units).
//
// Why not a library: of the npm packages we measured (bench/match.ts, README.md), the fast
// ones return keywords without payloads and look characters up in a Map of one-character
// strings; the Unicode-aware one segments graphemes and runs at ~1.5 M chars/s. Quality
// inspection needs several times that, so the automaton lives in typed arrays:
//  - code units are mapped to a compact alphabet by one table lookup (0 = in no phrase, which
//    sends the automaton straight back to the root: most characters of a call);
//  - when states × alphabet is small enough (a few hundred phrases) the automaton is a
//    transition table, compacted while the states fit in two bytes (a state's transitions that
//    differ from the root's, or its whole row past eight); otherwise sorted edge lists with
//    failure links and a dense root row.

import type { Normalized } from './normalize.ts';
import { normalizeText } from './normalize.ts';

export interface PhraseEntry<T> {
  readonly phrase: string;
  readonly value: T;
}

export interface Match<T> {
  value: T;
  /** The phrase as given to the matcher (not normalized). */
  phrase: string;
  /** Offsets in the normalized text, end exclusive. */
  start: number;
  end: number;
  /** Offsets in the original text covering the match, end exclusive. */
  originalStart: number;
  originalEnd: number;
}

export type TurnMatch<T> = Match<T> & { turn: number };

export interface PhraseMatcherOptions {
  /**
   * Largest transition table, in entries (a full one holds states × alphabet, a compacted one
   * what it keeps), before falling back to edge lists.
   */
  maxTableSize?: number;
  /**
   * Speech-recognition text: a phrase still matches with a filler inside it (不嗯知道), a
   * stuttered character (不知知道, 不…不知道), a variant character or safe homophone (其它问题
   * for 其他问题, 报歉 for 抱歉) and, for a phrase of five characters or more, a dropped particle
   * 的 or 了 inside it (感谢您来电 for 感谢您的来电). The match's offsets then cover what was
   * said, filler and stutter included. Never loses a match the exact matcher finds.
   */
  spoken?: boolean;
}

/**
 * Variant characters and speech-recognition homophones of words in service talk, standard →
 * variant: a phrase with the standard word also matches the variant. Only variants that are
 * no other word where a phrase would use them: 其它 (其他), 帐户/帐号/帐单 (账…), 好象 (好像),
 * and the misrecognitions 稍侯 (稍候), 报歉 (抱歉), 道谦 (道歉), 在见 (再见).
 */
const SPOKEN_VARIANTS: readonly (readonly [string, string])[] = [
  ['其他', '其它'],
  ['账户', '帐户'],
  ['账号', '帐号'],
  ['账单', '帐单'],
  ['好像', '好象'],
  ['稍候', '稍侯'],
  ['抱歉', '报歉'],
  ['道歉', '道谦'],
  ['再见', '在见'],
];

/** Fillers a spoken phrase may hold: skipped inside a match when no phrase contains them. */
const FILLERS = '嗯呃';
/** Particles speech recognition drops: a long phrase also matches without one inside it. */
const DROPPABLE = '的了';
/** Length a phrase keeps after a dropped particle, at least. */
const MIN_DROPPED_LENGTH = 4;

const DEFAULT_MAX_TABLE = 1 << 22; // 16 MiB of Int32
/** Transitions of a state (other than the root's) kept as a list; a state with more keeps its row. */
const MAX_EXCEPTIONS = 8;
const WHOLE_ROW = 31;

const COUNT = 0;
const TEST = 1;
const COLLECT = 2;
const VISIT = 3;
const VISIT_STATE = 4;

export class PhraseMatcher<T> {
  readonly #entries: readonly PhraseEntry<T>[];
  /** Code unit → alphabet class (0: in no phrase). */
  readonly #classOf: Uint16Array;
  readonly #width: number;
  /** Full transition table, `state * width + class`, or null when it would be too large. */
  readonly #delta: Int32Array | null;
  readonly #rootNext: Int32Array;
  readonly #edgeStart: Int32Array;
  readonly #edgeClass: Int32Array;
  readonly #edgeTarget: Int32Array;
  readonly #fail: Int32Array;
  /** Number of entries matched when the automaton is in a state (0 for most states). */
  readonly #hits: Int32Array;
  /** Patterns ending in each state, longest first: `#outList[#outStart[s] .. #outStart[s+1]]`. */
  readonly #outStart: Int32Array;
  readonly #outList: Int32Array;
  readonly #patternLength: Int32Array;
  /** Entries of each pattern (several entries may share one normalized phrase). */
  readonly #patternEntryStart: Int32Array;
  readonly #patternEntries: Int32Array;

  constructor(entries: readonly PhraseEntry<T>[], options: PhraseMatcherOptions = {}) {
    if (!Array.isArray(entries)) throw new TypeError('PhraseMatcher: expected an array of { phrase, value }');
    this.#entries = entries.slice();

    // Patterns: distinct normalized phrases.
    const patternIds = new Map<string, number>();
    const patterns: string[] = [];
    const entriesOf: number[][] = [];
    this.#entries.forEach((e, i) => {
      if (typeof e?.phrase !== 'string')
        throw new TypeError(`PhraseMatcher: entry #${i} has no phrase string`);
      const p = normalizeText(e.phrase);
      if (p.length === 0) {
        throw new Error(
          `PhraseMatcher: phrase #${i} ${JSON.stringify(e.phrase)} is empty after normalization`,
        );
      }
      const add = (q: string) => {
        let id = patternIds.get(q);
        if (id === undefined) {
          id = patterns.length;
          patternIds.set(q, id);
          patterns.push(q);
          entriesOf.push([]);
        }
        const list = entriesOf[id] as number[];
        if (!list.includes(i)) list.push(i);
      };
      add(p);
      if (options.spoken) {
        for (const [standard, variant] of SPOKEN_VARIANTS)
          if (p.includes(standard)) add(p.replaceAll(standard, variant));
        // Inside only: a variant is then never part of the phrase itself (no double count).
        for (let k = 1; k < p.length - 1; k++)
          if (DROPPABLE.includes(p[k] as string) && p.length - 1 >= MIN_DROPPED_LENGTH)
            add(p.slice(0, k) + p.slice(k + 1));
      }
    });

    // Alphabet.
    const classOf = new Uint16Array(0x10000);
    let width = 1;
    for (const p of patterns) {
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (classOf[c] === 0) {
          if (width === 0xffff) throw new RangeError('PhraseMatcher: too many distinct characters');
          classOf[c] = width++;
        }
      }
    }
    this.#classOf = classOf;
    this.#width = width;
    if (options.spoken) {
      const skip = new Uint8Array(0x10000);
      for (const f of FILLERS) if (classOf[f.charCodeAt(0)] === 0) skip[f.charCodeAt(0)] = 1;
      this.#skip = skip;
    }

    // Trie: one map from (state, class) to the child for all states, and each state's children
    // as a list in the order they were added (no map per state: a start builds thousands).
    const edge = new Map<number, number>();
    const firstChild: number[] = [-1];
    const lastChild: number[] = [-1];
    const nextSibling: number[] = [-1];
    const classIn: number[] = [0];
    const terminal: number[] = [-1];
    patterns.forEach((p, id) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const a = classOf[p.charCodeAt(i)] ?? 0;
        let next = edge.get(s * width + a);
        if (next === undefined) {
          next = terminal.length;
          edge.set(s * width + a, next);
          firstChild.push(-1);
          lastChild.push(-1);
          nextSibling.push(-1);
          classIn.push(a);
          terminal.push(-1);
          if ((lastChild[s] as number) < 0) firstChild[s] = next;
          else nextSibling[lastChild[s] as number] = next;
          lastChild[s] = next;
        }
        s = next;
      }
      terminal[s] = id;
    });

    // Breadth-first numbering (shallow states together), failure links, outputs.
    const n = terminal.length;
    const order = new Int32Array(n);
    let queued = 1;
    const renum = new Int32Array(n);
    const failOld = new Int32Array(n);
    for (let head = 0; head < queued; head++) {
      const s = order[head] as number;
      renum[s] = head;
      for (let t = firstChild[s] as number; t >= 0; t = nextSibling[t] as number) {
        const a = classIn[t] as number;
        let f = failOld[s] as number;
        let target = 0;
        if (s !== 0) {
          for (;;) {
            const g = edge.get(f * width + a);
            if (g !== undefined) {
              target = g;
              break;
            }
            if (f === 0) break;
            f = failOld[f] as number;
          }
        }
        failOld[t] = target;
        order[queued++] = t;
      }
    }

    const fail = new Int32Array(n);
    const edgeStart = new Int32Array(n + 1);
    const edgeClass = new Int32Array(Math.max(0, n - 1));
    const edgeTarget = new Int32Array(Math.max(0, n - 1));
    // Patterns ending in a state: its own (if any), then its failure state's, which is
    // shallower, hence numbered (and listed) before it.
    const outStart = new Int32Array(n + 1);
    const hits = new Int32Array(n);
    const kids: number[] = [];
    let e = 0;
    let total = 0;
    for (let s = 0; s < n; s++) {
      const old = order[s] as number;
      fail[s] = renum[failOld[old] as number] as number;
      edgeStart[s] = e;
      kids.length = 0;
      for (let t = firstChild[old] as number; t >= 0; t = nextSibling[t] as number) kids.push(t);
      if (kids.length > 1) kids.sort((x, y) => (classIn[x] as number) - (classIn[y] as number));
      for (const t of kids) {
        edgeClass[e] = classIn[t] as number;
        edgeTarget[e] = renum[t] as number;
        e++;
      }
      const own = terminal[old] as number;
      const f = fail[s] as number;
      const inherited = s === 0 ? 0 : (outStart[f + 1] as number) - (outStart[f] as number);
      outStart[s] = total;
      total += (own >= 0 ? 1 : 0) + inherited;
      outStart[s + 1] = total;
      hits[s] = (own >= 0 ? (entriesOf[own]?.length ?? 0) : 0) + (s === 0 ? 0 : (hits[f] as number));
    }
    edgeStart[n] = e;
    const outList = new Int32Array(total);
    for (let s = 0; s < n; s++) {
      const own = terminal[order[s] as number] as number;
      let at = outStart[s] as number;
      if (own >= 0) outList[at++] = own;
      if (s === 0) continue;
      const f = fail[s] as number;
      outList.copyWithin(at, outStart[f] as number, outStart[f + 1] as number);
    }

    const rootNext = new Int32Array(width);
    for (let k = edgeStart[0] ?? 0; k < (edgeStart[1] ?? 0); k++)
      rootNext[edgeClass[k] ?? 0] = edgeTarget[k] ?? 0;

    let delta: Int32Array | null = null;
    const limit = options.maxTableSize ?? DEFAULT_MAX_TABLE;
    // The limit holds for the table actually built: a compacted one is far smaller than states ×
    // alphabet. (The regexes' agent literals make 4.5 M entries in full, past the limit, so they
    // were read by edge lists and failure links until the compacted table was measured instead.)
    if (n <= 0x10000) this.#compact(n, width, rootNext, fail, edgeStart, edgeClass, edgeTarget, limit);
    else if (n * width <= limit) {
      // Past two bytes a state: the full table, four bytes a transition.
      delta = new Int32Array(n * width);
      delta.set(rootNext, 0);
      for (let s = 1; s < n; s++) {
        // Missing transitions are those of the failure state, already complete (shallower).
        delta.copyWithin(s * width, (fail[s] ?? 0) * width, ((fail[s] ?? 0) + 1) * width);
        for (let k = edgeStart[s] ?? 0; k < (edgeStart[s + 1] ?? 0); k++) {
          delta[s * width + (edgeClass[k] ?? 0)] = edgeTarget[k] ?? 0;
        }
      }
    }
    this.#delta = delta;
    this.#rootNext = rootNext;
    this.#edgeStart = edgeStart;
    this.#edgeClass = edgeClass;
    this.#edgeTarget = edgeTarget;
    this.#fail = fail;
    this.#hits = hits;
    this.#outStart = outStart;
    this.#outList = outList;
    this.#patternLength = Int32Array.from(patterns, (p) => p.length);
    this.#patternEntryStart = new Int32Array(patterns.length + 1);
    const flat: number[] = [];
    entriesOf.forEach((list, p) => {
      this.#patternEntryStart[p] = flat.length;
      flat.push(...list);
    });
    this.#patternEntryStart[patterns.length] = flat.length;
    this.#patternEntries = Int32Array.from(flat);
    if (options.spoken) {
      const depth = new Int32Array(n);
      for (let st = 0; st < n; st++)
        for (let k = edgeStart[st] ?? 0; k < (edgeStart[st + 1] ?? 0); k++)
          depth[edgeTarget[k] ?? 0] = (depth[st] ?? 0) + 1;
      this.#depth = depth;
      let size = 1;
      for (const p of patterns) while (size < p.length + 1) size <<= 1;
      this.#positions = new Int32Array(size);
    }
  }

  /**
   * The compacted transition table, built from the trie and failure links without the full
   * table it stands for: a text's characters land all over a table, and the rest of an
   * inspection evicts it between turns, so its size is what a scan costs. Per state only the
   * transitions that differ from the root's row — its children and what its failure chain adds,
   * 2.6–3.5 a state on average — as class/next-state pairs; a state with more than eight keeps
   * its whole row. (The scorecard's phrases, the regexes' literals and the lexicon anchors made
   * full tables of 0.7, 2.7 and 5 MB; compacted they are 65, 216 and 509 kB.)
   *
   * A state's full row is its failure state's with its own children over it, so its
   * transitions off the root's row are its children (always deeper than any root transition)
   * and its failure state's, minus the classes of its children. Failure states are shallower,
   * hence numbered, and listed, first. Filling and scanning the full table (n × width entries,
   * 2.4 M for the lexicon anchors) was most of a start-up's matcher construction.
   */
  #compact(
    n: number,
    width: number,
    rootNext: Int32Array,
    fail: Int32Array,
    edgeStart: Int32Array,
    edgeClass: Int32Array,
    edgeTarget: Int32Array,
    limit: number,
  ): void {
    // Every state's transitions off the root's row, sorted by class, as class × 65,536 + next.
    const listStart = new Int32Array(n + 1);
    let lists = new Uint32Array(Math.max(16, 4 * n));
    let used = 0;
    let wholeRows = 0;
    let listed = 0;
    for (let st = 1; st < n; st++) {
      listStart[st] = used;
      const f = fail[st] as number;
      // Merge the children (sorted by class) with the failure state's list (sorted by class).
      let i = f === 0 ? 0 : (listStart[f] as number);
      const iEnd = f === 0 ? 0 : (listStart[f + 1] as number);
      let k = edgeStart[st] as number;
      const kEnd = edgeStart[st + 1] as number;
      if (used + (iEnd - i) + (kEnd - k) > lists.length) {
        const grown = new Uint32Array(Math.max(2 * lists.length, used + (iEnd - i) + (kEnd - k)));
        grown.set(lists.subarray(0, used));
        lists = grown;
      }
      while (k < kEnd) {
        const a = edgeClass[k] as number;
        while (i < iEnd && (lists[i] as number) >>> 16 < a) lists[used++] = lists[i++] as number;
        if (i < iEnd && (lists[i] as number) >>> 16 === a) i++;
        lists[used++] = a * 0x10000 + (edgeTarget[k] as number);
        k++;
      }
      while (i < iEnd) lists[used++] = lists[i++] as number;
      listStart[st + 1] = used;
      if (used - (listStart[st] as number) <= MAX_EXCEPTIONS) listed += used - (listStart[st] as number);
      else wholeRows++;
    }
    // Its size in entries: the root's row, the lists and the whole rows (over the limit: edge lists).
    if (width + listed + wholeRows * width > limit) return;
    const info = new Int32Array(n);
    const exceptions = new Uint32Array(listed);
    const rows = new Uint16Array(wholeRows * width);
    let e = 0;
    let row = 0;
    for (let st = 1; st < n; st++) {
      const start = listStart[st] as number;
      const end = listStart[st + 1] as number;
      if (end - start <= MAX_EXCEPTIONS) {
        info[st] = e * 32 + (end - start);
        exceptions.set(lists.subarray(start, end), e);
        e += end - start;
      } else {
        info[st] = row * 32 + WHOLE_ROW;
        const base = row * width;
        rows.set(rootNext, base);
        for (let j = start; j < end; j++) {
          const x = lists[j] as number;
          rows[base + (x >>> 16)] = x & 0xffff;
        }
        row++;
      }
    }
    this.#info = info;
    this.#exceptions = exceptions;
    this.#rows = rows;
    this.#root = Uint16Array.from(rootNext);
  }

  /**
   * The compacted table (states below 65,536): per state `start × 32 + count` of its entries in
   * `#exceptions` (class × 65,536 + next state; any other class goes where the root's row
   * says, `#root`), or `row × 32 + WHOLE_ROW` of its whole row in `#rows`. Null: `#delta` or
   * edge lists.
   */
  #info: Int32Array | null = null;
  #exceptions: Uint32Array = new Uint32Array(0);
  #rows: Uint16Array = new Uint16Array(0);
  #root: Uint16Array = new Uint16Array(0);

  /** Spoken text only: fillers that may sit inside a match (1), the depth of each state. */
  #skip: Uint8Array | null = null;
  #depth: Int32Array | null = null;
  /** Ring buffer of the text positions of the characters the automaton consumed. */
  #positions: Int32Array | null = null;

  /** Number of entries. */
  get size(): number {
    return this.#entries.length;
  }

  /** Whether the matcher uses a transition table, full or compacted (fast), or edge lists (large phrase sets). */
  get dense(): boolean {
    return this.#delta !== null || this.#info !== null;
  }

  /** Every occurrence of every phrase, overlapping ones included, by start then end. */
  findAll(n: Normalized): Match<T>[] {
    const out: Match<T>[] = [];
    this.#run(n.text, COLLECT, n, -1, out);
    return out.sort(byPosition);
  }

  /** Matches in each turn, turn by turn; a phrase never spans two turns. */
  findInTurns(turns: readonly Normalized[]): TurnMatch<T>[] {
    const all: TurnMatch<T>[] = [];
    turns.forEach((n, turn) => {
      const out: TurnMatch<T>[] = [];
      this.#run(n.text, COLLECT, n, turn, out);
      for (const m of out.sort(byPosition)) all.push(m);
    });
    return all;
  }

  /**
   * Calls `visit` for every occurrence in normalized text, in text order of their ends, with
   * normalized offsets only: no match objects, no offset mapping. For hot loops (quality
   * inspection scans every turn of every call); map offsets later with `originalSpan`.
   */
  scan(text: string, visit: (value: T, start: number, end: number) => void): void {
    this.#visit = visit as (value: unknown, start: number, end: number) => void;
    try {
      this.#run(text, VISIT, null, -1, null);
    } finally {
      this.#visit = null;
    }
  }

  /**
   * Calls `visit` with the automaton's state wherever one or more phrases end (the same state for
   * the same phrases ending there: `stateValues` lists them), for callers that fold what a state
   * stands for once (the literal gate: the bits of its anchors). Exact matchers only: a spoken
   * one reads some matches apart from the states.
   */
  scanStates(text: string, visit: (state: number) => void): void {
    if (this.#skip !== null) throw new Error('PhraseMatcher.scanStates: not for a spoken matcher');
    this.#visitState = visit;
    try {
      this.#run(text, VISIT_STATE, null, -1, null);
    } finally {
      this.#visitState = null;
    }
  }

  /** The values of every phrase ending in `state` (a state `scanStates` visits). */
  stateValues(state: number): T[] {
    const values: T[] = [];
    for (let o = this.#outStart[state] as number, oEnd = this.#outStart[state + 1] as number; o < oEnd; o++) {
      const p = this.#outList[o] as number;
      for (let k = this.#patternEntryStart[p] as number; k < (this.#patternEntryStart[p + 1] as number); k++)
        values.push((this.#entries[this.#patternEntries[k] as number] as PhraseEntry<T>).value);
    }
    return values;
  }

  /** Number of states of the automaton (the bound of a state `scanStates` visits). */
  get states(): number {
    return this.#outStart.length - 1;
  }

  #visitState: ((state: number) => void) | null = null;

  /** Number of matches `findAll` would return, without building them. */
  count(n: Normalized): number {
    return this.#run(n.text, COUNT, n, -1, null);
  }

  /** Whether any phrase occurs. */
  test(n: Normalized): boolean {
    return this.#run(n.text, TEST, n, -1, null) > 0;
  }

  #visit: ((value: unknown, start: number, end: number) => void) | null = null;

  #visitAll(s: number, end: number): void {
    const visit = this.#visit;
    if (visit === null) return;
    for (let o = this.#outStart[s] as number, oEnd = this.#outStart[s + 1] as number; o < oEnd; o++) {
      const p = this.#outList[o] as number;
      const start = end - (this.#patternLength[p] as number);
      for (
        let k = this.#patternEntryStart[p] as number;
        k < (this.#patternEntryStart[p + 1] as number);
        k++
      ) {
        visit((this.#entries[this.#patternEntries[k] as number] as PhraseEntry<T>).value, start, end);
      }
    }
  }

  #run(text: string, mode: number, n: Normalized | null, turn: number, out: Match<T>[] | null): number {
    const classOf = this.#classOf;
    const hits = this.#hits;
    const len = text.length;
    let total = 0;
    let s = 0;
    const delta = this.#delta;
    const info = this.#info;
    const skip = this.#skip;
    if ((info !== null || delta !== null) && skip !== null) {
      // Spoken text, read as exact text up to the first character the spoken pass would skip
      // (a filler or a stutter inside a match in progress), then by the spoken pass from there
      // on in the same state: the two agree on everything before it, and most turns have no
      // such character at all. One pass instead of a look for one and then the match.
      const width = this.#width;
      const depth = this.#depth as Int32Array;
      let prev = -1;
      for (let i = 0; i < len; i++) {
        const code = text.charCodeAt(i);
        const a = classOf[code] as number;
        if (a === 0) {
          if (s !== 0 && skip[code] === 1) return this.#runSpoken(text, mode, n, turn, out, i, s, total);
          s = 0;
          prev = code;
          continue;
        }
        const next = info !== null ? this.#next(s, a) : ((delta as Int32Array)[s * width + a] as number);
        if (s !== 0 && code === prev && (depth[next] as number) <= 1 && hits[next] === 0)
          return this.#runSpoken(text, mode, n, turn, out, i, s, total);
        s = next;
        prev = code;
        const k = hits[s] as number;
        if (k !== 0) {
          if (mode === TEST) return 1;
          total += k;
          if (mode === VISIT) this.#visitAll(s, i + 1);
          else if (mode === VISIT_STATE) this.#visitState?.(s);
          else if (out !== null && n !== null) this.#collect(s, i + 1, n, turn, out);
        }
      }
      return total;
    }
    if (skip !== null && this.#needsSpoken(text)) return this.#runSpoken(text, mode, n, turn, out, 0, 0, 0);
    if (info !== null) {
      const width = this.#width;
      const root = this.#root;
      const exceptions = this.#exceptions;
      const rows = this.#rows;
      for (let i = 0; i < len; i++) {
        const a = classOf[text.charCodeAt(i)] as number;
        if (a === 0) {
          s = 0;
          continue;
        }
        if (s === 0) s = root[a] as number;
        else {
          const r = info[s] as number;
          const c = r & 31;
          if (c === WHOLE_ROW) s = rows[(r >>> 5) * width + a] as number;
          else {
            let next = root[a] as number;
            for (let k = r >>> 5, e = k + c; k < e; k++) {
              const x = exceptions[k] as number;
              if (x >>> 16 === a) {
                next = x & 0xffff;
                break;
              }
            }
            s = next;
          }
        }
        const k = hits[s] as number;
        if (k !== 0) {
          if (mode === TEST) return 1;
          total += k;
          if (mode === VISIT) this.#visitAll(s, i + 1);
          else if (mode === VISIT_STATE) this.#visitState?.(s);
          else if (out !== null && n !== null) this.#collect(s, i + 1, n, turn, out);
        }
      }
      return total;
    }
    if (delta !== null) {
      const width = this.#width;
      for (let i = 0; i < len; i++) {
        const a = classOf[text.charCodeAt(i)] as number;
        // A character of no phrase leads back to the root from every state: no table load.
        if (a === 0) {
          s = 0;
          continue;
        }
        s = delta[s * width + a] as number;
        const k = hits[s] as number;
        if (k !== 0) {
          if (mode === TEST) return 1;
          total += k;
          if (mode === VISIT) this.#visitAll(s, i + 1);
          else if (mode === VISIT_STATE) this.#visitState?.(s);
          else if (out !== null && n !== null) this.#collect(s, i + 1, n, turn, out);
        }
      }
      return total;
    }
    const rootNext = this.#rootNext;
    const edgeStart = this.#edgeStart;
    const edgeClass = this.#edgeClass;
    const edgeTarget = this.#edgeTarget;
    const fail = this.#fail;
    for (let i = 0; i < len; i++) {
      const a = classOf[text.charCodeAt(i)] as number;
      if (a === 0) {
        s = 0;
        continue;
      }
      for (;;) {
        if (s === 0) {
          s = rootNext[a] as number;
          break;
        }
        let next = -1;
        for (let k = edgeStart[s] as number, end = edgeStart[s + 1] as number; k < end; k++) {
          const c = edgeClass[k] as number;
          if (c >= a) {
            if (c === a) next = edgeTarget[k] as number;
            break;
          }
        }
        if (next >= 0) {
          s = next;
          break;
        }
        s = fail[s] as number;
      }
      const k = hits[s] as number;
      if (k !== 0) {
        if (mode === TEST) return 1;
        total += k;
        if (mode === VISIT) this.#visitAll(s, i + 1);
        else if (mode === VISIT_STATE) this.#visitState?.(s);
        else if (out !== null && n !== null) this.#collect(s, i + 1, n, turn, out);
      }
    }
    return total;
  }

  /** Whether a text has a filler or a doubled character: only then does spoken matching differ. */
  #needsSpoken(text: string): boolean {
    const skip = this.#skip as Uint8Array;
    let prev = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === prev || skip[c] === 1) return true;
      prev = c;
    }
    return false;
  }

  /** The next state from `s` on alphabet class `a` in the compacted table. */
  #next(s: number, a: number): number {
    const root = this.#root;
    if (s === 0) return root[a] as number;
    const r = (this.#info as Int32Array)[s] as number;
    const c = r & 31;
    if (c === WHOLE_ROW) return this.#rows[(r >>> 5) * this.#width + a] as number;
    const exceptions = this.#exceptions;
    for (let k = r >>> 5, e = k + c; k < e; k++) {
      const x = exceptions[k] as number;
      if (x >>> 16 === a) return x & 0xffff;
    }
    return root[a] as number;
  }

  /** The next state from `s` on alphabet class `a`. */
  #step(s: number, a: number): number {
    if (this.#info !== null) return this.#next(s, a);
    const delta = this.#delta;
    if (delta !== null) return delta[s * this.#width + a] as number;
    if (a === 0) return 0;
    for (;;) {
      if (s === 0) return this.#rootNext[a] as number;
      for (let k = this.#edgeStart[s] as number, end = this.#edgeStart[s + 1] as number; k < end; k++) {
        const c = this.#edgeClass[k] as number;
        if (c >= a) {
          if (c === a) return this.#edgeTarget[k] as number;
          break;
        }
      }
      s = this.#fail[s] as number;
    }
  }

  /**
   * The spoken-text pass: a filler inside a match is skipped, and so is a character repeating
   * the one before when it would break the match (the next state is the root or one character
   * deep, and no phrase ends there): the state then already stands for that character, so no
   * match through it is lost. Match starts come from the positions of consumed characters.
   */
  #runSpoken(
    text: string,
    mode: number,
    n: Normalized | null,
    turn: number,
    out: Match<T>[] | null,
    from: number,
    state: number,
    found: number,
  ): number {
    const classOf = this.#classOf;
    const hits = this.#hits;
    const skip = this.#skip as Uint8Array;
    const depth = this.#depth as Int32Array;
    const positions = this.#positions as Int32Array;
    const mask = positions.length - 1;
    // Taken over at `from` from the exact pass, which consumed every character before it.
    for (let j = Math.max(0, from - positions.length); j < from; j++) positions[j & mask] = j;
    let consumed = from;
    let total = found;
    let s = state;
    let last = from > 0 ? text.charCodeAt(from - 1) : -1;
    for (let i = from; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (s !== 0 && skip[code] === 1) continue;
      const next = this.#step(s, classOf[code] as number);
      if (s !== 0 && code === last && (depth[next] as number) <= 1 && hits[next] === 0) continue;
      s = next;
      last = code;
      positions[consumed & mask] = i;
      consumed++;
      const k = hits[s] as number;
      if (k !== 0) {
        if (mode === TEST) return 1;
        total += k;
        if (mode === VISIT || (out !== null && n !== null))
          this.#emit(s, i + 1, consumed, mode, n, turn, out);
      }
    }
    return total;
  }

  /** The matches ending in state `s` at `end`, in spoken text (starts from the ring buffer). */
  #emit(
    s: number,
    end: number,
    consumed: number,
    mode: number,
    n: Normalized | null,
    turn: number,
    out: Match<T>[] | null,
  ): void {
    const positions = this.#positions as Int32Array;
    const mask = positions.length - 1;
    for (let o = this.#outStart[s] as number, oEnd = this.#outStart[s + 1] as number; o < oEnd; o++) {
      const p = this.#outList[o] as number;
      const start = positions[(consumed - (this.#patternLength[p] as number)) & mask] as number;
      for (
        let k = this.#patternEntryStart[p] as number;
        k < (this.#patternEntryStart[p + 1] as number);
        k++
      ) {
        const e = this.#entries[this.#patternEntries[k] as number] as PhraseEntry<T>;
        if (mode === VISIT) {
          this.#visit?.(e.value, start, end);
          continue;
        }
        if (out === null || n === null) continue;
        const span = n.originalSpan(start, end);
        const { value, phrase } = e;
        const m: Match<T> | TurnMatch<T> =
          turn >= 0
            ? { value, phrase, start, end, originalStart: span.start, originalEnd: span.end, turn }
            : { value, phrase, start, end, originalStart: span.start, originalEnd: span.end };
        out.push(m);
      }
    }
  }

  #collect(s: number, end: number, n: Normalized, turn: number, out: Match<T>[]): void {
    for (let o = this.#outStart[s] as number, oEnd = this.#outStart[s + 1] as number; o < oEnd; o++) {
      const p = this.#outList[o] as number;
      const start = end - (this.#patternLength[p] as number);
      const span = n.originalSpan(start, end);
      for (
        let k = this.#patternEntryStart[p] as number;
        k < (this.#patternEntryStart[p + 1] as number);
        k++
      ) {
        const e = this.#entries[this.#patternEntries[k] as number] as PhraseEntry<T>;
        const { value, phrase } = e;
        const { start: originalStart, end: originalEnd } = span;
        // One object literal per shape keeps the objects monomorphic per call site.
        const m: Match<T> | TurnMatch<T> =
          turn >= 0
            ? { value, phrase, start, end, originalStart, originalEnd, turn }
            : { value, phrase, start, end, originalStart, originalEnd };
        out.push(m);
      }
    }
  }
}

function byPosition(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || a.end - b.end;
}
