// The script lines live assist shows: a scenario's lines looked up in the brand's playbook (else
// the playbook it extends, as quality inspection's suggestions do), filled with what the call
// tells and written in the brand's script. Also the stand-in guidance port (situations →
// scenarios) until src/situations/guidance.ts lands. Pure.
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

  /** The scenario's lines, rendered; [] when neither the brand nor its base has it. */
  lines(id: string, vars: Variables): GuidanceLine[] {
    const sc = this.scenario(id);
    return sc ? sc.lines.map((l) => ({ scenario: id, text: this.render(l.text, vars) })) : [];
  }

  render(text: string, vars: Variables): string {
    return renderText(text, vars, this.playbook.brand.script).text;
  }

  /** A prompt of ours (not a script line), in the brand's script. */
  prompt(text: string): string {
    return this.playbook.brand.script === 'traditional' ? traditional(text) : text;
  }
}

/**
 * Which scenarios answer a detected situation, best first, where the playbooks' own
 * `situations:` lists do not name it yet (their vocabulary is being aligned with the 20 ids).
 */
const SCENARIOS_FOR: Record<DetectedSituation, readonly string[]> = {
  thanks: ['emotion.thanks'],
  apology: ['emotion.customer-apology'],
  complaint: ['complaint.angry', 'complaint.attitude'],
  angry: ['complaint.angry', 'emotion.angry', 'emotion.abusive'],
  abusive: ['emotion.abusive'],
  suggestion: ['feedback.suggestion', 'feedback.criticism'],
  praise: ['feedback.praise', 'emotion.thanks'],
  'cannot-hear': ['exception.noisy-line'],
  'wrong-number': ['exception.wrong-number'],
  'asks-agent-id': ['identify.agent-name'],
  'asks-for-person': ['exception.busy-colleague', 'ticket.take-message'],
  'tech-question': ['solve.technical-question'],
  'repair-request': ['ticket.repair-booking'],
  'product-fault': ['complaint.product-quality'],
  'callback-request': ['complaint.cannot-answer-now'],
  'repeat-unresolved': ['confirm.repeat-caller'],
  'asks-supervisor': ['emotion.venting'],
  'long-wait': ['opening.long-wait', 'emotion.agent-slow'],
  harassment: ['exception.harassment'],
  goodbye: ['closing.farewell'],
};

/**
 * The stand-in guidance port: per situation, the first line of the first scenario that answers
 * it (the table above, else a scenario whose `situations:` names it), in the brand's playbook
 * or the one it extends; one line per scenario.
 */
export function scenarioGuidance(catalog: Pick<Catalog, 'find'>): GuidancePort {
  return (playbook, situations, vars) => {
    const script = Script.of(catalog, playbook);
    const out: GuidanceLine[] = [];
    const seen = new Set<string>();
    for (const situation of situations) {
      const named = [script.playbook, script.base].flatMap((pb) =>
        (pb?.scenarios ?? [])
          .filter((s) => (s.situations as readonly string[]).includes(situation))
          .map((s) => s.id),
      );
      const id = [...SCENARIOS_FOR[situation], ...named].find((x) => script.has(x));
      if (id === undefined || seen.has(id)) continue;
      seen.add(id);
      const first = script.lines(id, vars)[0];
      if (first) out.push(first);
    }
    return out;
  };
}
