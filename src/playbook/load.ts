// Reads a playbook file: YAML syntax, then the schema, then the cross-field rules. Every
// problem is reported with file, line, column and field path, and a file with any problem
// yields no playbook at all (never half-loaded).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScorecard, phraseLists, walkConditions } from '../qa/scorecard.ts';
import { parseValidatedYaml } from '../yaml/validated-yaml.ts';
import { PlaybookError } from './errors.ts';
import { resolveExtends } from './resolve.ts';
import { type PlaybookFile, playbookFileSchema } from './schema.ts';
import { crossFieldIssues } from './validate.ts';

export type Playbook = PlaybookFile & { file: string };
export type Scenario = Playbook['scenarios'][number];

/** The folder of playbooks shipped with Huashu. */
export const SHIPPED_PLAYBOOK_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../playbooks');

export interface PlaybookContext {
  /**
   * The playbooks a file may extend (by brand id or as a list), their own `extends` resolved
   * or not. With it, an unknown `extends` is an error and inherited forbidden phrases are
   * checked against the script lines; without it, only the file's own phrases are.
   */
  bases: ReadonlyMap<string, Playbook> | readonly Playbook[];
}

let exclusions: readonly string[] | undefined;

/**
 * The harmless words that quality inspection excludes when it looks for forbidden phrases
 * (the `exclude` lists of the default scorecard's `@forbidden.*` rules): a script line may
 * say 不知道您是否方便 although 不知道 is forbidden. Read once.
 */
export function forbiddenExclusions(): readonly string[] {
  if (exclusions) return exclusions;
  const scorecard = loadScorecard();
  const out = new Set<string>();
  for (const rule of scorecard.rules) {
    for (const root of [rule.when, rule.expect]) {
      if (!root) continue;
      walkConditions(root, [], (c) => {
        const lists = new Map(phraseLists(c));
        const exclude = lists.get('exclude');
        if (!exclude) return;
        const checked = [...lists].flatMap(([key, items]) => (key === 'exclude' ? [] : items));
        if (!checked.some((item) => item.startsWith('@forbidden.'))) return;
        for (const item of exclude)
          for (const p of item.startsWith('$') ? (scorecard.phraseSets[item.slice(1)] ?? []) : [item])
            out.add(p);
      });
    }
  }
  exclusions = [...out];
  return exclusions;
}

/** The bases of a context by brand id, each with its own `extends` resolved where it can be. */
function resolvedBases(context: PlaybookContext): Map<string, Playbook> {
  const files = new Map(
    Array.isArray(context.bases)
      ? (context.bases as readonly Playbook[]).map((pb) => [pb.brand.id, pb] as const)
      : (context.bases as ReadonlyMap<string, Playbook>),
  );
  const out = new Map<string, Playbook>();
  for (const [id, pb] of files) {
    try {
      out.set(id, resolveExtends(pb, files));
    } catch {
      out.set(id, pb); // its own file reports the broken chain
    }
  }
  return out;
}

/** Parses and validates playbook text; throws PlaybookError listing every problem. */
export function parsePlaybook(text: string, file: string, context?: PlaybookContext): Playbook {
  const bases = context ? resolvedBases(context) : undefined;
  const data = parseValidatedYaml(text, {
    file,
    schema: playbookFileSchema,
    error: (issues) => new PlaybookError(issues),
    docsHint: 'see playbooks/README.md for the format',
    crossField: (pb) => {
      const others = bases ? new Map([...bases].filter(([id]) => id !== pb.brand.id)) : undefined;
      return crossFieldIssues(pb, { harmless: forbiddenExclusions(), ...(others ? { bases: others } : {}) });
    },
  });
  return { ...data, file };
}

function readPlaybookText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new PlaybookError([
      { file: path, line: 0, column: 0, path: '', message: `cannot read the file: ${reason}` },
    ]);
  }
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Parses files on their own (no `extends` checks), skipping those that do not load. */
function parseQuietly(paths: readonly string[]): Playbook[] {
  const out: Playbook[] = [];
  for (const path of paths) {
    try {
      out.push(parsePlaybook(readFileSync(path, 'utf8'), path));
    } catch {
      // reported when that file itself is loaded
    }
  }
  return out;
}

/**
 * Loads one playbook file. Without a context, the playbooks it may extend are the other
 * files of its folder, then the shipped ones (what the server would have), so that
 * `huashu playbook lint` catches an unknown `extends` and inherited forbidden phrases.
 */
export function loadPlaybookFile(path: string, context?: PlaybookContext): Playbook {
  const text = readPlaybookText(path);
  if (context) return parsePlaybook(text, path, context);
  const self = resolve(path);
  const siblings = parseQuietly(yamlFiles(dirname(self)).filter((f) => resolve(f) !== self));
  const bases = new Map<string, Playbook>();
  if (dirname(self) !== SHIPPED_PLAYBOOK_DIR)
    for (const pb of parseQuietly(yamlFiles(SHIPPED_PLAYBOOK_DIR))) bases.set(pb.brand.id, pb);
  for (const pb of siblings) bases.set(pb.brand.id, pb);
  return parsePlaybook(text, path, { bases });
}

/** Loads every `*.yaml` playbook of a folder; brand ids must be unique across them. */
export function loadPlaybookDir(dir: string = SHIPPED_PLAYBOOK_DIR): Playbook[] {
  const paths = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
  // First each file alone (its brand id and phrases), then each against the others.
  const alone = paths.map((path) => parsePlaybook(readPlaybookText(path), path));
  const seen = new Map<string, string>();
  for (const pb of alone) {
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
  // A file without `extends` gets nothing from the others: its check alone was the whole check.
  return paths.map((path, i) => {
    const own = alone[i] as Playbook;
    return own.extends === undefined ? own : parsePlaybook(readPlaybookText(path), path, { bases: alone });
  });
}
