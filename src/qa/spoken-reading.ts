// The agent's turn as it was meant, for the word patterns (regex) of the scorecard: speech
// recognition writes a filler inside the words (是您自己,呃,没看清楚), a word said twice (我心里没没底),
// a homophone for the word (不知到, 因该是, 我刚才以经说过) and cuts one sentence into two turns (这个我也不 |
// 太确定). Phrases are matched through fillers and variants already (src/text/match.ts `spoken`);
// a pattern reads this second text as well, and what it finds there only is added (operators.ts).
// Pure; offsets map back to the turn's normalized text.

/**
 * Fillers, with the separators speech recognition writes around them. A run with a separator stands
 * between two clauses (这是我们应该做的,嗯,那您先忙吧) and reads as one separator; without one, or
 * between a word and its restart (没,呃,没底), it goes.
 */
const FILLER_RUN = /[,、 …~]*[嗯呃]+[,、 …~]*/gu;
/**
 * A character said twice in a row where no word doubles it (我我, 不不, 没没…): 刚刚, 看看, 好好,
 * 谢谢 and the other doubled words are not in the set.
 */
const STUTTER = /([我您你不没是就也都还又在这那已])\1+/gu;
const STUTTER_CHAR = /^[我您你不没是就也都还又在这那已]$/u;
/**
 * Homophones speech recognition writes for the words of the patterns, each where it is no other
 * word: 知到, 因该 are none; 以经 before a verb (not 以经济/以经验); 好象 (a variant); 清除/清出 after
 * 不 (not 清除缓存); 措 after a verb (填措了, not 措施). Same length: the offsets stay.
 */
const HOMOPHONES: readonly (readonly [RegExp, string])[] = [
  [/知到/gu, '知道'],
  [/因该/gu, '应该'],
  [/以经(?=[跟和给对向说讲解帮为替过是有在发处办告提])/gu, '已经'],
  [/好象/gu, '好像'],
  [/(?<=不(?:太|大|是很|怎么)?)清[除出]/gu, '清楚'],
  [/(?<=[填输写选搞弄看记点按算听])措/gu, '错'],
];
/**
 * Any of the above may be in the text (a superset of what FILLER_RUN, STUTTER and HOMOPHONES
 * find): most agent turns have none, and one scan answers for the nine. As an expression
 * (`MAYBE_SPOKEN_SOURCE`) the back reference made the engine try every position of every agent
 * turn; one loop over the code units answers the same (spoken-reading.test.ts compares them).
 */
export const MAYBE_SPOKEN_SOURCE =
  '[嗯呃措]|知到|因该|以经|好象|清[除出]|([我您你不没是就也都还又在这那已])\\1';
const ALONE = '嗯呃措';
const DOUBLED = '我您你不没是就也都还又在这那已';
/** What each homophone's first character (知到, 因该…) needs after it. */
const SECOND: Readonly<Record<string, string>> = { 知: '到', 因: '该', 以: '经', 好: '象', 清: '除出' };
/** Per code unit: 1 a filler or 措 (enough alone), 2 stuttered when doubled, 4 a homophone's first. */
const KIND = new Uint8Array(0x10000);
for (const c of ALONE) KIND[c.charCodeAt(0)] = 1;
for (const c of DOUBLED) KIND[c.charCodeAt(0)] = 2;
for (const c of Object.keys(SECOND)) KIND[c.charCodeAt(0)] = 4;
/**
 * `MAYBE_SPOKEN_SOURCE` as an alternation of plain words (嗯|…|我我|…|知到|…): the literal gate
 * (literal-gate.ts) answers it from the scan of the turn it makes anyway, with no loop of its own.
 */
export const MAYBE_SPOKEN_WORDS = [
  ...ALONE,
  ...[...DOUBLED].map((c) => c + c),
  ...Object.entries(SECOND).flatMap(([first, seconds]) => [...seconds].map((c) => first + c)),
].join('|');

/** Whether `text` may read otherwise than written: `new RegExp(MAYBE_SPOKEN_SOURCE, 'u').test`. */
export function maybeSpoken(text: string): boolean {
  let prev = -1;
  let prevKind = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const kind = KIND[c] as number;
    if (kind === 1 || (kind === 2 && c === prev)) return true;
    if (prevKind === 4 && (SECOND[String.fromCharCode(prev)] as string).includes(text[i] as string))
      return true;
    prev = c;
    prevKind = kind;
  }
  return false;
}
/**
 * A turn ending so is a whole sentence: the next turn does not go on with it. Speech recognition
 * often writes no punctuation, and a sentence-final particle (吧/吗/呢/啊/哈/呀/啦) ends it.
 */
const ENDS_SENTENCE = /[。!?.…~\n吧吗呢啊哈呀啦]$/u;
/** A turn starting so starts a sentence of its own (这是我们应该做的 | 那您先忙吧). */
const STARTS_SENTENCE =
  /^(?:那(?=[您你我咱就这么好])|好的|(?:好|行|对|嗯),|然后|另外|请您|麻烦您|谢谢|感谢)/u;
/** How much of the previous turn's unfinished sentence is read with the next turn. */
const TAIL = 12;

export interface SpokenReading {
  text: string;
  /** For each character of `text` (and its end), the offset in the joined original. */
  map: Int32Array;
  /** Length of the previous turn's tail put before the turn (0 when none). */
  tail: number;
}

/**
 * The reading of turn `text`, with `previous` the agent's turn right before it (same speaker,
 * nothing between) or null; null when it reads as written.
 */
export function spokenReading(text: string, previous: string | null): SpokenReading | null {
  let tail = '';
  if (
    previous !== null &&
    previous.length > 0 &&
    !ENDS_SENTENCE.test(previous) &&
    !STARTS_SENTENCE.test(text)
  ) {
    const cut = Math.max(previous.lastIndexOf('。'), previous.lastIndexOf('!'), previous.lastIndexOf('?'));
    tail = previous.slice(Math.max(cut + 1, previous.length - TAIL));
  }
  if (tail === '' && !maybeSpoken(text)) return null;
  const joined = tail + text;
  let out = joined;
  for (const [re, word] of HOMOPHONES) out = out.replace(re, word);
  // Removals keep a map from the reading back to `joined`.
  const keep = new Uint8Array(out.length).fill(1);
  /** Where a filler run with separators is read as one ',' (its first separator). */
  const comma = new Uint8Array(out.length);
  let removed = false;
  for (const m of out.matchAll(FILLER_RUN)) {
    const end = m.index + m[0].length;
    for (let i = m.index; i < end; i++) keep[i] = 0;
    removed = true;
    const restart = m.index > 0 && out[m.index - 1] === out[end] && STUTTER_CHAR.test(out[end] ?? '');
    if (restart || !/[^嗯呃]/u.test(m[0])) continue;
    const first = m[0].search(/[^嗯呃]/u);
    keep[m.index + first] = 1;
    comma[m.index + first] = 1;
  }
  // The last time the word is said is kept: the evidence starts where the words go on.
  for (const m of out.matchAll(STUTTER)) {
    for (let i = m.index; i < m.index + m[0].length - 1; i++) keep[i] = 0;
    removed = true;
  }
  if (tail === '' && !removed && out === joined) return null;
  const map: number[] = [];
  let read = '';
  for (let i = 0; i < out.length; i++) {
    if (keep[i] === 0) continue;
    read += comma[i] === 1 ? ',' : out[i];
    map.push(i);
  }
  map.push(out.length);
  // A stutter left after a filler went (没,呃,没底 → 没没底) is read once as well.
  if (removed) {
    const again = spokenReading(read, null);
    if (again !== null) {
      return {
        text: again.text,
        map: Int32Array.from(again.map, (i) => map[i] as number),
        tail: tail.length,
      };
    }
  }
  return { text: read, map: Int32Array.from(map), tail: tail.length };
}
