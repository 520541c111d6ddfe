// The set of playbooks in force: every file of a folder, with `extends` resolved so that a
// brand carries its base's forbidden phrases, rewrites and principles as well as its own.
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

export class Catalog {
  private sources: readonly Playbook[];
  private resolved: readonly Playbook[];
  private byBrand: ReadonlyMap<string, Playbook>;
  /** Raised on every change, so that caches built from playbooks know to rebuild. */
  revision = 0;

  constructor(playbooks: readonly Playbook[]) {
    this.sources = playbooks;
    this.resolved = Catalog.resolve(playbooks);
    this.byBrand = new Map(this.resolved.map((pb) => [pb.brand.id, pb]));
  }

  private static resolve(playbooks: readonly Playbook[]): Playbook[] {
    const files = new Map(playbooks.map((pb) => [pb.brand.id, pb]));
    const resolved = playbooks.map((pb) => resolveExtends(pb, files));
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
    this.revision++;
  }

  static load(dir: string = SHIPPED_PLAYBOOK_DIR): Catalog {
    return new Catalog(loadPlaybookDir(dir));
  }

  get brandIds(): string[] {
    return this.playbooks.map((pb) => pb.brand.id);
  }

  /** A brand by id, name or alias (Simplified or Traditional spelling is the caller's job). */
  find(brand: string): Playbook | undefined {
    const key = brand.trim().toLowerCase();
    return (
      this.byBrand.get(key) ??
      this.playbooks.find((pb) => pb.brand.name === brand.trim() || pb.brand.aliases.includes(brand.trim()))
    );
  }

  scenario(brand: string, id: string): Scenario | undefined {
    return this.find(brand)?.scenarios.find((sc) => sc.id === id);
  }
}
