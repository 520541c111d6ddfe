// Rules that need the whole file: unique ids, ids that name their stage, known variables,
// references between scenarios, settings that must agree with each other and that the ticket
// calendar can use, seed sections that exist, and script lines free of the brand's own
// forbidden phrases. With a context, also rules that need the other playbooks (`extends`).
// Anything here that slipped through would otherwise surface later as a 500 on every request
// of the brand, so the loader refuses the file instead.
import { normalize, normalizeText, PhraseMatcher } from '../text/index.ts';
import { calendarProblems, weeklyOpenMinutes } from '../tickets/calendar.ts';
import type { CrossFieldIssue, PathKey } from '../yaml/validated-yaml.ts';
import type { PlaybookFile } from './schema.ts';
import { isSeedSection, SEED_SECTION_IDS } from './seed-sections.ts';
import { VARIABLE_NAMES } from './vocabulary.ts';

export interface ValidationContext {
  /**
   * The playbooks this one may extend, by brand id, each with its own `extends` resolved (so
   * a base carries its base's forbidden phrases). Without it `extends` is not checked here.
   */
  bases?: ReadonlyMap<string, PlaybookFile>;
  /**
   * Harmless words that contain a forbidden phrase (不知道您是否…, 听不清楚): a phrase found
   * inside one of them is not a forbidden use. Quality inspection excludes the same words.
   */
  harmless?: readonly string[];
}

/** A forbidden phrase with where it comes from, for the messages. */
export interface ForbiddenEntry {
  phrase: string;
  group: string;
  /** The brand id of the base it is inherited from; undefined for the file's own phrases. */
  from?: string;
}

const VARIABLE = /\{([^{}]*)\}/g;
const KNOWN = new Set<string>(VARIABLE_NAMES);

/** Problems with `{name}` placeholders in a script text. */
export function variableProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(VARIABLE)) {
    const name = m[1] ?? '';
    if (!KNOWN.has(name)) {
      problems.push(
        `unknown variable {${name}}; expected one of: ${VARIABLE_NAMES.map((v) => `{${v}}`).join(', ')}`,
      );
    }
  }
  const stray = text.replace(VARIABLE, '');
  if (/[{}]/.test(stray)) problems.push('unbalanced { or } (variables are written {name})');
  return problems;
}

/** `days[1]` → ['days', 1], to put a calendar problem's field under the playbook's path. */
function pathKeys(path: string): PathKey[] {
  return path
    .split(/[.[\]]/)
    .filter((k) => k !== '')
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

export function crossFieldIssues(pb: PlaybookFile, context: ValidationContext = {}): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const ids = new Map<string, number>();
  pb.scenarios.forEach((sc, i) => {
    const first = ids.get(sc.id);
    if (first !== undefined) {
      issues.push({
        path: ['scenarios', i, 'id'],
        message: `duplicate scenario id '${sc.id}' (first used by scenarios[${first}])`,
      });
    } else ids.set(sc.id, i);
    const prefix = sc.id.split('.')[0];
    if (prefix !== sc.stage) {
      issues.push({
        path: ['scenarios', i, 'id'],
        message: `scenario id '${sc.id}' must start with its stage '${sc.stage}.' (e.g. '${sc.stage}.${sc.id.split('.').slice(1).join('.')}')`,
      });
    }
    // The title is rendered too (Traditional brands), so an unknown variable there would fail.
    for (const message of variableProblems(sc.title))
      issues.push({ path: ['scenarios', i, 'title'], message });
    sc.lines.forEach((line, j) => {
      for (const message of variableProblems(line.text))
        issues.push({ path: ['scenarios', i, 'lines', j, 'text'], message });
    });
    sc.steps.forEach((step, j) => {
      for (const message of variableProblems(step.text))
        issues.push({ path: ['scenarios', i, 'steps', j, 'text'], message });
    });
  });
  pb.scenarios.forEach((sc, i) => {
    sc.steps.forEach((step, j) => {
      if (step.next !== undefined && !ids.has(step.next)) {
        issues.push({
          path: ['scenarios', i, 'steps', j, 'next'],
          message: `no scenario '${step.next}' in this playbook; expected the id of one of its scenarios`,
        });
      }
    });
  });
  const { agentNumber } = pb.brand;
  if (!new RegExp(agentNumber.pattern).test(agentNumber.example)) {
    issues.push({
      path: ['brand', 'agentNumber', 'example'],
      message: `example '${agentNumber.example}' does not match the pattern ${agentNumber.pattern}`,
    });
  }
  // The ticket calendar is built from these on every ticket: what it refuses must not load.
  const hours = pb.settings.workingHours;
  const calendar = calendarProblems(hours);
  for (const p of calendar)
    issues.push({ path: ['settings', 'workingHours', ...pathKeys(p.path)], message: p.message });
  const { urgent, standard } = pb.settings.complaintReplyHours;
  // Deadlines count working time; the calendar searches ten years for it, so a year is a safe bound.
  const yearOfWork = (weeklyOpenMinutes(hours) * 52) / 60;
  if (calendar.length === 0 && standard > yearOfWork) {
    issues.push({
      path: ['settings', 'complaintReplyHours', 'standard'],
      message: `${standard} working hours is more than a year of these working hours (${Math.floor(yearOfWork)} h); a reply deadline is hours or days, e.g. 24`,
    });
  }
  if (urgent > standard) {
    issues.push({
      path: ['settings', 'complaintReplyHours', 'urgent'],
      message: `the urgent reply deadline (${urgent} h) must not be longer than the standard one (${standard} h)`,
    });
  }
  const seenPhrases = new Map<string, string>();
  pb.forbidden.forEach((group, i) => {
    group.phrases.forEach((phrase, j) => {
      const other = seenPhrases.get(phrase);
      if (other) {
        issues.push({
          path: ['forbidden', i, 'phrases', j],
          message: `'${phrase}' is already listed in group '${other}'`,
        });
      } else seenPhrases.set(phrase, group.group);
      if (normalizeText(phrase) === '')
        issues.push({
          path: ['forbidden', i, 'phrases', j],
          message: `'${phrase}' has no text left once normalized (only invisible characters or a pinyin reading); write the phrase itself`,
        });
    });
  });
  issues.push(...sourceIssues(pb));
  let inherited: ForbiddenEntry[] = [];
  if (pb.extends !== undefined && context.bases) {
    const base = pb.extends === pb.brand.id ? undefined : context.bases.get(pb.extends);
    if (!base) {
      const known = [...context.bases.keys()].filter((id) => id !== pb.brand.id);
      issues.push({
        path: ['extends'],
        message: `no playbook with brand id '${pb.extends}' to extend; expected one of: ${known.join(', ') || '(none)'}`,
      });
    } else {
      const own = new Set(pb.forbidden.flatMap((f) => f.phrases));
      inherited = base.forbidden.flatMap((f) =>
        f.phrases.filter((p) => !own.has(p)).map((phrase) => ({ phrase, group: f.group, from: pb.extends })),
      );
    }
  }
  const own = pb.forbidden.flatMap((f) => f.phrases.map((phrase) => ({ phrase, group: f.group })));
  issues.push(...forbiddenInScript(pb.scenarios, [...inherited, ...own], context.harmless ?? []));
  return issues;
}

/** Every `sources` entry must name a section its seed has (see SEED_SECTION_IDS). */
function sourceIssues(pb: PlaybookFile): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const check = (sources: PlaybookFile['principles'][number]['sources'], at: PathKey[]) => {
    sources.forEach((src, k) => {
      if (isSeedSection(src.seed, src.section)) return;
      // The sections under the same heading are the likely fix; else the seed's first ones.
      const head = src.section.split('.')[0] ?? '';
      const near = SEED_SECTION_IDS[src.seed].filter((id) => id.split('.')[0] === head);
      const ids = near.length > 0 ? near : SEED_SECTION_IDS[src.seed];
      const shown = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, …` : ids.join(', ');
      issues.push({
        path: [...at, 'sources', k, 'section'],
        message: `seed ${src.seed} has no section '${src.section}'; expected one of: ${shown} (see SEED_SECTION_IDS in src/playbook/seed-sections.ts)`,
      });
    });
  };
  pb.scenarios.forEach((sc, i) => {
    check(sc.sources, ['scenarios', i]);
  });
  pb.forbidden.forEach((f, i) => {
    check(f.sources, ['forbidden', i]);
  });
  pb.rewrites.forEach((r, i) => {
    check(r.sources, ['rewrites', i]);
  });
  pb.principles.forEach((p, i) => {
    check(p.sources, ['principles', i]);
  });
  return issues;
}

/**
 * Script lines that say one of the brand's forbidden phrases, matched like quality inspection
 * matches a call: normalized (Traditional and full-width input too), a phrase written with 你
 * also said with 您, and not inside a harmless word. A line the console shows must not be
 * one that inspection then scores as a violation.
 */
export function forbiddenInScript(
  scenarios: PlaybookFile['scenarios'],
  forbidden: readonly ForbiddenEntry[],
  harmless: readonly string[],
): CrossFieldIssue[] {
  const entries = forbidden
    .flatMap((f) =>
      (f.phrase.includes('你') ? [f.phrase, f.phrase.replaceAll('你', '您')] : [f.phrase]).map((p) => ({
        phrase: p,
        value: f,
      })),
    )
    .filter((e) => normalizeText(e.phrase) !== '');
  if (entries.length === 0) return [];
  const matcher = new PhraseMatcher(entries);
  const harmlessMatcher = new PhraseMatcher(
    harmless
      .filter((p) => normalizeText(p) !== '')
      .map((phrase) => ({ phrase, value: normalizeText(phrase) })),
  );
  const issues: CrossFieldIssue[] = [];
  scenarios.forEach((sc, i) => {
    sc.lines.forEach((line, j) => {
      // A variable stands for words not known yet: no phrase may run across it.
      const n = normalize(line.text.replace(/\{[^{}]*\}/g, '\n'));
      const safe = harmlessMatcher.findAll(n);
      const reported = new Set<string>();
      for (const hit of matcher.findAll(n)) {
        const inside = safe.some(
          (s) => s.start <= hit.start && s.end >= hit.end && s.value !== normalizeText(hit.phrase),
        );
        if (inside || reported.has(hit.value.phrase)) continue;
        reported.add(hit.value.phrase);
        const said = n.original.slice(hit.originalStart, hit.originalEnd);
        const origin = hit.value.from ? `, inherited from '${hit.value.from}'` : '';
        issues.push({
          path: ['scenarios', i, 'lines', j, 'text'],
          message: `the script line says '${said}', a forbidden phrase of this brand ('${hit.value.phrase}', group ${hit.value.group}${origin}); rephrase the line`,
        });
      }
    });
  });
  return issues;
}
