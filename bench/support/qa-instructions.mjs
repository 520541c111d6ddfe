// A fixed amount of inspection work for instruction counting (valgrind --tool=callgrind), where
// CPU time on a shared machine is too noisy for an A/B. Warms up on the first 300 calls, then
// inspects K more, or replays the situation detector's own calls for them: run with two K and
// divide the difference of the counts by the difference of K for a cost per call that
// start-up, loading and compiling do not blur.
//
//   node bench/support/qa-instructions.mjs inspect K [calls.jsonl] [dist dir]
//   node bench/support/qa-instructions.mjs record 0 calls.jsonl records.json   (native, once)
//   node bench/support/qa-instructions.mjs detector K records.json [dist dir]
//   valgrind --tool=callgrind --smc-check=all-non-file node bench/support/qa-instructions.mjs detector 1200 records.json
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode = 'inspect', kArg = '200', fileArg, distArg] = process.argv.slice(2);
const K = Number(kArg);
const WARM = 300;
const MAX = 1200;
if (!['inspect', 'record', 'detector'].includes(mode) || !Number.isInteger(K) || K < 0 || K > MAX)
  throw new Error(
    `usage: qa-instructions.mjs inspect|record|detector K (0…${MAX}) [file] [dist dir or records.json]`,
  );
const root = resolve(import.meta.dirname, '../..');
const file = fileArg ?? resolve(root, '.bench-tmp/calls-2000.jsonl');
const dist = resolve(mode === 'record' || distArg === undefined ? resolve(root, 'dist') : distArg);
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);

async function readCalls() {
  const { readCallFile } = await load('calls/import.js');
  const calls = [];
  for await (const item of readCallFile(file)) {
    if (!item.ok) throw new Error(`${file}: a call does not load`);
    if (calls.length < WARM + MAX) calls.push(item.call);
  }
  if (calls.length < WARM + MAX)
    throw new Error(`${file}: ${WARM + MAX} calls needed, ${calls.length} found`);
  return calls;
}

let sink = 0;
if (mode === 'inspect' || mode === 'record') {
  const { Inspector } = await load('qa/engine.js');
  const { loadScorecard } = await load('qa/scorecard.js');
  const { Catalog } = await load('playbook/catalog.js');
  const { createSituationDetector } = await load('situations/detect.js');
  const calls = await readCalls();
  if (mode === 'inspect') {
    const inspector = new Inspector(loadScorecard(), Catalog.load());
    inspector.warmUp();
    for (const c of calls.slice(0, WARM + K)) sink += inspector.inspect(c).findings.length;
  } else {
    // What inspection asks the detector, per call: the situations it reads, then the texts.
    const records = [];
    let ids = [];
    let at = 0;
    const recorder = createSituationDetector();
    const wrapped = {
      detect: recorder.detect,
      focus(wanted) {
        ids = wanted;
        const f = recorder.focus(wanted);
        return {
          detect(text, context) {
            records.push([at, text, context ?? null]);
            return f.detect(text, context);
          },
        };
      },
    };
    const inspector = new Inspector(loadScorecard(), Catalog.load(), { detector: wrapped });
    for (at = 0; at < WARM + MAX; at++) inspector.inspect(calls[at]);
    writeFileSync(distArg ?? 'records.json', JSON.stringify({ ids, records }));
    sink = records.length;
  }
} else {
  const { ids, records } = JSON.parse(readFileSync(file, 'utf8'));
  const { createSituationDetector } = await load('situations/detect.js');
  const detector = createSituationDetector().focus(ids);
  for (const [call, text, context] of records)
    if (call < WARM + K) sink += detector.detect(text, context ?? undefined).length;
}
console.log(`${mode} ${K}: ${sink}`);
