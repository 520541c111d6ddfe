// Live assist's per-turn alerts: the cost of checking one agent turn of a 60-turn call with the
// default scorecard, fed turn by turn as a live call is, two ways:
//   prefix  — Inspector.inspect(the call so far) at every agent turn (O(n²) per call), the
//             alerts' settledness left out (a lower bound for that way);
//   live    — LiveRules.alertsFor: each turn normalized and matched once (cached per call),
//             the rules settled on the call so far.
// Prints the median µs per agent turn over the calls, overall and for the last ten agent turns.
//
//   npx tsx bench/alerts.ts [calls=300]
import type { Call, Turn } from '../src/calls/model.ts';
import { LiveRules } from '../src/live/alerts.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { brandVariables, renderText } from '../src/playbook/render.ts';
import { Inspector } from '../src/qa/engine.ts';
import { loadScorecard } from '../src/qa/scorecard.ts';
import { seededRandom as rng } from '../src/shared/random.ts';

const N = Number(process.argv[2] ?? 300);

const catalog = Catalog.load();
const inspector = new Inspector(loadScorecard(), catalog);
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
const agentLines = [
  ...pb.scenarios.flatMap((s) => s.lines.map((l) => renderText(l.text, vars).text)),
  // Some misses, so that alerts are raised too.
  '这个我也不清楚',
  '你等一下',
  '对对对',
  '嗯,好的',
];
const customerLines = [
  '我想查一下我的保单现在是什么状态',
  '上个月交的保费好像一直没有到账',
  '理赔的钱什么时候能到我卡上',
  '你们的电话太难打了,打了好几次都占线',
  '我要投诉,上次那个业务员态度特别差',
  '好的,谢谢你',
  '那我需要准备什么材料',
  '大概要多长时间能处理好',
  '那好吧,我再等等',
];

function makeCall(i: number, r: () => number): Call {
  const turns: Turn[] = [];
  const events: Call['events'] = [
    { type: 'ring', at: 0 },
    { type: 'answer', at: 8200 },
  ];
  let t = 8300;
  const say = (speaker: 'agent' | 'customer', text: string) => {
    const ms = Math.round(text.length * (180 + r() * 60));
    turns.push({ speaker, text, start: t, end: t + ms });
    t += ms + 300 + Math.round(r() * 1500);
  };
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)] ?? '';
  say('agent', '您好,中华保险1024号为您服务');
  while (turns.length < 59) {
    say('customer', pick(customerLines));
    say('agent', r() < 0.5 ? `${pick(agentLines)}${pick(agentLines)}` : pick(agentLines));
    if (turns.length === 30) {
      events.push({ type: 'hold', at: t }, { type: 'unhold', at: t + 40_000 });
      t += 41_000;
    }
  }
  say('agent', '请问您还有其他问题吗?感谢来电,再见!');
  events.push({ type: 'hangup', at: t, by: 'customer' });
  return { id: `bench-${i}`, brand: 'zhonghua', direction: 'inbound', agent: { id: '1024' }, events, turns };
}

/** The call as live assist has it after turn k. */
function soFar(call: Call, k: number): Call {
  const last = call.turns[k];
  const until = last?.end ?? 0;
  return { ...call, turns: call.turns.slice(0, k + 1), events: call.events.filter((e) => e.at <= until) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Median µs per agent turn checked with `check` (all turns, and the last ten of each call). */
function measure(calls: Call[], check: (c: Call, k: number) => number, done: (c: Call) => void) {
  const all: number[] = [];
  const lastTen: number[] = [];
  let sink = 0;
  for (const call of calls) {
    const agentTurns = call.turns.flatMap((t, k) => (t.speaker === 'agent' ? [k] : []));
    const prefixes = agentTurns.map((k) => soFar(call, k));
    agentTurns.forEach((k, j) => {
      const t0 = performance.now();
      sink += check(prefixes[j] as Call, k);
      const us = (performance.now() - t0) * 1000;
      all.push(us);
      if (j >= agentTurns.length - 10) lastTen.push(us);
    });
    done(call);
  }
  if (sink < 0) console.log(sink);
  return { all: median(all), lastTen: median(lastTen) };
}

const r = rng(7);
const calls = Array.from({ length: N }, (_, i) => makeCall(i, r));

const prefixWay = (c: Call) => inspector.inspect(c).findings.length;
const rules = new LiveRules(inspector);
const liveWay = (c: Call, k: number) => rules.alertsFor(c, k).length;
const forget = (c: Call) => void rules.inspect(c); // hang-up: the call's cache goes
// Rounds alternate the two ways (the first warms the JIT up); the median round is reported.
const rounds: { prefix: ReturnType<typeof measure>; live: ReturnType<typeof measure> }[] = [];
for (let round = 0; round < 6; round++) {
  const prefix = measure(calls, prefixWay, () => {});
  const live = measure(calls, liveWay, forget);
  if (round > 0) rounds.push({ prefix, live });
}
const mid = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f));
let alerts = 0;
for (const c of calls) {
  for (let k = 0; k < c.turns.length; k++) alerts += rules.alertsFor(soFar(c, k), k).length;
  rules.inspect(c);
}
const fmt = (x: number) => x.toFixed(0).padStart(6);
console.log(
  `${N} calls of ${calls[0]?.turns.length} turns, default scorecard, one core; median µs per agent turn`,
);
console.log('way                          all turns  last 10 turns');
console.log(
  `prefix re-inspection         ${fmt(mid((x) => x.prefix.all))}     ${fmt(mid((x) => x.prefix.lastTen))}`,
);
console.log(
  `LiveRules.alertsFor          ${fmt(mid((x) => x.live.all))}     ${fmt(mid((x) => x.live.lastTen))}`,
);
console.log(`alerts raised: ${(alerts / N).toFixed(1)} per call`);
