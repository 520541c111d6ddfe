// Precision of the word-based QA rules on real help-desk text: `npx tsx scripts/corpus-precision.ts`.
//
// Reads the STC-3 Weibo help-desk dialogues at run time from ../shared/corpus (third-party text,
// evaluation only: never copied into this repository), turns each into an inbound call of the
// generic brand, inspects it with the default scorecard, and joins the findings of the rules
// that fire on words with the hand verdicts in scripts/corpus-judgements.tsv (ids, offsets,
// rule ids, our phrases and verdicts only). Prints, per rule, findings, judged tp/fp, unjudged,
// precision and fire rate; how often the trigger rules applied; robustness checks. See
// scripts/README.md.
//
// Options:
//   --dump [rule]   print the unjudged findings of the focus rules (all sets) with their turn,
//                   to judge them; nothing is written. Add --all to print judged ones too.
//   --scorecard F   use scorecard file F instead of scorecards/default.yaml, and
//   --playbooks D   playbook folder D instead of playbooks/: try a rule change on copies kept
//                   outside the repository before making it (the "gone tp/fp" column shows
//                   judged findings it would remove).
//   --strict        exit 1 on unjudged findings, stale judgements, broken offsets or a throw.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Call } from '../src/calls/model.ts';
import { Catalog } from '../src/playbook/catalog.ts';
import { Inspector } from '../src/qa/engine.ts';
import type { CallResult, Finding } from '../src/qa/result.ts';
import { loadScorecard, walkConditions } from '../src/qa/scorecard.ts';
import type { Condition, Rule } from '../src/qa/scorecard-schema.ts';
import { normalizeText } from '../src/text/normalize.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = resolve(process.env.HUASHU_CORPUS_DIR ?? join(ROOT, '../shared/corpus'));
const CORPUS = join(CORPUS_DIR, 'stc3_weibo_helpdesk_zh.jsonl');
const CORPUS_README = join(CORPUS_DIR, 'README.md');
const JUDGEMENTS = join(ROOT, 'scripts/corpus-judgements.tsv');
const BRAND = 'generic';

/** Rules that fire on the agent's own words: a finding on a customer turn is a bug. */
const AGENT_RULES = [
  'language.forbidden.vague',
  'language.forbidden.provoking',
  'language.forbidden.rhetorical',
  'language.forbidden.excuse',
  'language.forbidden.hedge',
  'language.forbidden.blame',
  'language.forbidden.lecture',
  'language.nin',
  'listen.no-en',
  'language.filler',
  'listen.no-repeated-feedback',
  'opening.no-wei',
];
/** Rules triggered by what the customer says; their findings sit on the customer's turn. */
const TRIGGER_RULES = [
  'emotion.apology-on-complaint',
  'emotion.thanks-reply',
  'complaint.contact-and-deadline',
];
const FOCUS_RULES = [...AGENT_RULES, ...TRIGGER_RULES];

const TSV_COLUMNS = ['dialogueId', 'turn', 'start', 'end', 'rule', 'phrase', 'verdict', 'reason'] as const;

interface Dialogue {
  id: string;
  turns: { speaker: 'agent' | 'customer'; text: string }[];
}

interface Judgement {
  dialogueId: string;
  turn: number;
  start: number;
  end: number;
  rule: string;
  phrase: string;
  verdict: 'tp' | 'fp';
  reason: string;
  line: number;
}

type SetName = 'random' | 'enriched';

// ---- input ----

function readCorpus(): Dialogue[] {
  if (!existsSync(CORPUS)) {
    console.error(`corpus not found: ${CORPUS} (expected beside the repository, in ../shared/corpus)`);
    process.exit(2);
  }
  const out: Dialogue[] = [];
  readFileSync(CORPUS, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        out.push(JSON.parse(line) as Dialogue);
      } catch (err) {
        console.error(`corpus line ${i + 1}: ${(err as Error).message}`);
      }
    });
  return out;
}

/** The 100 keyword-enriched ids, from the fenced block under their heading in the corpus README. */
function enrichedIds(): Set<string> {
  const text = readFileSync(CORPUS_README, 'utf8');
  const section = text.split(/^## Keyword-enriched ids.*$/m)[1] ?? '';
  const block = section.split('```')[1] ?? '';
  const ids = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^stc3-/.test(l));
  if (ids.length === 0) {
    console.error(`no keyword-enriched ids found in ${CORPUS_README}`);
    process.exit(2);
  }
  return new Set(ids);
}

function readJudgements(): Judgement[] {
  if (!existsSync(JUDGEMENTS)) return [];
  const lines = readFileSync(JUDGEMENTS, 'utf8').split('\n');
  const out: Judgement[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const f = line.split('\t');
    if (f[0] === TSV_COLUMNS[0]) return; // header
    const [dialogueId, turn, start, end, rule, phrase, verdict, reason] = f;
    if (!dialogueId || !rule || (verdict !== 'tp' && verdict !== 'fp')) {
      console.error(`${relative(ROOT, JUDGEMENTS)}:${i + 1}: malformed line ignored`);
      return;
    }
    out.push({
      dialogueId,
      turn: Number(turn),
      start: Number(start),
      end: Number(end),
      rule,
      phrase: phrase ?? '',
      verdict,
      reason: reason ?? '',
      line: i + 1,
    });
  });
  return out;
}

// ---- what a rule looks for ----

interface RulePatterns {
  phrases: Set<string>;
  /** The rule's regexes anchored at both ends (the match is exactly the pattern). */
  whole: RegExp[];
  /** The rule's regexes unanchored (the pattern occurs somewhere). */
  inside: RegExp[];
  /** Characters of the regex sources: a match made only of these is "our" phrase. */
  regexChars: Set<string>;
  /** A trigger rule: its failure's evidence is the agent's reply that lacked the words, not the
   * customer's words that set it off, so the slice holds none of the patterns above. */
  trigger: boolean;
}

/** The phrases (normalized) and regexes whose match a finding of the rule points at. */
function rulePatterns(rule: Rule, sets: Record<string, string[]>, catalog: Catalog): RulePatterns {
  const pb = catalog.find(BRAND);
  const resolveItem = (item: string): string[] => {
    if (item.startsWith('$')) return sets[item.slice(1)] ?? [];
    if (item.startsWith('@forbidden.')) {
      const group = item.slice('@forbidden.'.length);
      return (pb?.forbidden ?? []).filter((f) => f.group === group).flatMap((f) => f.phrases);
    }
    if (item === '@brand') return pb ? [pb.brand.name, ...pb.brand.aliases] : [];
    if (item === '@rewrites.habitual') return (pb?.rewrites ?? []).map((r) => r.habitual);
    return [item];
  };
  const phrases = new Set<string>();
  const whole: RegExp[] = [];
  const inside: RegExp[] = [];
  const regexChars = new Set<string>();
  const collect = (c: Condition) => {
    if ('phrases' in c) {
      const op = c.phrases;
      for (const list of [op.any, op.all, op.none, op.of])
        for (const item of list ?? []) for (const p of resolveItem(item)) phrases.add(normalizeText(p));
    }
    if ('regex' in c) {
      const src = ((c.regex.any ?? c.regex.none) as string).replace(/^\^/, '');
      whole.push(new RegExp(`^(?:${src})$`, 'u'));
      inside.push(new RegExp(src, 'u'));
      for (const ch of src) regexChars.add(ch);
    }
  };
  // A trigger's findings point at what set it off; other rules' at what they forbid.
  const root = rule.expect;
  if ('trigger' in root) walkConditions(root.trigger.when, [], collect);
  else walkConditions(root, [], collect);
  return { phrases, whole, inside, regexChars, trigger: 'trigger' in root };
}

/** Our phrase (or our pattern's match) that a finding points at; '' if the slice is not one. */
function findingPhrase(slice: string, p: RulePatterns): string {
  const norm = normalizeText(slice);
  if (p.phrases.has(norm)) return norm;
  if (
    norm.length > 0 &&
    norm.length <= 8 &&
    p.whole.some((re) => re.test(norm)) &&
    [...norm].every((ch) => p.regexChars.has(ch) || ch === ',' || ch === ' ')
  )
    return norm;
  return '';
}

// ---- run ----

const args = process.argv.slice(2);
const dumpAt = args.indexOf('--dump');
const dump = dumpAt >= 0;
const dumpRule =
  dump && args[dumpAt + 1] && !args[dumpAt + 1]?.startsWith('--') ? args[dumpAt + 1] : undefined;
const dumpAll = args.includes('--all');
const strict = args.includes('--strict');
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scorecardFile = option('--scorecard');
const playbookDir = option('--playbooks');

const scorecard = scorecardFile ? loadScorecard(resolve(scorecardFile)) : loadScorecard();
const catalog = playbookDir ? Catalog.load(resolve(playbookDir)) : Catalog.load();
const inspector = new Inspector(scorecard, catalog, { defaultBrand: BRAND });
const rulesById = new Map(scorecard.rules.map((r) => [r.id, r]));
for (const id of FOCUS_RULES)
  if (!rulesById.has(id)) console.error(`warning: rule ${id} is not in the default scorecard`);
const patterns = new Map(
  FOCUS_RULES.flatMap((id) => {
    const r = rulesById.get(id);
    return r ? [[id, rulePatterns(r, scorecard.phraseSets, catalog)] as const] : [];
  }),
);

const dialogues = readCorpus();
const enriched = enrichedIds();
const setOf = (id: string): SetName => (enriched.has(id) ? 'enriched' : 'random');
const judgements = readJudgements();
const judgementKey = (d: string, turn: number, start: number, end: number, rule: string) =>
  `${d}\t${turn}\t${start}\t${end}\t${rule}`;
const judged = new Map<string, Judgement>();
for (const j of judgements) {
  const key = judgementKey(j.dialogueId, j.turn, j.start, j.end, j.rule);
  if (judged.has(key)) console.error(`${relative(ROOT, JUDGEMENTS)}:${j.line}: duplicate judgement`);
  judged.set(key, j);
}
// The trigger rules' `when` is the situation detector, which judges a customer turn whole: its
// finding is that turn, so a judgement made on a phrase of the turn (before the detector) still
// says whether the turn showed the situation. A turn with any tp judgement is a tp.
const turnKey = (d: string, turn: number, rule: string) => `${d}\t${turn}\t${rule}`;
const judgedTurn = new Map<string, Judgement[]>();
for (const j of judgements) {
  if (!TRIGGER_RULES.includes(j.rule)) continue;
  const key = turnKey(j.dialogueId, j.turn, j.rule);
  judgedTurn.set(key, [...(judgedTurn.get(key) ?? []), j]);
}
const turnVerdict = (list: Judgement[]): Judgement =>
  list.find((j) => j.verdict === 'tp') ?? (list[0] as Judgement);

interface RuleStats {
  findings: number;
  tp: number;
  fp: number;
  unjudged: number;
  /** Dialogues where the rule failed / passed / was not applicable. */
  failed: number;
  passed: number;
  na: number;
  /** Judged findings that the rules no longer produce (tp lost = recall lost). */
  goneTp: number;
  goneFp: number;
}
const emptyStats = (): RuleStats => ({
  findings: 0,
  tp: 0,
  fp: 0,
  unjudged: 0,
  failed: 0,
  passed: 0,
  na: 0,
  goneTp: 0,
  goneFp: 0,
});
const stats: Record<SetName, Map<string, RuleStats>> = { random: new Map(), enriched: new Map() };
const statFor = (set: SetName, rule: string): RuleStats => {
  let s = stats[set].get(rule);
  if (!s) {
    s = emptyStats();
    stats[set].set(rule, s);
  }
  return s;
};
const dialogueCount: Record<SetName, number> = { random: 0, enriched: 0 };
const turnCount: Record<SetName, { agent: number; customer: number }> = {
  random: { agent: 0, customer: 0 },
  enriched: { agent: 0, customer: 0 },
};
const crashes: { id: string; message: string }[] = [];
const badOffsets: { id: string; rule: string; turn: number | null; why: string }[] = [];
const onCustomerTurn: { id: string; rule: string; turn: number }[] = [];
const phraseMismatch: { key: string; judged: string; now: string }[] = [];
const seenKeys = new Set<string>();
const messy = { mention: 0, hashtag: 0, invisible: 0, link: 0, multiMessage: 0, traditional: 0 };
/** Dialogues whose focus findings change when the text is made messier (see `perturb`). */
const perturbDiffs: { id: string; before: number; after: number }[] = [];
let perturbBadOffsets = 0;
/** Focus findings whose words straddle two messages of one turn (a line break inside the slice). */
const acrossMessages: { id: string; rule: string; turn: number }[] = [];
const dumpLines: string[] = [];

function checkOffsets(d: Dialogue, f: Finding): string | null {
  if (f.turn === null) return f.start === null && f.end === null ? null : 'offsets without a turn';
  const text = d.turns[f.turn]?.text;
  if (text === undefined) return `turn ${f.turn} out of range`;
  const { start, end } = f;
  if (start === null || end === null) return 'turn without offsets';
  if (!Number.isInteger(start) || !Number.isInteger(end)) return 'non-integer offsets';
  if (!(start >= 0 && start < end && end <= text.length)) return `bad span ${start}-${end} of ${text.length}`;
  const slice = text.slice(start, end);
  const shown = slice.length > 80 ? `${slice.slice(0, 80)}…` : slice;
  if (!f.evidence.startsWith(shown)) return 'evidence is not the slice';
  // A phrase or pattern finding must slice text that normalizes to what the rule looks for.
  const p = patterns.get(f.rule);
  if (p && !p.trigger && (p.phrases.size > 0 || p.inside.length > 0)) {
    const norm = normalizeText(slice);
    // A pattern with context (lookbehind/lookahead: 嗯 inside a sentence) is matched in the turn.
    const turnNorm = normalizeText(text);
    const ok =
      [...p.phrases].some((ph) => norm.includes(ph)) ||
      p.inside.some(
        (re) =>
          re.test(norm) || [...turnNorm.matchAll(new RegExp(re.source, 'gu'))].some((m) => m[0] === norm),
      );
    if (!ok) return 'slice does not contain the rule’s phrase';
  }
  return null;
}

const INVISIBLE_RE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/;
const han = (text: string) => (text.match(/\p{sc=Han}/gu) ?? []).join('');

const toCall = (d: Dialogue): Call => ({
  id: d.id,
  brand: BRAND,
  direction: 'inbound',
  events: [],
  turns: d.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
});

/**
 * The same dialogue made messier in ways normalization must absorb: a zero-width space after
 * every second character, full-width commas and spaces, an @mention and a line break in front.
 */
function perturb(d: Dialogue): Dialogue {
  return {
    id: d.id,
    turns: d.turns.map((t) => ({
      speaker: t.speaker,
      text: `@某客服 \n${[...t.text]
        .map((ch, i) => (ch === ',' ? '，' : ch === ' ' ? '\u3000' : ch) + (i % 2 === 1 ? '\u200b' : ''))
        .join('')}`,
    })),
  };
}

/** What a focus finding is about, independent of offsets: rule, turn and normalized words. */
function focusSignature(d: Dialogue, r: CallResult): string[] {
  return r.findings
    .filter((f) => patterns.has(f.rule))
    .map((f) => {
      const text = f.turn === null ? '' : (d.turns[f.turn]?.text ?? '');
      return `${f.rule}@${f.turn}:${normalizeText(text.slice(f.start ?? 0, f.end ?? 0))}`;
    })
    .sort();
}

for (const d of dialogues) {
  const set = setOf(d.id);
  dialogueCount[set]++;
  for (const t of d.turns) {
    turnCount[set][t.speaker === 'agent' ? 'agent' : 'customer']++;
    if (set !== 'random') continue;
    if (/@\S/.test(t.text)) messy.mention++;
    if (/#[^#\s]+#/.test(t.text)) messy.hashtag++;
    if (INVISIBLE_RE.test(t.text)) messy.invisible++;
    if (/https?:\/\//.test(t.text)) messy.link++;
    if (t.text.includes('\n')) messy.multiMessage++;
    if (han(normalizeText(t.text)) !== han(t.text)) messy.traditional++;
  }
  let result: CallResult;
  try {
    result = inspector.inspect(toCall(d));
  } catch (err) {
    crashes.push({ id: d.id, message: (err as Error).message });
    continue;
  }
  const messier = perturb(d);
  try {
    const r2 = inspector.inspect(toCall(messier));
    for (const f of r2.findings) if (checkOffsets(messier, f)) perturbBadOffsets++;
    const before = focusSignature(d, result);
    const after = focusSignature(messier, r2);
    if (before.join('|') !== after.join('|'))
      perturbDiffs.push({ id: d.id, before: before.length, after: after.length });
  } catch (err) {
    crashes.push({ id: `${d.id} (made messier)`, message: (err as Error).message });
  }
  for (const r of result.rules) {
    const s = statFor(set, r.id);
    if (r.outcome === 'fail') s.failed++;
    else if (r.outcome === 'pass') s.passed++;
    else s.na++;
  }
  for (const f of result.findings) {
    const why = checkOffsets(d, f);
    if (why) badOffsets.push({ id: d.id, rule: f.rule, turn: f.turn, why });
    if (!patterns.has(f.rule)) continue;
    const s = statFor(set, f.rule);
    s.findings++;
    if (f.turn === null || f.start === null || f.end === null) {
      s.unjudged++;
      continue;
    }
    if (AGENT_RULES.includes(f.rule) && d.turns[f.turn]?.speaker !== 'agent')
      onCustomerTurn.push({ id: d.id, rule: f.rule, turn: f.turn });
    // A trigger rule's finding is the whole customer turn (the detector judges turns), line breaks and all.
    const wholeTurn = f.start === 0 && f.end === (d.turns[f.turn]?.text.length ?? -1);
    if (
      !(TRIGGER_RULES.includes(f.rule) && wholeTurn) &&
      d.turns[f.turn]?.text.slice(f.start, f.end).includes('\n')
    )
      acrossMessages.push({ id: d.id, rule: f.rule, turn: f.turn });
    const key = judgementKey(d.id, f.turn, f.start, f.end, f.rule);
    seenKeys.add(key);
    const text = d.turns[f.turn]?.text ?? '';
    const phrase = findingPhrase(text.slice(f.start, f.end), patterns.get(f.rule) as RulePatterns);
    const exact = judged.get(key);
    const byTurn =
      exact || !TRIGGER_RULES.includes(f.rule) ? undefined : judgedTurn.get(turnKey(d.id, f.turn, f.rule));
    for (const t of byTurn ?? []) seenKeys.add(judgementKey(t.dialogueId, t.turn, t.start, t.end, t.rule));
    const j = exact ?? (byTurn ? turnVerdict(byTurn) : undefined);
    if (j) {
      if (j.verdict === 'tp') s.tp++;
      else s.fp++;
      if (exact && j.phrase !== phrase) phraseMismatch.push({ key, judged: j.phrase, now: phrase });
    } else s.unjudged++;
    if (dump && (!j || dumpAll) && (!dumpRule || dumpRule === f.rule)) {
      const { turn, start, end } = { turn: f.turn, start: f.start, end: f.end };
      const mark = (i: number) => {
        const t = d.turns[i];
        if (!t) return '';
        const body =
          i === turn
            ? `${t.text.slice(0, start)}【${t.text.slice(start, end)}】${t.text.slice(end)}`
            : t.text;
        return `   ${i === turn ? '>' : ' '}${i} ${t.speaker === 'agent' ? 'A' : 'C'}: ${body.replace(/\n/g, ' ⏎ ')}`;
      };
      // Trigger rules: the turn before and all after (the window); others: one turn either side.
      const context = d.turns
        .map((_, i) => i)
        .filter((i) => (TRIGGER_RULES.includes(f.rule) ? i >= turn - 1 : Math.abs(i - turn) <= 1));
      dumpLines.push(
        [
          `${[d.id, f.turn, f.start, f.end, f.rule, phrase].join('\t')}\t${j ? `${j.verdict}\t${j.reason}` : ''}   [${set}]`,
          ...context.map(mark),
        ].join('\n'),
      );
    }
  }
}

// Judgements whose finding is gone (a rule changed): a removed fp is a gain, a removed tp a loss.
const stale: Judgement[] = [];
for (const j of judgements) {
  if (seenKeys.has(judgementKey(j.dialogueId, j.turn, j.start, j.end, j.rule))) continue;
  stale.push(j);
  const s = statFor(setOf(j.dialogueId), j.rule);
  if (j.verdict === 'tp') s.goneTp++;
  else s.goneFp++;
}

if (dump) {
  console.log(dumpLines.join('\n\n'));
  console.log(`\n${dumpLines.length} finding(s) printed`);
  process.exit(0);
}

// ---- report ----

const pct = (n: number, d: number) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(0)}%`);
const per100 = (n: number, d: number) => (d === 0 ? '–' : ((100 * n) / d).toFixed(1));
/** 95% Wilson interval of a proportion, in percent: small samples make wide intervals. */
function wilson(k: number, n: number): string {
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return `${Math.round(100 * Math.max(0, centre - half))}–${Math.round(100 * Math.min(1, centre + half))}`;
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, c) => Math.max(...cells.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    `| ${r.map((x, c) => (c === 0 ? x.padEnd(width[c] ?? 0) : x.padStart(width[c] ?? 0))).join(' | ')} |`;
  const rule = `|${width.map((w, c) => (c === 0 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

function focusTable(set: SetName): string {
  const n = dialogueCount[set];
  const rows = FOCUS_RULES.map((id) => {
    const s = stats[set].get(id) ?? emptyStats();
    const applied = s.failed + s.passed;
    return [
      id,
      s.findings,
      s.tp,
      s.fp,
      s.unjudged,
      s.tp + s.fp === 0
        ? '–'
        : `${pct(s.tp, s.tp + s.fp)} (${s.tp}/${s.tp + s.fp}; ${wilson(s.tp, s.tp + s.fp)})`,
      per100(s.findings, n),
      per100(s.failed, n),
      TRIGGER_RULES.includes(id) ? `${applied} (${per100(applied, n)})` : '',
      s.goneTp || s.goneFp ? `${s.goneTp}/${s.goneFp}` : '',
    ];
  });
  return table(
    [
      'rule',
      'findings',
      'tp',
      'fp',
      'unjudged',
      'precision (tp/judged; 95% CI)',
      'findings/100 dlg',
      'failing dlg/100',
      'trigger applied (/100)',
      'gone tp/fp',
    ],
    rows,
  );
}

function otherTable(set: SetName): string {
  const n = dialogueCount[set];
  const rows = scorecard.rules
    .filter((r) => !FOCUS_RULES.includes(r.id))
    .map((r) => {
      const s = stats[set].get(r.id) ?? emptyStats();
      return [r.id, per100(s.failed, n), per100(s.passed, n), per100(s.na, n)];
    });
  return table(['rule (not judged)', 'fail/100 dlg', 'pass/100', 'n/a/100'], rows);
}

console.log(`Huashu corpus precision — ${relative(ROOT, CORPUS)} (third-party text, evaluation only)`);
console.log(
  `scorecard ${relative(ROOT, scorecard.file)}, brand ${BRAND}, direction inbound, no timings/events\n`,
);
for (const set of ['random', 'enriched'] as const) {
  const t = turnCount[set];
  console.log(
    `${set === 'random' ? 'Random sample (rates)' : 'Keyword-enriched stress set (not for rates)'}: ` +
      `${dialogueCount[set]} dialogues, ${t.agent} agent turns, ${t.customer} customer turns scanned\n`,
  );
  console.log(focusTable(set));
  console.log('');
  if (set === 'random') {
    console.log(otherTable(set));
    console.log('');
  }
}

const allTp = FOCUS_RULES.reduce((a, id) => a + (stats.random.get(id)?.tp ?? 0), 0);
const allFp = FOCUS_RULES.reduce((a, id) => a + (stats.random.get(id)?.fp ?? 0), 0);
console.log(
  `All focus rules, random sample: precision ${pct(allTp, allTp + allFp)} (${allTp}/${allTp + allFp})`,
);
console.log('');
console.log('Checks');
console.log(`  dialogues that threw: ${crashes.length}`);
for (const c of crashes) console.log(`    ${c.id}: ${c.message}`);
console.log(`  findings of agent-only rules on a customer turn (must be 0): ${onCustomerTurn.length}`);
for (const c of onCustomerTurn) console.log(`    ${c.id} turn ${c.turn} ${c.rule}`);
console.log(`  findings whose offsets do not slice the turn consistently: ${badOffsets.length}`);
for (const b of badOffsets.slice(0, 30)) console.log(`    ${b.id} turn ${b.turn} ${b.rule}: ${b.why}`);
console.log(`  focus findings straddling two messages of a turn: ${acrossMessages.length}`);
for (const a of acrossMessages) console.log(`    ${a.id} turn ${a.turn} ${a.rule}`);
console.log(`  judgements whose finding is gone (rule changed): ${stale.length}`);
for (const j of stale.slice(0, 30))
  console.log(`    line ${j.line}: ${j.dialogueId} ${j.turn} ${j.start}-${j.end} ${j.rule} (${j.verdict})`);
console.log(`  judgements whose phrase differs from the finding's: ${phraseMismatch.length}`);
for (const m of phraseMismatch.slice(0, 30))
  console.log(`    ${m.key.replace(/\t/g, ' ')}: judged '${m.judged}', now '${m.now}'`);
console.log(
  `  messy text in the random sample (turns): @mention ${messy.mention}, #hashtag# ${messy.hashtag}, ` +
    `zero-width/invisible ${messy.invisible}, link ${messy.link}, several messages ${messy.multiMessage}, ` +
    `Traditional script ${messy.traditional}`,
);
console.log(
  `  made messier (zero-width spaces, full-width punctuation, @mention, line break): ` +
    `${perturbDiffs.length} dialogue(s) with different focus findings, ${perturbBadOffsets} inconsistent offsets`,
);
for (const p of perturbDiffs.slice(0, 30)) console.log(`    ${p.id}: ${p.before} → ${p.after} finding(s)`);

const unjudged = FOCUS_RULES.reduce(
  (a, id) => a + (stats.random.get(id)?.unjudged ?? 0) + (stats.enriched.get(id)?.unjudged ?? 0),
  0,
);
if (unjudged > 0)
  console.log(
    `\n${unjudged} unjudged finding(s): list them with --dump, judge them in ${relative(ROOT, JUDGEMENTS)}.`,
  );
if (
  strict &&
  (unjudged > 0 ||
    stale.length > 0 ||
    badOffsets.length > 0 ||
    perturbBadOffsets > 0 ||
    crashes.length > 0 ||
    onCustomerTurn.length > 0)
)
  process.exit(1);
