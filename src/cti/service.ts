// CTI events (振铃/接起/保持/转接/挂机) from the telephone system: the live state of every call
// in progress, the order of its events, and what each event sets off. A ring is answered with
// what the agent console needs before picking up (blacklisted? called earlier today? who is
// it?). A hangup stores the finished call (inspected like any other) and, when the hotline
// owes the customer a call back — a missed call, a dropped line, a customer left on hold past
// the brand's limit — opens a callback ticket.
import type { Actor } from '../audit/audit.ts';
import type { BlacklistEntry } from '../blacklist/model.ts';
import type { BlacklistService, StaffActor } from '../blacklist/service.ts';
import {
  type Call,
  type CallEvent,
  type CallEventType,
  type Direction,
  handedOverBy,
  type Turn,
} from '../calls/model.ts';
import type { CallQa, CallsService, RepeatCaller } from '../calls/service.ts';
import type { Customer } from '../customers/model.ts';
import type { CustomersService } from '../customers/service.ts';
import { event, type NewEvent } from '../events/map.ts';
import { masked } from '../events/payloads.ts';
import { type LiveScope, sees } from '../live/scope.ts';
import type { Catalog } from '../playbook/catalog.ts';
import { isScored } from '../qa/result.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, type Localized } from '../shared/errors.ts';
import type { CallbackReason } from '../tickets/types.ts';
import type { CtiEvent } from './event.ts';
import {
  awaitsReportFrom,
  callEvents,
  type LiveCall,
  type LiveCallEvent,
  type LiveCallStore,
  type LiveStatus,
  standingFailure,
} from './live.ts';
import { type CtiPoster, checkCall, checkEvent } from './permissions.ts';

// The event's type lives in event.ts so permissions.ts need not import this file back.
export { type CtiEvent, HANGUP_CAUSES, type HangupCause } from './event.ts';

/** A live call with no event for this long is taken as lost (its hangup never came). */
export const STALE_AFTER_MS = 12 * 3600_000;

/**
 * A call still `ending` this long after its hang-up began was interrupted (the process stopped
 * between storing the call and removing its live row, or before storing it). A hang-up's steps
 * take well under a second (the store, the inspection); the margin is for a loaded machine, so
 * that a hang-up still running in another process is never taken for an interrupted one.
 */
export const ENDING_STUCK_AFTER_MS = 30_000;

/** What settling an interrupted hang-up did to its call. */
export type SettledHangup =
  | { callId: string; outcome: 'removed' }
  | { callId: string; outcome: 'reopened'; status: Exclude<LiveStatus, 'ending'> };

export interface LiveCallView {
  callId: string;
  brand: string;
  direction: Direction;
  caller: string | null;
  agent: { id: string | null; name: string | null };
  status: LiveStatus;
  ringAt: string;
  answeredAt: string | null;
  holdSince: string | null;
  /** Seconds since the ring. */
  durationSeconds: number;
  /** Seconds on the current hold. */
  holdSeconds: number | null;
  /** The customer has waited on hold longer than the brand allows. */
  holdOverLimit: boolean;
  blacklisted: boolean;
  /** A practice call of the softphone (HUASHU_SOFTPHONE): not a customer's call. */
  practice: boolean;
  /** The ASR transcribes the call from its ring (the ring's `asr`, or HUASHU_LIVE_ASR=all). */
  asr: boolean;
  /** The scorecard version that judges the call at hang-up: the one in force at the ring (null: the shipped file). */
  scorecardVersion: number | null;
}

export interface RingInfo {
  blacklisted: boolean;
  blacklist: Pick<BlacklistEntry, 'id' | 'reason' | 'addedAt' | 'expiresAt'> | null;
  repeatCaller: RepeatCaller;
  customer: Customer | null;
}

export interface HangupInfo {
  /** `qa.scored`: false when every rule was n/a (a missed call): its `score` is no score to show. */
  call: { id: string; answered: boolean; subject: string | null; qa: (CallQa & { scored: boolean }) | null };
  callback: { reason: CallbackReason; ticketId: string | null; joined: boolean; error: string | null } | null;
  blacklistEntry: BlacklistEntry | null;
}

export interface EventOutcome {
  callId: string;
  type: CallEventType;
  status: LiveStatus | 'ended';
  live: LiveCallView | null;
  ring: RingInfo | null;
  hangup: HangupInfo | null;
  /**
   * A transfer-failed the other side had reported already (the console's button, then the
   * telephone system's event, or the reverse): taken, nothing recorded twice, no one told again.
   */
  duplicate?: true;
}

/** What the CTI needs of the ticket service: `open` (TicketsService.open). */
export interface CallbackTickets {
  open(
    input: {
      brand: string;
      type: 'callback';
      reason: CallbackReason;
      customerPhone: string;
      callId: string;
      description: string;
    },
    actor: Actor,
  ): Promise<{ id: string; callId: string | null }>;
}

const conflict = (message: Localized) => new AppError('conflict', message);
const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

export class CtiService {
  constructor(
    private readonly live: LiveCallStore,
    private readonly clock: Clock,
    private readonly catalog: Catalog,
    private readonly calls: CallsService,
    private readonly customers: CustomersService,
    private readonly blacklist: BlacklistService,
    private readonly tickets: CallbackTickets,
    /** Where the live events (ring, answer, hold…) are recorded; none: not published. */
    private readonly events: LiveEventSink | null = null,
    /** Told of every event accepted (live assist feeds the call's flow); must not throw. */
    private readonly observer: CtiObserver | null = null,
    /**
     * The words live assist has of a call so far (typed in the console, or the ASR's); null:
     * none. A hang-up without `turns` stores the call with them: inspected once, with its words.
     */
    private readonly liveTranscript: ((callId: string) => Promise<Turn[] | null>) | null = null,
    /**
     * Which calls the ASR transcribes live (HUASHU_LIVE_ASR): `ring`, those whose ring says so;
     * `all`, every call from its ring (practice calls aside: no ASR posts to them).
     */
    private readonly liveAsr: 'ring' | 'all' = 'ring',
  ) {}

  private holdLimitMs(brand: string): number {
    return (this.catalog.find(brand)?.settings.holdLimitSeconds ?? 60) * 1000;
  }

  view(c: LiveCall, now: Date = this.clock.now()): LiveCallView {
    const t = now.getTime();
    const hold = c.holdSince ? t - Date.parse(c.holdSince) : null;
    return {
      callId: c.callId,
      brand: c.brand,
      direction: c.direction,
      caller: c.caller,
      agent: c.agent,
      status: c.status,
      ringAt: c.ringAt,
      answeredAt: c.answeredAt,
      holdSince: c.holdSince,
      durationSeconds: seconds(t - Date.parse(c.ringAt)),
      holdSeconds: hold === null ? null : seconds(hold),
      holdOverLimit: hold !== null && hold > this.holdLimitMs(c.brand),
      blacklisted: c.blacklistEntryId !== null,
      practice: c.practice === true,
      asr: c.asr === true,
      scorecardVersion: c.scorecardVersion ?? null,
    };
  }

  /**
   * Calls in progress, longest first; calls silent for 12 hours are dropped as lost. With a
   * scope: only the calls in it (live/scope.ts, the rule of the live-assist socket too).
   */
  async liveCalls(scope?: LiveScope): Promise<LiveCallView[]> {
    const now = this.clock.now();
    const out: LiveCallView[] = [];
    for (const c of await this.live.list()) {
      if (now.getTime() - Date.parse(c.lastEventAt) > STALE_AFTER_MS) {
        await this.live.remove(c.callId, c.revision);
        continue;
      }
      if (scope && !sees(scope, { brand: c.brand, agentNumber: c.agent.id })) continue;
      out.push(this.view(c, now));
    }
    return out.sort((a, b) => (a.ringAt < b.ringAt ? -1 : a.ringAt > b.ringAt ? 1 : 0));
  }

  /**
   * Applies one event; `at` defaults to now (better: the telephone system's own time). `poster`
   * says who sends it (see permissions.ts): the integration any event, a person only the events
   * of a call that rang to their 工号 (403 otherwise, and nothing changes).
   */
  async handle(
    input: Omit<CtiEvent, 'at'> & { at?: Date },
    actor: StaffActor,
    poster: CtiPoster,
  ): Promise<EventOutcome> {
    const event: CtiEvent = { ...input, at: input.at ?? this.clock.now() };
    const outcome = await this.accept(event, actor, poster);
    if (!outcome.duplicate) await this.observer?.(event, outcome);
    return outcome;
  }

  /**
   * The agent's console reports that the call's transfer did not go through (live assist's
   * `transfer-failed` button): the `transfer-failed` event as the telephone system would post it,
   * with the transfer's `to`, checked and told as every event (the caller stays with the agent:
   * the stored call and the inspection at hang-up read it). 409 when the call has no transfer
   * not already failed.
   */
  async transferFailed(callId: string, at: Date, poster: CtiPoster): Promise<EventOutcome> {
    const c = await this.live.get(callId);
    const to = c ? handedOverBy(c.events)?.to : undefined;
    // The press is stamped by this server's clock, the call's events by the telephone system's:
    // a switch whose clock runs ahead must not make the agent's press "earlier than" its transfer.
    const last = c ? Date.parse(c.lastEventAt) : Number.NaN;
    const when = Number.isFinite(last) && last > at.getTime() ? new Date(last) : at;
    const event: CtiEvent = {
      callId,
      type: 'transfer-failed',
      at: when,
      ...(to !== undefined ? { to } : {}),
    };
    checkEvent(poster, event);
    const outcome = await this.applyLive(event, poster, 'console');
    if (!outcome.duplicate) await this.observer?.(event, outcome);
    return outcome;
  }

  private async accept(event: CtiEvent, actor: StaffActor, poster: CtiPoster): Promise<EventOutcome> {
    checkEvent(poster, event);
    if (event.type === 'ring') return this.ring(event);
    if (event.type === 'hangup') return this.hangup(event, actor, poster);
    // The telephone system's report, or an agent's own through this route (their console's).
    return this.applyLive(event, poster, poster.kind === 'integration' ? 'switch' : 'console');
  }

  /** An event between the ring and the hang-up (answer, hold, unhold, transfer, transfer-failed). */
  private async applyLive(
    event: CtiEvent,
    poster: CtiPoster,
    /** Who reports it: the telephone system's route, or the console's transfer-failed button. */
    from: 'switch' | 'console' = 'switch',
  ): Promise<EventOutcome> {
    // Compare-and-set: a concurrent event of the same call makes us read again.
    for (let attempt = 0; attempt < 5; attempt++) {
      // A duplicate report may come later than the events after the failure (a switch that
      // reports late): its order is checked against the transfer it fails only.
      const current = await this.current(event, event.type !== 'transfer-failed');
      checkCall(poster, event, current);
      const confirmed = event.type === 'transfer-failed' ? this.confirmed(current, event, from) : null;
      if (confirmed) {
        if (!(await this.live.replace(confirmed, current.revision))) continue;
        return {
          callId: confirmed.callId,
          type: event.type,
          status: confirmed.status,
          live: this.view(confirmed),
          ring: null,
          hangup: null,
          duplicate: true,
        };
      }
      this.inOrder(event, current);
      const next = this.apply(current, event, from);
      if (await this.live.replace(next, current.revision)) {
        // A practice call is no call of the hotline's: nothing downstream hears of it.
        if (!next.practice) await this.events?.append([liveEvent(next, event)]);
        return {
          callId: next.callId,
          type: event.type,
          status: next.status,
          live: this.view(next),
          ring: null,
          hangup: null,
        };
      }
    }
    throw conflict({
      zh: `通话“${event.callId}”的事件来得太快，无法排序；请逐个发送`,
      en: `call '${event.callId}' is receiving events too fast to order; send them one after another`,
    });
  }

  /**
   * Settles the hang-ups a stopped process left half done: each call `ending` for `olderThanMs`
   * or longer. Stored (or a practice call, never stored): its live row goes. Not stored: it is
   * put back to its status before the hang-up, so the hang-up can be sent again. Each is a
   * compare-and-set on the revision, as every write (several processes may settle at once).
   * `olderThanMs` 0 only where no other process can be hanging up now (one process without
   * Redis, at start-up: live assist's `start`, before it replays its journal).
   */
  async settleInterruptedHangups(
    olderThanMs: number = ENDING_STUCK_AFTER_MS,
    log?: { warn(obj: object, msg: string): void },
  ): Promise<SettledHangup[]> {
    const out: SettledHangup[] = [];
    for (const c of await this.live.list()) {
      if (c.status !== 'ending' || !this.endingFor(c, olderThanMs)) continue;
      const settled = await this.settleEnding(c);
      if (!settled) continue;
      out.push(settled);
      if (settled.outcome === 'removed')
        log?.warn(
          { callId: c.callId, endingSince: c.endingSince ?? null },
          c.practice
            ? 'a practice call’s hang-up was interrupted: its live row is removed (a practice call is never stored)'
            : 'a hang-up was interrupted after the call was stored (the process stopped before removing its live row): the live row is removed; the stored call is as it was, but a callback ticket or blacklist entry that hang-up owed may not have been made: check the call',
        );
      else
        log?.warn(
          { callId: c.callId, endingSince: c.endingSince ?? null, status: settled.status },
          `a hang-up was interrupted before the call was stored: the call is live again (${settled.status}), so the telephone system's hang-up can be sent again; until it is, the call is not stored`,
        );
    }
    return out;
  }

  /** Whether the call has been `ending` for `ms` or longer (an older server's row: since its last event). */
  private endingFor(c: LiveCall, ms: number): boolean {
    return this.clock.now().getTime() - Date.parse(c.endingSince ?? c.lastEventAt) >= ms;
  }

  /** One interrupted hang-up settled (see settleInterruptedHangups); null: the row changed meanwhile. */
  private async settleEnding(c: LiveCall): Promise<SettledHangup | null> {
    if (c.practice || (await this.calls.exists(c.callId)))
      return (await this.live.remove(c.callId, c.revision)) ? { callId: c.callId, outcome: 'removed' } : null;
    const { endingSince: _, ...before } = c;
    // The fields the hang-up leaves as they were say the status it came from.
    const status = c.holdSince !== null ? 'on-hold' : c.answeredAt !== null ? 'talking' : 'ringing';
    const back: LiveCall = { ...before, status, revision: c.revision + 1 };
    return (await this.live.replace(back, c.revision))
      ? { callId: c.callId, outcome: 'reopened', status }
      : null;
  }

  /**
   * Removes the live row of a call just stored. Not at the `ending` revision when another
   * process settled the hang-up meanwhile (this store took longer than ENDING_STUCK_AFTER_MS and
   * the call was not stored yet then): the row it put back goes too, the call being stored now.
   */
  private async removeStored(c: LiveCall, revision: number): Promise<void> {
    if (await this.live.remove(c.callId, revision)) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = await this.live.get(c.callId);
      if (!now || now.ringAt !== c.ringAt) return;
      if (await this.live.remove(c.callId, now.revision)) return;
    }
  }

  /** The live call an event belongs to, or why there is none. */
  private async current(event: CtiEvent, ordered = true): Promise<LiveCall> {
    let c = await this.live.get(event.callId);
    // A hang-up left half done (its process stopped) is settled first: then the event applies
    // to the call as it is, or is refused as one after a hang-up.
    if (c?.status === 'ending' && this.endingFor(c, ENDING_STUCK_AFTER_MS)) {
      await this.settleEnding(c);
      c = await this.live.get(event.callId);
    }
    if (!c) {
      const stored = await this.calls.exists(event.callId);
      throw conflict(
        stored
          ? {
              zh: `通话“${event.callId}”已挂机并存储；挂机之后不能再有 ${event.type} 事件`,
              en: `call '${event.callId}' has already ended (hung up and stored); a ${event.type} cannot follow a hangup`,
            }
          : {
              zh: `没有进行中的通话“${event.callId}”：通话须先有振铃（ring）事件，再有 ${event.type}`,
              en: `no live call '${event.callId}': a call starts with a ring event, then ${event.type}`,
            },
      );
    }
    if (c.status === 'ending')
      // Refused until it is settled, ENDING_STUCK_AFTER_MS after the hang-up began at the latest.
      throw conflict({
        zh: `通话“${event.callId}”正在挂机，之后不能再有 ${event.type} 事件`,
        en: `call '${event.callId}' is hanging up; no ${event.type} after that`,
      });
    if (ordered) this.inOrder(event, c);
    return c;
  }

  /** Refuses an event earlier than the call's last one. */
  private inOrder(event: CtiEvent, c: LiveCall): void {
    const at = event.at.toISOString();
    if (at < c.lastEventAt)
      throw conflict({
        zh: `${event.type} 事件的时间 ${at} 早于该通话上一个事件的时间 ${c.lastEventAt}；请按发生顺序发送事件`,
        en: `the ${event.type} at ${at} is earlier than the call's last event at ${c.lastEventAt}; send events in the order they happened`,
      });
  }

  /**
   * The call with its standing transfer-failed marked reported by both sides, when this report
   * (`from`) is the other side's of a failure already recorded: the console's press after the
   * telephone system's event, or the telephone system's own report (late, maybe) after
   * the press. Null otherwise (a first report, or a second from the same side: a 409 in apply).
   * Not its events' time: a duplicate records no event.
   */
  private confirmed(c: LiveCall, e: CtiEvent, from: 'switch' | 'console'): LiveCall | null {
    if (!awaitsReportFrom(c.events, from)) return null;
    const failure = standingFailure(c.events) as LiveCallEvent;
    // Not a report of this failure when earlier than the transfer that failed.
    const transfer = c.events.findLast((x) => x.type === 'transfer');
    if (transfer && this.offset(c, e.at) < transfer.at) return null;
    return {
      ...c,
      events: c.events.map((x) => (x === failure ? { ...x, reportedBy: 'both' } : x)),
      revision: c.revision + 1,
    };
  }

  private offset(c: LiveCall, at: Date): number {
    return Math.max(0, at.getTime() - Date.parse(c.ringAt));
  }

  /** The call after answer, hold, unhold, transfer or transfer-failed, or why that cannot happen now. */
  private apply(c: LiveCall, e: CtiEvent, from: 'switch' | 'console'): LiveCall {
    const at = e.at.toISOString();
    const event: LiveCallEvent = { type: e.type, at: this.offset(c, e.at) };
    const next: LiveCall = { ...c, events: [...c.events], lastEventAt: at, revision: c.revision + 1 };
    const id = `call '${c.callId}'`;
    switch (e.type) {
      case 'answer':
        if (c.status !== 'ringing')
          throw conflict({
            zh: `通话“${c.callId}”已接起；接起只能有一次，且在振铃之后`,
            en: `${id} is already answered; answer comes once, after ring`,
          });
        next.status = 'talking';
        next.answeredAt = at;
        if (e.agent) next.agent = { id: e.agent.id ?? c.agent.id, name: e.agent.name ?? c.agent.name };
        break;
      case 'hold':
        if (c.status === 'ringing')
          throw conflict({
            zh: `通话“${c.callId}”尚未接起；保持须在接起之后`,
            en: `${id} is not answered yet; hold comes after answer`,
          });
        if (c.status === 'on-hold')
          throw conflict({
            zh: `通话“${c.callId}”自 ${c.holdSince} 起已在保持中；再次保持前请先取消保持（unhold）`,
            en: `${id} is already on hold since ${c.holdSince}; send unhold before the next hold`,
          });
        next.status = 'on-hold';
        next.holdSince = at;
        break;
      case 'unhold':
        if (c.status !== 'on-hold')
          throw conflict({
            zh: `通话“${c.callId}”不在保持中，无法取消保持；请先发送保持（hold）（状态：${c.status}）`,
            en: `${id} is not on hold: unhold without hold; send hold first (status: ${c.status})`,
          });
        next.status = 'talking';
        next.holdSince = null;
        break;
      case 'transfer':
        if (c.status === 'ringing')
          throw conflict({
            zh: `通话“${c.callId}”尚未接起；转接须在接起之后`,
            en: `${id} is not answered yet; transfer comes after answer`,
          });
        if (e.to) event.to = e.to;
        break;
      case 'transfer-failed': {
        // Only a transfer that was made can fail, once: the caller is then this agent's again.
        if (!handedOverBy(c.events)) {
          const failed = c.events.some((x) => x.type === 'transfer-failed');
          throw conflict(
            failed
              ? {
                  zh: `通话“${c.callId}”最近一次转接已记录为失败；每次转接只能失败一次，再次转接后才能再报失败`,
                  en: `${id}: its last transfer has already failed; one transfer-failed per transfer (a new transfer may fail again)`,
                }
              : {
                  zh: `通话“${c.callId}”没有转接，无法记录转接失败；请先发送转接（transfer）事件`,
                  en: `${id} has no transfer to fail; send the transfer event first`,
                },
          );
        }
        if (e.to) event.to = e.to;
        event.reportedBy = from;
        break;
      }
      default:
        throw new AppError('internal', { zh: `意外的事件类型 ${e.type}`, en: `unexpected event ${e.type}` });
    }
    next.events.push(event);
    return next;
  }

  private async ring(e: CtiEvent): Promise<EventOutcome> {
    const brand = this.calls.brandId(e.brand, 'body.brand');
    const existing = await this.live.get(e.callId);
    if (existing)
      throw conflict({
        zh: `通话“${e.callId}”正在进行（${existing.ringAt} 振铃）；一通电话只振铃一次`,
        en: `call '${e.callId}' is already live (it rang at ${existing.ringAt}); a call rings once`,
      });
    if (await this.calls.exists(e.callId))
      throw conflict({
        zh: `通话“${e.callId}”已结束并存储；新的通话须使用新的通话编号`,
        en: `call '${e.callId}' has already ended and is stored; a new call needs a new call id`,
      });
    const caller = e.caller?.phone ?? null;
    // The ring's answer is for the agent the call rings to (their console shows it): the
    // repeat-caller notice as that agent may see it; a call to no 工号 yet shows only the fact
    // of earlier calls (customers/visibility.ts).
    const seer = { kind: 'agent', agentNumber: e.agent?.id ?? null, brand } as const;
    const [entry, repeatCaller, customer] = caller
      ? await Promise.all([
          this.blacklist.check(caller, e.at),
          this.calls
            .repeatCaller(caller, brand, e.at)
            .then((rc) => this.customers.repeatCallerFor(caller, rc, seer)),
          this.customers.find(caller),
        ])
      : [null, { repeat: false, callsToday: 0, previous: null, prompt: null }, undefined];
    const at = e.at.toISOString();
    const call: LiveCall = {
      callId: e.callId,
      brand,
      direction: e.direction ?? 'inbound',
      caller: e.caller?.asGiven ?? null,
      callerPhone: caller,
      agent: { id: e.agent?.id ?? null, name: e.agent?.name ?? null },
      status: 'ringing',
      ringAt: at,
      answeredAt: null,
      holdSince: null,
      lastEventAt: at,
      events: [{ type: 'ring', at: 0 }],
      blacklistEntryId: entry?.id ?? null,
      revision: 1,
      ...(e.practice ? { practice: true } : {}),
      // The floor's setting wins over a ring that says nothing (or false): a call centre that
      // runs the ASR runs it on every call, so no console types the caller's words first.
      ...((e.asr || this.liveAsr === 'all') && !e.practice ? { asr: true } : {}),
      // The rules the call keeps until its hang-up, though a newer version be published meanwhile.
      scorecardVersion: this.calls.inspectingWith,
    };
    if (!(await this.live.create(call)))
      throw conflict({
        zh: `通话“${e.callId}”正在进行；一通电话只振铃一次`,
        en: `call '${e.callId}' is already live; a call rings once`,
      });
    if (!call.practice)
      await this.events?.append([
        event('call.ringing', { type: 'call', id: call.callId }, at, {
          callId: call.callId,
          brand,
          agentNumber: call.agent.id,
          direction: call.direction,
          caller: masked(caller ?? call.caller),
          blacklisted: entry !== null,
          at,
        }),
      ]);
    return {
      callId: call.callId,
      type: 'ring',
      status: 'ringing',
      live: this.view(call),
      ring: {
        blacklisted: entry !== null,
        blacklist: entry
          ? { id: entry.id, reason: entry.reason, addedAt: entry.addedAt, expiresAt: entry.expiresAt }
          : null,
        repeatCaller,
        customer: customer ?? null,
      },
      hangup: null,
    };
  }

  private async hangup(e: CtiEvent, actor: StaffActor, poster: CtiPoster): Promise<EventOutcome> {
    // Compare-and-set, read again when another event of the call got in between (a hold, the
    // console's transfer-failed press at the same moment): the hang-up applies to the call as it
    // is then. Refused only when it keeps changing (or another hang-up began: `current`).
    let c: LiveCall | null = null;
    let ending: LiveCall | null = null;
    for (let attempt = 0; attempt < 5 && ending === null; attempt++) {
      const read = await this.current(e);
      checkCall(poster, e, read);
      const next: LiveCall = {
        ...read,
        status: 'ending',
        endingSince: this.clock.now().toISOString(),
        revision: read.revision + 1,
      };
      if (await this.live.replace(next, read.revision)) {
        c = read;
        ending = next;
      }
    }
    if (c === null || ending === null)
      throw conflict({
        zh: `通话“${e.callId}”在挂机时不断发生变化；请重新发送挂机事件`,
        en: `call '${e.callId}' kept changing while hanging up; send the hangup again`,
      });

    if (c.practice) return this.endPractice(c, ending, e);

    const hangupEvent: CallEvent = { type: 'hangup', at: this.offset(c, e.at) };
    if (e.by) hangupEvent.by = e.by;
    // Kept with the call: a dropped line is not failed for a missing closing (qa).
    if (e.cause) hangupEvent.cause = e.cause;
    const call: Call = {
      id: c.callId,
      brand: c.brand,
      direction: c.direction,
      startedAt: c.ringAt,
      events: [...callEvents(c.events), hangupEvent],
      // The words live assist took, when the hang-up carries none: the call is stored and scored
      // with them, not scored empty (100) and reinspected once they follow.
      turns: e.turns ?? (await this.wordsOfLive(c.callId)),
    };
    if (c.agent.id !== null || c.agent.name !== null) {
      call.agent = {};
      if (c.agent.id !== null) call.agent.id = c.agent.id;
      if (c.agent.name !== null) call.agent.name = c.agent.name;
    }
    if (c.caller) call.customer = { phone: c.caller };

    let stored: Awaited<ReturnType<CallsService['store']>>;
    try {
      stored = await this.calls.store(
        {
          call,
          phone: c.callerPhone,
          fromCti: true,
          ...(e.subject !== undefined ? { subject: e.subject } : {}),
          ...(c.scorecardVersion !== undefined ? { scorecardVersion: c.scorecardVersion } : {}),
        },
        actor,
      );
    } catch (err) {
      // Not stored: the call stays live so that the hangup can be sent again, corrected.
      await this.live.replace({ ...c, revision: ending.revision + 1 }, ending.revision);
      throw err;
    }
    await this.removeStored(c, ending.revision);

    let blacklistEntry: BlacklistEntry | null = null;
    if (e.harassment && c.callerPhone) {
      const phone = c.callerPhone;
      blacklistEntry =
        (await this.blacklist.check(phone, e.at)) ??
        (await this.blacklist
          .listFromCall(c.callId, null, { userId: actor.userId, ip: actor.ip })
          .catch(async (err: unknown) => {
            // Listed by someone else since the check (one active entry per number): that entry.
            const listed =
              err instanceof AppError && err.code === 'conflict' ? await this.blacklist.check(phone) : null;
            if (!listed) throw err;
            return listed;
          }));
    }

    const reason = this.callbackReason(c, e);
    let callback: HangupInfo['callback'] = null;
    const refused = c.blacklistEntryId !== null || blacklistEntry !== null;
    if (reason && c.callerPhone && c.direction === 'inbound' && !refused) {
      try {
        const ticket = await this.tickets.open(
          {
            brand: c.brand,
            type: 'callback',
            reason,
            customerPhone: c.callerPhone,
            callId: c.callId,
            description: this.describe(c, e, reason),
          },
          // Opened by the system on the telephone system's word, not by a person.
          { userId: null, ip: actor.ip },
        );
        callback = { reason, ticketId: ticket.id, joined: ticket.callId !== c.callId, error: null };
      } catch (err) {
        // The call is stored; say what failed rather than lose the answer.
        callback = {
          reason,
          ticketId: null,
          joined: false,
          error: err instanceof Error ? err.message : String(err),
        };
      }
    }
    return {
      callId: c.callId,
      type: 'hangup',
      status: 'ended',
      live: null,
      ring: null,
      hangup: {
        call: {
          id: stored.call.id,
          answered: stored.call.answered ?? false,
          subject: stored.call.subject,
          qa: stored.call.qa
            ? {
                score: stored.call.qa.score,
                fatal: stored.call.qa.fatal,
                failedRules: stored.call.qa.failedRules,
                scorecardVersion: stored.call.qa.scorecardVersion,
                scored: isScored(stored.call.qa.result),
              }
            : null,
        },
        callback,
        blacklistEntry,
      },
    };
  }

  /** Live assist's words of a call; none when it has none or cannot say (the call is stored without). */
  private async wordsOfLive(callId: string): Promise<Turn[]> {
    try {
      return (await this.liveTranscript?.(callId)) ?? [];
    } catch {
      // Not readable now (Redis away): stored without; live assist adds them at its hang-up.
      return [];
    }
  }

  /**
   * A practice call ends without a trace in the hotline's records: not stored (its inspection
   * is live assist's, pushed to the console), no callback ticket, no blacklist entry (its
   * number was typed or made up).
   */
  private async endPractice(c: LiveCall, ending: LiveCall, e: CtiEvent): Promise<EventOutcome> {
    await this.live.remove(c.callId, ending.revision);
    return {
      callId: c.callId,
      type: 'hangup',
      status: 'ended',
      live: null,
      ring: null,
      hangup: {
        call: { id: c.callId, answered: c.answeredAt !== null, subject: e.subject ?? null, qa: null },
        callback: null,
        blacklistEntry: null,
      },
    };
  }

  /** Why the hotline owes this caller a call back, if it does. */
  private callbackReason(c: LiveCall, e: CtiEvent): CallbackReason | null {
    if (c.answeredAt === null) return 'missed-call';
    if (e.cause === 'dropped') return 'dropped-line';
    if (c.holdSince !== null && e.at.getTime() - Date.parse(c.holdSince) > this.holdLimitMs(c.brand))
      return 'hold-over-limit';
    return null;
  }

  private describe(c: LiveCall, e: CtiEvent, reason: CallbackReason): string {
    const tz = this.calls.timezoneOf(c.brand);
    const when = new Intl.DateTimeFormat('zh-CN', {
      timeZone: tz,
      dateStyle: 'short',
      timeStyle: 'medium',
      hourCycle: 'h23',
    }).format(new Date(c.ringAt));
    const since = (iso: string) => seconds(e.at.getTime() - Date.parse(iso));
    switch (reason) {
      case 'missed-call':
        return `${when} 来电未接通（振铃 ${since(c.ringAt)} 秒后挂机），请回拨。`;
      case 'dropped-line':
        return `${when} 来电通话中断线（接通 ${since(c.answeredAt ?? c.ringAt)} 秒），请回拨。`;
      case 'hold-over-limit':
        return `${when} 来电在保持等待 ${since(c.holdSince ?? c.ringAt)} 秒后挂机（上限 ${this.holdLimitMs(c.brand) / 1000} 秒），请回拨。`;
      default:
        return `${when} 来电，请回拨。`;
    }
  }
}

/** Hears each accepted event with its outcome (live/service.ts's LiveAssistService.onCti). */
export type CtiObserver = (event: CtiEvent, outcome: EventOutcome) => Promise<void>;

/** Records live call events (events/events.ts's Events.append). */
export interface LiveEventSink {
  append(events: readonly NewEvent[]): Promise<void>;
}

/** The event of an answer, hold, unhold, transfer or failed transfer, from the call after it. */
function liveEvent(c: LiveCall, e: CtiEvent): NewEvent {
  const at = e.at.toISOString();
  const ref = { callId: c.callId, brand: c.brand, agentNumber: c.agent.id };
  const aggregate = { type: 'call', id: c.callId } as const;
  switch (e.type) {
    case 'answer':
      return event('call.answered', aggregate, at, { ...ref, at });
    case 'hold':
      return event('call.held', aggregate, at, { ...ref, at });
    case 'unhold': {
      const last = [...c.events].reverse().find((x) => x.type === 'hold');
      const since = last ? Date.parse(c.ringAt) + last.at : null;
      return event('call.resumed', aggregate, at, {
        ...ref,
        at,
        heldSeconds: since === null ? null : Math.max(0, Math.round((e.at.getTime() - since) / 1000)),
      });
    }
    case 'transfer-failed':
      return event('call.transfer-failed', aggregate, at, { ...ref, at, to: e.to ?? null });
    default:
      return event('call.transferred', aggregate, at, { ...ref, at, to: e.to ?? null });
  }
}
