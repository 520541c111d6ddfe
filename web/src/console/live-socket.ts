// The console's end of GET /api/live/socket: connects with the session cookie, subscribes with
// the last seq it has of each call (resume), and when the connection drops — a server restart,
// the network — reconnects with backoff (0.5 s doubling to 10 s, with jitter, so a floor of
// consoles does not reconnect in step) and resubscribes from where it was. An application-level
// ping each heartbeat finds a connection that died without a close.
import { pageUserId } from '../api/client';
import { markSessionEnded } from '../session';
import type { ClientMessage, ServerMessage } from './protocol';

export type Connection = 'connecting' | 'online' | 'offline' | 'signed-out';

export interface LiveSocketOptions {
  onMessage(m: ServerMessage): void;
  onStatus(s: Connection): void;
  /** The last seq of each call the console holds, read at every (re)subscribe. */
  resume(): Record<string, number>;
  url?: string;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

export function socketUrl(): string {
  // The page's user: the browser's cookie may have become another user's (signed in in another
  // tab), and this page must not be handed their calls (closed 4409 instead).
  const user = pageUserId();
  const query = user ? `?user=${encodeURIComponent(user)}` : '';
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/live/socket${query}`;
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private awaitingPong = false;
  private stopped = false;
  private status: Connection = 'connecting';

  constructor(private readonly opts: LiveSocketOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.pinger);
    this.ws?.close();
    this.ws = null;
  }

  get connection(): Connection {
    return this.status;
  }

  /** Sends when subscribed; false when offline (the caller keeps what it wanted to send). */
  send(m: ClientMessage): boolean {
    if (this.status !== 'online' || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(m));
    return true;
  }

  private setStatus(s: Connection): void {
    if (this.status === s) return;
    this.status = s;
    this.opts.onStatus(s);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'offline');
    const ws = new WebSocket(this.opts.url ?? socketUrl());
    this.ws = ws;
    ws.onmessage = (ev) => {
      let m: ServerMessage;
      try {
        m = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (m.type === 'ready') {
        ws.send(JSON.stringify({ type: 'subscribe', resume: this.opts.resume() } satisfies ClientMessage));
        this.startPinging(ws, m.heartbeatMs);
      } else if (m.type === 'snapshot') {
        this.attempt = 0;
        // The snapshot is applied before the console says it is online again.
        this.opts.onMessage(m);
        this.setStatus('online');
        return;
      } else if (m.type === 'pong') {
        this.awaitingPong = false;
        return;
      }
      this.opts.onMessage(m);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      clearInterval(this.pinger);
      this.ws = null;
      if (this.stopped) return;
      // The session ended (sign-out, a disabled account: 4401) or is now another user's (4409,
      // the reason naming them): reconnecting would not help; the session dialog asks to sign in.
      if (ev.code === 4401 || ev.code === 4409) {
        this.setStatus('signed-out');
        markSessionEnded(ev.code === 4409 && ev.reason ? ev.reason : undefined);
        return;
      }
      this.setStatus('offline');
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt);
      this.attempt++;
      this.retry = setTimeout(() => this.connect(), delay * (0.5 + Math.random() / 2));
    };
    ws.onerror = () => {
      // onclose follows; nothing more to do here.
    };
  }

  private startPinging(ws: WebSocket, heartbeatMs: number): void {
    clearInterval(this.pinger);
    this.awaitingPong = false;
    this.pinger = setInterval(
      () => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (this.awaitingPong) {
          ws.close(4000, 'no pong');
          return;
        }
        this.awaitingPong = true;
        ws.send(JSON.stringify({ type: 'ping' } satisfies ClientMessage));
      },
      Math.max(1000, heartbeatMs),
    );
  }
}
