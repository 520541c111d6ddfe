// Agents' states in the application core: the agent's own requests (示闲 / 示忙 with a reason,
// from their console's socket; audited), their consoles' presence (sign-in at the first socket,
// offline once none has been connected for two heartbeats; audited), and their calls (fed by
// live assist at each CTI input and at the flow's wrap-up timer; not audited — the stored call
// is their record). Each change is written with a compare-and-set (agent-store.ts) and
// published on the live hub, so every process's wallboards and the agent's console see it.
import type { Kysely } from 'kysely';
import { type AuditWriter, systemActor } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import {
  type AgentInput,
  type AgentKey,
  type AgentRecord,
  AgentStateError,
  type AgentStateRules,
  agentKeyOf,
  applyAgentInput,
  current,
  initialRecord,
} from './agent-state.ts';
import type { AgentStateStore } from './agent-store.ts';
import type { LiveHub } from './hub.ts';

/** Who: an agent's account as the socket knows it. */
export interface AgentAccount extends AgentKey {
  userId: string;
  name: string;
  team: string | null;
  ip: string | null;
}

export interface AgentStateDeps {
  clock: Clock;
  store: AgentStateStore;
  hub: LiveHub;
  db: Kysely<DB>;
  audit: AuditWriter;
  /** The brand's not-ready reasons and limits (its playbook's, else the defaults); null: every brand. */
  rulesOf(brand: string | null): AgentStateRules;
  log?: { warn(obj: object, msg: string): void };
}

/** Compare-and-set attempts before giving up (two writers of one agent at once are rare). */
const ATTEMPTS = 8;

export class AgentStateService {
  private readonly checks = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: AgentStateDeps) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /**
   * Reads, applies and writes one input with a compare-and-set; publishes the record when it
   * changed. Returns the record before and after (the same when nothing changed).
   */
  private async update(
    key: AgentKey,
    input: AgentInput | ((r: AgentRecord, now: number) => AgentInput | null),
    at?: number,
  ): Promise<{ before: AgentRecord; after: AgentRecord }> {
    const id = agentKeyOf(key);
    const rules = this.deps.rulesOf(key.brand);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const now = at ?? this.now();
      const stored = await this.deps.store.get(id);
      const before = stored ?? initialRecord(key, now);
      const what = typeof input === 'function' ? input(current(before, now), now) : input;
      const after = what === null ? before : applyAgentInput(before, what, now, rules);
      if (after === before && stored) return { before, after };
      if (await this.deps.store.put(id, after, before.revision)) {
        const written = { ...after, revision: before.revision + 1 };
        this.deps.hub.publishAgent(written);
        return { before, after: written };
      }
    }
    throw new AppError('conflict', {
      zh: `工号 ${key.agentNumber} 的状态正被同时修改，请重试`,
      en: `the state of 工号 ${key.agentNumber} is being changed concurrently; try again`,
    });
  }

  /** The agent asks to be ready, or not ready for a reason (their console). Audited. */
  async request(
    who: AgentAccount,
    input: { state: 'ready' } | { state: 'not-ready'; reason: string },
  ): Promise<AgentRecord> {
    let result: { before: AgentRecord; after: AgentRecord };
    try {
      result = await this.update(
        who,
        input.state === 'ready' ? { kind: 'ready' } : { kind: 'not-ready', reason: input.reason },
      );
    } catch (err) {
      if (err instanceof AgentStateError)
        throw new AppError(err.code === 'unknown-reason' ? 'validation' : 'conflict', err.messages, [
          ...(err.code === 'unknown-reason'
            ? [{ path: 'reason', message: err.messages.en, zh: err.messages.zh }]
            : []),
        ]);
      throw err;
    }
    const { before, after } = result;
    if (before.work !== after.work || before.reason !== after.reason || before.state !== after.state)
      await this.audit(who, before, after, 'agent-state');
    return after;
  }

  /**
   * A console of the agent connected, or its heartbeat: connected until `until`. The first
   * after being offline signs the agent in (audited).
   */
  async connected(who: AgentAccount, connection: string, until: number): Promise<AgentRecord> {
    const id = agentKeyOf(who);
    await this.deps.store.present(id, connection, until);
    const { before, after } = await this.update(who, (r) =>
      !r.online || r.userId !== who.userId || r.name !== who.name || r.team !== who.team
        ? { kind: 'sign-in', userId: who.userId, name: who.name, team: who.team }
        : null,
    );
    if (!before.online && after.online) await this.audit(who, before, after, 'agent-sign-in');
    this.schedule(who, until);
    return after;
  }

  /**
   * A console of the agent closed: it counts until `until` (a short grace, so a reload or a
   * reconnect does not sign the agent out), then the agent is offline unless another is open.
   */
  async disconnected(who: AgentAccount, connection: string, until: number): Promise<void> {
    await this.deps.store.present(agentKeyOf(who), connection, until, true);
    // The latest connection decides: another console (or the reconnect) may outlast this one.
    const latest = await this.deps.store.presentUntil(agentKeyOf(who));
    this.schedule(who, latest ?? until);
  }

  /** Looks again at `until` (plus a moment): offline then unless a console is still connected. */
  private schedule(key: AgentKey, until: number): void {
    const id = agentKeyOf(key);
    clearTimeout(this.checks.get(id));
    const timer = setTimeout(
      () => {
        this.checks.delete(id);
        this.refresh(key).catch((err: unknown) =>
          this.deps.log?.warn({ err, agent: id }, 'could not check an agent’s presence'),
        );
      },
      Math.max(0, until - this.now()) + 50,
    );
    timer.unref();
    this.checks.set(id, timer);
  }

  /** Signs the agent out (offline) when no console of theirs is connected any more. */
  async refresh(key: AgentKey): Promise<void> {
    const id = agentKeyOf(key);
    const until = await this.deps.store.presentUntil(id);
    const now = this.now();
    if (until !== null && until > now) {
      this.schedule(key, until);
      return;
    }
    const stored = await this.deps.store.get(id);
    if (!stored?.online) return;
    // Offline from when the last console stopped answering, not from when this looked.
    const { before, after } = await this.update(key, { kind: 'sign-out' }, Math.min(now, until ?? now));
    if (before.online && !after.online && after.userId)
      await this.audit(
        { ...key, userId: after.userId, name: after.name ?? '', team: after.team, ip: null },
        before,
        after,
        'agent-sign-out',
        true,
      );
  }

  /** A call's event for the agent it rang to (live assist, at the process holding the flow). */
  async onCall(
    brand: string,
    agentNumber: string,
    input: Extract<AgentInput, { kind: 'call' | 'wrap-up-end' }>,
    /** When it happened (ms), if not now: a call rebuilt after a restart, told at its real times. */
    at?: number,
  ): Promise<void> {
    // The 工号's account is at the call's brand, or at every brand (accounts keep them apart).
    const key = await this.keyOf(brand, agentNumber);
    await this.update(key, input, at);
  }

  private async keyOf(brand: string, agentNumber: string): Promise<AgentKey> {
    const exact = { agentNumber, brand };
    if (await this.deps.store.get(agentKeyOf(exact))) return exact;
    const every = { agentNumber, brand: null };
    if (await this.deps.store.get(agentKeyOf(every))) return every;
    return exact;
  }

  /**
   * Every agent's state as of now: a wrap-up past its time ended, an agent whose consoles all
   * stopped answering offline (from then), even when no process was left to say so.
   */
  async list(): Promise<AgentRecord[]> {
    const now = this.now();
    const records = await this.deps.store.list();
    return Promise.all(
      records.map(async (r) => {
        const x = current(r, now);
        if (!x.online) return x;
        const until = await this.deps.store.presentUntil(agentKeyOf(x));
        if (until !== null && until > now) return x;
        return applyAgentInput(x, { kind: 'sign-out' }, until ?? now, this.deps.rulesOf(x.brand));
      }),
    );
  }

  /** One agent's state as of now (null: never seen). */
  async get(key: AgentKey): Promise<AgentRecord | null> {
    const r = await this.deps.store.get(agentKeyOf(key));
    return r ? current(r, this.now()) : null;
  }

  rulesOf(brand: string | null): AgentStateRules {
    return this.deps.rulesOf(brand);
  }

  private async audit(
    who: AgentAccount,
    before: AgentRecord,
    after: AgentRecord,
    action: string,
    system = false,
  ): Promise<void> {
    await this.deps.audit.record(this.deps.db, {
      actor: system ? systemActor('server') : { userId: who.userId, ip: who.ip },
      entityType: 'user',
      entityId: who.userId,
      action,
      changes: {
        agentNumber: who.agentNumber,
        brand: who.brand,
        from: { state: before.state, work: before.work, reason: before.reason },
        to: { state: after.state, work: after.work, reason: after.reason },
      },
    });
  }

  close(): void {
    for (const t of this.checks.values()) clearTimeout(t);
    this.checks.clear();
  }
}
