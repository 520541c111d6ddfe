// The script lines live assist shows: a scenario's lines looked up in the brand's playbook (else
// the playbook it extends, as quality inspection's suggestions do), filled with what the call
// tells and written in the brand's script. Pure.
import type { Catalog } from '../playbook/catalog.ts';
import type { Playbook, Scenario } from '../playbook/load.ts';
import { renderText, traditional, type Variables } from '../playbook/render.ts';
import type { DetectedSituation } from '../situations/ids.ts';

/** One script line for the agent: the scenario it comes from and its rendered text. */
export interface GuidanceLine {
  scenario: string;
  text: string;
}

/** Script lines for what the caller's words show, best first (src/situations/guidance.ts). */
export type GuidancePort = (
  playbook: Playbook,
  situations: readonly DetectedSituation[],
  vars: Variables,
) => GuidanceLine[];

/** A brand's playbook with the one it extends, for scenarios the brand does not have itself. */
export class Script {
  constructor(
    readonly playbook: Playbook,
    readonly base: Playbook | undefined,
  ) {}

  static of(catalog: Pick<Catalog, 'find'>, playbook: Playbook): Script {
    return new Script(playbook, playbook.extends ? catalog.find(playbook.extends) : undefined);
  }

  scenario(id: string): Scenario | undefined {
    return this.playbook.scenarios.find((s) => s.id === id) ?? this.base?.scenarios.find((s) => s.id === id);
  }

  has(id: string): boolean {
    return this.scenario(id) !== undefined;
  }

  /**
   * The scenario's lines, rendered; [] when neither the brand nor its base has it. Live assist
   * is the phone's: a line written for chat or email only (感谢您的来信) is left out.
   */
  lines(id: string, vars: Variables): GuidanceLine[] {
    const sc = this.scenario(id);
    if (!sc) return [];
    return sc.lines
      .filter((l) => l.channels === undefined || l.channels.includes('phone'))
      .map((l) => ({ scenario: id, text: this.render(l.text, vars) }));
  }

  render(text: string, vars: Variables): string {
    return renderText(text, vars, this.playbook.brand.script).text;
  }

  /** A prompt of ours (not a script line), in the brand's script. */
  prompt(text: string): string {
    return this.playbook.brand.script === 'traditional' ? traditional(text) : text;
  }
}
