// Loads a scorecard file and checks what the schema cannot: unique rule ids, phrase-set and
// rule references that resolve, no cycles between rules that position themselves relative
// to each other. An invalid scorecard throws ScorecardError at load, never mid-batch.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORBIDDEN_GROUP_IDS } from '../playbook/vocabulary.ts';
import {
  type CrossFieldIssue,
  DataFileError,
  type FileIssue,
  type PathKey,
  parseValidatedYaml,
} from '../yaml/validated-yaml.ts';
import {
  type Condition,
  type PhrasesOp,
  type ScorecardFile,
  scorecardFileSchema,
} from './scorecard-schema.ts';

export type Scorecard = ScorecardFile & { file: string };

export const DEFAULT_SCORECARD = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../scorecards/default.yaml',
);

export class ScorecardError extends DataFileError {
  constructor(issues: readonly FileIssue[]) {
    super('scorecard', issues);
    this.name = 'ScorecardError';
  }
}

const PLAYBOOK_REFS = new Set([
  '@brand',
  '@rewrites.habitual',
  ...FORBIDDEN_GROUP_IDS.map((g) => `@forbidden.${g}`),
]);

/** Calls `visit` on every condition of a tree with its path. */
export function walkConditions(
  c: Condition,
  path: PathKey[],
  visit: (c: Condition, path: PathKey[]) => void,
): void {
  visit(c, path);
  if ('all' in c)
    c.all.forEach((x, i) => {
      walkConditions(x, [...path, 'all', i], visit);
    });
  else if ('any' in c)
    c.any.forEach((x, i) => {
      walkConditions(x, [...path, 'any', i], visit);
    });
  else if ('not' in c) walkConditions(c.not, [...path, 'not'], visit);
  else if ('cases' in c)
    c.cases.forEach((x, i) => {
      walkConditions(x.when, [...path, 'cases', i, 'when'], visit);
      walkConditions(x.then, [...path, 'cases', i, 'then'], visit);
    });
  else if ('trigger' in c) {
    walkConditions(c.trigger.when, [...path, 'trigger', 'when'], visit);
    walkConditions(c.trigger.then, [...path, 'trigger', 'then'], visit);
  } else if ('holds' in c) {
    if (c.holds.before) walkConditions(c.holds.before, [...path, 'holds', 'before'], visit);
    if (c.holds.after) walkConditions(c.holds.after, [...path, 'holds', 'after'], visit);
  }
}

/** The phrase lists of a condition (not of its children), with their field names. */
export function phraseLists(c: Condition): [string, string[]][] {
  const op = 'phrases' in c ? c.phrases : 'count' in c ? c.count : 'share' in c ? c.share : undefined;
  if (!op) return [];
  const out: [string, string[]][] = [];
  for (const key of ['any', 'all', 'none', 'of', 'exclude'] as const) {
    const list = (op as Partial<Record<typeof key, string[]>>)[key];
    if (list) out.push([key, list]);
  }
  return out;
}

/** The turns a condition scopes itself to (`turns`), for the operators that take one. */
function turnsOf(c: Condition): PhrasesOp['turns'] {
  const op =
    'phrases' in c
      ? c.phrases
      : 'regex' in c
        ? c.regex
        : 'classifier' in c
          ? c.classifier
          : 'count' in c
            ? c.count
            : 'share' in c
              ? c.share
              : 'situation' in c
                ? c.situation
                : 'agentNumber' in c
                  ? c.agentNumber
                  : undefined;
  return op?.turns;
}

/** Whether a check of `c` adds the turn that set a trigger off (`turns: { withTrigger: true }`). */
export function readsTriggerTurn(c: Condition): boolean {
  let found = false;
  walkConditions(c, [], (x) => {
    if (turnsOf(x)?.withTrigger) found = true;
  });
  return found;
}

/** Whether a condition's path lies inside a trigger's `then`. */
function insideTriggerThen(path: readonly PathKey[]): boolean {
  for (let i = 0; i + 1 < path.length; i++) if (path[i] === 'trigger' && path[i + 1] === 'then') return true;
  return false;
}

/** Rules a condition positions itself after or before. */
export function ruleRefs(c: Condition): string[] {
  const turns = turnsOf(c);
  const refs: string[] = [];
  if (turns?.after) refs.push(turns.after);
  if (turns?.before) refs.push(turns.before);
  return refs;
}

function crossField(sc: ScorecardFile): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const ids = new Map<string, number>();
  sc.rules.forEach((r, i) => {
    if (ids.has(r.id)) issues.push({ path: ['rules', i, 'id'], message: `duplicate rule id '${r.id}'` });
    else ids.set(r.id, i);
  });
  const checkItems = (list: string[], path: PathKey[]) => {
    list.forEach((item, k) => {
      if (item.startsWith('$') && !Object.hasOwn(sc.phraseSets, item.slice(1))) {
        issues.push({
          path: [...path, k],
          message: `no phrase set '${item.slice(1)}' in phraseSets; known: ${Object.keys(sc.phraseSets).join(', ') || '(none)'}`,
        });
      } else if (item.startsWith('@') && !PLAYBOOK_REFS.has(item)) {
        issues.push({
          path: [...path, k],
          message: `unknown playbook reference '${item}'; expected one of: ${[...PLAYBOOK_REFS].join(', ')}`,
        });
      }
    });
  };
  for (const [name, list] of Object.entries(sc.phraseSets)) {
    list.forEach((item, k) => {
      if (item.startsWith('$') || item.startsWith('@'))
        issues.push({
          path: ['phraseSets', name, k],
          message: 'a phrase set holds phrases only, not references',
        });
    });
  }
  if (sc.textHolds) {
    checkItems(sc.textHolds.ask, ['textHolds', 'ask']);
    checkItems(sc.textHolds.back, ['textHolds', 'back']);
    if (sc.textHolds.handover) checkItems(sc.textHolds.handover, ['textHolds', 'handover']);
  }
  for (const [name, c] of Object.entries(sc.conditions)) {
    walkConditions(c, ['conditions', name], (x, path) => {
      for (const [key, list] of phraseLists(x)) checkItems(list, [...path, Object.keys(x)[0] ?? '', key]);
      if (ruleRefs(x).length > 0 || turnsOf(x)?.withTrigger)
        issues.push({
          path: [...path, Object.keys(x)[0] ?? '', 'turns'],
          message:
            'a named condition is read on the whole call: position it by turns (first, last), not after/before a rule nor withTrigger',
        });
    });
  }
  const deps = new Map<string, string[]>();
  sc.rules.forEach((rule, i) => {
    const refs: string[] = [];
    const visit = (c: Condition, path: PathKey[]) => {
      for (const [key, list] of phraseLists(c)) {
        const opName = Object.keys(c)[0] ?? '';
        checkItems(list, [...path, opName, key]);
      }
      if (turnsOf(c)?.withTrigger && !insideTriggerThen(path)) {
        const opName = Object.keys(c)[0] ?? '';
        issues.push({
          path: [...path, opName, 'turns', 'withTrigger'],
          message:
            "withTrigger adds the turn that set a trigger off: use it only inside a trigger's then (trigger: { when, then })",
        });
      }
      for (const ref of ruleRefs(c)) {
        const opName = Object.keys(c)[0] ?? '';
        if (!ids.has(ref))
          issues.push({
            path: [...path, opName, 'turns'],
            message: `no rule '${ref}' in this scorecard to position after/before`,
          });
        else refs.push(ref);
      }
    };
    if (rule.when) walkConditions(rule.when, ['rules', i, 'when'], visit);
    walkConditions(rule.expect, ['rules', i, 'expect'], visit);
    deps.set(rule.id, refs);
  });
  // Rules are evaluated after the rules they refer to; a cycle has no such order.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, chain: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const i = ids.get(id) ?? 0;
      issues.push({
        path: ['rules', i, 'id'],
        message: `rules refer to each other in a cycle: ${[...chain, id].join(' → ')}`,
      });
      return;
    }
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...chain, id]);
    state.set(id, 'done');
  };
  for (const r of sc.rules) visit(r.id, []);
  return issues;
}

export function parseScorecard(text: string, file: string): Scorecard {
  const data = parseValidatedYaml(text, {
    file,
    schema: scorecardFileSchema,
    error: (issues) => new ScorecardError(issues),
    docsHint: 'see scorecards/README.md for the format',
    crossField,
  });
  return { ...data, file };
}

export function loadScorecard(path: string = DEFAULT_SCORECARD): Scorecard {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ScorecardError([
      { file: path, line: 0, column: 0, path: '', message: `cannot read the file: ${reason}` },
    ]);
  }
  return parseScorecard(text, path);
}

/** Rule ids in an order where every rule comes after the rules it positions itself against. */
export function evaluationOrder(sc: Scorecard): string[] {
  const byId = new Map(sc.rules.map((r) => [r.id, r]));
  const order: string[] = [];
  const seen = new Set<string>();
  const add = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const rule = byId.get(id);
    if (!rule) return;
    const refs: string[] = [];
    const collect = (c: Condition) => refs.push(...ruleRefs(c));
    if (rule.when) walkConditions(rule.when, [], collect);
    walkConditions(rule.expect, [], collect);
    for (const r of refs) add(r);
    order.push(id);
  };
  for (const r of sc.rules) add(r.id);
  return order;
}
