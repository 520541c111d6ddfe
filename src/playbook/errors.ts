import { DataFileError, type FileIssue } from '../yaml/validated-yaml.ts';

export { type FileIssue as PlaybookIssue, formatIssue } from '../yaml/validated-yaml.ts';

/** Thrown when a playbook file is invalid; a playbook is loaded whole or not at all. */
export class PlaybookError extends DataFileError {
  constructor(issues: readonly FileIssue[]) {
    super('playbook', issues);
    this.name = 'PlaybookError';
  }
}
