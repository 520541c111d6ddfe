// The detector's output must not change when its machinery is made faster (one-pass lexicon,
// hashed n-grams without strings, the normalization fast path): the hashes below were computed
// by the detector before that work (commit df77330) on the seed lines, variants of them that
// take the slow paths of text preparation, and every turn of the corpus (read at test time from
// ../shared/corpus, skipped if absent; the corpus text is never stored here).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, readSeedLines } from '../../scripts/situations-data.ts';
import { normalize } from '../text/normalize.ts';
import { createSituationDetector } from './detect.ts';
import type { TurnContext } from './detector.ts';
import { lexiconHits, prepareText } from './features.ts';
import type { DetectedSituation } from './ids.ts';

interface Case {
  text: string;
  context?: TurnContext;
}

const ANYTHING_ELSE = '请问还有什么可以帮您?';

/** Seed lines as written, and as speech recognition, chat clients and Traditional writers vary them. */
function seedCases(): Case[] {
  const out: Case[] = [];
  for (const { text } of readSeedLines()) {
    out.push({ text });
    out.push({ text: text.replace(/,/g, '，').replace(/\?/g, '？').replace(/!/g, '！') });
    out.push({ text: ` ${text.replace(/[a-z]/g, (c) => c.toUpperCase()).replace(/,/g, ', ')}\u200b ` });
    out.push({ text, context: { previousAgentText: ANYTHING_ELSE } });
  }
  for (const text of [
    '沒有了',
    '謝謝你們讓我等了三天',
    '我要投訴！！',
    '没有了，谢谢',
    '喂…喂……听得到吗',
    'ＳＢ',
  ]) {
    out.push({ text });
    out.push({ text, context: { previousAgentText: '還有什麼可以幫您？' } });
  }
  return out;
}

const CORPUS = join(CORPUS_DIR, 'stc3_weibo_helpdesk_zh.jsonl');

/** Every turn of the corpus; a customer turn after an agent turn with that turn as context. */
function corpusCases(): Case[] {
  const out: Case[] = [];
  for (const line of readFileSync(CORPUS, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const turns = (JSON.parse(line) as { turns: { speaker: string; text: string }[] }).turns;
    turns.forEach((t, i) => {
      const prev = turns[i - 1];
      out.push(
        prev?.speaker === 'agent' && t.speaker === 'customer'
          ? { text: t.text, context: { previousAgentText: prev.text } }
          : { text: t.text },
      );
    });
  }
  return out;
}

/** One line per case: the situations found, and the lexicon's strong/cue/trap hits as bits. */
function fingerprint(
  cases: readonly Case[],
  /** Give the detector the normalized text, as quality inspection does. */
  normalized = false,
): { detected: string; lexicon: string; found: number } {
  const detector = createSituationDetector();
  const d = createHash('sha256');
  const l = createHash('sha256');
  let found = 0;
  cases.forEach((c, i) => {
    const ids = detector.detect(
      c.text,
      normalized ? { ...c.context, normalized: normalize(c.text).text } : c.context,
    );
    found += ids.length;
    d.update(`${i}\t${ids.join(',')}\n`);
    const h = lexiconHits(prepareText(c.text));
    const bits = (xs: boolean[]) => xs.map((x) => (x ? 1 : 0)).join('');
    l.update(`${i}\t${bits(h.strong)}\t${bits(h.cue)}\t${bits(h.trap)}\n`);
  });
  return { detected: d.digest('hex').slice(0, 16), lexicon: l.digest('hex').slice(0, 16), found };
}

describe('situation detector: faster, the same answers', () => {
  it('finds on the seed lines and their variants exactly what it found before', () => {
    const cases = seedCases();
    expect(cases.length).toBe(2800);
    // Retaken when the lexicon's content changes (complaints in callers' words, issue 11 §1; help-desk
    // wordings for angry, tech-question, product fault, repeat-unresolved, suggestion and a retrained
    // model, issue 9 §2; a remark on the agent's voice as a cannot-hear trap, same detections; a
    // caller complaining of the sales calls they get is no harasser nor asks to be called back:
    // harassment and callback-request traps, 60 harassment detections fewer on these cases; the
    // traps narrowed so a caller harassing us in words and a time to call back still count, same
    // detections; decisive complaint phrases for sales-call objections, 48 complaint detections
    // more on these cases, the lexicon's strong, cue and trap hits unchanged; two held-out harassment
    // lines written, 8 cases more, the 2,792 before them found as before; a repair shop named as
    // a place, 修理厂/修车铺, a repair-request trap: one training line labelled with no situation
    // loses its repair-request in its 4 cases, 2,303 found; the corpus's detections unchanged;
    // session 32, complaint's weights and threshold retrained with the development calls' caller
    // turns, the other situations as they were: 2,307 found, the lexicon's hits unchanged).
    const before = { detected: '61ebe26dc5265aea', lexicon: '93a5a331d4bb2891', found: 2307 };
    expect(fingerprint(cases)).toEqual(before);
    // Quality inspection hands the detector the turn it normalized: the same answers.
    expect(fingerprint(cases, true)).toEqual(before);
  });

  it.skipIf(!existsSync(CORPUS))('finds on every corpus turn exactly what it found before', () => {
    // The sales-call traps: two turns labelled complaint lose a false harassment (narrowed
    // after: same detections; the decisive sales-call complaint phrases fire on no corpus turn).
    // Session 32's complaint retrained: 3,419 found (3,385 before), the lexicon's hits unchanged;
    // session 35's (batch-s35b.yaml among its weak labels): 3,434 found, the seed lines' unchanged.
    const before = { detected: '95e2719890a24c27', lexicon: '9ce49721f855a6a4', found: 3434 };
    expect(fingerprint(corpusCases())).toEqual(before);
    expect(fingerprint(corpusCases(), true)).toEqual(before);
  });

  // Quality inspection asks only for the situations its scorecard reads (detector.focus): for
  // those, the same answers as the whole detector, on every case and with every context.
  const SUBSETS: DetectedSituation[][] = [
    ['thanks', 'complaint', 'angry', 'abusive'],
    ['complaint'],
    ['goodbye', 'long-wait', 'tech-question'],
    ['apology', 'harassment', 'goodbye'],
  ];
  const sameWhenFocused = (cases: readonly Case[]) => {
    const whole = createSituationDetector();
    for (const ids of SUBSETS) {
      const focused = whole.focus?.(ids);
      expect(focused).toBeDefined();
      const wanted = new Set(ids);
      for (const normalized of [false, true]) {
        const differ: string[] = [];
        for (const c of cases) {
          const context = normalized ? { ...c.context, normalized: normalize(c.text).text } : c.context;
          const expected = whole.detect(c.text, context).filter((id) => wanted.has(id));
          const got = focused?.detect(c.text, context) ?? [];
          if (got.join() !== expected.join()) differ.push(`${c.text}: ${got} ≠ ${expected}`);
        }
        expect(differ.slice(0, 5)).toEqual([]);
      }
    }
  };

  it('finds, asked for some situations only, what it finds of them on the seed lines', () => {
    sameWhenFocused(seedCases());
  });

  it.skipIf(!existsSync(CORPUS))(
    'finds, asked for some situations only, what it finds of them on the corpus',
    () => {
      sameWhenFocused(corpusCases());
    },
  );
});
