// A stored call as lists and the console show it, the same-day repeat caller, and which calls a
// viewer sees whole. Each view is a zod schema (the API documents and serializes with it) and
// its type is derived from it. Apart from service.ts so that the repository and the customers module use
// them without importing the service (an import cycle).
import { z } from 'zod';
import type { Viewer } from '../accounts/principal.ts';
import { CALL_EVENT_TYPES, CHANNELS, HANGUP_CAUSES, TURN_SOURCES } from './model.ts';

const agentSchema = z.object({ id: z.string().nullable(), name: z.string().nullable() });

export const callQaSchema = z.object({
  score: z.number(),
  fatal: z.boolean(),
  /** Ids of the rules that failed, in scorecard order. */
  failedRules: z.array(z.string()),
  /** The stored scorecard version that judged the call (null: the shipped file, or before versions). */
  scorecardVersion: z.number().int().nullable().meta({
    description:
      'the stored scorecard version that judged the call; null: the shipped file or before versions',
  }),
});
export type CallQa = z.infer<typeof callQaSchema>;

/** A stored call as lists show it (no events, turns or findings). */
export const callSummarySchema = z
  .object({
    id: z.string(),
    brand: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    /** Where the conversation took place; the scorecard applies each rule on its channels. */
    channel: z.enum(CHANNELS),
    agent: agentSchema,
    /** Canonical number; a masked number (138****8000) as it came; null when unknown. */
    customerPhone: z.string().nullable(),
    /** ISO 8601 UTC. */
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    subject: z.string().nullable(),
    /** False for a missed call (no answer event and no words); null when not known. */
    answered: z.boolean().nullable(),
    qa: callQaSchema
      .extend({
        scored: z.boolean().meta({
          description:
            'false when every rule was n/a (a missed call, no words): `score` is then only the scorecard’s total, no score to show or average',
        }),
      })
      .nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'CallSummary' });
export type CallSummary = z.infer<typeof callSummarySchema>;

// The call's events, turns and QA result as the model (model.ts) and qa/result.ts type them.
const eventSchema = z.object({
  type: z.enum(CALL_EVENT_TYPES),
  at: z.number(),
  to: z.string().optional(),
  by: z.enum(['agent', 'customer']).optional(),
  cause: z.enum(HANGUP_CAUSES).optional(),
});
const turnSchema = z.object({
  speaker: z.enum(['agent', 'customer']),
  text: z.string(),
  start: z.number().optional(),
  end: z.number().optional(),
  source: z.enum(TURN_SOURCES).optional().meta({
    description:
      'who gave the words: console, a customer turn typed in the live-assist console on a call the ASR transcribes (before its first turn), kept and inspected, not the ASR’s words; asr, the speech recognition’s (as a call file gave it); absent, the transcript’s own. A call file may carry it back (huashu qa, import)',
  }),
});
/** A call's inspection: exactly what `huashu qa --json` gives (qa/result.ts `CallResult`). */
export const callResultSchema = z
  .object({
    id: z.string(),
    brand: z.string(),
    agent: z.object({ id: z.string().optional(), name: z.string().optional() }).nullable(),
    score: z.number(),
    fatal: z.boolean(),
    rules: z.array(
      z.object({
        id: z.string(),
        outcome: z.enum(['pass', 'fail', 'n/a']),
        points: z.number(),
        /** Occurrences a per-occurrence deduction counted (rules with `deduct`, when failed). */
        occurrences: z.number().int().optional(),
      }),
    ),
    findings: z.array(
      z.object({
        rule: z.string(),
        turn: z.number().nullable(),
        start: z.number().nullable(),
        end: z.number().nullable(),
        evidence: z.string(),
        seed: z.string(),
        suggestion: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'CallResult' });

/** A stored call whole: its events, transcript and QA result. */
export const storedCallSchema = callSummarySchema
  .extend({
    events: z.array(eventSchema),
    turns: z.array(turnSchema),
    qa: callQaSchema.extend({ result: callResultSchema }).nullable(),
  })
  .meta({ id: 'Call' });
export type StoredCall = z.infer<typeof storedCallSchema>;

export const repeatCallerSchema = z
  .object({
    /** The number called this brand earlier the same local day (the brand's time zone). */
    repeat: z.boolean(),
    /** How many earlier calls that day. */
    callsToday: z.number().int(),
    /** The latest of them. */
    previous: z
      .object({
        callId: z.string(),
        startedAt: z.string(),
        subject: z.string().nullable(),
        agent: agentSchema,
        answered: z.boolean().nullable(),
      })
      .nullable(),
    /** What the agent can ask, when the earlier call has a subject. */
    prompt: z.string().nullable(),
  })
  .meta({ id: 'RepeatCaller' });
export type RepeatCaller = z.infer<typeof repeatCallerSchema>;

/**
 * Which calls a viewer sees whole: every call, or an agent's own, derived from a principal by
 * scopeOf. A 工号 is unique per brand (a user without a brand holds it at every brand), so an
 * agent's calls are those with their 工号 at their brand, or at any brand when they have none.
 */
export type CallScope =
  | { kind: 'all'; brand?: Viewer['brand'] | undefined }
  | ({ kind: 'agent' } & Pick<Viewer, 'agentNumber'> & { brand?: Viewer['brand'] | undefined });

/** Whether the call (its brand and agent 工号) is the scope's own. */
export function ownsCall(
  scope: CallScope,
  call: { brand?: string | undefined; agentId: string | null },
): boolean {
  if (scope.kind === 'all') return !scope.brand || call.brand === undefined || call.brand === scope.brand;
  if (scope.agentNumber === null || call.agentId !== scope.agentNumber) return false;
  return !scope.brand || call.brand === undefined || call.brand === scope.brand;
}

/**
 * The scope of a signed-in user: agents see their own calls, everyone else every call; of
 * their brand only when their account has one.
 */
export function scopeOf(user: Viewer): CallScope {
  return user.role === 'agent'
    ? { kind: 'agent', agentNumber: user.agentNumber, brand: user.brand ?? null }
    : user.brand
      ? { kind: 'all', brand: user.brand }
      : { kind: 'all' };
}
