// How far two independent labellings of the corpus customer turns agree: the first
// (training/situations/corpus-labels-*.jsonl, what the detector trains and is measured on) and a
// second made later by the written guidelines (training/situations/GUIDELINES.md), blind to the
// first and to the detector (training/situations/second-labelling/). Per situation: counts,
// Cohen's kappa, and the second labelling's precision/recall taken against the first — the
// ceiling a detector can be expected to reach against either. Labels only; no corpus text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../training/situations/', import.meta.url));

function load(folder: string): Map<string, Set<string>> {
  const labels = new Map<string, Set<string>>();
  for (const f of ['corpus-labels-a.jsonl', 'corpus-labels-b.jsonl']) {
    for (const line of readFileSync(join(folder, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { id: string; turn: number; situations: string[] };
      labels.set(`${o.id}#${o.turn}`, new Set(o.situations));
    }
  }
  return labels;
}

const first = load(dir);
const second = load(join(dir, 'second-labelling'));
const keys = [...first.keys()].filter((k) => second.has(k));
const ids = [...new Set([...first.values(), ...second.values()].flatMap((s) => [...s]))].sort();
const n = keys.length;
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : ' – ');
console.log(`${n} customer turns labelled twice\n`);
console.log('situation          first  second  both   kappa  P(second|first)  R(second|first)');
let tb = 0;
let tf = 0;
let ts = 0;
for (const id of ids) {
  let a = 0;
  let b = 0;
  let both = 0;
  let agree = 0;
  for (const k of keys) {
    const x = first.get(k)?.has(id) ?? false;
    const y = second.get(k)?.has(id) ?? false;
    if (x) a++;
    if (y) b++;
    if (x && y) both++;
    if (x === y) agree++;
  }
  const po = agree / n;
  const pe = (a / n) * (b / n) + (1 - a / n) * (1 - b / n);
  const kappa = pe === 1 ? 1 : (po - pe) / (1 - pe);
  tb += both;
  tf += a;
  ts += b;
  console.log(
    `${id.padEnd(18)} ${String(a).padStart(5)} ${String(b).padStart(7)} ${String(both).padStart(5)}   ${fmt(kappa)}   ${fmt(both / b).padStart(14)}   ${fmt(both / a).padStart(14)}`,
  );
}
console.log(`\nmicro: second against first P ${fmt(tb / ts)} R ${fmt(tb / tf)}`);
