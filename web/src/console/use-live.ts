// The console's live state in React: one LiveSocket for the page, its messages folded into the
// call state (state.ts), the connection's status, the errors the server sent about an input, and
// the server's clock as this browser sees it (for countdowns).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { markSessionEnded, useSessionEpoch } from '../session';
import { type Connection, LiveSocket } from './live-socket';
import type {
  AgentStateRules,
  AgentStateView,
  ClientMessage,
  LiveErrorMessage,
  ServerMessage,
} from './protocol';
import { applyMessage, applySnapshot, type ConsoleState, EMPTY, resumePoint } from './state';

/** An error message of the server, numbered in the order it came. */
export type LiveError = Pick<LiveErrorMessage, 'code' | 'message' | 'callId' | 'ref'> & { id: number };

function reduce(state: ConsoleState, m: ServerMessage): ConsoleState {
  if (m.type === 'snapshot') return applySnapshot(state, m.calls, m.gone);
  if (m.type === 'event') return applyMessage(state, m);
  return state;
}

export function useLive() {
  const [state, dispatch] = useReducer(reduce, EMPTY);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [errors, setErrors] = useState<LiveError[]>([]);
  const stateRef = useRef(state);
  stateRef.current = state;
  /** Server time − browser time, from the inputs' receivedAt (the server's clock). */
  const skew = useRef(0);
  const socket = useRef<LiveSocket | null>(null);
  const nextError = useRef(1);
  // The agent's own state (示闲 / 示忙…), the highest revision heard, and the reasons they may give.
  const [agent, setAgent] = useState<AgentStateView | null>(null);
  const [agentRules, setAgentRules] = useState<AgentStateRules | null>(null);

  useEffect(() => {
    const s = new LiveSocket({
      resume: () => resumePoint(stateRef.current),
      onStatus: setConnection,
      onMessage: (m) => {
        if (m.type === 'event' && m.receivedAt !== undefined) skew.current = m.receivedAt - Date.now();
        if (m.type === 'ready') setAgentRules(m.agentStates);
        const own = m.type === 'snapshot' ? m.agents[0] : m.type === 'agent-state' ? m.agent : undefined;
        if (own) setAgent((a) => (a && a.revision > own.revision ? a : own));
        if (m.type === 'agent-state') return;
        if (m.type === 'error') {
          const id = nextError.current++;
          setErrors((e) => [
            ...e.slice(-4),
            {
              id,
              code: m.code,
              message: m.message,
              ...(m.callId !== undefined ? { callId: m.callId } : {}),
              ...(m.ref !== undefined ? { ref: m.ref } : {}),
            },
          ]);
          return;
        }
        dispatch(m);
      },
    });
    socket.current = s;
    s.start();
    return () => s.stop();
  }, []);

  // A socket closed for want of a session (4401): the session dialog asks for the password, and
  // once signed in again the socket starts again (resuming each call where it stopped).
  const epoch = useSessionEpoch();
  useEffect(() => {
    if (connection === 'signed-out') markSessionEnded();
  }, [connection]);
  useEffect(() => {
    if (epoch > 0 && socket.current?.connection === 'signed-out') socket.current.start();
  }, [epoch]);

  const send = useCallback((m: ClientMessage): boolean => socket.current?.send(m) ?? false, []);
  const dismiss = useCallback((id: number) => setErrors((e) => e.filter((x) => x.id !== id)), []);
  const serverNow = useCallback(() => Date.now() + skew.current, []);
  return { state, connection, errors, send, dismiss, serverNow, agent, agentRules };
}

/** Re-renders every `ms` while `on` (the countdowns). */
export function useTick(ms: number, on: boolean): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms, on]);
  return n;
}
