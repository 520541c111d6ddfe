// The set of playbooks in force: every file of a folder, with `extends` resolved so that a
// brand carries its base's forbidden phrases, rewrites and principles as well as its own.
import { PlaybookError } from './errors.ts';
import { loadPlaybookDir, type Playbook, type Scenario, SHIPPED_PLAYBOOK_DIR } from './load.ts';

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
    return playbooks.map((pb) => resolveExtends(pb, files));
  }

  get playbooks(): readonly Playbook[] {
    return this.resolved;
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

function resolveExtends(pb: Playbook, files: ReadonlyMap<string, Playbook>, chain: string[] = []): Playbook {
  if (!pb.extends) return pb;
  const fail = (message: string): never => {
    throw new PlaybookError([{ file: pb.file, line: 0, column: 0, path: 'extends', message }]);
  };
  if (chain.includes(pb.extends) || pb.extends === pb.brand.id) {
    fail(`'extends' makes a cycle: ${[...chain, pb.brand.id, pb.extends].join(' → ')}`);
  }
  const base =
    files.get(pb.extends) ??
    fail(`no playbook with brand id '${pb.extends}' to extend; known: ${[...files.keys()].join(', ')}`);
  const resolvedBase = resolveExtends(base, files, [...chain, pb.brand.id]);
  const ownPhrases = new Set(pb.forbidden.flatMap((f) => f.phrases));
  const inherited = resolvedBase.forbidden
    .map((f) => ({ ...f, phrases: f.phrases.filter((p) => !ownPhrases.has(p)) }))
    .filter((f) => f.phrases.length > 0);
  const ownHabitual = new Set(pb.rewrites.map((r) => r.habitual));
  return {
    ...pb,
    forbidden: [...inherited, ...pb.forbidden],
    rewrites: [...resolvedBase.rewrites.filter((r) => !ownHabitual.has(r.habitual)), ...pb.rewrites],
    principles: [...resolvedBase.principles, ...pb.principles],
  };
}
