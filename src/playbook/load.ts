// Reads a playbook file: YAML syntax, then the schema, then the cross-field rules. Every
// problem is reported with file, line, column and field path, and a file with any problem
// yields no playbook at all (never half-loaded).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseValidatedYaml } from '../yaml/validated-yaml.ts';
import { PlaybookError } from './errors.ts';
import { type PlaybookFile, playbookFileSchema } from './schema.ts';
import { crossFieldIssues } from './validate.ts';

export type Playbook = PlaybookFile & { file: string };
export type Scenario = Playbook['scenarios'][number];

/** The folder of playbooks shipped with Huashu. */
export const SHIPPED_PLAYBOOK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../playbooks');

/** Parses and validates playbook text; throws PlaybookError listing every problem. */
export function parsePlaybook(text: string, file: string): Playbook {
  const data = parseValidatedYaml(text, {
    file,
    schema: playbookFileSchema,
    error: (issues) => new PlaybookError(issues),
    docsHint: 'see playbooks/README.md for the format',
    crossField: crossFieldIssues,
  });
  return { ...data, file };
}

export function loadPlaybookFile(path: string): Playbook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new PlaybookError([
      { file: path, line: 0, column: 0, path: '', message: `cannot read the file: ${reason}` },
    ]);
  }
  return parsePlaybook(text, path);
}

/** Loads every `*.yaml` playbook of a folder; brand ids must be unique across them. */
export function loadPlaybookDir(dir: string = SHIPPED_PLAYBOOK_DIR): Playbook[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const playbooks = files.map((f) => loadPlaybookFile(join(dir, f)));
  const seen = new Map<string, string>();
  for (const pb of playbooks) {
    const other = seen.get(pb.brand.id);
    if (other) {
      throw new PlaybookError([
        {
          file: pb.file,
          line: 0,
          column: 0,
          path: 'brand.id',
          message: `brand id '${pb.brand.id}' is already used by ${basename(other)}`,
        },
      ]);
    }
    seen.set(pb.brand.id, pb.file);
  }
  return playbooks;
}
