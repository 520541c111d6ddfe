// `extends` resolved: a brand carries its base's forbidden phrases, rewrites and principles as
// well as its own. Shared by the catalog (the playbooks in force) and the loader (a file is
// checked against the playbooks it may extend).
import { PlaybookError } from './errors.ts';
import type { PlaybookFile } from './schema.ts';

export function resolveExtends<P extends PlaybookFile & { file: string }>(
  pb: P,
  files: ReadonlyMap<string, P>,
  chain: string[] = [],
): P {
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
