// The call-flow engine of live assist: one CallFlow per call runs the seeds' procedures (ring
// limit, stages checklist, silent line, noisy line and dialect, hold, dropped line, transfer,
// outbound, at-ring information), detects what the caller's words show and checks the agent's
// words, and inspects the call at hang-up. Pure: no I/O and no clock — every input carries its
// time (ms since the ring) and `advance(now)` fires the timers due. The procedures and their
// events are listed in src/live/README.md.

import {
  CALL_EVENT_TYPES,
  type Call,
  type CallEvent,
  handedOverBy,
  type Speaker,
  type Turn,
} from '../calls/model.ts';
import { topicOf } from '../calls/subject.ts';
import type { Catalog } from '../playbook/catalog.ts';
import type { Playbook } from '../playbook/load.ts';
import { brandVariables, type Variables } from '../playbook/render.ts';
import type { CallResult } from '../qa/result.ts';
import type { SituationDetector } from '../situations/detector.ts';
import { guidanceFor } from '../situations/guidance.ts';
import type { DetectedSituation } from '../situations/ids.ts';
import { normalizeText } from '../text/normalize.ts';
import { type GuidanceLine, type GuidancePort, Script } from './flow-script.ts';
import {
  type CallEnding,
  CLOSING_RULES,
  ENDING_RULES,
  HARASSMENT_ENDED,
  NON_ANSWER_RULES,
  STAGE_IDS,
  STAGE_RULES,
  STAGE_SCENARIOS,
  StageChecklist,
  type StageId,
  type StageRuled,
  type StageSaid,
  type StageState,
} from './flow-stages.ts';
import {
  BUTTONS,
  type Button,
  type CallFlow,
  FlowError,
  type FlowInput,
  type FlowSetup,
  type LiveEvent,
  type TimerLimits,
  type TimerName,
  type TimerState,
  type TurnRules,
} from './model.ts';

export type { GuidanceLine, GuidancePort } from './flow-script.ts';
export { STAGE_IDS, type StageId } from './flow-stages.ts';

/** What every call's flow is built with. */
export interface FlowDeps {
  /** The playbooks in force: the brand's (and the one it extends) are looked up at ring. */
  catalog: Pick<Catalog, 'find'>;
  detector: SituationDetector;
  rules: TurnRules;
  /** Script lines for detected situations (src/situations/guidance.ts); default: guidanceFor with the brand's base playbook. */
  guidance?: GuidancePort;
  /**
   * The scorecard's phrase sets (`inspector.scorecard.phraseSets`): where the scorecard has no
   * rule to ask (`rules.saysIn`), the stages checklist and the hold-consent check look for these.
   */
  phraseSets?: Readonly<Record<string, readonly unknown[]>>;
  /** After-call work after the hang-up, ms (default 30 000; 0: none, the flow ends at hang-up). */
  wrapUpMs?: number;
  /**
   * The call the flow inspects starts with the ring (`{type: 'ring', at: 0}`) since the flow is
   * made at the ring (default true). `huashu replay` turns it off and feeds a recorded call's own
   * events, so that the call inspected is exactly the one in the file.
   */
  recordRing?: boolean;
  /** A call reconnected within this many ms of a dropped one gets the apology (default 60 000). */
  reconnectWindowMs?: number;
  /** The longest a turn can last (default 4 h: no call lasts longer). */
  maxTurnMs?: number;
}

export type FlowStatus = 'ringing' | 'talking' | 'on-hold' | 'wrap-up' | 'ended';

/** A read-only view of a call's flow (the WebSocket's "current state" message). */
export interface FlowState {
  callId: string;
  brand: string;
  direction: 'inbound' | 'outbound';
  status: FlowStatus;
  /** The latest time the flow has seen (ms since the ring). */
  now: number;
  /** Timers running, each with when it started and when it next fires (warning or expiry). */
  timers: { timer: TimerName; state: TimerState; startedAt: number; deadline: number }[];
  /** The applicable stages in call order. */
  stages: { stage: StageId; state: StageState }[];
  /** Every situation detected so far, in the order first seen. */
  situations: DetectedSituation[];
  atRing: NonNullable<FlowSetup['atRing']> | null;
  transferredTo: string | null;
  hangup: { at: number; by: Speaker | null; cause: string } | null;
  turns: number;
}

/** A CallFlow with its state view. */
export interface LiveCallFlow extends CallFlow {
  state(): FlowState;
  /**
   * Ends a call whose recording stops without a hang-up (a transcript without CTI events): as a
   * hang-up at `at` — stages, timers, wrap-up, inspection — but nothing is added to the call.
   */
  close(at: number): LiveEvent[];
}

const DEFAULT_WRAP_UP_MS = 30_000;
const DEFAULT_RECONNECT_MS = 60_000;
const DEFAULT_MAX_TURN_MS = 4 * 3600_000;
/** The hold warning comes this long before the limit, or at 75% of a limit under a minute. */
const HOLD_WARNING_BEFORE_MS = 15_000;
/** When a hold's warning comes, ms after the hold began. */
function holdWarningAfter(limitMs: number): number {
  return limitMs - Math.min(HOLD_WARNING_BEFORE_MS, limitMs * 0.25);
}
const HOLD_CONSENT_WORDS = ['稍等', '稍候', '等一下', '等一等', '请您稍等', '麻烦您等'];
const HANG_UP_PROMPT = '对方仍无声音: 说完结束语后即可挂机(无声电话)';
/**
 * The caller declines to dial again after a failed transfer (seed 000 B.四.3): 不想再打了,
 * 我不重新拨了, 懒得再打, 你们打给我吧, 给我回个电话. Accepting (好的,我重新打, 麻烦你了) is not.
 */
const REDIAL_REFUSED =
  /不(想|要|愿意?|用|会)?再?(重新|重)?(打|拨)(了|一次|一遍|过去)?(?![通进])|(别|不要)(再)?让我(再|重新)|懒得(再|重新)?(打|拨)|(你们|你)[^,.!?。]{0,4}(打|回电话?|回拨)(给我|过来)|(给我)?回个电话|(给我)?回拨|(又|还)(要|得)(我)?(重新|再)(打|拨)/;

/** What a caller's words show in answer to the agent's farewell: no line for them then. */
const AFTER_FAREWELL: ReadonlySet<DetectedSituation> = new Set(['thanks', 'goodbye']);

/** The scorecard's rule that a hold comes after the caller was asked to wait (the hold.ask line's). */
const CONSENT_RULE = 'hold.consent';
/** The agent turns before a hold the consent check reads where the scorecard has no CONSENT_RULE. */
const DEFAULT_CONSENT_WINDOW = 2;
/** The consent check's phrase list where the scorecard has no CONSENT_RULE: its `hold-consent` set, else ours. */
function consentWords(sets: FlowDeps['phraseSets']): string[] {
  const given = sets?.['hold-consent']?.filter(
    (p): p is string => typeof p === 'string' && !p.startsWith('@') && !p.startsWith('$'),
  );
  return given?.length ? given : HOLD_CONSENT_WORDS;
}

/** Makes the flow of each call that rings. Throws FlowError for a brand the catalog lacks. */
export function createFlowFactory(deps: FlowDeps): (setup: FlowSetup) => LiveCallFlow {
  const guidance: GuidancePort =
    deps.guidance ??
    ((pb, situations, vars) => guidanceFor(pb, situations, vars, { base: (id) => deps.catalog.find(id) }));
  const consent = consentWords(deps.phraseSets);
  return (setup) => {
    const playbook = deps.catalog.find(setup.brand);
    if (!playbook)
      throw new FlowError(
        setup.callId,
        'invalid-input',
        `call ${setup.callId}: unknown brand '${setup.brand}'; name a brand of the playbooks in force`,
      );
    return new Flow(setup, Script.of(deps.catalog, playbook), deps, guidance, consent);
  };
}

interface Scheduled {
  deadline: number;
  /** An input at exactly the deadline comes after it (a hold of exactly the limit is over it). */
  inclusive: boolean;
  timer: TimerName | null;
  fire(at: number): LiveEvent[];
}

interface Running {
  state: TimerState;
  startedAt: number;
  deadline: number;
}

/** The silent-line procedure of seed 000 B.一.5 / seed 002 一.(三). */
interface SilentLine {
  /** Attempts made so far (the greeting is the first where the brand's first line is it). */
  attempts: number;
  done: boolean;
}

const CTI_TYPES: readonly string[] = CALL_EVENT_TYPES;
const isTime = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
const clock = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

class Flow implements LiveCallFlow {
  readonly callId: string;
  private readonly events: CallEvent[] = [];
  private readonly turns: Turn[] = [];
  private readonly vars: Variables;
  private readonly pb: Playbook;
  private readonly stages: StageChecklist;
  private readonly scheduled: Scheduled[] = [];
  private readonly running = new Map<TimerName, Running>();
  private readonly situationsSeen = new Set<DetectedSituation>();
  private readonly wrapUpMs: number;
  private readonly ringLimitMs: number;
  private readonly holdLimitMs: number;
  readonly limits: TimerLimits;
  /**
   * The stages of this call's checklist, in call order: what the brand's script has lines for, the
   * surname on inbound calls only. `verify` among them applies once the caller's matter touches
   * account data; a stage the call never reached gets no state.
   */
  readonly stageList: readonly StageId[];
  private readonly pauseMs: number;

  private status: FlowStatus = 'ringing';
  private begun = false;
  private readonly opening: LiveEvent[] = [];
  private now = 0;
  private lastCtiAt = 0;
  private lastTurnStart = 0;
  private ringSeen = false;
  private answered = false;
  /** The greeting (or long-wait / outbound opening) line has been given. */
  private openingGiven = false;
  private firstAgentTurn: number | null = null;
  private firstCustomerTurn: number | null = null;
  /** The surname prompt has been considered (once, after the first answer to the caller). */
  private surnamePrompted = false;
  private holdAt: number | null = null;
  private silent: SilentLine | null = null;
  private silentStartPending: Scheduled | null = null;
  /**
   * The latest time the silent-line timer started or expired (the line taken as silent up to
   * there); null once the caller has spoken. A customer turn starting before it (an ASR turn
   * arriving late) stops the procedure as of its start, after an expiry or the hang-up prompt too.
   */
  private silentMark: number | null = null;
  private readonly presses = new Map<Button, number>();
  private transferredTo: string | null = null;
  /** The failed transfer's procedure (seed 000 B.四.2-3): its lines given, then the refusal's. */
  private transferFailure: 'failed' | 'refused' | null = null;
  /**
   * The scenarios of the newest lines (those one input brought up): the caller's words bring
   * the same line again only once another line is on top, since the console shows the newest
   * lines and F takes the top one; said again at once, the line on top already answers it. The
   * farewell's line comes again once it is the next step: the closing question asked, or the
   * farewell said and the call gone on.
   */
  private newestLines = new Set<string>();
  /** The input whose lines `newestLines` holds (`inputs` counts apply/advance/close). */
  private newestInput = -1;
  private inputs = 0;
  /** Someone other than the customer answered (outbound): their surname is not learnt. */
  private notTheCustomer = false;
  /** The agent's latest turn said the farewell: the caller's 谢谢 / 再见 then needs no line. */
  private farewellLast = false;
  private hangupInfo: FlowState['hangup'] = null;
  private result: CallResult | null = null;

  constructor(
    private readonly setup: FlowSetup,
    private readonly script: Script,
    private readonly deps: FlowDeps,
    private readonly guidancePort: GuidancePort,
    private readonly consent: readonly string[],
  ) {
    this.callId = setup.callId;
    this.pb = script.playbook;
    const s = this.pb.settings;
    this.ringLimitMs = s.ringsToAnswer * s.ringPeriodSeconds * 1000;
    this.holdLimitMs = s.holdLimitSeconds * 1000;
    this.pauseMs = s.silentLine.pauseSeconds * 1000;
    this.wrapUpMs = deps.wrapUpMs ?? DEFAULT_WRAP_UP_MS;
    this.limits = {
      ringMs: this.ringLimitMs,
      holdMs: this.holdLimitMs,
      holdWarningMs: holdWarningAfter(this.holdLimitMs),
      silentLinePauseMs: this.pauseMs,
      silentLineAttempts: s.silentLine.attempts,
      wrapUpMs: this.wrapUpMs,
    };
    this.vars = { ...brandVariables(this.pb) };
    if (setup.agent?.id) this.vars.agentNumber = setup.agent.id;
    if (setup.agent?.name) this.vars.agentName = setup.agent.name;
    if (setup.customer?.surname) this.vars.surname = setup.customer.surname;
    if (setup.customer?.title) this.vars.title = setup.customer.title;
    const repeat = setup.atRing?.repeatCaller;
    const topic = topicOf(repeat?.lastSubject);
    if (topic) this.vars.problem = topic;

    const applicable = new Set<StageId>(['greeting', 'customer-hangs-up-first']);
    for (const [stage, scenario] of Object.entries(STAGE_SCENARIOS) as [StageId, string][]) {
      if (stage === 'surname' && setup.direction === 'outbound') continue;
      if (script.has(scenario)) applicable.add(stage);
    }
    this.stageList = STAGE_IDS.filter((s) => applicable.has(s));
    this.stages = new StageChecklist({
      applicable,
      ...(deps.phraseSets ? { phraseSets: deps.phraseSets } : {}),
      ...(setup.customer?.surname ? { surname: setup.customer.surname } : {}),
    });

    // The flow is made at the ring: the ring and what the hotline knows at ring come first.
    if (deps.recordRing ?? true) {
      this.events.push({ type: 'ring', at: 0 });
      this.opening.push(...this.ring(0));
    }
    this.opening.push(...this.atRing());
  }

  get ended(): boolean {
    return this.status === 'ended';
  }

  get inspection(): CallResult | null {
    return this.result;
  }

  /** The call as received so far: the same events and turns, nothing added. */
  call(): Call {
    const s = this.setup;
    return {
      id: s.callId,
      brand: s.brand,
      direction: s.direction,
      ...(s.channel ? { channel: s.channel } : {}),
      ...(s.agent ? { agent: { ...s.agent } } : {}),
      ...(s.customer ? { customer: { ...s.customer } } : {}),
      events: this.events.map((e) => ({ ...e })),
      turns: this.turns.map((t) => ({ ...t })),
    };
  }

  // ---- the contract ----

  apply(input: FlowInput): LiveEvent[] {
    this.inputs++;
    if (this.hangupInfo) {
      throw this.error('call-ended', `the call hung up at ${clock(this.hangupInfo.at)}; no input after it`);
    }
    const t = this.check(input);
    const out = this.begin();
    out.push(...this.fireDue(t, false));
    if (input.kind === 'cti') out.push(...this.cti(input));
    else if (input.kind === 'button') out.push(...this.button(input.button, input.at));
    else out.push(...this.turn(input));
    this.now = Math.max(this.now, t);
    out.push(...this.fireDue(this.now, true));
    return sortByTime(out);
  }

  advance(now: number): LiveEvent[] {
    this.inputs++;
    if (!isTime(now)) throw this.error('invalid-input', `advance(${String(now)}): expected ms ≥ 0`);
    const out = this.begin();
    out.push(...this.fireDue(now, true));
    this.now = Math.max(this.now, now);
    return sortByTime(out);
  }

  nextDeadline(): number | null {
    if (!this.begun && this.opening.length > 0) return 0;
    let next: number | null = null;
    for (const s of this.scheduled) if (next === null || s.deadline < next) next = s.deadline;
    return next;
  }

  close(at: number): LiveEvent[] {
    this.inputs++;
    if (this.hangupInfo) return [];
    if (!isTime(at)) throw this.error('invalid-input', `close(${String(at)}): expected ms ≥ 0`);
    const out = this.begin();
    out.push(...this.fireDue(at, false));
    out.push(...this.end(Math.max(at, this.now), undefined, 'normal'));
    out.push(...this.fireDue(this.now, true));
    return sortByTime(out);
  }

  state(): FlowState {
    return {
      callId: this.callId,
      brand: this.pb.brand.id,
      direction: this.setup.direction,
      status: this.status,
      now: this.now,
      timers: [...this.running.entries()]
        .filter(([, r]) => r.state === 'started' || r.state === 'warning')
        .map(([timer, r]) => ({ timer, state: r.state, startedAt: r.startedAt, deadline: r.deadline })),
      stages: this.stages.view(),
      situations: [...this.situationsSeen],
      atRing: this.setup.atRing ? structuredClone(this.setup.atRing) : null,
      transferredTo: this.transferredTo,
      hangup: this.hangupInfo ? { ...this.hangupInfo } : null,
      turns: this.turns.length,
    };
  }

  // ---- input checks ----

  private error(code: FlowError['code'], message: string): FlowError {
    return new FlowError(this.callId, code, `call ${this.callId}: ${message}`);
  }

  /** Checks an input and gives its time: CTI events and buttons never go back, nor turn starts. */
  private check(input: FlowInput): number {
    if (input.kind === 'turn') {
      if (input.speaker !== 'agent' && input.speaker !== 'customer')
        throw this.error(
          'invalid-turn',
          `turn speaker '${String(input.speaker)}': expected agent or customer`,
        );
      if (typeof input.text !== 'string' || input.text.trim() === '')
        throw this.error('invalid-turn', 'a turn with no words: expected non-blank text');
      for (const k of ['start', 'end'] as const) {
        const v = input[k];
        if (v !== undefined && !isTime(v))
          throw this.error('invalid-turn', `turn ${k} ${String(v)}: expected ms since the ring, ≥ 0`);
      }
      const { start, end } = input;
      if (start !== undefined && end !== undefined) {
        if (end < start)
          throw this.error('invalid-turn', `turn ends (${clock(end)}) before it starts (${clock(start)})`);
        const max = this.deps.maxTurnMs ?? DEFAULT_MAX_TURN_MS;
        if (end - start > max)
          throw this.error(
            'invalid-turn',
            `a turn of ${clock(end - start)}: longer than a whole call can be (${clock(max)}); check the times are ms`,
          );
      }
      if (start !== undefined && start < this.lastTurnStart)
        throw this.error(
          'out-of-order',
          `turn starting at ${clock(start)} after one starting at ${clock(this.lastTurnStart)}: turns come in order`,
        );
      return start ?? end ?? this.now;
    }
    if (!isTime(input.at))
      throw this.error(
        'invalid-input',
        `${input.kind} at ${String(input.at)}: expected ms since the ring, ≥ 0`,
      );
    if (input.kind === 'cti' && !CTI_TYPES.includes(input.type))
      throw this.error(
        'invalid-input',
        `unknown CTI event '${String(input.type)}'; expected one of ${CTI_TYPES.join(', ')}`,
      );
    if (input.kind === 'button' && !(BUTTONS as readonly string[]).includes(input.button))
      throw this.error(
        'invalid-input',
        `unknown button '${String(input.button)}'; expected one of ${BUTTONS.join(', ')}`,
      );
    if (input.at < this.lastCtiAt)
      throw this.error(
        'out-of-order',
        `${input.kind === 'cti' ? input.type : input.button} at ${clock(input.at)} after an event at ${clock(this.lastCtiAt)}: time cannot go back`,
      );
    return input.at;
  }

  // ---- timers ----

  private schedule(s: Scheduled): Scheduled {
    this.scheduled.push(s);
    return s;
  }

  private cancel(timer: TimerName): void {
    for (let i = this.scheduled.length - 1; i >= 0; i--)
      if (this.scheduled[i]?.timer === timer) this.scheduled.splice(i, 1);
    if (this.silentStartPending && timer === 'silent-line') this.silentStartPending = null;
  }

  /** Fires what is due before an input at `t` (or, `upTo`, everything due by `t`), in time order. */
  private fireDue(t: number, upTo: boolean): LiveEvent[] {
    const out: LiveEvent[] = [];
    for (;;) {
      let next: Scheduled | undefined;
      for (const s of this.scheduled) {
        const due = s.deadline < t || (s.deadline === t && (upTo || s.inclusive));
        if (due && (next === undefined || s.deadline < next.deadline)) next = s;
      }
      if (!next) return out;
      this.scheduled.splice(this.scheduled.indexOf(next), 1);
      out.push(...next.fire(next.deadline));
    }
  }

  private timer(at: number, timer: TimerName, state: TimerState, deadline?: number): LiveEvent {
    if (timer === 'silent-line' && state !== 'stopped') this.silentMark = at;
    if (state === 'started' || state === 'warning') {
      const prev = this.running.get(timer);
      this.running.set(timer, {
        state,
        startedAt: state === 'started' ? at : (prev?.startedAt ?? at),
        deadline: deadline ?? at,
      });
    } else
      this.running.set(timer, { state, startedAt: this.running.get(timer)?.startedAt ?? at, deadline: at });
    return { at, kind: 'timer', timer, state };
  }

  private isRunning(timer: TimerName): boolean {
    const r = this.running.get(timer)?.state;
    return r === 'started' || r === 'warning';
  }

  // ---- guidance ----

  private lines(at: number, scenario: string, turn: number | null = null, vars = this.vars): LiveEvent[] {
    return this.script.lines(scenario, vars).map((l) => this.guide(at, l, turn));
  }

  private guide(at: number, l: GuidanceLine, turn: number | null): LiveEvent {
    if (this.newestInput !== this.inputs) {
      this.newestInput = this.inputs;
      this.newestLines = new Set();
    }
    this.newestLines.add(l.scenario);
    return { at, kind: 'guidance', turn, scenario: l.scenario, text: l.text };
  }

  // ---- at ring ----

  private ring(at: number): LiveEvent[] {
    this.ringSeen = true;
    if (this.setup.direction !== 'inbound') return [];
    const deadline = at + this.ringLimitMs;
    this.schedule({
      deadline,
      inclusive: false,
      timer: 'ring',
      fire: (when) => [this.timer(when, 'ring', 'expired')],
    });
    return [this.timer(at, 'ring', 'started', deadline)];
  }

  /** What the hotline knows at ring: a same-day repeat caller (never for a blacklisted number). */
  private atRing(): LiveEvent[] {
    const info = this.setup.atRing;
    if (!info || info.blacklisted || !info.repeatCaller) return [];
    return this.lines(0, 'confirm.repeat-caller').slice(0, 1);
  }

  private begin(): LiveEvent[] {
    if (this.begun) return [];
    this.begun = true;
    return this.opening.splice(0);
  }

  // ---- CTI events ----

  private cti(e: Extract<FlowInput, { kind: 'cti' }>): LiveEvent[] {
    const out = this.ctiEvent(e);
    this.lastCtiAt = e.at;
    return out;
  }

  private ctiEvent(e: Extract<FlowInput, { kind: 'cti' }>): LiveEvent[] {
    const at = e.at;
    const record = () => {
      const ev: CallEvent = { type: e.type, at };
      if (e.to !== undefined) ev.to = e.to;
      if (e.by !== undefined) ev.by = e.by;
      if (e.cause !== undefined && e.type === 'hangup') ev.cause = e.cause;
      this.events.push(ev);
    };
    switch (e.type) {
      case 'ring': {
        if (this.events.some((x) => x.type !== 'ring') || this.turns.length > 0)
          throw this.error('out-of-order', `ring at ${clock(at)} after the call began`);
        if (this.ringSeen) {
          // The flow recorded the ring it was made at: the CTI's own ring is that one.
          if (this.events.length === 1 && (this.deps.recordRing ?? true)) return [];
          throw this.error('out-of-order', `a second ring at ${clock(at)}`);
        }
        record();
        return this.ring(at);
      }
      case 'answer': {
        if (this.answered)
          throw this.error('out-of-order', `answer at ${clock(at)}: the call was already answered`);
        this.answered = true;
        record();
        return [...this.pickUp(at), ...this.eventAlerts(at)];
      }
      case 'hold': {
        if (this.status === 'ringing' && !this.answered)
          throw this.error('out-of-order', `hold at ${clock(at)} before the call was answered`);
        if (this.holdAt !== null)
          throw this.error(
            'out-of-order',
            `hold at ${clock(at)}: the caller is already on hold since ${clock(this.holdAt)}`,
          );
        record();
        return [...this.hold(at), ...this.eventAlerts(at)];
      }
      case 'unhold': {
        if (this.holdAt === null)
          throw this.error('out-of-order', `unhold at ${clock(at)} without a hold before it`);
        record();
        return [...this.unhold(at), ...this.eventAlerts(at)];
      }
      case 'transfer': {
        if (this.status === 'ringing' && !this.answered)
          throw this.error('out-of-order', `transfer at ${clock(at)} before the call was answered`);
        record();
        this.transferredTo = e.to ?? null;
        // A new transfer: its failure gives the redial lines again (one failure per transfer).
        this.transferFailure = null;
        const vars = e.to ? { ...this.vars, transferTarget: e.to } : this.vars;
        return [...this.lines(at, 'transfer.announce', null, vars).slice(0, 1), ...this.eventAlerts(at)];
      }
      case 'transfer-failed': {
        const transfer = handedOverBy(this.events);
        if (!transfer) {
          const failed = this.events.findLast((x) => x.type === 'transfer-failed');
          throw this.error(
            'out-of-order',
            failed
              ? `transfer-failed at ${clock(at)}: the last transfer already failed at ${clock(failed.at)}; one transfer-failed per transfer`
              : `transfer-failed at ${clock(at)} without a transfer before it; send the transfer event first`,
          );
        }
        record();
        return [...this.transferFailed(at), ...this.eventAlerts(at)];
      }
      case 'hangup': {
        record();
        return this.end(at, e.by, e.cause ?? 'normal');
      }
    }
  }

  /** The alerts the CTI event just recorded causes, at its time (issue 9 §4). */
  private eventAlerts(at: number): LiveEvent[] {
    const alerts = this.deps.rules.alertsAt?.(this.call(), this.events.length - 1) ?? [];
    return alerts.map((a) => alertEvent(at, a));
  }

  /** The call is answered (the answer event, or the first words on a line without CTI events). */
  private pickUp(at: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    let late = false;
    if (this.isRunning('ring')) {
      this.cancel('ring');
      out.push(this.timer(at, 'ring', 'stopped'));
    } else if (this.running.get('ring')?.state === 'expired') late = true;
    if (this.status === 'ringing') this.status = 'talking';
    if (!this.openingGiven) {
      this.openingGiven = true;
      const scenario =
        this.setup.direction === 'outbound'
          ? 'outbound.opening'
          : late
            ? 'opening.long-wait'
            : 'opening.greeting';
      out.push(...this.lines(at, scenario).slice(0, 1));
      const dropped = this.setup.atRing?.droppedMsAgo;
      if (
        dropped !== null &&
        dropped !== undefined &&
        dropped <= (this.deps.reconnectWindowMs ?? DEFAULT_RECONNECT_MS)
      )
        out.push(...this.lines(at, 'exception.dropped-line'));
    }
    return out;
  }

  private hold(at: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    this.holdAt = at;
    this.status = 'on-hold';
    if (!this.consentAsked(at)) out.push(...this.lines(at, 'hold.ask').slice(0, 1));
    const limit = this.holdLimitMs;
    const warnAt = at + holdWarningAfter(limit);
    const expiry = at + limit;
    out.push(this.timer(at, 'hold', 'started', warnAt));
    this.schedule({
      deadline: warnAt,
      inclusive: false,
      timer: 'hold',
      fire: (when) => [this.timer(when, 'hold', 'warning', expiry)],
    });
    this.schedule({
      deadline: expiry,
      inclusive: true,
      timer: 'hold',
      fire: (when) => [
        this.timer(when, 'hold', 'expired'),
        ...this.lines(when, 'hold.over-limit').slice(0, 1),
      ],
    });
    return out;
  }

  /**
   * Whether the caller was asked to wait before the hold: the scorecard's hold.consent rule
   * decides, its own check before a hold on the words so far (`rules.passesBeforeHold`), so the
   * line and the inspection never disagree (as the stages checklist asks the rules), the hold
   * taken to reach the rule's minMs (its length is unknown at its start). Where the rules cannot
   * tell (no such rule, a rule not for the call's channel, no `holds.before` at the top of its
   * expect), the phrase list decides, in the agent's last two turns.
   */
  private consentAsked(at: number): boolean {
    const decided = this.deps.rules.passesBeforeHold?.(this.call(), at, CONSENT_RULE) ?? null;
    if (decided !== null) return decided;
    let agents = 0;
    for (let i = this.turns.length - 1; i >= 0 && agents < DEFAULT_CONSENT_WINDOW; i--) {
      const t = this.turns[i] as Turn;
      if (t.start !== undefined && t.start >= at) continue;
      if (t.speaker !== 'agent') continue;
      agents++;
      if (this.consent.some((w) => normalizeText(t.text).includes(w))) return true;
    }
    return false;
  }

  private unhold(at: number): LiveEvent[] {
    this.holdAt = null;
    this.status = 'talking';
    this.cancel('hold');
    const back = this.script.has('hold.return') ? 'hold.return' : 'hold.thanks';
    return [this.timer(at, 'hold', 'stopped'), ...this.lines(at, back).slice(0, 1)];
  }

  /** The hang-up (or the end of a recording): timers stop, stages close, the call is inspected. */
  private end(at: number, by: Speaker | undefined, cause: string): LiveEvent[] {
    const out: LiveEvent[] = [];
    for (const timer of ['ring', 'silent-line', 'hold'] as const) {
      this.cancel(timer);
      if (this.isRunning(timer)) out.push(this.timer(at, timer, 'stopped'));
    }
    if (this.silent) this.silent.done = true;
    this.holdAt = null;
    this.hangupInfo = { at, by: by ?? null, cause };
    this.now = Math.max(this.now, at);
    const result = this.deps.rules.inspect(this.call());
    this.result = result;
    // How the call ended is the inspection's to say (its closing rules' outcomes): one rule set.
    const outcome = (id: string) => result.rules.find((r) => r.id === id)?.outcome;
    const ruled: StageRuled = (stage) => outcome(CLOSING_RULES[stage]) ?? null;
    const finishedHere = outcome(ENDING_RULES.finishedHere);
    const notTheCustomer = outcome(ENDING_RULES.notTheCustomer);
    const customerSpoke = this.firstCustomerTurn !== null;
    const ending: CallEnding = {
      finishedHere: finishedHere === undefined ? null : finishedHere !== 'n/a',
      notTheCustomer: notTheCustomer === undefined ? null : notTheCustomer !== 'n/a',
      // The scorecard's own condition, the one its closing rules are excused by.
      harassmentEnded: this.deps.rules.conditionHolds?.(this.call(), HARASSMENT_ENDED) ?? null,
    };
    for (const s of this.stages.hangup(by, customerSpoke, cause === 'dropped', ruled, ending))
      out.push({ at, kind: 'stage', ...s });
    if (this.wrapUpMs > 0) {
      this.status = 'wrap-up';
      out.push(this.timer(at, 'wrap-up', 'started', at + this.wrapUpMs));
      this.schedule({
        deadline: at + this.wrapUpMs,
        inclusive: true,
        timer: 'wrap-up',
        fire: (when) => {
          this.status = 'ended';
          return [this.timer(when, 'wrap-up', 'expired')];
        },
      });
    } else this.status = 'ended';
    return out;
  }

  // ---- buttons ----

  private button(button: Button, at: number): LiveEvent[] {
    const out = this.press(button, at);
    this.lastCtiAt = at;
    return out;
  }

  private press(button: Button, at: number): LiveEvent[] {
    if (!this.answered && this.status === 'ringing')
      throw this.error('out-of-order', `button ${button} at ${clock(at)} before the call was answered`);
    const n = (this.presses.get(button) ?? 0) + 1;
    this.presses.set(button, n);
    switch (button) {
      case 'silent-line':
        return this.silentLine(at, 'button');
      case 'noisy-line':
        return this.nthLine(at, 'exception.noisy-line', n);
      case 'dialect':
        return this.nthLine(at, 'exception.dialect', n);
      case 'transfer-failed': {
        // The transfer the telephone system reported did not go through: recorded on the call
        // (the inspection reads it: the caller stays with this agent), once per transfer. The
        // service sends it through the CTI instead, so the stored call has it too.
        const transfer = handedOverBy(this.events);
        if (transfer) {
          const ev: CallEvent = { type: 'transfer-failed', at };
          if (transfer.to !== undefined) ev.to = transfer.to;
          this.events.push(ev);
          return [...this.transferFailed(at), ...this.eventAlerts(at)];
        }
        // Pressed again once the redial lines are out: the caller will not dial again.
        if (this.transferFailure !== null) return this.redialRefused(at, null);
        // No transfer event (a floor whose telephone system reports none): the lines alone.
        this.transferFailure = 'failed';
        return this.lines(at, 'transfer.failed');
      }
      case 'not-the-customer':
        this.answeredBySomeoneElse();
        return this.lines(at, 'outbound.not-the-customer');
      case 'wrong-number':
        return this.lines(at, 'exception.wrong-number');
      case 'harassment':
        return this.lines(at, 'exception.harassment');
      case 'reconnected':
        return this.lines(at, 'exception.dropped-line');
    }
  }

  /** A transfer failed (seed 000 B.四.2): the caller is still this agent's; the redial lines. */
  private transferFailed(at: number): LiveEvent[] {
    this.transferredTo = null;
    this.transferFailure = 'failed';
    return this.lines(at, 'transfer.failed');
  }

  /**
   * The caller will not dial again after a failed transfer (the button pressed again, or their
   * words, once): take their name and number (transfer.refused).
   */
  private redialRefused(at: number, turn: number | null): LiveEvent[] {
    this.transferFailure = 'refused';
    return this.lines(at, 'transfer.refused', turn);
  }

  /** The n-th press of noisy line / dialect: the scenario's n-th line (its last once past the end). */
  private nthLine(at: number, scenario: string, n: number): LiveEvent[] {
    const lines = this.script.lines(scenario, this.vars);
    const line = lines[Math.min(n, lines.length) - 1];
    return line ? [this.guide(at, line, null)] : [];
  }

  // ---- silent line ----

  /**
   * The silent-line procedure: attempts with the brand's pause between them (each attempt's
   * line at its time), then the farewell line and a prompt to hang up. Started by the button
   * (the first attempt at once) or by no word from the caller for the pause after the greeting
   * (the greeting is the first attempt where the brand's first silent-line line is its greeting).
   */
  private silentLine(at: number, by: 'button' | 'greeting'): LiveEvent[] {
    if (this.silent && !this.silent.done && by === 'greeting') return [];
    this.cancel('silent-line');
    this.silent = { attempts: 0, done: false };
    const out: LiveEvent[] = [];
    if (by === 'button') out.push(...this.attempt(at));
    else if (this.greetingIsFirstAttempt()) this.silent.attempts = 1;
    out.push(...this.countdown(at));
    return out;
  }

  private greetingIsFirstAttempt(): boolean {
    const first = this.script.scenario('exception.silent-line')?.lines[0]?.text;
    const greeting = this.script.scenario('opening.greeting')?.lines[0]?.text;
    const bare = (s: string | undefined) => s?.replace(/[\p{P}\s]/gu, '');
    return first !== undefined && bare(first) === bare(greeting);
  }

  /** The next attempt's line, or — attempts used up — the farewell line and the hang-up prompt. */
  private attempt(at: number): LiveEvent[] {
    const silent = this.silent as SilentLine;
    const attempts = this.pb.settings.silentLine.attempts;
    const lines = this.script.lines('exception.silent-line', this.vars);
    const farewell = lines.length >= 2 ? lines[lines.length - 1] : undefined;
    const tries = farewell ? lines.slice(0, -1) : lines;
    if (silent.attempts < attempts) {
      silent.attempts++;
      const line = tries[Math.min(silent.attempts, tries.length) - 1];
      return line ? [this.guide(at, line, null)] : [];
    }
    silent.done = true;
    const out = farewell ? [this.guide(at, farewell, null)] : [];
    out.push(
      this.guide(at, { scenario: 'exception.silent-line', text: this.script.prompt(HANG_UP_PROMPT) }, null),
    );
    return out;
  }

  /** A pause of the brand's length starting at `from` (an agent's words restart it). */
  private countdown(from: number): LiveEvent[] {
    const deadline = from + this.pauseMs;
    this.schedule({
      deadline,
      inclusive: true,
      timer: 'silent-line',
      fire: (when) => {
        const out = [this.timer(when, 'silent-line', 'expired'), ...this.attempt(when)];
        if (!this.silent?.done) out.push(...this.countdown(when));
        return out;
      },
    });
    return [this.timer(from, 'silent-line', 'started', deadline)];
  }

  /** Starts (or restarts) the pause at the end of an agent's turn, as a step at that time. */
  private countdownAfter(end: number, start: (at: number) => LiveEvent[]): void {
    this.cancel('silent-line');
    this.silentStartPending = this.schedule({
      deadline: end,
      inclusive: true,
      timer: 'silent-line',
      fire: start,
    });
  }

  // ---- turns ----

  private turn(input: Extract<FlowInput, { kind: 'turn' }>): LiveEvent[] {
    const out: LiveEvent[] = [];
    const begin = input.start ?? input.end ?? this.now;
    const at = input.end ?? input.start ?? this.now;
    if (input.start !== undefined) this.lastTurnStart = input.start;
    // Words on a line no answer event came for (a typed console, a transcript): it is answered.
    if (this.status === 'ringing') out.push(...this.pickUp(begin));
    const turn: Turn = { speaker: input.speaker, text: input.text };
    if (input.start !== undefined) turn.start = input.start;
    if (input.end !== undefined) turn.end = input.end;
    this.turns.push(turn);
    const index = this.turns.length - 1;
    if (input.speaker === 'customer') out.push(...this.customerTurn(index, begin, at));
    else out.push(...this.agentTurn(index, at));
    return out;
  }

  private customerTurn(index: number, begin: number, at: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    if (this.firstCustomerTurn === null) this.firstCustomerTurn = index;
    // The caller speaks: the silent-line procedure is over.
    if (this.silentStartPending && this.silentStartPending.deadline > begin) {
      this.cancel('silent-line');
    }
    // Stopped as of the turn's start: an ASR turn arrives after its words began, maybe after
    // the timer expired, an attempt's line or the hang-up prompt (the caller was speaking then).
    const late = this.silentMark !== null && begin < this.silentMark;
    if (this.isRunning('silent-line') || late) out.push(this.timer(begin, 'silent-line', 'stopped'));
    this.cancel('silent-line');
    this.silentMark = null;
    if (this.silent) this.silent.done = true;
    const text = this.turns[index]?.text ?? '';
    const previousAgent = [...this.turns.slice(0, index)].reverse().find((t) => t.speaker === 'agent');
    const situations = this.deps.detector.detect(
      text,
      previousAgent ? { previousAgentText: previousAgent.text } : undefined,
    );
    this.stages.customerTurn(text, !this.notTheCustomer);
    this.learnAddress();
    if (situations.length > 0) {
      for (const s of situations) this.situationsSeen.add(s);
      out.push({ at, kind: 'situation', turn: index, situations: [...situations] });
      // The agent has just said goodbye: the caller's 谢谢 / 再见 answers it, and 不客气 or the
      // farewell line again would be a line too many.
      const asking = this.farewellLast ? situations.filter((s) => !AFTER_FAREWELL.has(s)) : situations;
      const lines: GuidanceLine[] = [];
      // The caller takes leave before being asked whether anything else is needed: ask first
      // (seed 002 三.(四): the farewell once the caller has no other question).
      if (asking.includes('goodbye') && this.stages.state('more-questions') === 'pending')
        lines.push(...this.script.lines('closing.more-questions', this.vars).slice(0, 1));
      if (asking.length > 0) lines.push(...this.guidancePort(this.pb, asking, this.vars));
      const onTop = this.newestLines;
      const given = new Set<string>();
      for (const l of lines) {
        if (onTop.has(l.scenario) || given.has(l.scenario)) continue;
        given.add(l.scenario);
        out.push(this.guide(at, l, index));
      }
    }
    // After the failed transfer's redial lines, the caller will not dial again: the next step.
    if (this.transferFailure === 'failed' && REDIAL_REFUSED.test(normalizeText(text)))
      out.push(...this.redialRefused(at, index));
    return out;
  }

  /**
   * The caller's surname and title as the call tells them, for the lines' {surname} and {title}
   * (对不起,王先生): the customer card's; else the surname the caller said last (我姓王, then
   * 不对,我姓黄) and the title the agent addressed them by last (王先生, then 王女士). The
   * card's is never replaced; nothing is learnt from someone other than the customer.
   */
  /**
   * Someone other than the customer answered: what was learnt on the call was theirs (我姓张,
   * the agent's 张女士), not the customer's, so the lines asking after the customer forget it.
   */
  private answeredBySomeoneElse(): void {
    if (this.notTheCustomer) return;
    this.notTheCustomer = true;
    if (!this.setup.customer?.surname) delete this.vars.surname;
    if (!this.setup.customer?.title) delete this.vars.title;
  }

  private learnAddress(agentText?: string): void {
    if (this.notTheCustomer) return;
    const surname = this.stages.callerSurname;
    if (surname === undefined) return;
    if (!this.setup.customer?.surname) this.vars.surname = surname;
    if (agentText === undefined || this.setup.customer?.title) return;
    // Compared as text: a card's surname is data, not a pattern.
    const t = normalizeText(agentText);
    const key = normalizeText(surname);
    let at = -1;
    for (const title of TITLES) {
      const i = t.lastIndexOf(key + title);
      if (i > at) {
        at = i;
        this.vars.title = title;
      }
    }
  }

  private agentTurn(index: number, at: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    const text = this.turns[index]?.text ?? '';
    this.learnAddress(text);
    const call = this.call();
    // What the scorecard's rules find in this turn, for the stages they score (asked lazily).
    const says = this.deps.rules.saysIn?.(call, index);
    const said: StageSaid = (stage) => says?.(STAGE_RULES[stage]) ?? null;
    const alerts = this.deps.rules.alertsFor(call, index);
    const noAnswer = alerts.some((a) => a.turn === index && NON_ANSWER_RULES.has(a.rule));
    this.farewellLast = this.stages.saysFarewell(text, said);
    // Said: the farewell is owed again only if the call goes on, and its line may come again then.
    if (this.farewellLast) this.newestLines.delete('closing.farewell');
    if (this.firstAgentTurn === null) {
      this.firstAgentTurn = index;
      for (const s of this.stages.greeting(text, said)) out.push({ at, kind: 'stage', ...s });
      // A first turn that also closes (a chat reply answering and asking 还有其他问题吗): the
      // scorecard counts it in its closing rules, so the checklist does; the stages between are
      // the caller's matter, not decided by the opening turn.
      for (const s of this.stages.agentTurn(text, false, said)) out.push({ at, kind: 'stage', ...s });
      // No word from the caller for the pause after the greeting: a silent line.
      if (this.firstCustomerTurn === null)
        this.countdownAfter(at, (when) => {
          this.silentStartPending = null;
          return this.silentLine(when, 'greeting');
        });
    } else {
      const afterQuestion = this.firstCustomerTurn !== null;
      for (const s of this.stages.agentTurn(text, afterQuestion, said, noAnswer)) {
        out.push({ at, kind: 'stage', ...s });
        // Nothing else asked for: the farewell is the line for now, again (seed 002 三.(四)).
        if (s.stage === 'more-questions' && s.state === 'done') this.newestLines.delete('closing.farewell');
      }
      // The caller's first question answered: now is the time to ask the surname (seed 000 A.二).
      if (afterQuestion && !this.surnamePrompted) {
        this.surnamePrompted = true;
        // Not to a call the agent is ending (the farewell said: seed 000 B.五's refusal of a
        // harasser, 请您挂机,再见!, is often the first answer), where 您好,请问您贵姓? led next.
        if (
          this.stages.state('surname') === 'pending' &&
          this.stages.callerSurname === undefined &&
          this.stages.state('farewell') !== 'done'
        )
          out.push(...this.lines(at, 'identify.ask-surname').slice(0, 1));
      }
      // The agent speaks during the silent-line procedure: the pause starts again after the words.
      if (
        this.silent &&
        !this.silent.done &&
        this.firstCustomerTurn === null &&
        this.isRunning('silent-line')
      )
        this.countdownAfter(at, (when) => {
          this.silentStartPending = null;
          return this.countdown(when);
        });
    }
    for (const a of alerts) out.push(alertEvent(at, a));
    return out;
  }
}

/** A live alert as the event pushed at `at` (a turn's end, or the CTI event's time). */
function alertEvent(
  at: number,
  a: { turn: number; rule: string; title?: string; evidence: string; suggestion: string },
): LiveEvent {
  return {
    at,
    kind: 'alert',
    turn: a.turn,
    rule: a.rule,
    ...(a.title !== undefined ? { title: a.title } : {}),
    evidence: a.evidence,
    suggestion: a.suggestion,
  };
}

const TITLES = ['先生', '女士', '小姐'] as const;

/** Stable sort by time: events at one time keep the order they were caused in. */
export function sortByTime(events: LiveEvent[]): LiveEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map((x) => x.e);
}
