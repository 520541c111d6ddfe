// The playbook file format (YAML), as a zod schema. Objects are strict so that a misspelt
// field is reported instead of silently ignored. Cross-field rules (unique ids, known
// variables, references between scenarios) live in validate.ts, which needs the whole file.
import { z } from 'zod';
import { CHANNELS } from '../calls/model.ts';
import {
  FORBIDDEN_GROUP_IDS,
  ROLE_IDS,
  SEEDS,
  SITUATION_ALIASES,
  SITUATION_IDS,
  STAGE_IDS,
  TICKET_TYPE_IDS,
} from './vocabulary.ts';

/** z.enum over one of the vocabularies, keeping its literal type. */
function oneOf<T extends string>(values: readonly T[]) {
  return z.enum(values as [T, ...T[]]);
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM, e.g. "08:30"');
/** A closing time may also be the midnight that ends the day: 00:00–24:00 is round the clock. */
const closingTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a time of day as HH:MM, e.g. "20:00", or "24:00"');
/** A local calendar date, e.g. a public holiday. */
const localDate = z.iso.date('expected a date as YYYY-MM-DD, e.g. "2026-10-01"');

export const sourceSchema = z.strictObject({
  seed: oneOf(Object.keys(SEEDS) as (keyof typeof SEEDS)[]),
  section: nonEmpty,
});

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const brandSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case id such as "zhonghua"'),
  name: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  /** The prefix of the brand's short ticket numbers (ZH-20261129-0042); default the first two letters of the id. */
  ticketPrefix: z
    .string()
    .regex(/^[A-Z]{2,4}$/, 'expected two to four capital letters, e.g. "ZH"')
    .optional(),
  organisation: nonEmpty.optional(),
  hotline: z
    .string()
    .regex(/^[0-9*-]{3,20}$/, 'expected a phone number of digits (and - or *), quoted, e.g. "95585"')
    .optional(),
  agentNumber: z.strictObject({
    pattern: z.string().refine(
      (p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'expected a valid regular expression' },
    ),
    example: nonEmpty,
    /**
     * Who tells the caller the 工号: the agent in the greeting (the greeting rule then requires
     * the agent's own number), the IVR menu before the agent picks up (中国移动 10086), or
     * nobody (the brand's greeting has none).
     */
    announcedBy: z.enum(['agent', 'menu', 'none']).default('agent'),
  }),
  script: z.enum(['simplified', 'traditional']).default('simplified'),
});

export const settingsSchema = z.strictObject({
  ringsToAnswer: z.int().min(1).max(10),
  ringPeriodSeconds: z.number().positive().max(30).default(5),
  silentLine: z.strictObject({
    pauseSeconds: z.number().positive().max(60),
    attempts: z.int().min(1).max(10),
  }),
  holdLimitSeconds: z.int().min(5).max(600),
  /** The service-level goal (服务水平, e.g. 80/20): `percent` of calls answered within `seconds`; absent: 80/20. */
  serviceLevel: z
    .strictObject({ percent: z.int().min(1).max(100), seconds: z.int().min(1).max(600) })
    .optional(),
  complaintReplyHours: z.strictObject({
    urgent: z.number().positive(),
    standard: z.number().positive(),
  }),
  /**
   * How the complaint reply promise counts: `calendar` (the default: the caller hears
   * "2小时/24小时之内", clock hours) or `working` (the brand's working hours).
   */
  complaintReplyBasis: z.enum(['calendar', 'working']).optional(),
  workingHours: z.strictObject({
    timezone: nonEmpty.default('Asia/Shanghai'),
    days: z.array(z.enum(WEEKDAYS)).min(1),
    open: hhmm,
    close: closingTime,
    /** Local dates closed although their weekday is open (public holidays): the working clock skips them. */
    holidays: z.array(localDate).optional(),
    /** Local dates open although their weekday is not (调休 make-up working days). */
    workdays: z.array(localDate).optional(),
  }),
  /**
   * The follow-up visit (回访) of a complaint: due `hours` after its resolution (default 48,
   * working hours unless `basis: calendar`); a satisfaction of `dissatisfiedAtOrBelow` or less
   * (default 2, 0 = never) reopens the complaint at the complaint desk.
   */
  followUp: z
    .strictObject({
      hours: z.number().positive().max(720).optional(),
      basis: z.enum(['calendar', 'working']).optional(),
      dissatisfiedAtOrBelow: z.int().min(0).max(4).optional(),
    })
    .optional(),
  /** An overdue ticket is reminded about, one level further up the chain, every this many minutes (default 60). */
  overdueReminderMinutes: z.int().min(5).max(10080).optional(),
  /**
   * Agents' states (坐席状态): the reasons an agent may give for not ready (示忙原因; default 小休
   * break 15, 用餐 meal 45, 培训 training 120, 会议 meeting 60 minutes) and the limit of a
   * not-ready without one (just signed in; default 15). The wallboard highlights a not-ready past its limit.
   */
  agentStates: z
    .strictObject({
      notReadyReasons: z
        .array(
          z.strictObject({
            id: z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, 'expected a lower-case id such as break or meal'),
            label: nonEmpty,
            limitMinutes: z.int().min(1).max(480),
          }),
        )
        .min(1)
        .optional(),
      notReadyLimitMinutes: z.int().min(1).max(480).optional(),
    })
    .optional(),
});

export const lineSchema = z.strictObject({
  text: nonEmpty,
  /** When this line applies, in the standards' words ("仍然听不清时"). */
  when: nonEmpty.optional(),
  /**
   * The channels this line's wording is for (感谢您的来信 for email); without it any channel
   * whose wording it suits (a line about the telephone is the phone's).
   */
  channels: z.array(oneOf(CHANNELS)).min(1).optional(),
});

export const stepSchema = z.strictObject({
  text: nonEmpty,
  ticket: oneOf(TICKET_TYPE_IDS).optional(),
  escalateTo: oneOf(ROLE_IDS).optional(),
  blacklist: z.boolean().optional(),
  next: nonEmpty.optional(),
});

/** A situation id; a former name (SITUATION_ALIASES) is read as the new one. */
const situation = z.preprocess(
  (v) => (typeof v === 'string' && Object.hasOwn(SITUATION_ALIASES, v) ? SITUATION_ALIASES[v] : v),
  oneOf(SITUATION_IDS),
);

export const scenarioSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$/, 'expected a dotted id such as "exception.silent-line"'),
  title: nonEmpty,
  stage: oneOf(STAGE_IDS),
  situations: z
    .array(situation)
    .min(1, 'list at least one situation')
    .transform((list) => [...new Set(list)]),
  keywords: z.array(nonEmpty).default([]),
  lines: z.array(lineSchema).min(1, 'a scenario needs at least one script line'),
  steps: z.array(stepSchema).default([]),
  sources: z.array(sourceSchema).min(1, 'name the seed and section this scenario comes from'),
});

export const forbiddenSchema = z.strictObject({
  group: oneOf(FORBIDDEN_GROUP_IDS),
  phrases: z.array(nonEmpty).min(1),
  sources: z.array(sourceSchema).min(1),
});

export const rewriteSchema = z.strictObject({
  habitual: nonEmpty,
  professional: nonEmpty,
  sources: z.array(sourceSchema).min(1),
});

export const principleSchema = z.strictObject({
  text: nonEmpty,
  sources: z.array(sourceSchema).min(1),
});

export const playbookFileSchema = z.strictObject({
  version: z.int().min(1),
  /** A base playbook (brand id) whose forbidden phrases, rewrites and principles this one inherits. */
  extends: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected the brand id of another playbook, e.g. "generic"')
    .optional(),
  brand: brandSchema,
  settings: settingsSchema,
  scenarios: z.array(scenarioSchema).min(1),
  forbidden: z.array(forbiddenSchema).default([]),
  rewrites: z.array(rewriteSchema).default([]),
  principles: z.array(principleSchema).default([]),
});

export type PlaybookFile = z.infer<typeof playbookFileSchema>;
