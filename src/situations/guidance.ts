// Guidance (话术提示): the script lines a brand's playbook gives for what a caller's words show,
// best first. Live assist shows them on the console; `huashu detect` prints them. Pure.
import type { Playbook, Scenario } from '../playbook/load.ts';
import { brandVariables, renderText, type Variables } from '../playbook/render.ts';
import type { DetectedSituation } from './ids.ts';

export interface Suggestion {
  /** The scenario id (of the brand's playbook, or of its base when the brand has none). */
  scenario: string;
  /** Its first script line, variables filled, in the brand's script. */
  text: string;
}

export interface GuidanceOptions {
  /**
   * The playbook a brand extends, by brand id (e.g. `(id) => catalog.find(id)`): a detected
   * situation that no scenario of the brand names is looked up there, then in its base.
   */
  base?: (brandId: string) => Playbook | undefined;
}

/**
 * The script lines for the detected situations: one per scenario (its first line, the
 * standard one; the others are for the `when` they name), the scenarios naming the most of
 * the situations first, then in playbook order, the brand's before its base's. Rendered with
 * the brand's variables and `vars` (the call's), in the brand's script (Traditional brands in
 * Traditional), whichever playbook the scenario comes from.
 */
export function guidanceFor(
  playbook: Playbook,
  situations: readonly DetectedSituation[],
  vars: Variables = {},
  options: GuidanceOptions = {},
): Suggestion[] {
  const chain = playbookChain(playbook, options.base);
  const picked = new Map<string, { scenario: Scenario; level: number; order: number; matched: number }>();
  for (const situation of new Set(situations)) {
    for (const [level, pb] of chain.entries()) {
      const found = pb.scenarios.filter((sc) => sc.situations.includes(situation));
      if (found.length === 0) continue;
      for (const scenario of found) {
        const key = scenario.id;
        const seen = picked.get(key);
        if (seen && seen.level < level) continue; // the brand's own scenario of that id wins
        if (seen && seen.level === level) seen.matched++;
        else picked.set(key, { scenario, level, order: pb.scenarios.indexOf(scenario), matched: 1 });
      }
      break; // the nearest playbook naming the situation answers for it
    }
  }
  const variables = { ...brandVariables(playbook), ...vars };
  return [...picked.values()]
    .sort((a, b) => b.matched - a.matched || a.level - b.level || a.order - b.order)
    .flatMap(({ scenario }) => {
      const line = scenario.lines[0];
      if (!line) return [];
      return [{ scenario: scenario.id, text: renderText(line.text, variables, playbook.brand.script).text }];
    });
}

/** The brand's playbook, then the playbooks it extends, nearest first (a cycle stops it). */
function playbookChain(playbook: Playbook, base: GuidanceOptions['base']): Playbook[] {
  const chain = [playbook];
  let next = playbook.extends;
  while (next !== undefined && base && !chain.some((pb) => pb.brand.id === next)) {
    const pb = base(next);
    if (!pb) break;
    chain.push(pb);
    next = pb.extends;
  }
  return chain;
}
