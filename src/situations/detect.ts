// The situation detector live assist and quality inspection share: lexicon (lexicon.ts) and a
// small statistical model (model.json, trained by scripts/train-situations.ts) combined per
// situation as model.ts `decide` says. No I/O: the model is imported with the code.
import type { SituationDetector, TurnContext } from './detector.ts';
import { lexiconHits, lexiconMasks, lowerCase, prepareText } from './features.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from './ids.ts';
import stored from './model.json' with { type: 'json' };
import { decide, loadModel, type SituationModel, type StoredModel } from './model.ts';

/** The agent asked whether there is anything else (还有什么可以帮您): a bare "no" ends the call. */
const ASKS_ANYTHING_ELSE = /还有(什么|其他|别的|没有)|其他问题|别的问题|其他需要/;
const NOTHING_ELSE =
  /^(没|没有|没了|没事|没有了|没事了|不用了|暂时没有|没别的)[了啦啊的,.。!~ ]*(谢谢[了啦啊]?)?[,.。!~ ]*$/;

let shared: SituationModel | undefined;

function model(): SituationModel {
  shared ??= loadModel(stored as StoredModel);
  return shared;
}

export type DetectorMode = 'combined' | 'lexicon';

/**
 * The detector. `lexicon` uses the strong (and decisive) lexicon phrases alone (no model): it is what
 * bench/detect compares the combined detector with.
 */
export function createSituationDetector(
  mode: DetectorMode = 'combined',
  /** Another trained model than the shipped one (cross-validation in scripts/). */
  other?: StoredModel,
): SituationDetector {
  const m = mode === 'combined' ? (other ? loadModel(other) : model()) : undefined;
  // What a text shows does not change: callers repeat short turns (好的, 没有了, 谢谢) in call
  // after call, and quality inspection reads every customer turn, so each text is judged once.
  // Bounded: emptied when full, as the suggestion cache is.
  const memo = new Map<string, { prepared: string; found: readonly DetectedSituation[] }>();
  const judge = (text: string, normalized: string | undefined) => {
    let r = memo.get(text);
    if (r) return r;
    const t = normalized === undefined ? prepareText(text) : lowerCase(normalized);
    const hits = lexiconHits(t);
    const p = m ? m.probabilitiesOfText(t, hits) : undefined;
    const found: DetectedSituation[] = [];
    DETECTED_SITUATION_IDS.forEach((id, c) => {
      const strong = hits.strong[c] as boolean;
      const trap = hits.trap[c] as boolean;
      // A decisive phrase decides whatever the model says (lexicon.ts).
      const yes =
        (hits.decisive[c] as boolean) ||
        (m && p
          ? decide(strong, trap, m.strongDecides[c] as boolean, p[c] as number, m.thresholds[c] as number)
          : strong);
      if (yes) found.push(id);
    });
    if (memo.size >= MEMO_SIZE) memo.clear();
    r = { prepared: t, found };
    memo.set(text, r);
    return r;
  };
  const detect = (text: string, context?: TurnContext): DetectedSituation[] => {
    const { prepared, found } = judge(text, context?.normalized);
    // A bare "no" answering "anything else?" is a goodbye (the context is not in the memo).
    if (
      !found.includes('goodbye') &&
      context?.previousAgentText &&
      NOTHING_ELSE.test(prepared) &&
      ASKS_ANYTHING_ELSE.test(prepareText(context.previousAgentText))
    ) {
      return DETECTED_SITUATION_IDS.filter((id) => id === 'goodbye' || found.includes(id));
    }
    return [...found];
  };
  return {
    detect,
    focus(ids) {
      const wanted = new Set(ids);
      const classes = DETECTED_SITUATION_IDS.flatMap((id, c) => (wanted.has(id) ? [c] : []));
      // All of them, or the lexicon alone (no model to narrow): the detector as it is.
      if (!m || classes.length === DETECTED_SITUATION_IDS.length) return { detect };
      return focused(m, classes);
    },
  };
}

/**
 * A detector that decides only some situations (`classes`, indices into
 * DETECTED_SITUATION_IDS) and answers as the whole detector does for them: its list is the
 * whole detector's without the others. The model scores those situations alone (a fifth of
 * the weights for quality inspection, which reads four), and a situation whose own lexicon
 * phrases decide needs no model at all.
 */
function focused(m: SituationModel, classes: readonly number[]): SituationDetector {
  const scorer = m.focus(classes);
  const ids = classes.map((c) => DETECTED_SITUATION_IDS[c] as DetectedSituation);
  const goodbye = ids.includes('goodbye');
  // The answer for a text is a bit per focused situation (bit k: ids[k]); the lists are built
  // once per answer. The memo keeps only the bits and only short texts: 好的, 谢谢, 没有了
  // repeat across calls, a caller's long sentence rarely does, and keeping every text (with
  // an object and a list each) made the garbage collector copy and promote them all.
  const lists = new Map<number, readonly DetectedSituation[]>();
  const listOf = (bits: number) => {
    let l = lists.get(bits);
    if (l === undefined) {
      l = ids.filter((_, k) => (bits & (1 << k)) !== 0);
      lists.set(bits, l);
    }
    return l;
  };
  const memo = new Map<string, number>();
  const judge = (t: string): number => {
    // The hits as bits (no list per turn); bit c is situation c's.
    const { strong, cue, trap, decisive } = lexiconMasks(t);
    // Which situations the model puts at or over their threshold (decide()'s last rule).
    let over = -1;
    let bits = 0;
    for (let k = 0; k < classes.length; k++) {
      const c = classes[k] as number;
      const isStrong = (strong & (1 << c)) !== 0;
      const isTrap = (trap & (1 << c)) !== 0;
      // decide() without the probability where it does not read it.
      let yes: boolean;
      if ((decisive & (1 << c)) !== 0) yes = true;
      else if (isTrap && !isStrong) yes = false;
      else if (isStrong && (m.strongDecides[c] as boolean)) yes = true;
      else {
        if (over < 0) over = scorer.exceedsMasks(t, strong, cue, trap);
        yes = (over & (1 << k)) !== 0;
      }
      if (yes) bits |= 1 << k;
    }
    return bits;
  };
  const prepared = (text: string, normalized: string | undefined) =>
    normalized === undefined ? prepareText(text) : lowerCase(normalized);
  return {
    detect(text, context) {
      // Only short texts are remembered: a long one is not looked up (hashing it costs).
      const short = text.length <= MEMO_MAX_CHARS;
      let bits = short ? memo.get(text) : undefined;
      if (bits === undefined) {
        const t = prepared(text, context?.normalized);
        bits = judge(t);
        // Whether the text is a bare "no" (it depends on the text alone): with the answer.
        if (goodbye && NOTHING_ELSE.test(t)) bits |= BARE_NO;
        if (short) {
          if (memo.size >= MEMO_SIZE) memo.clear();
          memo.set(text, bits);
        }
      }
      const found = listOf(bits & ~BARE_NO);
      if (
        (bits & BARE_NO) !== 0 &&
        !found.includes('goodbye') &&
        context?.previousAgentText &&
        ASKS_ANYTHING_ELSE.test(prepareText(context.previousAgentText))
      ) {
        return ids.filter((id) => id === 'goodbye' || found.includes(id));
      }
      return [...found];
    },
  };
}

/** A focused detector's answer bit: the text is a bare "no" (NOTHING_ELSE). */
const BARE_NO = 1 << 30;
/** Texts up to this length are remembered by a focused detector (the short, repeated ones). */
const MEMO_MAX_CHARS = 12;
/** Texts whose situations one detector remembers. */
const MEMO_SIZE = 20_000;
