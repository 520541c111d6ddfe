/** One problem in a playbook file, located precisely enough to fix it. */
export interface PlaybookIssue {
  file: string;
  /** 1-based line and column; 0 when the problem has no single place (an empty file). */
  line: number;
  column: number;
  /** Field path such as `scenarios[3].lines[0].text`; empty for the document itself. */
  path: string;
  message: string;
}

export function formatIssue(issue: PlaybookIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Thrown when a playbook file is invalid; a playbook is loaded whole or not at all. */
export class PlaybookError extends Error {
  readonly issues: readonly PlaybookIssue[];

  constructor(issues: readonly PlaybookIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue);
    const more = issues.length > 20 ? [`… and ${issues.length - 20} more`] : [];
    super(`invalid playbook (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${[...shown, ...more].join('\n')}`);
    this.name = 'PlaybookError';
    this.issues = issues;
  }
}
