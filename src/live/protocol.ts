// The live-assist socket's protocol (GET /api/live/socket), defined once as zod schemas: every
// message a console sends (`liveClientMessage`: the server validates each with it) and every
// message the server sends (`liveServerMessage`: the server's `send` is typed by it, and
// test/live/protocol.test.ts parses what a real call sends with it). Each schema named with
// `.meta({id})` lands in the OpenAPI document's `components.schemas` (src/http/docs.ts), so
// `npm run gen:api` generates the web console's types (web/src/api/schema.d.ts) and its value
// lists (web/src/api/enums.gen.ts) from here: nothing about the socket is written by hand in
// web/. README "Live assist" describes the protocol.
import { z } from 'zod';
import { CALL_EVENT_TYPES } from '../calls/model.ts';
import { callResultSchema } from '../calls/views.ts';
import { ERROR_STATUS, type Localized } from '../shared/errors.ts';
import { DETECTED_SITUATION_IDS } from '../situations/ids.ts';
import { AGENT_STATES, type AgentStateRules, type AgentStateView } from './agent-state.ts';
import { STAGE_IDS, STAGE_OUTCOMES } from './flow-stages.ts';
import type { LiveCallError, LiveCallStatus, LoggedEvent, RingCard } from './hub.ts';
import { BUTTONS, type LiveEvent, TIMERS, type TimerLimits } from './model.ts';
import type { CallSnapshot } from './service.ts';

// ---- the values ----

export const speakerSchema = z.enum(['agent', 'customer']).meta({ id: 'Speaker' });
export const liveButtonSchema = z
  .enum(BUTTONS)
  .meta({ id: 'LiveButton', description: 'a button of the console (what the line shows that no word does)' });
export const liveStageSchema = z
  .enum(STAGE_IDS)
  .meta({ id: 'LiveStage', description: 'a stage of the call’s checklist, in call order' });
export const liveStageStateSchema = z.enum(STAGE_OUTCOMES).meta({
  id: 'LiveStageState',
  description:
    'what became of a stage: done, missed, or n/a (不适用: quality inspection finds its rule not applicable to how the call ended — a transfer, the caller hanging up on hold, a dropped line)',
});
export const liveTimerSchema = z.enum(TIMERS).meta({ id: 'LiveTimer' });
export const liveTimerStateSchema = z
  .enum(['started', 'warning', 'expired', 'stopped'])
  .meta({ id: 'LiveTimerState' });
export const liveCallStatusSchema = z
  .enum(['ringing', 'talking', 'on-hold', 'ended'])
  .meta({ id: 'LiveCallStatus' });

export const agentStateSchema = z.enum(AGENT_STATES).meta({
  id: 'AgentState',
  description:
    'an agent’s state (ACD): ready 示闲, not-ready 示忙 (with a reason), talking 通话中, wrap-up 话后处理, offline 离线',
});

export const agentStateViewSchema = z
  .object({
    agentNumber: z.string(),
    brand: z.string().nullable().meta({ description: 'the account’s brand; null: every brand' }),
    name: z.string().nullable(),
    team: z.string().nullable(),
    state: agentStateSchema,
    since: z
      .string()
      .meta({ description: 'when the state began (ISO 8601 UTC): time in state counts from here' }),
    reason: z
      .string()
      .nullable()
      .meta({ description: 'not-ready: the reason’s id (null: signed in, not yet ready)' }),
    limitSeconds: z
      .number()
      .nullable()
      .meta({ description: 'not-ready: past this long the wallboard highlights it (the brand’s limit)' }),
    next: z
      .object({ work: z.enum(['ready', 'not-ready']), reason: z.string().nullable() })
      .nullable()
      .meta({
        description: 'talking or wrap-up: the state after the call (a not-ready asked for during it)',
      }),
    call: z
      .object({ callId: z.string(), brand: z.string(), status: z.enum(['ringing', 'talking', 'on-hold']) })
      .nullable(),
    wrapUpUntil: z
      .string()
      .nullable()
      .meta({ description: 'wrap-up: when the brand’s wrap-up time ends it' }),
    revision: z.number().int().meta({ description: 'raised on every change; keep the highest' }),
  })
  .meta({
    id: 'AgentStateView',
    description: 'an agent’s state (坐席状态) on the console and the wallboard',
  });

export const agentStateRulesSchema = z
  .object({
    reasons: z.array(z.object({ id: z.string(), label: z.string(), limitMinutes: z.number() })),
    limitMinutes: z
      .number()
      .meta({ description: 'the limit of a not-ready without a reason (just signed in)' }),
  })
  .meta({ id: 'AgentStateRules', description: 'the brand’s not-ready reasons (示忙原因) and their limits' });

/** The codes of an error message: the API's own, and those of an input a call could not take. */
export const LIVE_ERROR_CODES = [
  ...(Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[]),
  'out-of-order',
  'call-ended',
  'invalid-turn',
  'invalid-input',
  'flow-unavailable',
] as const satisfies readonly (keyof typeof ERROR_STATUS | LiveCallError['code'])[];

// ---- what the server sends ----

export const ringCardSchema = z
  .object({
    caller: z.string().nullable().meta({ description: 'the number; null when withheld' }),
    customer: z
      .object({ id: z.string(), surname: z.string().nullable(), title: z.string().nullable() })
      .nullable(),
    repeatCaller: z.object({ count: z.number().int(), lastSubject: z.string().nullable() }).nullable(),
    blacklisted: z.boolean(),
    droppedMsAgo: z
      .number()
      .nullable()
      .meta({ description: 'the same number’s previous call dropped this many ms before the ring' }),
    practice: z.boolean().meta({ description: 'a practice call of the console’s softphone' }),
  })
  .meta({ id: 'RingCard', description: 'the customer card (客户卡片), with the ring' });

export const timerLimitsSchema = z
  .object({
    ringMs: z.number(),
    holdMs: z.number(),
    holdWarningMs: z.number(),
    silentLinePauseMs: z.number(),
    silentLineAttempts: z.number().int(),
    wrapUpMs: z.number(),
  })
  .meta({ id: 'TimerLimits', description: 'a call’s timer limits in ms, from its brand’s playbook' });

const at = z.number().meta({ description: 'ms since the ring' });

/** One event of a call: the engine's, a note of an input, or the inspection at hang-up. */
export const liveEventSchema = z
  .discriminatedUnion('kind', [
    z.object({ at, kind: z.literal('timer'), timer: liveTimerSchema, state: liveTimerStateSchema }),
    z.object({ at, kind: z.literal('stage'), stage: liveStageSchema, state: liveStageStateSchema }),
    z.object({
      at,
      kind: z.literal('situation'),
      turn: z.number().int(),
      situations: z.array(z.enum(DETECTED_SITUATION_IDS)),
    }),
    z.object({
      at,
      kind: z.literal('guidance'),
      turn: z.number().int().nullable(),
      scenario: z.string(),
      text: z.string(),
    }),
    z.object({
      at,
      kind: z.literal('alert'),
      turn: z.number().int(),
      rule: z.string(),
      title: z.string().optional().meta({
        description:
          'the rule’s title in the scorecard: the console names a rule it has no label for (a custom one) by it',
      }),
      evidence: z.string(),
      suggestion: z.string(),
    }),
    z.object({
      at,
      kind: z.literal('call'),
      type: z.enum(CALL_EVENT_TYPES),
      status: liveCallStatusSchema,
      direction: z.enum(['inbound', 'outbound']).optional(),
      card: ringCardSchema.optional().meta({ description: 'ring: the customer card' }),
      limits: timerLimitsSchema
        .nullable()
        .optional()
        .meta({ description: 'ring: what the console counts down to' }),
      stages: z.array(liveStageSchema).optional().meta({
        description:
          'ring: the stages of this call’s checklist, in call order (the brand’s script has their lines; the surname on inbound calls only; verify once the caller’s matter touches account data); a stage the call never reached gets no state',
      }),
      to: z.string().optional().meta({ description: 'transfer: where the call went' }),
      cause: z.string().optional().meta({ description: 'hangup: why the line ended (dropped, expired…)' }),
    }),
    z.object({
      at,
      kind: z.literal('turn'),
      turn: z.number().int(),
      speaker: speakerSchema,
      text: z.string(),
      start: z.number().optional(),
      end: z.number().optional(),
      source: z.enum(['asr', 'console']).optional().meta({
        description: 'who posted it: the ASR integration (`asr`) or the agent’s console (`console`)',
      }),
    }),
    z.object({ at, kind: z.literal('button'), button: liveButtonSchema }),
    z.object({
      at,
      kind: z.literal('inspection'),
      inspection: callResultSchema,
      scorecardVersion: z.number().int().nullable().meta({
        description:
          'the stored scorecard version that judged the call: the one in force at its ring (null: the shipped file)',
      }),
    }),
  ])
  .meta({ id: 'LiveEvent' });

const timerView = z.object({ state: liveTimerStateSchema, at });

export const liveSnapshotCallSchema = z
  .object({
    callId: z.string(),
    brand: z.string(),
    agentNumber: z.string().nullable(),
    ringAt: z.string().meta({ description: 'ISO 8601 UTC' }),
    status: liveCallStatusSchema,
    timers: z.object({
      ring: timerView.optional(),
      'silent-line': timerView.optional(),
      hold: timerView.optional(),
      'wrap-up': timerView.optional(),
    }),
    inspection: callResultSchema.nullable(),
    lastSeq: z.number().int(),
    events: z
      .array(z.object({ seq: z.number().int(), event: liveEventSchema, receivedAt: z.number().optional() }))
      .meta({ description: 'the events after the seq the client said it had' }),
  })
  .meta({ id: 'LiveSnapshotCall' });

const optionalRef = z
  .string()
  .max(100)
  .optional()
  .meta({ description: 'echoed in the ack or error of this message' });

export const liveErrorMessageSchema = z
  .object({
    type: z.literal('error'),
    code: z.enum(LIVE_ERROR_CODES),
    message: z
      .string()
      .meta({ description: 'what is wrong, where, and how to fix it, in the socket’s language' }),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() })),
    callId: z.string().optional(),
    ref: z.string().optional().meta({ description: 'the ref of the message it answers' }),
  })
  .meta({ id: 'LiveErrorMessage' });

export const liveServerMessage = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('ready'),
      user: z.object({
        username: z.string(),
        role: z.string(),
        agentNumber: z.string().nullable(),
        brand: z.string().nullable(),
        team: z.string().nullable(),
      }),
      heartbeatMs: z.number(),
      agentStates: agentStateRulesSchema
        .nullable()
        .meta({ description: 'an agent: the reasons they may give for not ready; others: null' }),
    }),
    z.object({
      type: z.literal('snapshot'),
      calls: z.array(liveSnapshotCallSchema),
      gone: z
        .array(z.string())
        .meta({ description: 'calls asked to resume whose events are no longer kept (or not yours)' }),
      agents: z
        .array(agentStateViewSchema)
        .meta({ description: 'the agents’ states in your scope (an agent: their own), as of now' }),
      ref: z.string().optional(),
    }),
    z.object({
      type: z.literal('agent-state'),
      agent: agentStateViewSchema,
      ref: z.string().optional().meta({ description: 'the ref of your agent-state request it answers' }),
    }),
    z.object({
      type: z.literal('event'),
      callId: z.string(),
      seq: z.number().int(),
      brand: z.string(),
      agentNumber: z.string().nullable(),
      event: liveEventSchema,
      receivedAt: z
        .number()
        .optional()
        .meta({ description: 'when the input that caused it reached the server (ms since 1970)' }),
    }),
    z.object({ type: z.literal('ack'), ref: z.string(), callId: z.string() }),
    z.object({ type: z.literal('pong'), ref: z.string().optional() }),
    liveErrorMessageSchema,
  ])
  .meta({ id: 'LiveServerMessage', description: 'a message of the live-assist socket to the console' });
export type LiveServerMessage = z.infer<typeof liveServerMessage>;
export type LiveErrorMessage = z.infer<typeof liveErrorMessageSchema>;

// ---- what a console sends ----

export const liveCallIdSchema = z.string().trim().min(1).max(128);
/** A turn's speaker and words (the socket's typed turns and the ASR's turns). */
export const turnFields = {
  speaker: speakerSchema,
  text: z.string().trim().min(1).max(2000),
};

/** The fields each client message takes (an error message lists them for an unknown one). */
export const CLIENT_MESSAGE_FIELDS = {
  subscribe: ['type', 'resume', 'ref'],
  turn: ['type', 'callId', 'speaker', 'text', 'ref'],
  button: ['type', 'callId', 'button', 'ref'],
  ping: ['type', 'ref'],
  'agent-state': ['type', 'state', 'reason', 'ref'],
} as const;
export const CLIENT_MESSAGE_TYPES = Object.keys(
  CLIENT_MESSAGE_FIELDS,
) as (keyof typeof CLIENT_MESSAGE_FIELDS)[];

/** Messages of the schema in both languages (the socket answers in the connection's language). */
export const PROTOCOL_MESSAGES = {
  unknownType: {
    en: 'expected type: subscribe, turn, button, agent-state or ping',
    zh: 'type 应为 subscribe、turn、button、agent-state 或 ping',
  },
} satisfies Record<string, Localized>;

export const liveClientMessage = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('subscribe'),
        resume: z
          .record(liveCallIdSchema, z.number().int().min(0))
          .optional()
          .meta({ description: 'per call, the last seq the client has: it gets exactly the ones after' }),
        ref: optionalRef,
      }),
      z.strictObject({ type: z.literal('turn'), callId: liveCallIdSchema, ...turnFields, ref: optionalRef }),
      z.strictObject({
        type: z.literal('button'),
        callId: liveCallIdSchema,
        button: liveButtonSchema,
        ref: optionalRef,
      }),
      z.strictObject({ type: z.literal('ping'), ref: optionalRef }),
      z.strictObject({
        type: z.literal('agent-state'),
        state: z.enum(['ready', 'not-ready']).meta({ description: '示闲 or 示忙' }),
        reason: z
          .string()
          .trim()
          .min(1)
          .max(50)
          .optional()
          .meta({ description: 'not-ready: one of the reasons the ready message listed (required)' }),
        ref: optionalRef,
      }),
    ],
    { error: PROTOCOL_MESSAGES.unknownType.en },
  )
  .meta({ id: 'LiveClientMessage', description: 'a message of the console to the live-assist socket' });
export type LiveClientMessage = z.infer<typeof liveClientMessage>;

// ---- the domain's types are what the schemas describe (checked by the compiler) ----

type Assignable<T, U extends T> = U;
export type ProtocolChecks = [
  Assignable<z.infer<typeof liveEventSchema>, LoggedEvent>,
  Assignable<z.infer<typeof liveEventSchema>, LiveEvent>,
  Assignable<z.infer<typeof liveSnapshotCallSchema>, CallSnapshot>,
  Assignable<z.infer<typeof ringCardSchema>, RingCard>,
  Assignable<z.infer<typeof timerLimitsSchema>, TimerLimits>,
  Assignable<z.infer<typeof liveCallStatusSchema>, LiveCallStatus>,
  Assignable<z.infer<typeof agentStateViewSchema>, AgentStateView>,
  Assignable<z.infer<typeof agentStateRulesSchema>, AgentStateRules>,
];
