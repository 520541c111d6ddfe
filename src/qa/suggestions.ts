// The correct script line for a rule's miss: the professional phrasing of a habitual one
// (seed 003), else the first line of the rule's scenario filled with what the call tells, else
// the rule's own suggestion; in the brand's script. Cached per rule, phrase and people.
import type { Call } from '../calls/model.ts';
import type { Playbook } from '../playbook/load.ts';
import { brandVariables, renderText, traditional, type Variables } from '../playbook/render.ts';
import { normalizeText } from '../text/normalize.ts';
import type { Rule } from './scorecard-schema.ts';

export class Suggestions {
  private readonly cache = new Map<string, string | null>();
  private readonly rewrites: { habitual: string; professional: string }[];
  private readonly brandVars: Variables;

  constructor(
    private readonly playbook: Playbook,
    private readonly base: Playbook | undefined,
  ) {
    this.brandVars = brandVariables(playbook);
    this.rewrites = playbook.rewrites.map((r) => ({
      habitual: normalizeText(r.habitual),
      professional: r.professional,
    }));
  }

  /** The correct script line for a rule's miss, filled with what the call tells. */
  suggestion(rule: Rule, call: Call, phrase: string | undefined): string | null {
    if (phrase) {
      // A rewrite fits when the words said contain its habitual phrasing (or, for a phrase
      // of some length, are part of it): "我没办法" → "对不起,我们暂时还没有解决方案".
      const rewrite = this.rewrites.find(
        (r) => phrase.includes(r.habitual) || (phrase.length >= 3 && r.habitual.includes(phrase)),
      );
      if (rewrite) return this.inScript(rewrite.professional);
    }
    if (rule.scenario) {
      // The brand's own scenario, else its base playbook's (e.g. generic).
      const sc =
        this.playbook.scenarios.find((s) => s.id === rule.scenario) ??
        this.base?.scenarios.find((s) => s.id === rule.scenario);
      const line = sc?.lines[0]?.text;
      if (line) {
        const vars: Variables = { ...this.brandVars };
        if (call.agent?.id) vars.agentNumber = call.agent.id;
        if (call.agent?.name) vars.agentName = call.agent.name;
        if (call.customer?.surname) vars.surname = call.customer.surname;
        if (call.customer?.title) vars.title = call.customer.title;
        return renderText(line, vars, this.playbook.brand.script).text;
      }
    }
    return rule.suggest === undefined ? null : this.inScript(rule.suggest);
  }

  /** Text in the brand's script (Traditional for a Traditional brand). */
  private inScript(text: string): string {
    return this.playbook.brand.script === 'traditional' ? traditional(text) : text;
  }

  cachedSuggestion(key: string, make: () => string | null): string | null {
    if (!this.cache.has(key)) {
      // Bounded: a batch of many agents must not grow the cache without end.
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(key, make());
    }
    return this.cache.get(key) ?? null;
  }
}
