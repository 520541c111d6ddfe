// Alerts on the agent's turns, from the one scorecard: a rule's failure is alerted as soon as
// nothing later in the call can undo it (settled.ts decides that from the rule's conditions, so
// a custom scorecard works the same), with the words said and the playbook's correct line, and
// hang-up gives exactly the Inspector's result. Every alert is therefore a finding of the same
// rule on the same turn at hang-up. A call growing turn by turn is normalized and matched once
// per turn (a small cache per call), not once per prefix.
// Pure: no I/O, no clock.
import type { Call } from '../calls/model.ts';
import type { CompiledScorecard } from '../qa/compiled-scorecard.ts';
import { type Inspector, MAX_FINDINGS_PER_RULE } from '../qa/engine.ts';
import type { Ctx, Hit } from '../qa/evaluation.ts';
import type { CallResult } from '../qa/result.ts';
import { type Normalized, normalize } from '../text/normalize.ts';
import type { TurnAlert, TurnRules } from './model.ts';
import { type FoundMemo, type SettleOptions, Settler } from './settled.ts';

export interface LiveRulesOptions extends Partial<SettleOptions> {
  /** Calls whose normalized turns are kept between turns (least recently used go first). */
  cachedCalls?: number;
}

/** What is kept of a call between its turns. */
interface CallCache {
  compiled: CompiledScorecard;
  /** The original text of each normalized turn (to notice a call that is not the same one). */
  texts: string[];
  turns: Normalized[];
  /**
   * Every phrase hit in those turns, each phrase's in scan order. Not the `Hit[][]` the
   * evaluators read, indexed by phrase id: that array is as long as the highest id hit (a
   * kilobyte a call for a handful of hits), so it is rebuilt for each agent turn instead.
   */
  hits: Hit[];
  /** The situations of each customer turn, detected once per call. */
  situations: Ctx['situations'];
  /** What the whole-call word checks found in the turns so far. */
  found: FoundMemo;
  /** The settled evidence count per rule after the last turn alerted on. */
  last: { turn: number; stable: Map<string, number> } | null;
}

export class LiveRules implements TurnRules {
  private readonly settle: SettleOptions;
  private readonly cache = new Map<string, CallCache>();
  private readonly cachedCalls: number;

  constructor(
    private readonly inspector: Inspector,
    options: LiveRulesOptions = {},
  ) {
    this.settle = { timingsStay: options.timingsStay ?? true };
    this.cachedCalls = options.cachedCalls ?? 10_000;
  }

  /**
   * The alerts agent turn `turn` raises: every rule failure settled with the call up to this
   * turn and not yet settled at the agent's previous turn (each alert is raised once). The
   * call is the call so far; given a longer call (a replay), only its turns up to `turn` and
   * the events up to that turn's time are looked at.
   */
  alertsFor(call: Call, turn: number): TurnAlert[] {
    const current = call.turns[turn];
    if (current?.speaker !== 'agent') return [];
    const { cache, hits } = this.callCache(call, turn);
    let prev = turn - 1;
    while (prev >= 0 && call.turns[prev]?.speaker !== 'agent') prev--;
    const before =
      prev < 0
        ? new Map<string, number>()
        : cache.last?.turn === prev
          ? cache.last.stable
          : this.settled(cache, hits, prefix(call, prev)).stable;
    const upTo = prefix(call, turn);
    const now = this.settled(cache, hits, upTo);
    cache.last = { turn, stable: now.stable };

    const alerts: TurnAlert[] = [];
    const seen = new Set<string>(); // the same words twice in a turn are one alert
    const turns = cache.turns.slice(0, turn + 1);
    for (const rule of cache.compiled.scorecardRules) {
      const s = now.settled.get(rule.id);
      const stable = Math.min(now.stable.get(rule.id) ?? 0, MAX_FINDINGS_PER_RULE);
      if (!s) continue;
      for (let i = before.get(rule.id) ?? 0; i < stable; i++) {
        const ev = s.result.evidence[i];
        if (ev?.turn === null || ev?.turn === undefined) continue;
        const f = this.inspector.finding(cache.compiled, rule, upTo, turns, ev, '');
        const key = `${rule.id}\u0000${ev.turn}\u0000${f.evidence}`;
        if (seen.has(key)) continue;
        seen.add(key);
        alerts.push({
          turn: ev.turn,
          rule: rule.id,
          evidence: f.evidence,
          suggestion: f.suggestion,
        });
      }
    }
    return alerts;
  }

  /**
   * What agent turn `turn` says of a rule's words, as the rule judges that turn
   * (CompiledScorecard.turnSays): true or false; null where the scorecard has no rule of that
   * id, the rule is not for the call's channel or looks for no words in a turn. The turns are
   * matched once (the alerts' cache), whatever the number of rules asked.
   */
  saysIn(call: Call, turn: number): (ruleId: string) => boolean | null {
    if (call.turns[turn]?.speaker !== 'agent') return () => null;
    let ctx: Ctx | undefined;
    let compiled: CompiledScorecard | undefined;
    return (ruleId) => {
      compiled ??= this.inspector.compiledFor(call);
      const rule = compiled.rule(ruleId);
      if (!rule) return null;
      if (!ctx) {
        const { cache, hits } = this.callCache(call, turn);
        const upTo = prefix(call, turn);
        ctx = cache.compiled.context(
          upTo,
          cache.turns.slice(0, upTo.turns.length),
          hits,
          this.inspector.detector,
          cache.situations,
        );
      }
      const v = compiled.turnSays(rule, ctx, turn);
      return v === 'none' ? null : v === 'pass';
    };
  }

  /** The full inspection at hang-up: exactly what `huashu qa` gives for the call. */
  inspect(call: Call): CallResult {
    this.cache.delete(call.id);
    return this.inspector.inspect(call);
  }

  private settled(cache: CallCache, hits: Hit[][], call: Call) {
    const ctx = cache.compiled.context(
      call,
      cache.turns.slice(0, call.turns.length),
      hits,
      this.inspector.detector,
      cache.situations,
    );
    const settled = new Settler(cache.compiled, ctx, this.settle, cache.found).rules();
    const stable = new Map<string, number>();
    for (const [id, s] of settled) {
      if (s.keeps === 'fail') stable.set(id, s.final ? s.result.evidence.length : s.stable);
    }
    return { settled, stable };
  }

  /** The call's normalized and matched turns up to `turn`, reusing those of its earlier turns. */
  private callCache(call: Call, turn: number): { cache: CallCache; hits: Hit[][] } {
    const compiled = this.inspector.compiledFor(call);
    let c = this.cache.get(call.id);
    if (c) this.cache.delete(call.id); // re-inserted below: most recently used last
    if (c && c.compiled !== compiled) c = undefined;
    if (c) {
      // Keep the turns that are still the same; a changed one (another call with this id, a
      // corrected transcript) and everything after it is matched again.
      let same = 0;
      const n = Math.min(c.texts.length, turn + 1);
      while (same < n && c.texts[same] === call.turns[same]?.text) same++;
      if (same < c.texts.length) c = undefined;
    }
    if (!c) c = { compiled, texts: [], turns: [], hits: [], situations: [], found: new Map(), last: null };
    const from = c.turns.length;
    const texts: string[] = [];
    for (let i = from; i <= turn; i++) texts.push(call.turns[i]?.text ?? '');
    // concat, not push: arrays of exactly the turns, kept for every live call.
    c.texts = c.texts.concat(texts);
    c.turns = c.turns.concat(texts.map(normalize));
    const hits: Hit[][] = [];
    for (const h of c.hits) {
      const list = hits[h.phrase];
      if (list) list.push(h);
      else hits[h.phrase] = [h];
    }
    compiled.scan(c.turns, hits, from);
    const added: Hit[] = [];
    for (const list of hits) if (list) for (const h of list) if (h.turn >= from) added.push(h);
    // concat: an array of exactly the hits (push would keep spare room in every live call).
    if (added.length > 0) c.hits = c.hits.concat(added);
    this.cache.set(call.id, c);
    if (this.cache.size > this.cachedCalls) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return { cache: c, hits };
  }
}

/** The call as it was when turn `turn` ended: its turns so far and the events until then. */
function prefix(call: Call, turn: number): Call {
  if (turn === call.turns.length - 1) return call;
  const last = call.turns[turn];
  const until = last?.end ?? last?.start;
  return {
    ...call,
    turns: call.turns.slice(0, turn + 1),
    events: until === undefined ? call.events : call.events.filter((e) => e.at <= until),
  };
}
