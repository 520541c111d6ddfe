// "Does this pattern match this turn at all?", answered without running the whole expression on
// most turns. The forbidden-language patterns are alternations of dozens of expressions; one
// alternative that may start with any character (`[^,。]{0,30}所以…`) makes the engine try the
// whole alternation at every position of the turn, losing its quick first-character test. Such
// broad alternatives run apart, each only on turns holding one of its own literals (anchors
// proved by src/situations/anchors.ts); the rest stay one expression, run only on turns holding
// one of theirs. The answer is the whole expression's `test`, always (regex-probe.test.ts
// compares them on every corpus turn, every development line and random patterns).
// Inspection gates a scorecard's patterns together (literal-gate.ts); this probe answers for a
// pattern alone (one compiled after the gate's first scan, other callers).
import { anchorsOf, hasReferences, splitAlternatives } from '../situations/anchors.ts';

// Shared with the situation lexicon, which tests its expressions' alternatives apart too.
export { hasReferences, splitAlternatives };

const escapeLiteral = (l: string) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The top-level alternatives of a regular expression's source (`a|b(c|d)|[|]` → `a`,
 * `b(c|d)`, `[|]`), or null when they cannot stand alone: a back reference or a named group
 * (group numbers and names would change meaning once the alternatives are split).
 */
export function topLevelAlternatives(source: string): string[] | null {
  return hasReferences(source) ? null : splitAlternatives(source);
}

/**
 * `new RegExp(source, flags).test(text)` for one text at a time, faster on long alternations.
 * Throws only where that expression would. The split is read for the `u` flag (with `i`, `m`,
 * `s`); other flags (`g` and `y` keep state, `v` reads classes otherwise) run the whole
 * expression, fresh for every text.
 */
export function regexProbe(source: string, flags = 'u'): (text: string) => boolean {
  const whole = new RegExp(source, flags);
  const plain = (text: string) => {
    whole.lastIndex = 0;
    return whole.test(text);
  };
  if (!/^[imsu]*$/.test(flags) || !flags.includes('u')) return plain;
  let quick: ((text: string) => boolean) | null;
  try {
    quick = quickTest(source, flags);
  } catch {
    // A construct the split or the anchor analysis does not read: the whole expression answers.
    quick = null;
  }
  return quick ?? plain;
}

/**
 * Whether an alternative may start with almost any character: a negated class, a dot or a
 * negated class escape, possibly inside a group (`[^,。]{0,30}所以…`). The engine then tries
 * it at every position of a text, and the whole alternation loses its first-character test,
 * so such an alternative runs apart. (Lookbehinds and optional first elements do not do this:
 * measured, splitting them off only added scans.) A wrong guess costs time, never an answer.
 */
export function startsBroad(alternative: string): boolean {
  return /^(?:\(\?:)*(?:\[\^|\.|\\[DSW])/.test(alternative);
}

/** Null when splitting would not help (one alternative, or none that starts broad). */
function quickTest(source: string, flags: string): ((text: string) => boolean) | null {
  const parts = topLevelAlternatives(source);
  if (parts === null || parts.length < 2) return wholeWithPrefilter(source, flags);
  const broad = parts.filter(startsBroad);
  if (broad.length === 0) return wholeWithPrefilter(source, flags);
  // The alternatives that start narrow stay one expression (the engine's first-character test
  // skips most positions); each broad one runs alone, on texts holding one of its literals.
  const narrow = parts.filter((p) => !startsBroad(p));
  const groups = [...(narrow.length > 0 ? [narrow.join('|')] : []), ...broad].map((g) => {
    const quick = wholeWithPrefilter(g, flags);
    if (quick !== null) return quick;
    const re = new RegExp(g, flags);
    return (text: string) => re.test(text);
  });
  return (text) => {
    for (const g of groups) if (g(text)) return true;
    return false;
  };
}

/** The whole expression, run only on texts holding one of its anchors (if it has any). */
function wholeWithPrefilter(source: string, flags: string): ((text: string) => boolean) | null {
  const proved = anchorsOf(source, () => true).literals;
  if (proved === null || proved.length === 0) return null;
  const literals = proved.filter((l) => !proved.some((o) => o !== l && l.includes(o)));
  // With the `i` flag a match holds a literal up to case: the literals are found so too.
  const any = new RegExp(literals.map(escapeLiteral).join('|'), flags.includes('i') ? 'iu' : 'u');
  const whole = new RegExp(source, flags);
  return (text) => any.test(text) && whole.test(text);
}
