// Phrase-matching throughput: `npx tsx bench/match.ts` (or `npm run bench:match`).
//
// Builds calls of ~1,500 characters from sentences of the seed documents (read at run time
// from ../shared/seeds, never copied), normalizes them once, then measures characters per
// second of PhraseMatcher and, side by side, of @monyone/aho-corasick (default and double-array
// builds), for a few hundred and a few thousand phrases: pieces of seed sentences (many occur),
// then reversed pieces (few occur, as in real inspection). Prints the median of several runs.
//
// Options: --runs N (default 9), --calls N (default 400).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AhoCorasick as MonyoneAhoCorasick } from '@monyone/aho-corasick';
import { AhoCorasick as MonyoneFast } from '@monyone/aho-corasick/fast';
import { type Normalized, normalize, normalizeText, PhraseMatcher } from '../src/text/index.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};
const RUNS = option('runs', 9);
const CALLS = option('calls', 400);
const CALL_CHARS = 1500;

// Deterministic pseudo-random numbers, so that runs are comparable.
let state = 20240601;
const rnd = (n: number) => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return (state >>> 8) % n;
};

const seedDir = fileURLToPath(new URL('../../shared/seeds/', import.meta.url));
let files: string[];
try {
  files = readdirSync(seedDir).filter((f) => /^\d{3}_.*\.txt$/.test(f));
} catch {
  throw new Error(`seed documents not found in ${seedDir} (the shared folder sits beside the repository)`);
}
const sentences = files
  .flatMap((f) => readFileSync(join(seedDir, f), 'utf8').split(/(?<=[。！？!?；;\n])/))
  .map((s) => s.trim())
  .filter((s) => s.length >= 6);

function makeCall(): string {
  let call = '';
  while (call.length < CALL_CHARS) call += sentences[rnd(sentences.length)];
  return call;
}

const rawCalls = Array.from({ length: CALLS }, makeCall);
const tNorm = performance.now();
const calls: Normalized[] = rawCalls.map(normalize);
const normalizeMs = performance.now() - tNorm;
const texts = calls.map((c) => c.text);
const totalChars = texts.reduce((a, t) => a + t.length, 0);

// Phrases: the forbidden phrases and courtesy words of the seeds, then 2–6 character pieces
// of seed sentences (so that some of them occur, as rule phrases do).
const FIXED = [
  '不清楚',
  '不知道',
  '大概',
  '也许',
  '可能',
  '不晓得',
  '你不明白吗',
  '我刚才已说过了',
  '我跟你说',
  '我们公司的规定是',
  '你去投诉好了',
  '我也没办法',
  '你说呢',
  '谁跟你说的',
  '您好',
  '请',
  '谢谢',
  '对不起',
  '再见',
  '请您稍等',
  '让您久等了',
];
function phrases(count: number, reversed: boolean): string[] {
  const set = new Set(FIXED.map(normalizeText));
  const normalized = sentences.map(normalizeText);
  while (set.size < count) {
    const s = normalized[rnd(normalized.length)] ?? '';
    const len = 2 + rnd(5);
    if (s.length < len) continue;
    const at = rnd(s.length - len + 1);
    // Normalized again so that both matchers get the same phrases (a piece may end in a space).
    let piece = normalizeText(s.slice(at, at + len));
    // Reversed pieces seldom occur: a large dictionary with few hits, as in real inspection.
    if (reversed) piece = [...piece].reverse().join('');
    if (piece.length >= 2) set.add(piece);
  }
  return [...set];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** Median characters per second of `scan` over all calls; returns it and the hits of one pass. */
function measure(scan: (i: number) => number): { rate: number; hits: number } {
  let hits = 0;
  for (let i = 0; i < texts.length; i++) hits += scan(i); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < texts.length; i++) scan(i);
    rates.push(totalChars / ((performance.now() - t0) / 1000));
  }
  return { rate: median(rates), hits };
}

const fmt = (rate: number) => `${(rate / 1e6).toFixed(1).padStart(6)} M chars/s`;
const line = (name: string, r: { rate: number; hits: number }) =>
  console.log(
    `  ${name.padEnd(44)}${fmt(r.rate)}   ${(r.hits / calls.length).toFixed(1).padStart(6)} hits/call`,
  );

console.log(
  `${calls.length} calls × ~${CALL_CHARS} chars (${totalChars.toLocaleString('en')} normalized chars), ` +
    `${sentences.length} seed sentences, median of ${RUNS} runs, node ${process.version}`,
);
console.log(
  `  normalize() of the calls: ${fmt(rawCalls.join('').length / (normalizeMs / 1000))} (first pass: includes building the converter)`,
);
const tText = performance.now();
for (let r = 0; r < 3; r++) for (const c of rawCalls) normalize(c);
console.log(
  `  normalize() warm:         ${fmt((3 * rawCalls.join('').length) / ((performance.now() - tText) / 1000))}`,
);

for (const [count, reversed] of [
  [300, false],
  [3000, false],
  [3000, true],
] as const) {
  const list = phrases(count, reversed);
  const entries = list.map((phrase, value) => ({ phrase, value }));
  const t0 = performance.now();
  const ours = new PhraseMatcher(entries);
  const buildMs = performance.now() - t0;
  const sparse = new PhraseMatcher(entries, { maxTableSize: 0 });
  const t1 = performance.now();
  const mony = new MonyoneAhoCorasick(list);
  const monyBuildMs = performance.now() - t1;
  const t2 = performance.now();
  const monyFast = new MonyoneFast(list);
  const monyFastBuildMs = performance.now() - t2;

  console.log(
    `\n${list.length} phrases${reversed ? ' (pieces reversed: few hits)' : ''} — build: PhraseMatcher ${buildMs.toFixed(1)} ms (${ours.dense ? 'full table' : 'edge lists'}), ` +
      `monyone ${monyBuildMs.toFixed(1)} ms, monyone/fast ${monyFastBuildMs.toFixed(1)} ms`,
  );
  line(
    'PhraseMatcher.count',
    measure((i) => ours.count(calls[i] as Normalized)),
  );
  line(
    'PhraseMatcher.findAll (with original offsets)',
    measure((i) => ours.findAll(calls[i] as Normalized).length),
  );
  line(
    'PhraseMatcher.count, edge lists',
    measure((i) => sparse.count(calls[i] as Normalized)),
  );
  line(
    'PhraseMatcher.findAll, edge lists',
    measure((i) => sparse.findAll(calls[i] as Normalized).length),
  );
  line(
    '@monyone/aho-corasick matchInText',
    measure((i) => mony.matchInText(texts[i] as string).length),
  );
  line(
    '@monyone/aho-corasick/fast matchInText',
    measure((i) => monyFast.matchInText(texts[i] as string).length),
  );
}
