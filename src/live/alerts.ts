// Alerts on the agent's turns and at the CTI's events, from the one scorecard: a rule's failure
// is alerted as soon as nothing later in the call can undo it (settled.ts decides that from the
// rule's conditions, so a custom scorecard works the same), with the words said and the
// playbook's correct line, and hang-up gives exactly the Inspector's result. Every alert is
// therefore a finding of the same rule on the same turn at hang-up. A call growing turn by turn
// is normalized and matched once per turn (a small cache per call), not once per prefix.
// Pure: no I/O, no clock.
import type { Call, CallEvent } from '../calls/model.ts';
import type { CompiledScorecard } from '../qa/compiled-scorecard.ts';
import { type Inspector, MAX_FINDINGS_PER_RULE } from '../qa/engine.ts';
import { type Ctx, type Hit, windowBefore } from '../qa/evaluation.ts';
import type { CallResult } from '../qa/result.ts';
import { type Normalized, normalize } from '../text/normalize.ts';
import type { TurnAlert, TurnRules } from './model.ts';
import { type FoundMemo, type Settled, type SettleOptions, Settler } from './settled.ts';

export interface LiveRulesOptions extends Partial<SettleOptions> {
  /** Calls whose normalized turns are kept between turns (least recently used go first). */
  cachedCalls?: number;
  /**
   * How a call's turns reach its flow, which decides when a hold's consent (the words before a
   * CTI hold) is settled. `posted` (default; live assist): each turn when posted — an ASR posts
   * one after it ends, a lag the flow cannot bound, and a call may get the ASR's turns from any
   * turn on (HUASHU_LIVE_ASR=ring) — so the turns before an event are known only once a turn
   * starting after it has come (turns come in start order): the hold's consent is alerted at
   * the first agent turn starting after the hold (or at the unhold if one started during it).
   * `start` (`huashu replay`, a recorded call fed by its turns' starts): every turn started
   * before an event has come by then, so it is alerted at the hold event.
   */
  turnsArrive?: TurnArrival;
}

/** When a call's turns reach its flow: when posted (live, after the words), or at their start (replay). */
export type TurnArrival = 'posted' | 'start';

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
  /** The evidence count per rule alerted up to the last alert point asked about (its key). */
  last: { point: string; stable: Map<string, number> } | null;
}

/**
 * Where a call's alerts are raised: an agent turn (`turn`), or a CTI event between the ring and
 * the hang-up (`event`, its index): an alert a CTI event causes comes at the event (issue 9 §4).
 */
type AlertPoint = { turn: number } | { event: number };
const pointKey = (p: AlertPoint) => ('turn' in p ? `t${p.turn}` : `e${p.event}`);
const raisesAlerts = (e: CallEvent | undefined) =>
  e !== undefined && e.type !== 'ring' && e.type !== 'hangup';

export class LiveRules implements TurnRules {
  private readonly settle: SettleOptions;
  private readonly cache = new Map<string, CallCache>();
  private readonly cachedCalls: number;
  private readonly turnsArrive: TurnArrival;

  constructor(
    private readonly inspector: Inspector,
    options: LiveRulesOptions = {},
  ) {
    this.settle = { timingsStay: options.timingsStay ?? true };
    this.turnsArrive = options.turnsArrive ?? 'posted';
    this.cachedCalls = options.cachedCalls ?? 10_000;
  }

  /**
   * The alerts agent turn `turn` raises: every rule failure settled with the call up to this
   * turn and not yet alerted at the alert point before it (the agent's previous turn or a CTI
   * event since: each alert is raised once). The call is the call so far; given a longer call
   * (a replay), only its turns up to `turn` and the events up to that turn's time are looked at.
   * What a CTI event settles is `alertsAt`'s to raise at the event: ask it at each (flow.ts does).
   */
  alertsFor(call: Call, turn: number): TurnAlert[] {
    if (call.turns[turn]?.speaker !== 'agent') return [];
    const { cache, hits } = this.callCache(call, turn);
    const before = this.alertedBefore(cache, hits, call, { turn });
    const upTo = prefix(call, turn);
    const now = this.settled(cache, hits, upTo);
    cache.last = { point: pointKey({ turn }), stable: now.stable };
    return this.raise(cache, upTo, now, before);
  }

  /**
   * The alerts CTI event `event` (its index in `call.events`) raises as it is handled: every
   * rule failure settled on the call then — the turns started before it, the events up to it —
   * not yet alerted. With turns arriving at their `start`, those turns are taken as all there
   * (settled.ts `turnsKnownUntil`: a hold's consent is judged as the caller is put on hold);
   * `posted`, not (an ASR's words before the hold may come after it). The ring and the hang-up
   * raise none (the hang-up gives the inspection).
   */
  alertsAt(call: Call, event: number): TurnAlert[] {
    if (!raisesAlerts(call.events[event])) return [];
    const upTo = atEvent(call, event);
    if (upTo.turns.length === 0) return [];
    const { cache, hits } = this.callCache(upTo, upTo.turns.length - 1);
    const before = this.alertedBefore(cache, hits, call, { event });
    const now = this.settledAt(cache, hits, upTo, event);
    const alerted = new Map(before);
    for (const [id, n] of now.stable) alerted.set(id, Math.max(n, alerted.get(id) ?? 0));
    cache.last = { point: pointKey({ event }), stable: alerted };
    return this.raise(cache, upTo, now, before);
  }

  /** The failures settled now past what was alerted before, as the Inspector words them. */
  private raise(
    cache: CallCache,
    upTo: Call,
    now: ReturnType<LiveRules['settled']>,
    before: ReadonlyMap<string, number>,
  ): TurnAlert[] {
    const alerts: TurnAlert[] = [];
    const seen = new Set<string>(); // the same words twice in a turn are one alert
    const turns = cache.turns.slice(0, upTo.turns.length);
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
          title: rule.title,
          evidence: f.evidence,
          suggestion: f.suggestion,
        });
      }
    }
    return alerts;
  }

  /**
   * What was alerted up to the alert point before `point`: the evidence count per rule at the
   * agent's previous turn, and at each CTI event since (the most of them). Kept from the last
   * point asked about; worked out again when that is not the one before (a resumed call, a
   * replay asking turn by turn, a call the cache let go).
   */
  private alertedBefore(cache: CallCache, hits: Hit[][], call: Call, point: AlertPoint): Map<string, number> {
    const points = pointsBefore(call, point);
    const last = points[points.length - 1];
    if (last === undefined) return new Map();
    if (cache.last?.point === pointKey(last)) return cache.last.stable;
    const alerted = new Map<string, number>();
    for (const p of points) {
      const { stable } =
        'turn' in p
          ? this.settled(cache, hits, prefix(call, p.turn))
          : this.settledAt(cache, hits, atEvent(call, p.event), p.event);
      for (const [id, n] of stable) alerted.set(id, Math.max(n, alerted.get(id) ?? 0));
    }
    return alerted;
  }

  /**
   * Whether the words before a hold starting at `at` pass the check a `holds` rule makes before
   * each hold (its `before` over the turns back to its `within`-th agent turn before the hold),
   * judged by the Inspector's own evaluator on the call's turns so far: the hold.ask line and
   * the inspection share one decision. The hold is placed as quality inspection places it (the
   * first turn starting at or after it; untimed turns before that count as before). An n/a
   * check is no failure (true). Null where the scorecard cannot tell: no rule of that id, not
   * for the call's channel, no `holds` check before a hold at the top of its expect. The rule's
   * `when` is the whole call's, known at hang-up: not asked here. Nor its `minMs`: the hold's
   * length is not known at its start, and a consent is asked then or not at all, so the check
   * is answered as for a hold that reaches it (a short hold QA finds n/a was still prompted).
   */
  passesBeforeHold(call: Call, at: number, ruleId: string): boolean | null {
    const compiled = this.inspector.compiledFor(call);
    const rule = compiled.rule(ruleId);
    if (!rule || (rule.channels && !rule.channels.includes(call.channel ?? 'phone'))) return null;
    const op = 'holds' in rule.expect ? rule.expect.holds : undefined;
    if (!op?.before) return null;
    const { cache, hits } = this.callCache(call, call.turns.length - 1);
    const ctx = this.contextOf(cache, hits, call);
    let beforeAt = call.turns.findIndex((t) => t.start !== undefined && t.start >= at);
    if (beforeAt < 0) beforeAt = call.turns.length;
    const r = compiled.evaluator(op.before)(ctx, windowBefore(ctx, beforeAt, op.within));
    return r.outcome !== 'fail';
  }

  /**
   * Whether the scorecard's named condition `name` (its `conditions`) holds on the call, read
   * over the whole call by the Inspector's own evaluator, as the rules that use it read it at
   * the hang-up; null where the scorecard names no such condition.
   */
  conditionHolds(call: Call, name: string): boolean | null {
    const compiled = this.inspector.compiledFor(call);
    const condition = compiled.condition(name);
    if (!condition) return null;
    const { cache, hits } = this.callCache(call, call.turns.length - 1);
    const ctx = this.contextOf(cache, hits, call);
    return compiled.evaluator(condition)(ctx, null).outcome === 'pass';
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
        ctx = this.contextOf(cache, hits, prefix(call, turn));
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

  /**
   * The rules settled on the call as CTI event `event` is handled (`call`: atEvent's). Turns
   * `posted`: as at a turn, nothing taken as known (the same whenever asked, so what was alerted
   * at an event is worked out again alike however late).
   */
  private settledAt(cache: CallCache, hits: Hit[][], call: Call, event: number) {
    const at = call.events[event]?.at;
    return this.settled(
      cache,
      hits,
      call,
      at === undefined || this.turnsArrive === 'posted'
        ? this.settle
        : { ...this.settle, turnsKnownUntil: at },
    );
  }

  private settled(cache: CallCache, hits: Hit[][], call: Call, options: SettleOptions = this.settle) {
    if (call.turns.length === 0)
      return { settled: new Map<string, Settled>(), stable: new Map<string, number>() };
    const ctx = this.contextOf(cache, hits, call);
    const settled = new Settler(cache.compiled, ctx, options, cache.found).rules();
    const stable = new Map<string, number>();
    for (const [id, s] of settled) {
      if (s.keeps === 'fail') stable.set(id, s.final ? s.result.evidence.length : s.stable);
    }
    return { settled, stable };
  }

  /** The Inspector's context over `call` (the whole call, or a prefix of it) from the cached turns. */
  private contextOf(cache: CallCache, hits: Hit[][], call: Call): Ctx {
    return cache.compiled.context(
      call,
      cache.turns.slice(0, call.turns.length),
      hits,
      this.inspector.detector,
      cache.situations,
    );
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

/**
 * The order inputs reach a flow (replay.ts `replayInputs`): a turn at its start (an untimed one
 * right after the turn before it), an event before a turn at its time. Each turn's time so.
 */
function turnKeys(call: Call): number[] {
  let last = 0;
  return call.turns.map((t) => {
    last = t.start ?? last;
    return last;
  });
}

/** The call as CTI event `event` is handled: the turns started before it, the events up to it. */
function atEvent(call: Call, event: number): Call {
  const at = call.events[event]?.at ?? 0;
  const keys = turnKeys(call);
  let n = 0;
  while (n < keys.length && (keys[n] as number) < at) n++;
  return { ...call, turns: call.turns.slice(0, n), events: call.events.slice(0, event + 1) };
}

/**
 * The alert points since the agent's last turn before `point`, in order: that turn (if any),
 * then the CTI events after it and before the point.
 */
function pointsBefore(call: Call, point: AlertPoint): AlertPoint[] {
  const keys = turnKeys(call);
  let lastTurn: number;
  let events: number; // the events before the point: indices below this
  let until: number; // …and at or before this time
  if ('turn' in point) {
    lastTurn = point.turn - 1;
    until = keys[point.turn] ?? 0;
    events = call.events.length;
  } else {
    const at = call.events[point.event]?.at ?? 0;
    lastTurn = keys.length - 1;
    while (lastTurn >= 0 && (keys[lastTurn] as number) >= at) lastTurn--;
    until = at;
    events = point.event;
  }
  while (lastTurn >= 0 && call.turns[lastTurn]?.speaker !== 'agent') lastTurn--;
  const from = lastTurn >= 0 ? (keys[lastTurn] as number) : -1;
  const out: AlertPoint[] = lastTurn >= 0 ? [{ turn: lastTurn }] : [];
  for (let i = 0; i < events; i++) {
    const e = call.events[i];
    if (raisesAlerts(e) && (e as CallEvent).at > from && (e as CallEvent).at <= until) out.push({ event: i });
  }
  return out;
}
