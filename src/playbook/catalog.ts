// The set of playbooks in force: every file of a folder, with `extends` resolved so that a
// brand carries its base's forbidden phrases, rewrites and principles as well as its own.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_SCORECARD } from '../qa/scorecard.ts';
import { normalizeText } from '../text/normalize.ts';
import { pathToString } from '../yaml/validated-yaml.ts';
import { PlaybookError } from './errors.ts';
import {
  forbiddenExclusions,
  loadPlaybookDir,
  type Playbook,
  type Scenario,
  SHIPPED_PLAYBOOK_DIR,
} from './load.ts';
import { resolveExtends } from './resolve.ts';
import { forbiddenInScript } from './validate.ts';

/**
 * The shipped playbooks as loaded and checked by the build (scripts/build.js), beside the
 * compiled module; absent when running the sources. Checking them takes 200–300 ms of every
 * start, the same work each time while the files are unchanged.
 */
export const CHECKED_CATALOG_FILE = new URL('../playbook/checked-catalog.json', import.meta.url);

interface CheckedCatalog {
  /** catalogKey of the folder it was checked from. */
  key: string;
  /** The playbooks of loadPlaybookDir, each `file` its base name. */
  playbooks: Playbook[];
}

/**
 * What a folder's check depends on besides the code: its YAML files' names and texts, and the
 * default scorecard (its harmless words). Undefined when the folder cannot be read (the loader
 * then reports it).
 */
function catalogKey(dir: string): string | undefined {
  try {
    const hash = createHash('sha256');
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort())
      hash.update(`${name}\0${readFileSync(join(dir, name), 'utf8')}\0`);
    hash.update(readFileSync(DEFAULT_SCORECARD, 'utf8'));
    return hash.digest('base64url');
  } catch {
    return undefined;
  }
}

/** The build's checked playbooks of `dir` when its files are still those it checked. */
function builtPlaybooks(dir: string, file: URL | string): Playbook[] | undefined {
  let built: CheckedCatalog;
  try {
    built = JSON.parse(readFileSync(file, 'utf8')) as CheckedCatalog;
  } catch {
    return undefined; // no build (running the sources)
  }
  if (built.key !== catalogKey(dir)) return undefined;
  return built.playbooks.map((pb) => ({ ...pb, file: join(dir, pb.file) }));
}

/**
 * For the build: the playbooks of `dir` loaded and checked, to store in CHECKED_CATALOG_FILE.
 * Undefined when JSON would not give them back exactly (they are then checked at every start).
 */
export function checkedCatalogData(
  dir: string = SHIPPED_PLAYBOOK_DIR,
  same: (a: unknown, b: unknown) => boolean = () => true,
): CheckedCatalog | undefined {
  const key = catalogKey(dir);
  if (key === undefined) return undefined;
  const playbooks = new Catalog(loadPlaybookDir(dir)).files.map((pb) => ({ ...pb, file: basename(pb.file) }));
  return same(JSON.parse(JSON.stringify(playbooks)), playbooks) ? { key, playbooks } : undefined;
}

export class Catalog {
  private sources: readonly Playbook[];
  private resolved: readonly Playbook[];
  private byBrand: ReadonlyMap<string, Playbook>;
  /** Normalized brand names and aliases, made on demand (`find`); dropped on every change. */
  private byName: Map<string, Playbook> | undefined;
  /** Raised on every change, so that caches built from playbooks know to rebuild. */
  revision = 0;

  /**
   * `checked`: the playbooks were already checked against each other (loadPlaybookDir checks
   * every file against the bases it extends, the same check `resolve` makes), so only
   * `extends` is resolved.
   */
  constructor(playbooks: readonly Playbook[], { checked = false }: { checked?: boolean } = {}) {
    this.sources = playbooks;
    this.resolved = Catalog.resolve(playbooks, checked);
    this.byBrand = new Map(this.resolved.map((pb) => [pb.brand.id, pb]));
  }

  private static resolve(playbooks: readonly Playbook[], checked = false): Playbook[] {
    const files = new Map(playbooks.map((pb) => [pb.brand.id, pb]));
    const resolved = playbooks.map((pb) => resolveExtends(pb, files));
    if (checked) return resolved;
    // A new base may forbid a phrase that a brand extending it says in a script line; the
    // loader checked each file against the bases of its time, this checks them together.
    const harmless = forbiddenExclusions();
    const issues = resolved.flatMap((pb) =>
      forbiddenInScript(
        pb.scenarios,
        pb.forbidden.flatMap((f) => f.phrases.map((phrase) => ({ phrase, group: f.group }))),
        harmless,
      ).map((issue) => ({
        file: pb.file,
        line: 0,
        column: 0,
        path: pathToString(issue.path),
        message: `${issue.message} (brand '${pb.brand.id}'${pb.extends ? `, which extends '${pb.extends}'` : ''})`,
      })),
    );
    if (issues.length > 0) throw new PlaybookError(issues);
    return resolved;
  }

  get playbooks(): readonly Playbook[] {
    return this.resolved;
  }

  /** The playbooks in force as their files say them (`extends` not resolved). */
  get files(): readonly Playbook[] {
    return this.sources;
  }

  /**
   * Puts a new version of a brand's playbook (or a new brand) in force. Checked whole first:
   * a base it extends must exist, and the brands that extend it must still resolve.
   */
  replace(playbook: Playbook): void {
    const next = [...this.sources.filter((pb) => pb.brand.id !== playbook.brand.id), playbook];
    const resolved = Catalog.resolve(next);
    this.sources = next;
    this.resolved = resolved;
    this.byBrand = new Map(resolved.map((pb) => [pb.brand.id, pb]));
    this.byName = undefined;
    this.revision++;
  }

  /**
   * The playbooks of a folder, checked: by the build (`checkedFile`) when the files are still
   * those it checked, else now.
   */
  static load(dir: string = SHIPPED_PLAYBOOK_DIR, checkedFile: URL | string = CHECKED_CATALOG_FILE): Catalog {
    return new Catalog(builtPlaybooks(dir, checkedFile) ?? loadPlaybookDir(dir), { checked: true });
  }

  get brandIds(): string[] {
    return this.playbooks.map((pb) => pb.brand.id);
  }

  /** A brand by id, name or alias, in Simplified or Traditional script (中華保險 is 中华保险). */
  find(brand: string): Playbook | undefined {
    const key = brand.trim().toLowerCase();
    const exact =
      this.byBrand.get(key) ??
      this.playbooks.find((pb) => pb.brand.name === brand.trim() || pb.brand.aliases.includes(brand.trim()));
    if (exact || key === '') return exact;
    // Other spellings go through the matching normalization (Traditional → Simplified, width):
    // built on the first name not found as written, so the common case never loads its tables.
    this.byName ??= new Map(
      this.resolved.flatMap((pb) =>
        [pb.brand.name, ...pb.brand.aliases].map((n) => [normalizeText(n), pb] as const),
      ),
    );
    return this.byName.get(normalizeText(brand.trim()));
  }

  scenario(brand: string, id: string): Scenario | undefined {
    return this.find(brand)?.scenarios.find((sc) => sc.id === id);
  }
}
