// Where agents' states are kept between inputs: this process's memory (one process), or Redis
// (agent-store-redis.ts, REDIS_URL: every process). Every write is a compare-and-set on the
// record's revision, so the agent's own request (at the process holding their socket) and their
// call's events (at the process holding the call's flow) never overwrite each other. Presence:
// each console of an agent is connected until a time its heartbeat pushes on; the agent is
// offline once the latest of those has passed (a process that dies leaves nothing live).
import type { AgentRecord } from './agent-state.ts';

export interface AgentStateStore {
  get(key: string): Promise<AgentRecord | undefined>;
  list(): Promise<AgentRecord[]>;
  /** Writes `record` (revision `expected` + 1) if the stored revision is still `expected` (0: none). */
  put(key: string, record: AgentRecord, expected: number): Promise<boolean>;
  /**
   * A console (`connection`) of the agent counts as connected until `until` (ms since 1970):
   * never earlier than it was told before (a heartbeat), unless `closing` (the console closed).
   */
  present(key: string, connection: string, until: number, closing?: boolean): Promise<void>;
  /** The latest `until` of the agent's consoles; null when none was ever seen (or long gone). */
  presentUntil(key: string): Promise<number | null>;
}

/** Presence entries older than this are forgotten. */
export const PRESENCE_MEMORY_MS = 24 * 3600_000;

export class MemoryAgentStateStore implements AgentStateStore {
  private readonly records = new Map<string, AgentRecord>();
  private readonly presence = new Map<string, Map<string, number>>();

  async get(key: string): Promise<AgentRecord | undefined> {
    const r = this.records.get(key);
    return r ? structuredClone(r) : undefined;
  }

  async list(): Promise<AgentRecord[]> {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  async put(key: string, record: AgentRecord, expected: number): Promise<boolean> {
    if ((this.records.get(key)?.revision ?? 0) !== expected) return false;
    this.records.set(key, structuredClone({ ...record, revision: expected + 1 }));
    return true;
  }

  async present(key: string, connection: string, until: number, closing = false): Promise<void> {
    let m = this.presence.get(key);
    if (!m) {
      m = new Map();
      this.presence.set(key, m);
    }
    m.set(connection, closing ? until : Math.max(until, m.get(connection) ?? 0));
    for (const [c, u] of m) if (u + PRESENCE_MEMORY_MS < until) m.delete(c);
  }

  async presentUntil(key: string): Promise<number | null> {
    const m = this.presence.get(key);
    if (!m || m.size === 0) return null;
    return Math.max(...m.values());
  }
}
