// Quality-inspection throughput: the whole default scorecard on N generated calls (about 60
// turns, 1,500 characters each), on one core, side by side with `grep -F -o -f <every
// scorecard phrase> <file> | wc -l` over the same file as the floor. Also checks that
// memory stays flat in N when streaming a JSON Lines file.
//
//   npx tsx bench/qa.ts [calls=5000]
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCallFile } from '../src/calls/import.ts';
import type { Call, Turn } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { brandVariables, renderText } from '../src/playbook/render.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';

const N = Number(process.argv[2] ?? 5000);
const RUNS = 5;
const dir = resolve(import.meta.dirname, '../.bench-tmp');
mkdirSync(dir, { recursive: true });

// Deterministic pseudo-random numbers (mulberry32), so every run inspects the same calls.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const catalog = Catalog.load();
const scorecard = loadScorecard();
const inspector = new Inspector(scorecard, catalog);
inspector.warmUp();
const pb = catalog.find('zhonghua');
if (!pb) throw new Error('zhonghua playbook missing');
const vars = {
  ...brandVariables(pb),
  agentNumber: '1024',
  title: '先生',
  surname: '王',
  problem: '保单查询',
};
const agentLines = pb.scenarios.flatMap((s) => s.lines.map((l) => renderText(l.text, vars).text));
const customerLines = [
  '你好,我想查一下我的保单现在是什么状态',
  '上个月交的保费好像一直没有到账',
  '我的车上周在小区门口被刮了,想报个案',
  '理赔的钱什么时候能到我卡上',
  '你们的电话太难打了,打了好几次都占线',
  '我手机号换了,想改一下预留的手机号',
  '这个保险到期以后是自动续保吗',
  '我要投诉,上次那个业务员态度特别差',
  '能不能帮我查一下还有几天到期',
  '好的,谢谢你',
  '那我需要准备什么材料',
  '发票丢了还能报销吗',
  '我在外地出差,可以异地理赔吗',
  '你说慢一点,我没听清楚',
  '行,那我等你们电话',
  '身份证后六位是一二三四五六',
  '对,就是这个保单',
  '不是,我说的是去年买的那份',
  '大概要多长时间能处理好',
  '麻烦你了,辛苦',
  '那好吧,我再等等',
];

function makeCall(i: number, r: () => number): Call {
  const turns: Turn[] = [];
  let t = 8300;
  const say = (speaker: 'agent' | 'customer', raw: string) => {
    // Transcripts from speech recognition mostly carry full-width punctuation.
    const text = r() < 0.7 ? raw.replace(/,/g, '，').replace(/\?/g, '？').replace(/!/g, '！') : raw;
    const ms = Math.round(text.length * (180 + r() * 60));
    turns.push({ speaker, text, start: t, end: t + ms });
    t += ms + 300 + Math.round(r() * 1500);
  };
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)] ?? '';
  say('agent', `您好,中华保险1024号为您服务`);
  // About 60 turns and 1,500 characters: a turn is one or two sentences.
  while (turns.length < 58) {
    say('customer', r() < 0.3 ? `${pick(customerLines)},${pick(customerLines)}` : pick(customerLines));
    say('agent', r() < 0.6 ? `${pick(agentLines)}${pick(agentLines)}` : pick(agentLines));
  }
  say('agent', '请问您还有其他问题吗?感谢来电,再见!');
  return {
    id: `bench-${i}`,
    brand: 'zhonghua',
    direction: 'inbound',
    agent: { id: String(1000 + (i % 50)) },
    events: [
      { type: 'ring', at: 0 },
      { type: 'answer', at: 8200 },
      { type: 'hangup', at: t, by: 'customer' },
    ],
    turns,
  };
}

async function writeCalls(file: string, n: number): Promise<void> {
  const r = rng(42);
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    if (!out.write(`${JSON.stringify(makeCall(i, r))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

async function main() {
  const file = join(dir, `calls-${N}.jsonl`);
  await writeCalls(file, N);
  const phrasesFile = join(dir, 'phrases.txt');
  writeFileSync(phrasesFile, `${inspector.phrases('zhonghua').join('\n')}\n`);
  const mb = statSync(file).size / 1e6;

  // Calls in memory: the engine alone.
  const calls: Call[] = [];
  const r = rng(42);
  for (let i = 0; i < N; i++) calls.push(makeCall(i, r));
  const chars = calls.reduce((n, c) => n + c.turns.reduce((m, t) => m + t.text.length, 0), 0);
  const turnCount = calls.reduce((n, c) => n + c.turns.length, 0);
  for (const c of calls.slice(0, 500)) inspector.inspect(c); // warm up the JIT
  const engine: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    let findings = 0;
    for (const c of calls) findings += inspector.inspect(c).findings.length;
    engine.push(performance.now() - t0);
    if (findings < 0) console.log(findings);
  }
  calls.length = 0;

  // The whole pipeline: stream the JSON Lines file, validate, inspect.
  const pipeline: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    let n = 0;
    for await (const item of readCallFile(file))
      if (item.ok) n += inspector.inspect(item.call).score >= 0 ? 1 : 0;
    pipeline.push(performance.now() - t0);
    if (n !== N) throw new Error(`inspected ${n} of ${N} calls`);
  }

  // Memory while streaming: resident set size after 10%, 50% and 100% of the file. Flat
  // figures mean no call is kept after it is inspected.
  const rss: number[] = [];
  {
    let n = 0;
    const marks = new Set([Math.floor(N / 10), Math.floor(N / 2), N]);
    for await (const item of readCallFile(file)) {
      if (item.ok) inspector.inspect(item.call);
      n++;
      if (marks.has(n)) rss.push(process.memoryUsage().rss / 1e6);
    }
  }

  // The floor: grep -F over the same file, every occurrence of every phrase.
  const grep: number[] = [];
  let grepCount = '';
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    grepCount = execFileSync(
      'bash',
      ['-c', `LC_ALL=C.UTF-8 grep -F -o -f '${phrasesFile}' '${file}' | wc -l`],
      { encoding: 'utf8' },
    ).trim();
    grep.push(performance.now() - t0);
  }

  const e = median(engine);
  const p = median(pipeline);
  const g = median(grep);
  console.log(
    `calls: ${N}, ${Math.round(chars / N)} characters and ${Math.round(turnCount / N)} turns per call on average, file ${mb.toFixed(1)} MB`,
  );
  console.log(
    `phrases in the default scorecard (zhonghua): ${inspector.phrases('zhonghua').length}; grep found ${grepCount} occurrences`,
  );
  console.log(
    `engine only (calls in memory):  ${(N / (e / 1000)).toFixed(0)} calls/s  (median ${e.toFixed(0)} ms of ${RUNS})`,
  );
  console.log(
    `stream JSONL + validate + inspect: ${(N / (p / 1000)).toFixed(0)} calls/s  (median ${p.toFixed(0)} ms of 3)`,
  );
  console.log(
    `grep -F -o -f phrases | wc -l:  ${(N / (g / 1000)).toFixed(0)} calls/s  (median ${g.toFixed(0)} ms of ${RUNS})`,
  );
  console.log(
    `resident memory while streaming after 10% / 50% / 100% of the calls: ${rss.map((x) => `${x.toFixed(0)} MB`).join(' / ')}`,
  );
  console.log(`ratio engine / grep: ${(e / g).toFixed(2)}×; pipeline / grep: ${(p / g).toFixed(2)}×`);
}

await main();
