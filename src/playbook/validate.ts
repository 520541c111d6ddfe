// Rules that need the whole file: unique ids, ids that name their stage, known variables,
// references between scenarios, and settings that must agree with each other.
import type { CrossFieldIssue } from '../yaml/validated-yaml.ts';
import type { PlaybookFile } from './schema.ts';
import { VARIABLE_NAMES } from './vocabulary.ts';

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

export function crossFieldIssues(pb: PlaybookFile): CrossFieldIssue[] {
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
  const { open, close } = pb.settings.workingHours;
  if (open >= close) {
    issues.push({
      path: ['settings', 'workingHours', 'close'],
      message: `closing time ${close} must be after opening time ${open}`,
    });
  }
  const { urgent, standard } = pb.settings.complaintReplyHours;
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
    });
  });
  return issues;
}
