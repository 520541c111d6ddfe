// Quality-inspection throughput: the whole default scorecard on N generated calls (about 60
// turns, 1,500 characters each), on one core, side by side with `grep -F -o -f <every
// scorecard phrase> <file> | wc -l` over the same file as the floor. Also checks that
// memory stays flat in N when streaming a JSON Lines file, and times `huashu qa --json` as the
// issue states its target: on one core (taskset), once started (less a run on its first call),
// and steady (the second N calls of a 2N-call file: the compiler's warm-up behind).
//
//   npx tsx bench/qa.ts [calls=5000]
//
// The generated customer turns vary as real ones do (templates with fillers, dates, amounts,
// numbers, places): most long turns are distinct, short ones (好的, 谢谢) repeat, so the
// situation detector's memo saves what it would save on real calls and no more. The bench
// prints how distinct they are and what the detector costs per turn it has not seen.
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCallFile } from '../src/calls/import.ts';
import type { Call, Turn } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { brandVariables, renderText } from '../src/playbook/render.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadGrievanceClassifier, type StoredGrievanceModel } from '../src/qa/grievance-classifier.ts';
import grievanceModel from '../src/qa/grievance-model.json' with { type: 'json' };
import { loadLanguageClassifier, type StoredLanguageModel } from '../src/qa/language-classifier.ts';
import languageModel from '../src/qa/language-model.json' with { type: 'json' };
import { loadScorecard } from '../src/qa/scorecard.ts';
import { seededRandom as rng } from '../src/shared/random.ts';
import { createSituationDetector } from '../src/situations/detect.ts';
import { lexiconHits, prepareText } from '../src/situations/features.ts';

const N = Number(process.argv[2] ?? 5000);
const RUNS = 5;
const dir = resolve(import.meta.dirname, '../.bench-tmp');
mkdirSync(dir, { recursive: true });

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
// Customer turns as real calls vary them: most long turns are distinct (a caller's own words,
// dates, amounts, policy numbers, places, fillers of speech recognition), short ones repeat
// (好的, 嗯, 谢谢). An earlier version drew every turn from 21 fixed lines, so the situation
// detector's memo remembered nearly all of them and flattered the engine.
const SHORT = [
  '好的',
  '嗯',
  '嗯嗯',
  '对',
  '对的',
  '是的',
  '行',
  '可以',
  '谢谢',
  '好的,谢谢',
  '明白了',
  '知道了',
  '没有了',
  '喂',
  '你说',
  '稍等一下',
  '好',
  '啊?',
  '哦',
  '没问题',
];
const PRODUCT = [
  '车险',
  '保单',
  '寿险',
  '意外险',
  '医疗险',
  '重疾险',
  '家财险',
  '理赔款',
  '保费',
  '退保金',
  '分红',
  '年金险',
];
const WHEN = [
  '上个月',
  '上周三',
  '前天',
  '昨天下午',
  '去年年底',
  '这个月初',
  '两个星期前',
  '大前天',
  '上周末',
  '今天早上',
];
const PLACE = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '成都',
  '武汉',
  '杭州',
  '南京',
  '西安',
  '重庆',
  '长沙',
  '郑州',
  '青岛',
  '苏州',
  '昆明',
  '沈阳',
];
const PERSON = [
  '那个业务员',
  '你们的理赔员',
  '小王',
  '李经理',
  '之前那个客服',
  '我们这边的代理人',
  '我老婆',
  '我儿子',
  '我们单位的人',
  '4S店的人',
];
const FILLER = ['', '', '', '那个', '就是', '嗯', '呃', '然后', '就是说', '怎么说呢', '对', '你知道吧'];
const WANT = ['查一下', '问一下', '确认一下', '改一下', '办一下', '咨询一下', '了解一下', '看一下'];
const THING = [
  '保单状态',
  '理赔进度',
  '缴费记录',
  '受益人信息',
  '预留手机号',
  '银行卡号',
  '保障范围',
  '到期时间',
  '发票',
  '保单贷款',
];
const FEEL = ['挺着急的', '有点担心', '不太明白', '搞不清楚', '一直没弄懂', '没什么头绪'];
const TEMPLATES: ((r: () => number) => string)[] = [
  (r) => `${f(r)}我想${pick(r, WANT)}我的${pick(r, THING)},保单号是${digits(r, 10)}`,
  (r) => `${pick(r, WHEN)}交的${pick(r, PRODUCT)}${yuan(r)}好像${f(r)}一直没有到账`,
  (r) =>
    `我的车${pick(r, WHEN)}在${pick(r, PLACE)}${pick(r, ['小区门口', '高速上', '停车场', '路口'])}被${pick(r, ['刮了', '追尾了', '撞了一下', '蹭了'])},想报个案`,
  (r) => `${f(r)}${pick(r, PRODUCT)}的钱什么时候能到我卡上,尾号${digits(r, 4)}的那张`,
  (r) => `我人在${pick(r, PLACE)}出差,${pick(r, PRODUCT)}能不能异地办,${f(r)}大概要${n(r, 2, 20)}天吗`,
  (r) =>
    `${pick(r, PERSON)}${pick(r, WHEN)}跟我说${pick(r, ['三天', '一个礼拜', '五个工作日', '月底前'])}就能办好,${f(r)}现在还没动静`,
  (r) =>
    `身份证后${pick(r, ['四', '六'])}位是${digits(r, 4)},${f(r)}手机号${digits(r, 3)}${digits(r, 4)}${digits(r, 4)}`,
  (r) => `${f(r)}我${pick(r, FEEL)},${pick(r, PRODUCT)}${yuan(r)}到底是怎么算出来的`,
  (r) => `你们${pick(r, WHEN)}从我卡里扣了${yuan(r)},${f(r)}我根本没同意过`,
  (r) =>
    `${f(r)}我打了${n(r, 2, 9)}次电话了,${pick(r, ['一直占线', '每次都说会回电', '转了好几个人', '等了半个多小时'])}`,
  (r) =>
    `我要投诉,${pick(r, PERSON)}态度${pick(r, ['特别差', '太差了', '很不耐烦', '一点都不专业'])},${f(r)}${pick(r, WHEN)}的事`,
  (r) =>
    `${f(r)}那我需要准备${pick(r, ['哪些材料', '什么证件', '几张照片', '原件还是复印件'])},${pick(r, ['寄到哪里', '交给谁', '在网上传可以吗', '去哪个网点'])}`,
  (r) =>
    `${pick(r, THING)}我${pick(r, WHEN)}在${pick(r, ['app上', '网上', '营业厅', '微信公众号里'])}改过了,${f(r)}怎么还是${pick(r, ['旧的', '不对', '没变', '显示失败'])}`,
  (r) => `${f(r)}你说慢一点,${pick(r, ['我没听清楚', '信号不太好', '我记一下', '我拿笔写一下'])}`,
  (r) =>
    `行,${pick(r, ['那我等你们电话', '你们尽快处理一下', '我明天再打过来', '麻烦你帮我记一下'])},${f(r)}我的号码是${digits(r, 3)}${digits(r, 4)}${digits(r, 4)}`,
  (r) =>
    `${f(r)}不是,我说的是${pick(r, ['去年', '前年', '上个月', '年初'])}${pick(r, ['买的', '续的', '在银行办的', '在网上买的'])}那份${pick(r, PRODUCT)}`,
  (r) => `大概要多长时间能${pick(r, ['处理好', '赔下来', '审核完', '退回来'])},${f(r)}我${pick(r, FEEL)}`,
  (r) =>
    `${pick(r, ['太感谢了', '谢谢你啊', '辛苦你了', '麻烦你了'])},${f(r)}${pick(r, ['你讲得很清楚', '帮了大忙', '那我就放心了', '我知道怎么弄了'])}`,
  (r) => `${f(r)}保额${yuan(r)}的话,${pick(r, ['一年交多少', '每个月扣多少', '能赔多少', '要交几年'])}`,
];
function pick(r: () => number, xs: readonly string[]): string {
  return xs[Math.floor(r() * xs.length)] ?? '';
}
function n(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}
function digits(r: () => number, k: number): string {
  let s = '';
  for (let i = 0; i < k; i++) s += String(Math.floor(r() * 10));
  return s;
}
const yuan = (r: () => number) => (r() < 0.5 ? `${n(r, 50, 9999)}块` : `${n(r, 1, 99) * 100}元`);
const f = (r: () => number) => {
  const x = pick(r, FILLER);
  return x ? `${x},` : '';
};
function customerTurn(r: () => number): string {
  if (r() < 0.4) return pick(r, SHORT);
  const one = (TEMPLATES[Math.floor(r() * TEMPLATES.length)] as (r: () => number) => string)(r);
  return r() < 0.25
    ? `${one},${(TEMPLATES[Math.floor(r() * TEMPLATES.length)] as (r: () => number) => string)(r)}`
    : one;
}

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
  say('agent', `您好,中华保险1024号为您服务`);
  // About 60 turns and 1,500 characters: a turn is one or two sentences.
  while (turns.length < 58) {
    say('customer', customerTurn(r));
    say('agent', r() < 0.6 ? `${pick(r, agentLines)}${pick(r, agentLines)}` : pick(r, agentLines));
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

/** Milliseconds of CPU time (user + system) this process spent since `from`: on a loaded machine,
 * what the work costs on one core, apart from the time other processes held it. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(0)}%`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

async function main() {
  const file = join(dir, `calls-${N}.jsonl`);
  await writeCalls(file, N);
  // The file's first line, as writeCalls wrote it (the same generator and seed).
  const firstLine = JSON.stringify(makeCall(0, rng(42)));
  const phrasesFile = join(dir, 'phrases.txt');
  writeFileSync(phrasesFile, `${inspector.phrases('zhonghua').join('\n')}\n`);
  const mb = statSync(file).size / 1e6;

  // Calls in memory: the engine alone.
  const calls: Call[] = [];
  const r = rng(42);
  for (let i = 0; i < N; i++) calls.push(makeCall(i, r));
  const chars = calls.reduce((n, c) => n + c.turns.reduce((m, t) => m + t.text.length, 0), 0);
  const turnCount = calls.reduce((n, c) => n + c.turns.length, 0);
  // How varied the customer turns are (what the detector's memo can and cannot save), and
  // what the detector costs per turn it has not seen, by stage.
  const customer = calls.flatMap((c) => c.turns.filter((t) => t.speaker === 'customer').map((t) => t.text));
  const long = customer.filter((t) => t.length >= 8);
  const unseen = [...new Set(customer)].slice(0, 20_000);
  const perTurn = (fn: (t: string) => unknown, warm = true) => {
    if (warm) for (const t of unseen.slice(0, 2000)) fn(t);
    const c0 = process.cpuUsage();
    for (const t of unseen) fn(t);
    return (cpuMs(c0) * 1000) / unseen.length;
  };
  const prepUs = perTurn(prepareText);
  const prepared = unseen.map(prepareText);
  let li = 0;
  const lexUs = perTurn(() => lexiconHits(prepared[li++ % prepared.length] as string));
  const detector = createSituationDetector();
  for (const t of unseen.slice(0, 2000)) detector.detect(`${t}。`); // warm up
  // A fresh detector, warmed on other texts: every timed text is unseen by its memo.
  const detectUs = perTurn((t) => detector.detect(t), false);
  // The language classifier per agent line it has not seen (a fresh one, warmed on other
  // texts: its memo holds none of the timed ones). The bench's agent lines are the playbook's,
  // which its memo keeps after the first call; a real agent varies them.
  const classifier = loadLanguageClassifier(languageModel as StoredLanguageModel);
  for (const t of prepared.slice(0, 2000)) classifier.flagsNormalized(`${t}。`);
  // The engine hands it its turns normalized already (as `prepared` are).
  let ci = 0;
  const classifyUs = perTurn(
    () => classifier.flagsNormalized(prepared[ci++ % prepared.length] as string),
    false,
  );
  // The grievance classifier (opt-in, not in the default scorecard) per customer turn it has
  // not seen, a fresh one warmed on other texts; a scorecard that asks it reads one turn a call.
  const grievance = loadGrievanceClassifier(grievanceModel as StoredGrievanceModel);
  for (const t of prepared.slice(0, 2000)) grievance.readsNormalized(`${t}。`);
  let gi = 0;
  const grievanceUs = perTurn(
    () => grievance.readsNormalized(prepared[gi++ % prepared.length] as string),
    false,
  );
  const agentTurns = turnCount - customer.length;

  for (const c of calls.slice(0, 500)) inspector.inspect(c); // warm up the JIT
  const engine: number[] = [];
  const engineCpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let findings = 0;
    for (const c of calls) findings += inspector.inspect(c).findings.length;
    engine.push(performance.now() - t0);
    engineCpu.push(cpuMs(c0));
    if (findings < 0) console.log(findings);
  }
  calls.length = 0;

  // The whole pipeline: stream the JSON Lines file, validate, inspect.
  const pipeline: number[] = [];
  const pipelineCpu: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let n = 0;
    for await (const item of readCallFile(file))
      if (item.ok) n += inspector.inspect(item.call).score >= 0 ? 1 : 0;
    pipeline.push(performance.now() - t0);
    pipelineCpu.push(cpuMs(c0));
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

  // The whole process as a user runs it, if the build is current (npm run build): wall clock,
  // and its CPU time as the shell's `times` tells it (user + system of the finished child),
  // which on a loaded machine is what it costs apart from the time others held the cores.
  let cli = Number.NaN;
  let cliCpu = Number.NaN;
  if (spawnSync('node', [resolve(import.meta.dirname, '../bin/dist-current.js')]).status === 0) {
    const t0 = performance.now();
    const times = execFileSync(
      'bash',
      [
        '-c',
        `node '${resolve(import.meta.dirname, '../bin/huashu.js')}' qa --json '${file}' > /dev/null; times`,
      ],
      { encoding: 'utf8' },
    );
    cli = performance.now() - t0;
    // `times`: the shell's user and system time, then its children's ("0m12.167s 0m0.963s").
    const children = times.trim().split('\n')[1] ?? '';
    const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => 60 * Number(m[1]) + Number(m[2]));
    if (secs.length === 2) cliCpu = 1000 * ((secs[0] as number) + (secs[1] as number));
  }

  // The issue's figure: one core, once started. The whole process pinned to one CPU (taskset,
  // where the machine has it; V8's collector and compiler threads then share that CPU too), three
  // runs on the file and three on its first call alone (start-up: loading, building the
  // scorecard for the default brand and then for the calls' own, which an empty file would not
  // build), medians; their difference is the reading, checking and inspecting of the other
  // N − 1 calls and the writing of their results.
  let pinned = Number.NaN;
  let pinnedStart = Number.NaN;
  let pinnedSecondHalf = Number.NaN;
  if (!Number.isNaN(cli) && spawnSync('taskset', ['-c', '0', 'true']).status === 0) {
    const empty = join(dir, 'first-call.jsonl');
    writeFileSync(empty, `${firstLine}\n`);
    const huashu = resolve(import.meta.dirname, '../bin/huashu.js');
    const timed = (f: string) => {
      const t0 = performance.now();
      execFileSync('taskset', ['-c', '0', 'node', huashu, 'qa', '--json', f], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return performance.now() - t0;
    };
    // Steady: a file of 2N calls, the same N first and N more after them (the same generator
    // and seed, so the second N are as varied and as new to the memos), less the N-call file:
    // what calls N + 1 … 2N cost, once the compiler's warm-up is behind.
    const double = join(dir, `calls-${2 * N}.jsonl`);
    await writeCalls(double, 2 * N);
    const whole: number[] = [];
    const start: number[] = [];
    const twice: number[] = [];
    for (let k = 0; k < 3; k++) {
      whole.push(timed(file));
      start.push(timed(empty));
      twice.push(timed(double));
    }
    rmSync(double);
    pinned = median(whole);
    pinnedStart = median(start);
    pinnedSecondHalf = median(twice) - pinned;
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
    `customer turns: ${customer.length}, ${pct(new Set(customer).size, customer.length)} distinct; of ${long.length} with 8 characters or more, ${pct(new Set(long).size, long.length)} distinct`,
  );
  console.log(
    `detector per unseen customer turn, CPU time (${unseen.length} distinct, ${Math.round(unseen.reduce((a, t) => a + t.length, 0) / unseen.length)} characters on average): ${detectUs.toFixed(1)} µs = preparation ${prepUs.toFixed(1)} + lexicon ${lexUs.toFixed(1)} + n-grams, model, decision ${(detectUs - prepUs - lexUs).toFixed(1)}`,
  );
  console.log(
    `language classifier per unseen line, CPU time (the same texts): ${classifyUs.toFixed(1)} µs; were every agent line unseen (${Math.round(agentTurns / N)} a call): ${((classifyUs * agentTurns) / N).toFixed(0)} µs a call`,
  );
  console.log(
    `grievance classifier (opt-in) per unseen customer turn, CPU time (the same texts): ${grievanceUs.toFixed(1)} µs, one turn a call`,
  );
  console.log(
    `engine only (calls in memory):  ${(N / (e / 1000)).toFixed(0)} calls/s  (median ${e.toFixed(0)} ms of ${RUNS}); by CPU time ${(N / (median(engineCpu) / 1000)).toFixed(0)} calls/s`,
  );
  console.log(
    `stream JSONL + validate + inspect: ${(N / (p / 1000)).toFixed(0)} calls/s  (median ${p.toFixed(0)} ms of 3); by CPU time ${(N / (median(pipelineCpu) / 1000)).toFixed(0)} calls/s`,
  );
  if (!Number.isNaN(cli))
    console.log(
      `huashu qa --json file > /dev/null (whole process, one run): ${(N / (cli / 1000)).toFixed(0)} calls/s  (${cli.toFixed(0)} ms); by CPU time ${(N / (cliCpu / 1000)).toFixed(0)} calls/s (${cliCpu.toFixed(0)} ms)`,
    );
  else console.log('huashu qa --json: dist/ is not current, not measured (npm run build)');
  if (!Number.isNaN(pinned))
    console.log(
      `huashu qa --json on one core (taskset), once started: ${((N - 1) / ((pinned - pinnedStart) / 1000)).toFixed(0)} calls/s  (median ${pinned.toFixed(0)} ms of 3, less start-up ${pinnedStart.toFixed(0)} ms: the first call alone, median of 3)`,
    );
  if (!Number.isNaN(pinnedSecondHalf))
    console.log(
      `huashu qa --json on one core, steady (calls ${N + 1}…${2 * N} of a ${2 * N}-call file, less the ${N}-call file): ${(N / (pinnedSecondHalf / 1000)).toFixed(0)} calls/s  (${pinnedSecondHalf.toFixed(0)} ms, medians of 3)`,
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
