// A console's end of the live-assist socket for tests and bench/live: connects with a session
// cookie or a bearer token, collects every message, and waits for the ones a test expects.
import WebSocket from 'ws';

export interface Received {
  type: string;
  [k: string]: unknown;
}

export interface LiveEventMessage extends Received {
  type: 'event';
  callId: string;
  seq: number;
  event: { kind: string; [k: string]: unknown };
}

export interface SocketClient {
  ws: WebSocket;
  received: Received[];
  /** Resolves with the first message (from `from` on) that matches; rejects after `ms`. */
  next(match: (m: Received) => boolean, ms?: number, from?: number): Promise<Received>;
  send(message: unknown): void;
  /** The events received for a call, in arrival order. */
  events(callId: string): LiveEventMessage[];
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function socketUrl(base: string, query = ''): string {
  return `${base.replace(/^http/, 'ws')}/api/live/socket${query}`;
}

/** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
export async function openSocket(
  base: string,
  headers: Record<string, string>,
  query = '',
): Promise<SocketClient> {
  const ws = new WebSocket(socketUrl(base, query), { headers });
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    received.push(JSON.parse(String(data)) as Received);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      for (const w of [...waiters]) w();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`upgrade refused: ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
  const next = (match: (m: Received) => boolean, ms = 10_000, from = 0) =>
    new Promise<Received>((resolve, reject) => {
      const check = () => {
        const found = received.slice(from).find(match);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        } else if (ws.readyState === WebSocket.CLOSED) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`socket closed while waiting; got ${JSON.stringify(received.slice(-5))}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting; last messages ${JSON.stringify(received.slice(-5))}`));
      }, ms);
      waiters.add(check);
      check();
    });
  return {
    ws,
    received,
    next,
    send: (message) => ws.send(JSON.stringify(message)),
    events: (callId) =>
      received.filter((m): m is LiveEventMessage => m.type === 'event' && m.callId === callId),
    closed,
    close: async () => {
      if (ws.readyState !== WebSocket.CLOSED) {
        ws.close();
        await closed;
      }
    },
  };
}
