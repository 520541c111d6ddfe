// The data the situation model is trained and measured on, shared by scripts/train-situations.ts
// and bench/detect.ts so both split it the same way:
// - training/situations/seed-lines.jsonl: lines written from the service standards, each with
//   `split` (train | test);
// - training/situations/corpus-labels-*.jsonl: situations per customer turn of the STC-3 Weibo
//   help-desk corpus (labels only); the text is read at run time from ../shared/corpus, never
//   copied here. Dialogues go to test by a stable hash of their id (30%), except the 100 picked
//   by keywords (corpus README), which only ever train.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSituationDetector } from '../src/situations/detect.ts';
import { DETECTED_SITUATIONS, type DetectedSituation } from '../src/situations/ids.ts';
import type { StoredModel } from '../src/situations/model.ts';
import type { TrainingExample } from '../src/situations/train.ts';
import { devCall, devFiles, readDevCases } from './qa-dev.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TRAINING_DIR = join(ROOT, 'training/situations');
export const CORPUS_DIR = resolve(process.env.HUASHU_CORPUS_DIR ?? join(ROOT, '../shared/corpus'));
const CORPUS = join(CORPUS_DIR, 'stc3_weibo_helpdesk_zh.jsonl');
const CORPUS_README = join(CORPUS_DIR, 'README.md');

export type Split = 'train' | 'test';

export interface LabelledLine {
  text: string;
  situations: DetectedSituation[];
  split: Split;
  /** Corpus turns only: the agent's turn just before, and where it comes from. */
  previousAgentText?: string;
  ref?: string;
  /** Corpus turns only: the second labelling's situations (training/situations/second-labelling/). */
  second?: DetectedSituation[];
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function checkIds(list: unknown, where: string): DetectedSituation[] {
  if (!Array.isArray(list)) fail(`${where}: "situations" must be a list of situation ids`);
  for (const s of list) {
    if (typeof s !== 'string' || !(s in DETECTED_SITUATIONS)) {
      fail(`${where}: unknown situation ${JSON.stringify(s)} (see src/situations/ids.ts)`);
    }
  }
  return [...new Set(list as DetectedSituation[])];
}

export function readSeedLines(): LabelledLine[] {
  return readWrittenLines('seed-lines.jsonl');
}

/**
 * training/situations/caller-lines.jsonl: more lines written from the standards, in the way
 * callers speak and posters write (rhetorical questions, price grumbles, lines hard to get
 * through, help-desk posts). All `train`: the held-out seed lines stay the ones measured before.
 */
export function readCallerLines(): LabelledLine[] {
  const lines = readWrittenLines('caller-lines.jsonl');
  const held = lines.findIndex((l) => l.split !== 'train');
  if (held >= 0) fail(`training/situations/caller-lines.jsonl:${held + 1}: every line is "train"`);
  return lines;
}

/**
 * training/situations/phone-lines.jsonl: complaints and anger as callers say them on the phone
 * (rhetorical questions, broken promises, scorn, threats, demands for redress, sarcasm, heat,
 * Traditional script, speech-recognition fillers), written from the standards and GUIDELINES,
 * and at least as many hard negatives (calm questions with 你们, money, 为什么, 什么意思, worries,
 * third parties' delays, thanks in advance, 不是投诉). All `train`, like the caller lines.
 */
export function readPhoneLines(): LabelledLine[] {
  const lines = readWrittenLines('phone-lines.jsonl');
  const held = lines.findIndex((l) => l.split !== 'train');
  if (held >= 0) fail(`training/situations/phone-lines.jsonl:${held + 1}: every line is "train"`);
  return lines;
}

function readWrittenLines(name: string): LabelledLine[] {
  const file = join(TRAINING_DIR, name);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const where = `training/situations/${name}:${i + 1}`;
      const o = JSON.parse(l) as { text?: unknown; situations?: unknown; split?: unknown };
      if (typeof o.text !== 'string' || o.text === '') fail(`${where}: "text" missing`);
      if (o.split !== 'train' && o.split !== 'test') fail(`${where}: "split" must be train or test`);
      return { text: o.text, situations: checkIds(o.situations, where), split: o.split };
    });
}

/** FNV-1a of the dialogue id: the same split on every machine and every run. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export const CORPUS_TEST_PERCENT = 30;

function enrichedIds(): Set<string> {
  const text = readFileSync(CORPUS_README, 'utf8');
  const block = (text.split(/^## Keyword-enriched ids.*$/m)[1] ?? '').split('```')[1] ?? '';
  const ids = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('stc3-'));
  if (ids.length === 0) fail(`no keyword-enriched ids in ${CORPUS_README}`);
  return new Set(ids);
}

export function corpusSplit(id: string, enriched: ReadonlySet<string>): Split {
  if (enriched.has(id)) return 'train';
  return hashId(id) % 100 < CORPUS_TEST_PERCENT ? 'test' : 'train';
}

export function corpusAvailable(): boolean {
  return existsSync(CORPUS) && existsSync(CORPUS_README);
}

/**
 * Labelled customer turns with their text from the corpus. A turn labelled in more than one
 * file keeps its first label (files in name order); `conflicts` counts turns labelled twice
 * differently.
 */
export function readCorpusLines(): { lines: LabelledLine[]; conflicts: number; unmatched: number } {
  if (!corpusAvailable()) {
    fail(
      `corpus not found: ${CORPUS} (expected beside the repository in ../shared/corpus, or set HUASHU_CORPUS_DIR)`,
    );
  }
  const enriched = enrichedIds();
  const dialogues = new Map<string, { speaker: string; text: string }[]>();
  for (const l of readFileSync(CORPUS, 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    const d = JSON.parse(l) as { id: string; turns: { speaker: string; text: string }[] };
    dialogues.set(d.id, d.turns);
  }
  const labels = new Map<string, DetectedSituation[]>();
  let conflicts = 0;
  let unmatched = 0;
  const files = ['corpus-labels-a.jsonl', 'corpus-labels-b.jsonl'].filter((f) =>
    existsSync(join(TRAINING_DIR, f)),
  );
  for (const f of files) {
    readFileSync(join(TRAINING_DIR, f), 'utf8')
      .split('\n')
      .forEach((l, i) => {
        if (l.trim() === '') return;
        const o = JSON.parse(l) as { id: string; turn: number; situations: unknown };
        const key = `${o.id}#${o.turn}`;
        const ids = checkIds(o.situations, `training/situations/${f}:${i + 1}`);
        const before = labels.get(key);
        if (before) {
          if ([...before].sort().join() !== [...ids].sort().join()) conflicts++;
          return;
        }
        labels.set(key, ids);
      });
  }
  // The second labelling, blind to the first: training may use it as a second opinion
  // (SITUATIONS_TRAIN_OPTIONS '{"second":"soft"}'); measuring always uses the first.
  const second = new Map<string, DetectedSituation[]>();
  for (const f of files) {
    const file = join(TRAINING_DIR, 'second-labelling', f);
    if (!existsSync(file)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((l, i) => {
        if (l.trim() === '') return;
        const o = JSON.parse(l) as { id: string; turn: number; situations: unknown };
        const key = `${o.id}#${o.turn}`;
        if (!second.has(key))
          second.set(key, checkIds(o.situations, `training/situations/second-labelling/${f}:${i + 1}`));
      });
  }
  const lines: LabelledLine[] = [];
  for (const [key, situations] of labels) {
    const [id, turnText] = key.split('#') as [string, string];
    const turns = dialogues.get(id);
    const turn = turns?.[Number(turnText)];
    if (!turns || !turn || turn.speaker !== 'customer') {
      unmatched++;
      continue;
    }
    const prev = turns[Number(turnText) - 1];
    lines.push({
      text: turn.text,
      situations,
      split: corpusSplit(id, enriched),
      ref: key,
      ...(prev?.speaker === 'agent' ? { previousAgentText: prev.text } : {}),
      ...(second.has(key) ? { second: second.get(key) } : {}),
    });
  }
  return { lines, conflicts, unmatched };
}

/** A development call's caller turn as a weak label: for `only` these situations, its call one fold group. */
export type DevCallLine = LabelledLine & { only: DetectedSituation[]; group: string };

/**
 * Tuned-on call files that do not train the complaint model. batch-s34.yaml (session 34: 24 outbound
 * calls about who answered, one complaint-free caller turn after another) moved the retrained model
 * toward hearing complaints in calm lines — the complaint area's development cases 599 → 590 of 603
 * as expected, and the held-out evaluation's precision over all rules 0.91 → 0.89 (contact-and-deadline
 * 0.72 → 0.64), checked as a guard against harm — so its calls tune the scorecard only. The cause: the
 * complaint threshold chosen on out-of-fold predictions (train.ts) fell 0.35 → 0.20 with these 796 turns
 * instead of 698. That choice is discrete and flips on small changes of the data. batch-s35.yaml (session 35:
 * 36 calls, grievances that are none or settled) did the same: threshold 0.35 → 0.20, the complaint area
 * 599 → 590; trained with an F-beta of 0.8 or 0.6 for complaint instead (thresholds 0.40, 0.45), the
 * development outcomes were as many as without the batch or fewer (5,376 of the tuned-on parts both ways,
 * the check parts 2,945 → 2,940), so it tunes the scorecard only too. batch-s35b.yaml trains (the default):
 * with it the threshold stayed 0.35, the tuned-on outcomes as many, the check parts 12 more.
 * batch-s36.yaml (session 36: 8 calls on words the agent quotes, 5 of them complaints):
 * the threshold fell 0.35 → 0.20 again, the tuned-on calls 3,401 → 3,397 of 3,451 as expected, the
 * complaint area 599 → 595, the check parts of the calls 2,098 → 2,080: it tunes the scorecard only.
 * batch-s36b.yaml (session 36: 40 calls, complaints said without 投诉 and their look-alikes): the threshold
 * fell 0.35 → 0.25, the tuned-on calls 3,819 → 3,823 of 3,889 as expected but the check parts fewer (the
 * calls' 2,365 → 2,353 of 2,488, the complaint area's 41 → 42, the real threads' 1,078 → 1,080): it tunes
 * the scorecard only. batch-s39a/b.yaml (session 39: 48 chat threads and phone calls, complaints and what
 * they owe, waits and excuses): the tuned-on calls 4,311 → 4,315 of 4,417, but their check parts 2,609 →
 * 2,606 of 2,752, the real threads' tuned-on 1,648 → 1,646 (check 1,078 → 1,080), the complaint area 599 →
 * 597: no gain, the scorecard only. batch-s40a/b.yaml (session 40: 48 phone calls and chat threads, the agent's
 * forbidden language, thanks, waits and complaints): the tuned-on calls 4,823 → 4,818 of 4,945, their check parts
 * 2,861 → 2,847 of 3,016, the complaint area 599 → 597: the scorecard only. batch-s40c.yaml (session 40: 24 calls
 * and threads, complaints told politely or as a story, excuses and their look-alikes): the tuned-on calls 5,069 →
 * 5,075 of 5,209, but their check parts 2,979 → 2,970 of 3,148 and the real threads' 1,648 → 1,646 (check 1,078 →
 * 1,077): the scorecard only. batch-s41a/b/c.yaml (session 41: complaints handled on the phone, help-desk
 * threads, the agent's forbidden language): not tried with the model, kept out as the rounds before them were —
 * the scorecard only. batch-s42a/b/c/d/e.yaml (session 42: complaints told without the usual words, how help-desk
 * threads end, thanks and waits, the agent's provoking words): the same. (Session 42 also retrained complaint with every batch, these
 * included: at the default threshold rule the tuned-on calls +14 but the real threads −6, their calibration
 * readings −4 and the complaint area −3; with a precision floor of 0.8 on the out-of-fold predictions the
 * calls +11 but the real threads' check part −5: no gain, the shipped model kept.)
 */
export const NOT_WEAK_LABELS: ReadonlySet<string> = new Set([
  'batch-s34.yaml',
  'batch-s35.yaml',
  'batch-s36.yaml',
  'batch-s36b.yaml',
  'batch-s39a.yaml',
  'batch-s39b.yaml',
  'batch-s40a.yaml',
  'batch-s40b.yaml',
  'batch-s40c.yaml',
  'batch-s41a.yaml',
  'batch-s41b.yaml',
  'batch-s41c.yaml',
  'batch-s42a.yaml',
  'batch-s42b.yaml',
  'batch-s42c.yaml',
  'batch-s42d.yaml',
  'batch-s42e.yaml',
]);

/**
 * The callers' turns of the quality-inspection development calls (training/qa-dev/calls, the
 * tuned-on parts only: the check parts stay measurement), labelled for `complaint` alone from what
 * each call's inspector expects of the apology rule (`emotion.apology-on-complaint`): a call owing
 * no apology (n/a) shows no complaint in any of its caller's turns; a call owing one (pass or fail)
 * and a contact shows it in the turn the agent's first apology answers when it answered in time
 * (pass), else in the caller's first turn that states something (12 characters or more). Weak
 * labels, a call's turns one fold group: they teach the model callers' complaints told politely or
 * as a story, and the praise, third parties' faults and questions of whole calls that are none —
 * where the seed and corpus lines are thin (top-level README, QA fidelity, "Session 32"). Not the
 * complaint area's short cases: mostly outspoken complaints, they made the model hear one in
 * neutral lines with the same words (你们的师傅说明天来).
 */
export function readDevCallLines(): DevCallLine[] {
  const lines: DevCallLine[] = [];
  const only: DetectedSituation[] = ['complaint'];
  // The lexicon's long-wait reading: strong phrases alone, no model, so no circle through the file
  // this trains.
  const waitDetector = createSituationDetector('lexicon');
  for (const k of readDevCases(
    'calls',
    devFiles('calls').filter((f) => !NOT_WEAK_LABELS.has(f)),
  )) {
    const owed = k.expect['emotion.apology-on-complaint'];
    if (owed === undefined) continue;
    const turns = devCall(k).turns;
    const group = `calls/${k.id}`;
    if (owed === 'n/a') {
      for (const t of turns)
        if (t.speaker === 'customer')
          lines.push({ text: t.text, situations: [], split: 'train', only, group });
      continue;
    }
    // An apology owed with nothing left to answer later (contact-and-deadline n/a: the line hard to
    // get through, 打了好几次才打进来, or a complaint settled in the call) is left out: which turn
    // holds it is least sure there.
    if (k.expect['complaint.contact-and-deadline'] === 'n/a') continue;
    const apology =
      owed === 'pass' ? turns.findIndex((t) => t.speaker === 'agent' && APOLOGY.test(t.text)) : -1;
    let turn = -1;
    for (let i = apology - 1; i >= 0 && turn < 0; i--) if (turns[i]?.speaker === 'customer') turn = i;
    if (turn < 0) turn = turns.findIndex((t) => t.speaker === 'customer' && t.text.length >= 12);
    const t = turns[turn];
    // A wait or the line hard to get through (打了好久才打进来, 你们几天才回复我) is the long-wait rule's
    // (002 一.(七)/二.(四)): not what this label teaches.
    if (t !== undefined && !waitDetector.detect(t.text).includes('long-wait'))
      lines.push({ text: t.text, situations: ['complaint'], split: 'train', only, group });
  }
  return lines;
}

/** An agent's apology, as the weak labels above look for it (not the scorecard's full list). */
const APOLOGY = /对不起|對不起|抱歉|不好意思|歉意|添麻烦|添麻煩/;

/**
 * The training split of the lines given, as `npm run train:situations` trains on them: written
 * lines (caller and phone lines, when asked) as seed lines unless `ownSource`, the development
 * calls' caller turns as seed lines for complaint alone, corpus turns grouped by dialogue (a
 * dialogue's turns share a fold when thresholds are tuned on out-of-fold predictions).
 */
export function trainingExamples(d: {
  seed: readonly LabelledLine[];
  written: readonly LabelledLine[];
  devCalls: readonly DevCallLine[];
  corpus: readonly LabelledLine[];
  ownSource?: boolean;
}): (TrainingExample & { split: Split })[] {
  return [
    ...d.seed.map((l) => ({ ...l, source: 'seed' })),
    ...d.written.map((l) => ({ ...l, source: d.ownSource ? 'caller' : 'seed' })),
    ...d.devCalls.map((l) => ({ ...l, source: 'seed' })),
    ...d.corpus.map((l) => ({ ...l, source: 'corpus', group: l.ref?.split('#')[0] })),
  ].filter((l) => l.split === 'train');
}

/**
 * `fresh` with every situation but `ids` taken from `shipped`: some situations retrained, the
 * others as the file has them (`--classes`). A model of another format or feature count cannot
 * be mixed.
 */
export function withClassesOf(fresh: StoredModel, shipped: StoredModel, ids: readonly string[]): StoredModel {
  for (const id of ids)
    if (!fresh.classes.some((c) => c.id === id)) throw new Error(`--classes: unknown situation ${id}`);
  if (shipped.format !== fresh.format || shipped.featureCount !== fresh.featureCount)
    throw new Error('--classes: model.json is of another format or feature count; train every situation');
  return {
    ...fresh,
    classes: fresh.classes.map((c) =>
      ids.includes(c.id) ? c : (shipped.classes.find((s) => s.id === c.id) ?? c),
    ),
  };
}
