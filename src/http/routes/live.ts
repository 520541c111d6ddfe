// Live assist over the network: the agent console's WebSocket (GET /api/live/socket) and the
// ASR integration's turns (POST /api/live/calls/{id}/turns). Thin: who is calling and what they
// sent is checked here; the calls, their flows and their numbered events are the service's
// (live/service.ts). The protocol is described in README.md, "Live assist".
import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Application } from '../../app/application.ts';
import { posterOf } from '../../cti/permissions.ts';
import { callerSchema } from '../../customers/schemas.ts';
import type { AgentAccount } from '../../live/agent-service.ts';
import { type AgentRecord, agentView } from '../../live/agent-state.ts';
import type { LiveCallError } from '../../live/hub.ts';
import {
  CLIENT_MESSAGE_FIELDS,
  type LiveClientMessage,
  type LiveErrorMessage,
  type LiveServerMessage,
  liveCallIdSchema,
  liveClientMessage,
  PROTOCOL_MESSAGES,
  turnFields,
} from '../../live/protocol.ts';
import type { InputSender, LiveSubscription } from '../../live/service.ts';
import { AppError, type ErrorDetail } from '../../shared/errors.ts';
import { principalOf, SUPERVISORS, sessionChanged } from '../access.ts';
import { SESSION_COOKIE } from '../deps.ts';
import { bilingual, chineseIssue, type Language, pick, preferredLanguage } from '../language.ts';
import { type Api, errorResponses, pageUserQuery } from '../schemas.ts';
import { findBadText } from '../validation.ts';
import { outcomeSchema } from './cti.ts';

/** Agents (their own calls) and everyone who supervises calls (their team's or brand's: live/scope.ts). */
const LIVE_VIEWERS = ['agent', ...SUPERVISORS] as const;
/**
 * Who may open the socket: the above, and QA inspectors and leads, who watch their brand's calls
 * (live/scope.ts) on the wallboard the dashboards open to them: without the socket their
 * wallboard said "disconnected" for good and moved once a minute. They send no turn or button:
 * those are only for the agent of the call (live.submit refuses anyone else's).
 */
const LIVE_WATCHERS = [...LIVE_VIEWERS, 'qa-inspector', 'qa-lead'] as const;
/** Close codes beyond the standard ones: the session or token ended; a pong never came. */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_NO_PONG = 4408;
/** The cookie's session is now another user's than the page's (`?user=`); the reason is their username. */
export const CLOSE_SESSION_CHANGED = 4409;
export const CLOSE_TOO_SLOW = 4429;
/** How far ahead an open console of an agent counts as connected (refreshed every heartbeat). */
const PRESENCE_MS = 30_000;
/** What may wait unsent for one console before it is taken as gone. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** A client message larger than this is refused (a turn is a sentence, not a document). */
const MAX_MESSAGE_BYTES = 64 * 1024;

const callId = liveCallIdSchema;
const asrTurn = z.strictObject({
  ...turnFields,
  start: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'ms since the ring (the ASR’s segment start)' }),
  end: z.number().int().min(0).optional().meta({ description: 'ms since the ring (the ASR’s segment end)' }),
});

export async function liveRoutes(
  app: Api,
  services: Pick<
    Application,
    | 'live'
    | 'agents'
    | 'softphone'
    | 'config'
    | 'clock'
    | 'principalFromSession'
    | 'principalFromToken'
    | 'liveScopeOf'
  >,
): Promise<void> {
  const { live, softphone, agents } = services;
  const viewOf = (a: AgentRecord) => agentView(a, agents.rulesOf(a.brand));
  const heartbeatMs = services.config.liveHeartbeatMs;
  await app.register(websocket, {
    options: { maxPayload: MAX_MESSAGE_BYTES },
    // A closing server says so (1001) and does not wait on a console that never answers.
    preClose(done) {
      const server = (
        this as unknown as { websocketServer: { clients: Set<WebSocket>; close(cb: () => void): void } }
      ).websocketServer;
      for (const client of server.clients) {
        client.close(1001, 'server closing');
        setTimeout(() => client.terminate(), 1000).unref();
      }
      server.close(() => done());
    },
  });

  app.post(
    '/api/live/calls/:callId/turns',
    {
      config: { access: ['admin'], tokenScope: 'cti' },
      schema: {
        tags: ['live'],
        summary:
          'One turn of a live call from the ASR (or the telephone system), with the integration’s API token (an admin’s, scope cti). Its guidance and alerts reach the consoles over GET /api/live/socket. 404: no live call; 409: the call hung up.',
        params: z.strictObject({ callId }),
        body: asrTurn,
        response: { 202: z.object({ callId: z.string(), accepted: z.literal(true) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal || posterOf(principal).kind !== 'integration')
        throw new AppError('forbidden', {
          zh: '转写话轮只能由集成的 API 令牌（管理员所有，权限 cti）提交',
          en: 'transcribed turns come only with the integration’s API token (owned by an admin, scope cti)',
        });
      const b = request.body;
      await live.submit(
        {
          callId: request.params.callId,
          kind: 'turn',
          speaker: b.speaker,
          text: b.text,
          ...(b.start !== undefined ? { start: b.start } : {}),
          ...(b.end !== undefined ? { end: b.end } : {}),
        },
        { kind: 'integration' },
      );
      return reply.code(202).send({ callId: request.params.callId, accepted: true as const });
    },
  );

  app.get(
    '/api/live/softphone',
    {
      config: { access: LIVE_VIEWERS },
      schema: {
        tags: ['live'],
        summary:
          'Whether practice calls may be started now (HUASHU_SOFTPHONE: auto = while no telephone-system integration token exists, on, off); the console shows its practice-call control by it',
        response: {
          200: z.object({
            available: z.boolean(),
            setting: z.enum(['auto', 'on', 'off']),
            reason: z.enum(['off', 'integration-configured']).nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => softphone.state(),
  );

  app.post(
    '/api/live/practice-calls',
    {
      config: { access: LIVE_VIEWERS },
      schema: {
        tags: ['live'],
        summary:
          'Start a practice call (练习通话) to your own 工号, for training and demos without a telephone system: the server rings it (the ring’s answer, with the customer card); drive it with POST /api/cti/events (answer, hold, unhold, transfer, hangup) and the socket’s turns and buttons like any call. Never stored, no callback ticket, no blacklist entry; its start is audited. 403 when HUASHU_SOFTPHONE is off, or auto and a telephone system is connected, or you have no 工号.',
        body: z.strictObject({
          caller: callerSchema.nullable().optional().meta({
            description:
              'the number to ring from (any common spelling; null: withheld); absent: a made-up 170… number',
          }),
          brand: z
            .string()
            .trim()
            .min(1)
            .max(50)
            .optional()
            .meta({ description: 'default (and, when you have one, only): your brand' }),
          direction: z.enum(['inbound', 'outbound']).optional(),
        }),
        response: { 201: outcomeSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const outcome = await softphone.startPracticeCall(principalOf(request), {
        ...(b.caller !== undefined ? { caller: b.caller } : {}),
        ...(b.brand !== undefined ? { brand: b.brand } : {}),
        ...(b.direction !== undefined ? { direction: b.direction } : {}),
      });
      return reply.code(201).send(outcome);
    },
  );

  app.get(
    '/api/live/socket',
    {
      websocket: true,
      config: { access: LIVE_WATCHERS },
      // Cookie sessions: a browser always sends Origin on a WebSocket; another site's page
      // must not ride the agent's cookie (no CSRF token on an upgrade).
      preValidation: async (request: FastifyRequest) => checkOrigin(request),
      // A refused upgrade (401, 403) is answered over the raw socket, which nothing else ends
      // (Node's HTTP server keeps it half-open, and its close would wait for it).
      onResponse: async (request: FastifyRequest, reply: { statusCode: number }) => {
        if (reply.statusCode !== 101) request.raw.socket?.end();
      },
      schema: {
        tags: ['live'],
        summary:
          'The live-assist WebSocket (upgrade). Agents get the events of their own calls and send typed turns and buttons; a team lead with a team gets the calls of that team’s agents; team leads without a team, room directors, the complaint desk and QA inspectors and leads (watching: no turns or buttons) get their brand’s calls (every brand without one). Send {"type":"subscribe","resume":{callId: lastSeq}} first; see README “Live assist”.',
        description:
          'Messages are JSON text: what a console sends is components.schemas.LiveClientMessage, what the server sends is LiveServerMessage (a refused message gets a LiveErrorMessage naming the field, the value sent and what the message takes). The connection stays open after an error.',
        querystring: pageUserQuery,
      },
    } as never,
    ((socket: WebSocket, request: FastifyRequest) => {
      const principal = request.principal;
      if (!principal) {
        socket.close(CLOSE_SESSION_ENDED, 'not signed in');
        return;
      }
      // The browser's cookie now someone else's (signed in in another tab): this page's console
      // must not receive their calls. Told, then closed with the user the cookie is now (the
      // page's session dialog names them).
      const changed = sessionChanged(principal, (request.query as { user?: string }).user);
      const language = preferredLanguage(request.headers['accept-language']);
      if (changed) {
        socket.send(
          JSON.stringify({
            type: 'error',
            code: changed.code,
            message: changed.messageIn(language),
            details: [],
          }),
        );
        socket.close(CLOSE_SESSION_CHANGED, principal.username.slice(0, 40));
        return;
      }
      const poster = posterOf(principal);
      const sender: InputSender =
        poster.kind === 'integration'
          ? { kind: 'integration' }
          : {
              kind: 'person',
              agentNumber: principal.agentNumber,
              brand: principal.brand,
              // A token's scopes: a call event (the transfer-failed button) needs `cti`.
              ...(principal.via === 'token' ? { scopes: principal.scopes ?? [] } : {}),
            };
      // QA inspectors and leads only watch (the wallboard), even on a call to a 工号 they hold.
      const watchOnly = !(LIVE_VIEWERS as readonly string[]).includes(principal.role);
      const mayWrite =
        !watchOnly &&
        (principal.via === 'session' || (principal.scopes ?? []).some((s) => s === 'write' || s === 'cti'));
      // The credential, to re-check it on every heartbeat: a sign-out or a disabled user ends the socket.
      const header = request.headers.authorization;
      const bearer =
        typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
      const session = bearer === null ? (request.cookies[SESSION_COOKIE] ?? null) : null;
      // What the connection keeps of its upgrade request: not the request itself (kilobytes a
      // socket, thousands of sockets).
      const { ip, log } = request;
      // An agent's console signs them in (agents' states): connected while its heartbeat answers.
      const account: AgentAccount | null =
        principal.role === 'agent' && principal.agentNumber !== null && principal.via === 'session'
          ? {
              userId: principal.userId,
              agentNumber: principal.agentNumber,
              brand: principal.brand,
              name: principal.displayName,
              team: principal.team,
              ip: principal.ip ?? null,
            }
          : null;
      const connection = randomUUID();
      // Open: counted as connected a while ahead (processes' clocks differ a little); closed:
      // two heartbeats more, so a reload or a reconnect does not sign the agent out.
      const presentUntil = (open: boolean) =>
        services.clock.now().getTime() + (open ? Math.max(2 * heartbeatMs, PRESENCE_MS) : 2 * heartbeatMs);

      const send = (message: LiveServerMessage): void => {
        if (socket.readyState !== socket.OPEN) return;
        // A console that does not read its socket is closed rather than buffered for without
        // end; it reconnects and resumes from the last seq it has.
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(CLOSE_TOO_SLOW, 'too slow: reconnect and resume');
          return;
        }
        socket.send(JSON.stringify(message));
      };
      const sendError = (err: unknown, at: { ref?: string | undefined; callId?: string }) => {
        const e = err instanceof AppError ? err : null;
        if (!e) log.warn({ err }, 'live socket message failed');
        send({
          type: 'error',
          code: e?.code ?? 'internal',
          message: e ? pick(e.messages, language) : language === 'zh' ? '服务器内部错误' : 'internal error',
          details: (e?.details ?? []).map((d) => ({
            ...(d.path !== undefined ? { path: d.path } : {}),
            message: language === 'zh' ? (d.zh ?? d.message) : d.message,
          })),
          ...(at.callId !== undefined ? { callId: at.callId } : {}),
          ...(at.ref !== undefined ? { ref: at.ref } : {}),
        });
      };

      let subscription: LiveSubscription | null = null;
      let closed = false;
      // One message at a time, in the order sent (a turn sent right after subscribe follows it).
      let queue: Promise<void> = Promise.resolve();
      socket.on('message', (data, isBinary) => {
        // Stamped on arrival: the latency a console sees counts from here, queueing included.
        const receivedAt = services.clock.now().getTime();
        queue = queue.then(() => handle(data, isBinary, receivedAt));
      });

      const handle = async (data: unknown, isBinary: boolean, receivedAt: number): Promise<void> => {
        if (closed) return;
        let json: unknown;
        try {
          if (isBinary) throw new Error('binary');
          json = JSON.parse(String(data));
        } catch {
          sendError(
            new AppError('bad-request', {
              zh: '消息须为 JSON 文本，如 {"type":"subscribe"}',
              en: 'a message is JSON text, e.g. {"type":"subscribe"}',
            }),
            {},
          );
          return;
        }
        const ref = (json as { ref?: unknown } | null)?.ref;
        const at = typeof ref === 'string' ? { ref } : {};
        const parsed = liveClientMessage.safeParse(json);
        if (!parsed.success) {
          sendError(messageError(json, parsed.error), at);
          return;
        }
        // Text PostgreSQL cannot store, or that would change on the way (as every route refuses).
        const badText = findBadText('message', json).map((d) => ({
          ...d,
          path: (d.path ?? '').slice('message.'.length),
        }));
        if (badText.length > 0) {
          sendError(invalidMessage(parsed.data.type, badText), at);
          return;
        }
        const m = parsed.data;
        try {
          await dispatch(m, receivedAt);
        } catch (err) {
          sendError(err, { ref: m.ref, ...('callId' in m ? { callId: m.callId } : {}) });
        }
      };

      const dispatch = async (m: LiveClientMessage, receivedAt: number): Promise<void> => {
        switch (m.type) {
          case 'ping':
            send({ type: 'pong', ...(m.ref !== undefined ? { ref: m.ref } : {}) });
            return;
          case 'subscribe': {
            if (subscription)
              throw new AppError('conflict', {
                zh: '此连接已订阅；要从某个序号续传，请重新连接后再订阅',
                en: 'already subscribed on this connection; to resume from a seq, reconnect and subscribe again',
              });
            // A team lead's team is read now: a change of its members reaches the next subscription.
            const scope = await services.liveScopeOf(principal);
            if (account) await agents.connected(account, connection, presentUntil(true));
            const sub = await live.subscribe(scope, m.resume ?? {}, (p) => {
              if (p.kind === 'agent') {
                send({ type: 'agent-state', agent: viewOf(p.agent) });
                return;
              }
              if (p.kind === 'event') {
                const { brand, agentNumber, seq, event, receivedAt, callId: id } = p.message;
                send({
                  type: 'event',
                  callId: id,
                  seq,
                  brand,
                  agentNumber,
                  event,
                  ...(receivedAt !== undefined ? { receivedAt } : {}),
                });
              } else send(errorOfCall(p.error, language));
            });
            if (closed) {
              sub.close();
              return;
            }
            subscription = sub;
            send({
              type: 'snapshot',
              calls: sub.snapshot,
              gone: sub.gone,
              agents: sub.agents.map(viewOf),
              ...(m.ref !== undefined ? { ref: m.ref } : {}),
            });
            sub.start();
            return;
          }
          case 'agent-state': {
            if (!account)
              throw new AppError('forbidden', {
                zh: '只有用自己的账号登录工作台、有工号的坐席才能示闲或示忙',
                en: 'only an agent with a 工号, signed in to their console, can be made ready or not ready',
              });
            if (m.state === 'not-ready' && m.reason === undefined) {
              const reasons = agents
                .rulesOf(account.brand)
                .reasons.map((r) => r.id)
                .join(', ');
              throw new AppError(
                'validation',
                {
                  zh: `示忙须给出原因（reason），可用：${reasons}`,
                  en: `not ready needs a reason; expected one of: ${reasons}`,
                },
                [{ path: 'reason', message: `required; one of ${reasons}`, zh: `必填；可用：${reasons}` }],
              );
            }
            const after = await agents.request(
              account,
              m.state === 'ready' ? { state: 'ready' } : { state: 'not-ready', reason: m.reason ?? '' },
            );
            send({
              type: 'agent-state',
              agent: viewOf(after),
              ...(m.ref !== undefined ? { ref: m.ref } : {}),
            });
            return;
          }
          default: {
            if (watchOnly)
              throw new AppError('forbidden', {
                zh: '质检员和质检组长只能查看实时通话，不能发送话轮或按键',
                en: 'QA inspectors and QA leads watch live calls; they cannot send turns or buttons',
              });
            if (!mayWrite)
              throw new AppError('forbidden', {
                zh: '此 API 令牌没有 write 权限，不能发送话轮或按键',
                en: 'this API token lacks the scope write, so it cannot send turns or buttons',
              });
            await live.submit(
              m.type === 'turn'
                ? { callId: m.callId, kind: 'turn', speaker: m.speaker, text: m.text }
                : { callId: m.callId, kind: 'button', button: m.button },
              sender,
              receivedAt,
            );
            if (m.ref !== undefined) send({ type: 'ack', ref: m.ref, callId: m.callId });
          }
        }
      };

      // Heartbeat: a ping each period; no pong since the last one closes the socket. The
      // credential is checked again at the same pace.
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.close(CLOSE_NO_PONG, 'no pong');
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
        if (account && subscription)
          agents
            .connected(account, connection, presentUntil(true))
            .catch((err) => log.warn({ err }, 'could not note an agent’s console as connected'));
        const check =
          bearer !== null
            ? services.principalFromToken(bearer, ip)
            : session !== null
              ? services.principalFromSession(session, ip)
              : Promise.resolve(null);
        check
          .then((p) => {
            if (!p && !closed) socket.close(CLOSE_SESSION_ENDED, 'session ended');
          })
          .catch((err) => log.warn({ err }, 'could not re-check a live socket’s session'));
      }, heartbeatMs);
      heartbeat.unref();
      socket.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        subscription?.close();
        if (account && subscription)
          agents
            .disconnected(account, connection, presentUntil(false))
            .catch((err) => log.warn({ err }, 'could not note an agent’s console as closed'));
      });

      send({
        type: 'ready',
        user: {
          username: principal.username,
          role: principal.role,
          agentNumber: principal.agentNumber,
          brand: principal.brand,
          team: principal.team,
        },
        heartbeatMs,
        agentStates: account ? agents.rulesOf(account.brand) : null,
      });
    }) as never,
  );
}

function checkOrigin(request: FastifyRequest): void {
  if (request.principal?.via !== 'session') return;
  const origin = request.headers.origin;
  if (origin === undefined) return; // not a browser: nothing to forge
  let host: string | null = null;
  try {
    host = new URL(origin).host;
  } catch {
    host = null;
  }
  if (host === null || host !== request.headers.host)
    throw new AppError('forbidden', {
      zh: `来源 ${origin} 不是本站（${request.headers.host ?? '?'}）；用会话 Cookie 连接实时辅助须从本站页面发起`,
      en: `origin ${origin} is not this site (${request.headers.host ?? '?'}); a live-assist socket on a session cookie must come from this site's pages`,
    });
}

bilingual(PROTOCOL_MESSAGES.unknownType);

/** What a bad client message gets: each problem with its field, what was sent there, and what is taken. */
export function messageError(json: unknown, error: z.ZodError): AppError {
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  if (!isObject)
    return new AppError(
      'validation',
      {
        en: `invalid message: a message is a JSON object with a type (subscribe, turn, button, agent-state or ping), e.g. {"type":"subscribe"}; got ${described(json).en}`,
        zh: `消息有误：消息应为带 type（subscribe、turn、button、agent-state 或 ping）的 JSON 对象，如 {"type":"subscribe"}；收到的是${described(json).zh}`,
      },
      [{ path: '(message)', message: 'expected a JSON object with a type', zh: '应为带 type 的 JSON 对象' }],
    );
  const type = (json as { type?: unknown }).type;
  const known = typeof type === 'string' && Object.hasOwn(CLIENT_MESSAGE_FIELDS, type);
  const fields = known ? CLIENT_MESSAGE_FIELDS[type as keyof typeof CLIENT_MESSAGE_FIELDS] : [];
  // zod's own messages in Chinese: parse again with the Chinese error map (errors are rare).
  const zh = liveClientMessage.safeParse(json, { error: (issue) => chineseIssue(issue as never) }).error
    ?.issues;
  const details: ErrorDetail[] = [];
  error.issues.forEach((issue, n) => {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        details.push({
          path: [...issue.path, key].join('.'),
          message: `unknown field; a ${String(type)} message takes ${fields.join(', ')}`,
          zh: `未知字段；${String(type)} 消息可用的字段有：${fields.join(', ')}`,
        });
      return;
    }
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'type';
    const got = described(valueAt(json, issue.path.length > 0 ? issue.path : ['type']));
    const en = issue.path.length > 0 || known ? issue.message : PROTOCOL_MESSAGES.unknownType.en;
    const zhText =
      issue.path[0] === 'type' || !known
        ? PROTOCOL_MESSAGES.unknownType.zh
        : (zh?.[n]?.message ?? issue.message);
    details.push({ path, message: `${en}; got ${got.en}`, zh: `${zhText}；收到的是${got.zh}` });
  });
  return invalidMessage(known ? (type as string) : null, details);
}

function invalidMessage(type: string | null, details: ErrorDetail[]): AppError {
  return new AppError(
    'validation',
    {
      en: `invalid ${type ? `"${type}" ` : ''}message: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      zh: `${type ? `${type} ` : ''}消息有误：${details.map((d) => `${d.path}：${d.zh ?? d.message}`).join('；')}`,
    },
    details,
  );
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A sent value in a few words: the text itself (shortened), or what kind of value it is. */
function described(v: unknown): { en: string; zh: string } {
  if (v === undefined) return { en: 'nothing', zh: '空（缺少此字段）' };
  if (v === null) return { en: 'null', zh: ' null' };
  if (Array.isArray(v)) return { en: 'an array', zh: '数组' };
  if (typeof v === 'object') return { en: 'an object', zh: '对象' };
  if (typeof v === 'string') {
    const text = JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    return { en: text, zh: ` ${text}` };
  }
  return { en: `${typeof v} ${String(v)}`, zh: ` ${String(v)}` };
}

function errorOfCall(e: LiveCallError, language: Language): LiveErrorMessage {
  return { type: 'error', callId: e.callId, code: e.code, message: pick(e.message, language), details: [] };
}
