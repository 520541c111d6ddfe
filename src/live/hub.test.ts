// The one-process hub keeps a call's events compactly (the events, the envelope once per
// change, receivedAt in a number array): what a reconnecting console reads back must be every
// message as it was published — its seq, 工号, ring time and receivedAt — for the last `limit`.
import { describe, expect, it } from 'vitest';
import { type LiveMessage, type LoggedEvent, MemoryLiveHub } from './hub.ts';

const RING_AT = 1_700_000_000_000;

function message(seq: number, agentNumber: string | null, receivedAt?: number): LiveMessage {
  const event: LoggedEvent =
    seq % 2 === 0
      ? { at: seq * 1000, kind: 'timer', timer: 'ring', state: 'started' }
      : {
          at: seq * 1000,
          kind: 'turn',
          turn: seq,
          speaker: 'customer',
          text: `第${seq}句：我要投诉`,
          start: seq,
        };
  return {
    callId: 'c1',
    brand: 'zhonghua',
    agentNumber,
    ringAt: RING_AT,
    seq,
    event,
    ...(receivedAt !== undefined ? { receivedAt } : {}),
  };
}

describe('MemoryLiveHub', () => {
  it('gives back the last `limit` messages as published: seq, 工号 from the answer on, receivedAt only where there was one', async () => {
    const hub = new MemoryLiveHub(() => Date.now(), 5);
    const heard: LiveMessage[] = [];
    hub.listen({ message: (m) => heard.push(m), error: () => undefined });
    const published: LiveMessage[] = [];
    for (let seq = 1; seq <= 8; seq++) {
      // Rung with no 工号; answered by 10001 at seq 3; timers (even seqs) carry no receivedAt.
      const m = message(seq, seq < 3 ? null : '10001', seq % 2 === 1 ? RING_AT + seq * 1000 : undefined);
      published.push(m);
      hub.publish(m);
    }
    expect(heard).toEqual(published);
    const kept = await hub.history('c1', 0);
    expect(kept).toStrictEqual(published.slice(3));
    expect(await hub.history('c1', 6)).toStrictEqual(published.slice(6));
    expect(await hub.history('c1', 8)).toStrictEqual([]);
    expect(await hub.history('other', 0)).toBeNull();
  });

  it('keeps each envelope for the seqs it was published with, across the limit', async () => {
    const hub = new MemoryLiveHub(() => Date.now(), 3);
    const published = [1, 2, 3, 4, 5].map((seq) => message(seq, seq <= 4 ? '10001' : '10002', RING_AT + seq));
    for (const m of published) hub.publish(m);
    const kept = await hub.history('c1', 0);
    expect(kept?.map((m) => [m.seq, m.agentNumber])).toEqual([
      [3, '10001'],
      [4, '10001'],
      [5, '10002'],
    ]);
    expect(kept).toStrictEqual(published.slice(2));
  });

  it('forgets a call keepMs after its release', async () => {
    let now = RING_AT;
    const hub = new MemoryLiveHub(() => now);
    hub.publish(message(1, '10001', RING_AT));
    await hub.release('c1', 60_000);
    now += 59_999;
    expect(await hub.calls()).toEqual(['c1']);
    now += 1;
    expect(await hub.calls()).toEqual([]);
    expect(await hub.history('c1', 0)).toBeNull();
  });
});
