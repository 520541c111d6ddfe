// CTI events over HTTP: the telephone system (or its bridge, with an API token) posts
// ring/answer/hold/unhold/transfer/hangup; supervisors see the calls in progress.
// See docs/cti.md for the mapping from Asterisk ARI and FreeSWITCH ESL events.
import { z } from 'zod';
import type { Application, Services } from '../../app/application.ts';
import { parseCallJson } from '../../calls/import.ts';
import { CALL_EVENT_TYPES, type Turn } from '../../calls/model.ts';
import { callQaSchema } from '../../calls/views.ts';
import { posterOf } from '../../cti/permissions.ts';
import { HANGUP_CAUSES } from '../../cti/service.ts';
import { callerSchema } from '../../customers/schemas.ts';
import { principalOf, SUPERVISORS } from '../access.ts';
import { type Api, errorResponses, isInstant } from '../schemas.ts';
import { blacklistEntrySchema } from './blacklist.ts';
import { importErrors, repeatCallerSchema } from './calls.ts';
import { customerSchema } from './customers.ts';

/**
 * Agents' consoles (their own calls only) and the telephone system's bridge: an admin's API
 * token with the scope `cti` (it posts for every 工号). Supervisors are listed so that one who
 * takes calls under a 工号 can post theirs; without a 工号 they are refused. Who may post what
 * is decided per event in src/cti/permissions.ts.
 */
const CTI_POSTERS = ['agent', ...SUPERVISORS] as const;

const idLike = (what: string) =>
  z
    .union([z.string().trim().min(1).max(128), z.number().int().nonnegative()], {
      error: `expected ${what} as a non-blank string`,
    })
    .transform(String);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;
/** An instant as telephone systems write it; always with its offset (a local time is ambiguous). */
const eventTime = z
  .union([z.string().max(40), z.number()], { error: 'expected a date-time string or ms since 1970' })
  .transform((v, ctx): string => {
    const ms =
      typeof v === 'number'
        ? v
        : ISO_TIME.test(v) && isInstant(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
          ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/(\.\d{3})\d+/, '$1'))
          : Number.NaN;
    // 2001–2100: a number outside is seconds or microseconds, not milliseconds.
    if (!Number.isFinite(ms) || ms < 978_307_200_000 || ms > 4_102_444_800_000) {
      ctx.addIssue({
        code: 'custom',
        message: `found ${JSON.stringify(v)}; expected an ISO 8601 date-time with offset (2026-11-20T09:00:05+08:00) or ms since 1970`,
        params: {
          zh: `收到 ${JSON.stringify(v)}；应为带时差的日期时间（如 2026-11-20T09:00:05+08:00，须真实存在）或自 1970 年起的毫秒数`,
        },
      });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });

const HANGUP_ONLY = ['by', 'cause', 'harassment', 'subject', 'turns'] as const;

const eventBody = z
  .strictObject({
    callId: idLike('the call id (the telephone system’s, e.g. Asterisk uniqueid or FreeSWITCH UUID)').pipe(
      z.string().regex(/^[\w.:@-]+$/, 'expected letters, digits and . _ : @ - only'),
    ),
    type: z.enum(CALL_EVENT_TYPES, { error: `expected one of: ${CALL_EVENT_TYPES.join(', ')}` }),
    at: eventTime.optional().meta({
      description:
        'when it happened (the telephone system’s clock): ISO 8601 with offset (+08:00, +0800 as ARI sends it, Z) or ms since 1970; default: when received',
    }),
    brand: z.string().trim().min(1).max(50).optional().meta({ description: 'required on ring' }),
    direction: z.enum(['inbound', 'outbound']).optional(),
    caller: callerSchema.nullable().optional().meta({
      description: "ring: the customer's number (outbound: the number dialled); null when withheld",
    }),
    agent: z
      .strictObject({
        id: idLike('the agent id').optional(),
        number: idLike('the agent number (工号)').optional(),
        name: z.string().trim().min(1).max(50).optional(),
      })
      .optional()
      .meta({ description: 'ring or answer: the agent; number (工号) is stored as the call’s agent id' }),
    to: z.string().trim().min(1).max(100).optional().meta({
      description: 'transfer: where the call went; transfer-failed (optional): where it did not get to',
    }),
    by: z.enum(['agent', 'customer']).optional().meta({ description: 'hangup: who hung up' }),
    cause: z
      .enum(HANGUP_CAUSES)
      .optional()
      .meta({ description: 'hangup: dropped = the line was cut (a callback ticket is opened)' }),
    harassment: z
      .boolean()
      .optional()
      .meta({ description: 'hangup: a harassment call; the number goes on the blacklist' }),
    subject: z.string().trim().max(200).optional().meta({ description: 'hangup: what the call was about' }),
    turns: z
      .array(z.unknown())
      .max(5000)
      .optional()
      .meta({ description: 'hangup: the transcript (call-file turns; times in ms since the ring)' }),
    asr: z.boolean().optional().meta({
      description:
        'ring: true when the ASR transcribes this call live (POST /api/live/calls/{callId}/turns): the caller’s words are the ASR’s alone, the agent’s console may post only the agent’s own turns (as from the ASR’s first turn of a call without it). With HUASHU_LIVE_ASR=all every call is so, whatever the ring says',
    }),
  })
  .superRefine((b, ctx) => {
    if (b.type === 'ring' && b.brand === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['brand'],
        message: 'required on ring: the brand whose hotline rang',
        params: { zh: '振铃事件必填：来电所属热线的品牌' },
      });
    if (b.type === 'transfer' && b.to === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'required on transfer: where the call went',
        params: { zh: '转接事件必填：通话转到了哪里' },
      });
    if (b.type !== 'transfer' && b.type !== 'transfer-failed' && b.to !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `only on transfer and transfer-failed, not on ${b.type}`,
        params: { zh: `只用于转接和转接失败事件，不用于 ${b.type}` },
      });
    if (b.type !== 'ring' && b.asr !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['asr'],
        message: `only on ring, not on ${b.type}`,
        params: { zh: `只用于振铃事件，不用于 ${b.type}` },
      });
    if (b.type !== 'hangup')
      for (const key of HANGUP_ONLY)
        if (b[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `only on hangup, not on ${b.type}`,
            params: { zh: `只用于挂机事件，不用于 ${b.type}` },
          });
  });

const liveSchema = z
  .object({
    callId: z.string(),
    brand: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    caller: z.string().nullable(),
    agent: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    status: z.enum(['ringing', 'talking', 'on-hold', 'ending']),
    ringAt: z.string(),
    answeredAt: z.string().nullable(),
    holdSince: z.string().nullable(),
    durationSeconds: z.number(),
    holdSeconds: z.number().nullable(),
    holdOverLimit: z.boolean(),
    blacklisted: z.boolean(),
    practice: z
      .boolean()
      .meta({ description: 'a practice call of the console’s softphone (HUASHU_SOFTPHONE)' }),
    asr: z.boolean().meta({
      description:
        'the ASR transcribes the call from its ring (the ring’s `asr`, or HUASHU_LIVE_ASR=all): the console may post only the agent’s own turns and buttons',
    }),
    scorecardVersion: z.number().int().nullable().meta({
      description:
        'the scorecard version that judges the call at hang-up: the one in force at the ring (null: the shipped file)',
    }),
  })
  .meta({ id: 'LiveCall' });

export const outcomeSchema = z.object({
  callId: z.string(),
  type: z.enum(CALL_EVENT_TYPES),
  status: z.enum(['ringing', 'talking', 'on-hold', 'ending', 'ended']),
  live: liveSchema.nullable(),
  ring: z
    .object({
      blacklisted: z.boolean(),
      blacklist: z
        .object({ id: z.string(), reason: z.string(), addedAt: z.string(), expiresAt: z.string().nullable() })
        .nullable(),
      repeatCaller: repeatCallerSchema,
      customer: customerSchema.nullable(),
    })
    .nullable(),
  hangup: z
    .object({
      call: z.object({
        id: z.string(),
        answered: z.boolean(),
        subject: z.string().nullable(),
        qa: callQaSchema
          .extend({
            scored: z.boolean().meta({
              description:
                'false when every rule was n/a (a missed call): `score` is then only the scorecard’s total, no score to show',
            }),
          })
          .nullable(),
      }),
      callback: z
        .object({
          reason: z.enum(['promised', 'dropped-line', 'missed-call', 'hold-over-limit']),
          ticketId: z.string().nullable(),
          joined: z.boolean(),
          error: z.string().nullable(),
        })
        .nullable(),
      blacklistEntry: blacklistEntrySchema.omit({ status: true }).nullable(),
    })
    .nullable(),
  duplicate: z.literal(true).optional().meta({
    description:
      'transfer-failed: the failure was already recorded by the agent’s console button (or, for the button, by the telephone system): taken, nothing stored twice. A second transfer-failed from the telephone system for one transfer is a 409',
  }),
});

export async function ctiRoutes(
  app: Api,
  services: Pick<Services, 'cti'> & Pick<Application, 'liveScopeOf'>,
): Promise<void> {
  const { cti } = services;

  app.post(
    '/api/cti/events',
    {
      // Every API token posting call events needs the scope `cti`; see permissions.ts.
      config: { access: CTI_POSTERS, tokenScope: 'cti' },
      schema: {
        tags: ['cti'],
        summary:
          'A call event. The telephone system posts every event with an admin’s API token that has the scope cti; an agent’s session only answer/hold/unhold/transfer/transfer-failed/hangup of a live call that rang to their own 工号 (harassment only on an answered call, no turns); anything else 403. A ring is answered with blacklisted / repeatCaller / customer, a hangup stores the call (and opens a callback ticket for a missed or dropped call); transfer-failed says the transfer before it did not go through (the caller stays with the agent). Events out of order (a transfer-failed with no transfer before it, or a second one for the same transfer): 409.',
        body: eventBody,
        response: { 200: outcomeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      const principal = principalOf(request);
      const poster = posterOf(principal);
      let turns: Turn[] | undefined;
      if (b.turns !== undefined) {
        const parsed = parseCallJson({ id: b.callId, turns: b.turns }, 'body');
        if (!parsed.ok) throw importErrors([parsed.error, ...(parsed.more ?? [])]);
        turns = parsed.call.turns;
      }
      const agentId = b.agent?.number ?? b.agent?.id;
      const outcome = await cti.handle(
        {
          callId: b.callId,
          type: b.type,
          ...(b.at !== undefined ? { at: new Date(b.at) } : {}),
          ...(b.brand !== undefined ? { brand: b.brand } : {}),
          ...(b.direction !== undefined ? { direction: b.direction } : {}),
          ...(b.caller !== undefined ? { caller: b.caller } : {}),
          ...(b.agent
            ? {
                agent: {
                  ...(agentId !== undefined ? { id: agentId } : {}),
                  ...(b.agent.name !== undefined ? { name: b.agent.name } : {}),
                },
              }
            : {}),
          ...(b.to !== undefined ? { to: b.to } : {}),
          ...(b.by !== undefined ? { by: b.by } : {}),
          ...(b.cause !== undefined ? { cause: b.cause } : {}),
          ...(b.harassment !== undefined ? { harassment: b.harassment } : {}),
          ...(b.subject !== undefined ? { subject: b.subject } : {}),
          ...(turns !== undefined ? { turns } : {}),
          ...(b.asr !== undefined ? { asr: b.asr } : {}),
        },
        principal,
        poster,
      );
      if (outcome.hangup?.callback?.error)
        request.log.error(
          { callId: outcome.callId, error: outcome.hangup.callback.error },
          'callback ticket could not be opened',
        );
      return outcome;
    },
  );

  app.get(
    '/api/cti/live',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['cti'],
        summary:
          'Calls in progress: ringing, talking, on hold (and whether past the hold limit). A team lead with a team sees the calls of that team’s agents; everyone else here their brand’s (every brand without one), as on the live-assist socket.',
        response: { 200: z.object({ items: z.array(liveSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await cti.liveCalls(await services.liveScopeOf(principalOf(request))) }),
  );
}
