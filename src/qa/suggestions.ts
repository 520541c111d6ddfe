// The correct script line for a rule's miss, in the brand's script, filled with what the call
// tells (agent name and 工号, customer's surname and title). Never null, and never a line that
// would fail the rule again: each candidate is checked against the part of the rule an agent's
// line can satisfy (`LineCheck`, from the compiled scorecard), the first that passes is given.
// Candidates, in order: the professional phrasing of the habitual words said (seed 003's
// rewrites); the lines of the rule's scenario in the brand's playbook, then of its other
// scenarios for the same situations (on an outbound call, the greeting rules read the
// brand's outbound opening); then the same in the base playbook (`generic`). A rule no line can satisfy
// (timing: answer speed, interruptions, speech rate, who hangs up) gives its scorecard
// `suggest`, a text saying what to do instead; a rule with neither gives its title.
// The line suits the call's channel: a chat or email thread is given the lines written for it
// (感谢您的来信) first, then neutral ones, never one about the telephone (感谢来电, 请您再拨).
// Cached per rule, phrase, direction, channel and people.
import type { Call, Channel, Direction } from '../calls/model.ts';
import type { Playbook, Scenario } from '../playbook/load.ts';
import { brandVariables, renderText, traditional, type Variables } from '../playbook/render.ts';
import { normalizeText } from '../text/normalize.ts';
import type { Rule } from './scorecard-schema.ts';

/**
 * How an agent turn saying `text`, in the place the rule looks, fares against the rule:
 * 'none' when the rule's remedy is not something said (a timing rule).
 */
export type LineCheck = (rule: Rule, text: string, direction: Direction) => 'pass' | 'fail' | 'none';

/** The situation of the inbound greeting, and of the opening that replaces it on an outbound call. */
const INBOUND_OPENING = 'call-answered';
const OUTBOUND_OPENING = 'outbound-start';

/** A fixed text (in the brand's script already), or a script line to render per call. */
interface Choice {
  text: string;
  template?: string;
  /** The line's own channels (playbook `channels`); the text's words say the rest. */
  channels?: readonly Channel[];
  /** The Simplified wording, read for words of the telephone. */
  plain: string;
}

/** Words only a telephone call has: a line saying them is the phone's. */
const PHONE_WORDING =
  /来电|致电|拨打|再拨|再打|打电话|挂机|电话机|听不到|听不清|听不见|没有声音|没声音|换一部电话/u;

/** How a candidate suits the channel: 2 written for it, 1 neutral, 0 another channel's. */
function channelFit(c: Choice, channel: Channel): 0 | 1 | 2 {
  if (c.channels) return c.channels.includes(channel) ? 2 : 0;
  return channel !== 'phone' && PHONE_WORDING.test(c.plain) ? 0 : 1;
}

/** The call variables whose presence (value or placeholder) is part of a choice. */
const KNOWN = ['agentNumber', 'agentName', 'surname', 'title'] as const;

export class Suggestions {
  private readonly cache = new Map<string, string>();
  private readonly rewrites: { habitual: string; professional: string }[];
  private readonly brandVars: Variables;

  constructor(
    private readonly playbook: Playbook,
    private readonly base: Playbook | undefined,
    private readonly check: LineCheck = () => 'none',
  ) {
    this.brandVars = brandVariables(playbook);
    // The brand's rewrites (its base's are resolved into them at load).
    this.rewrites = playbook.rewrites.map((r) => ({
      habitual: normalizeText(r.habitual),
      professional: r.professional,
    }));
  }

  /**
   * Which candidate a rule's miss gets, per rule, phrase, direction and which call variables
   * are known: checking candidates costs tens of µs, rendering the chosen one a few; the
   * people's values (a surname, a 工号 of the same form) do not change which line passes.
   */
  private readonly choices = new Map<string, Choice>();

  /** The correct script line (or, for a rule no line satisfies, what to do) for a rule's miss. */
  suggestion(rule: Rule, call: Call, phrase: string | undefined): string {
    const vars = this.callVariables(call);
    const key = `${rule.id}\u0000${phrase ?? ''}\u0000${call.direction}\u0000${call.channel ?? 'phone'}\u0000${KNOWN.map((v) => (vars[v] ? 1 : 0)).join('')}`;
    let choice = this.choices.get(key);
    if (!choice) {
      choice = this.choose(rule, call, phrase, vars);
      if (this.choices.size >= 10_000) this.choices.clear();
      this.choices.set(key, choice);
    }
    return choice.template === undefined
      ? choice.text
      : renderText(choice.template, vars, this.playbook.brand.script).text;
  }

  private choose(rule: Rule, call: Call, phrase: string | undefined, vars: Variables): Choice {
    let first: Choice | undefined;
    // A line that passes but keeps a placeholder (〔服务热线〕 of a brand without one, 〔部门〕
    // the call does not tell) is read out with a hole in it: only when no whole line passes.
    let withHole: Choice | undefined;
    const channel = call.channel ?? 'phone';
    const all = [...this.candidates(rule, call, phrase)];
    const suited = [
      ...all.filter((c) => channelFit(c, channel) === 2),
      ...all.filter((c) => channelFit(c, channel) === 1),
    ];
    for (const c of suited) {
      const r =
        c.template === undefined ? undefined : renderText(c.template, vars, this.playbook.brand.script);
      const verdict = this.check(rule, r?.text ?? c.text, call.direction);
      if (verdict === 'pass') {
        if (r === undefined || r.missing.length === 0) return c;
        withHole ??= c;
        continue;
      }
      // Not a line's matter: the scorecard's own advice says what to do.
      if (verdict === 'none')
        return rule.suggest === undefined ? c : { text: this.inScript(rule.suggest), plain: rule.suggest };
      first ??= c;
    }
    if (withHole) return withHole;
    // No line of the playbooks passes (the suggestion self-check test names the rule and brand).
    if (rule.suggest !== undefined) return { text: this.inScript(rule.suggest), plain: rule.suggest };
    return first ?? { text: this.inScript(rule.title), plain: rule.title };
  }

  /** The lines that may be suggested, best first: fixed texts, or script lines to render. */
  private *candidates(rule: Rule, call: Call, phrase: string | undefined): Generator<Choice> {
    if (phrase) {
      // A rewrite fits when the words said contain its habitual phrasing (or, for a phrase
      // of some length, are part of it): "我没办法" → "对不起,我们暂时还没有解决方案".
      for (const r of this.rewrites) {
        if (phrase.includes(r.habitual) || (phrase.length >= 3 && r.habitual.includes(phrase)))
          yield { text: this.inScript(r.professional), plain: r.professional };
      }
    }
    if (!rule.scenario) {
      if (rule.suggest !== undefined) yield { text: this.inScript(rule.suggest), plain: rule.suggest };
      return;
    }
    const seen = new Set<Scenario>();
    for (const pb of [this.playbook, this.base]) {
      if (!pb) continue;
      for (const sc of this.scenariosFor(pb, rule.scenario, call.direction)) {
        if (seen.has(sc)) continue;
        seen.add(sc);
        for (const line of sc.lines)
          yield {
            text: '',
            template: line.text,
            plain: line.text,
            ...(line.channels ? { channels: line.channels } : {}),
          };
      }
    }
    if (rule.suggest !== undefined) yield { text: this.inScript(rule.suggest), plain: rule.suggest };
  }

  /** A playbook's scenario of that id, then its other scenarios for the same situations. */
  private scenariosFor(pb: Playbook, id: string, direction: Direction): Scenario[] {
    const named =
      this.playbook.scenarios.find((s) => s.id === id) ?? this.base?.scenarios.find((s) => s.id === id);
    let situations = new Set<string>(named?.situations ?? []);
    // An outbound call opens with the outbound opening (我是…), not the inbound greeting.
    const outboundOpening = direction === 'outbound' && situations.has(INBOUND_OPENING);
    if (outboundOpening) situations = new Set([OUTBOUND_OPENING]);
    const own = outboundOpening ? [] : pb.scenarios.filter((s) => s.id === id);
    const related = pb.scenarios.filter((s) => s.id !== id && s.situations.some((x) => situations.has(x)));
    return [...own, ...related];
  }

  private callVariables(call: Call): Variables {
    const vars: Variables = { ...this.brandVars };
    if (call.agent?.id) vars.agentNumber = call.agent.id;
    if (call.agent?.name) vars.agentName = call.agent.name;
    if (call.customer?.surname) {
      vars.surname = call.customer.surname;
      // A caller is addressed by surname and title (请问是王女士吗): the call has no full name.
      vars.customerName = call.customer.surname;
    }
    if (call.customer?.title) vars.title = call.customer.title;
    return vars;
  }

  /** Text in the brand's script (Traditional for a Traditional brand). */
  private inScript(text: string): string {
    return this.playbook.brand.script === 'traditional' ? traditional(text) : text;
  }

  cachedSuggestion(key: string, make: () => string): string {
    let s = this.cache.get(key);
    if (s === undefined) {
      // Bounded: a batch of many agents must not grow the cache without end.
      if (this.cache.size >= 10_000) this.cache.clear();
      s = make();
      this.cache.set(key, s);
    }
    return s;
  }
}
