// Experiment: word features for the situation detector (issue 9 §2), cross-validated on the
// TRAINING split only. Sets a word tokenizer (src/situations/features.ts `setWordTokens`), whose
// tokens are hashed into the n-gram buckets, then runs scripts/cv-situations.ts unchanged, so
// the figures compare with its shipped-settings run. Not part of the shipped detector.
//
//   SITUATION_WORDS=jieba:uni2 npx tsx scripts/cv-situation-words.ts [cv-situations options]
//   SITUATION_WORDS=fmm:multi  npx tsx scripts/cv-situation-words.ts
//   SITUATION_WORDS=jieba npx tsx scripts/cv-situation-words.ts --speed   # segmenter µs per turn
//
// Segmenter: `jieba` (jieba-rs through @node-rs/jieba, prebuilt binaries; jieba-wasm gives the
// same cut), loaded from SITUATION_SEGMENTER_DIR (default /tmp/seg), a scratch `npm i` outside
// the repository: it is no dependency of the project. `fmm`: forward maximum matching over a
// dictionary taken from the repository (playbook keywords, the lexicon's literal anchors, the
// glossary's Chinese terms), no dependency.
// Tokens: `uni` word unigrams, `uni2` unigrams and bigrams (with start and end marks), `multi`
// words of two or more characters only, `multi2` those and all bigrams. Punctuation and spaces
// are no tokens.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { anchorsOf } from '../src/situations/anchors.ts';
import { prepareText, setWordTokens } from '../src/situations/features.ts';
import { DETECTED_SITUATION_IDS } from '../src/situations/ids.ts';
import { LEXICON } from '../src/situations/lexicon.ts';
import { corpusAvailable, ROOT, readCorpusLines } from './situations-data.ts';

const [segmenter = 'jieba', mode = 'uni'] = (process.env.SITUATION_WORDS ?? 'jieba:uni').split(':');
const DIR = process.env.SITUATION_SEGMENTER_DIR ?? '/tmp/seg';

type Cut = (text: string) => string[];

function jieba(): Cut {
  const require = createRequire(join(DIR, 'package.json'));
  const { Jieba } = require('@node-rs/jieba') as {
    Jieba: { withDict(d: Uint8Array): { cut(t: string, hmm: boolean): string[] } };
  };
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const j = Jieba.withDict(dict);
  const hmm = process.env.SITUATION_JIEBA_HMM !== '0';
  return (text) => j.cut(text, hmm);
}

function jiebaWasm(): Cut {
  const require = createRequire(join(DIR, 'package.json'));
  const j = require('jieba-wasm') as { cut(t: string, hmm: boolean): string[] };
  const hmm = process.env.SITUATION_JIEBA_HMM !== '0';
  return (text) => j.cut(text, hmm);
}

const HAN = /^[\u3400-\u9fff]+$/;

/** The dictionary the repository already holds: Han words of 2–6 characters. */
function repoDictionary(): Set<string> {
  const words = new Set<string>();
  const add = (w: string) => {
    if (w.length >= 2 && w.length <= 6 && HAN.test(w)) words.add(w);
  };
  for (const f of readdirSync(join(ROOT, 'playbooks')).filter((f) => f.endsWith('.yaml'))) {
    for (const m of readFileSync(join(ROOT, 'playbooks', f), 'utf8').matchAll(/keywords:\s*\[([^\]]*)\]/g))
      for (const w of (m[1] as string).split(',')) add(w.trim());
  }
  for (const id of DETECTED_SITUATION_IDS) {
    const l = LEXICON[id];
    for (const r of [l.strong, l.cues, l.traps])
      if (r) for (const w of anchorsOf(r.source, () => true).literals ?? []) add(w);
  }
  for (const line of readFileSync(join(ROOT, '../shared/glossary.md'), 'utf8').split('\n')) {
    const cell = line.split('|')[1];
    if (cell) for (const w of cell.split(/[/()（）\s,、]+/)) add(w);
  }
  return words;
}

function fmm(): Cut {
  const dict = repoDictionary();
  let longest = 0;
  for (const w of dict) longest = Math.max(longest, w.length);
  console.log(`fmm dictionary: ${dict.size} words from the repository`);
  return (text) => {
    const out: string[] = [];
    let i = 0;
    while (i < text.length) {
      let n = Math.min(longest, text.length - i);
      while (n > 1 && !dict.has(text.slice(i, i + n))) n--;
      out.push(text.slice(i, i + n));
      i += n;
    }
    return out;
  };
}

const cut: Cut = segmenter === 'fmm' ? fmm() : segmenter === 'jieba-wasm' ? jiebaWasm() : jieba();
const isWord = (t: string) => /[\p{L}\p{N}]/u.test(t);

function tokens(prepared: string): string[] {
  const words = cut(prepared).filter(isWord);
  const out: string[] = [];
  for (const w of words) if (mode.startsWith('uni') || w.length >= 2) out.push(`w${w}`);
  if (mode.endsWith('2')) {
    const marked = ['\u0002', ...words, '\u0003'];
    for (let i = 0; i + 1 < marked.length; i++) out.push(`b${marked[i]} ${marked[i + 1]}`);
  }
  return out;
}

if (process.argv.includes('--speed')) {
  // Cost of the segmenter alone per turn, on the corpus's training turns (each text once, after
  // a warm-up pass), as the detector would pay it for a turn it has not seen.
  if (!corpusAvailable()) throw new Error('corpus not found');
  const texts = [
    ...new Set(
      readCorpusLines()
        .lines.filter((l) => l.split === 'train')
        .map((l) => l.text),
    ),
  ].map(prepareText);
  for (const t of texts) tokens(t);
  const rounds = 5;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) tokens(t);
  const us = ((performance.now() - start) * 1000) / (rounds * texts.length);
  const chars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
  console.log(
    `${segmenter}:${mode}: ${us.toFixed(1)} µs per turn (${texts.length} turns, ${chars.toFixed(0)} characters on average)`,
  );
} else {
  // Training and detection cut the same texts many times over the folds: remember each cut.
  const memo = new Map<string, string[]>();
  setWordTokens((prepared) => {
    let t = memo.get(prepared);
    if (t === undefined) {
      t = tokens(prepared);
      memo.set(prepared, t);
    }
    return t;
  });
  console.log(`word features: ${segmenter}:${mode}`);
  await import('./cv-situations.ts');
}
