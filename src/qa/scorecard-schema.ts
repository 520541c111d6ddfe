// The scorecard file format (YAML): named phrase sets and weighted rules, each rule a tree
// of conditions. See scorecards/README.md for the operators and their semantics.
import { z } from 'zod';
import { CHANNELS, type Channel, HANGUP_CAUSES } from '../calls/model.ts';
import { SEEDS } from '../playbook/vocabulary.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from '../situations/ids.ts';
import { CLASSIFIED_RULES } from './classified-rules.ts';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const count = z.int().min(0);
const role = z.enum(['agent', 'customer', 'any']);
/** How a call can end for its agent other than by a closing (the `callEnd` operator). */
export const CALL_ENDS = ['transfer', 'hold', 'agent-hangup'] as const;

/**
 * A number, or a reference to a brand setting: "@holdLimitMs", "@answerLimitMs",
 * "@silentAttempts", "@silentPauseMs".
 */
export const SETTING_REFS = ['@holdLimitMs', '@answerLimitMs', '@silentAttempts', '@silentPauseMs'] as const;
export type SettingRef = (typeof SETTING_REFS)[number];
const numberOrSetting = z.union([z.number().min(0), z.enum(SETTING_REFS)]);

/**
 * A phrase list item: a literal phrase, "$name" for a phrase set of the scorecard, or
 * "@forbidden.<group>", "@brand" (the brand's name and aliases), "@rewrites.habitual" from
 * the call's playbook.
 */
const phraseItems = z.array(nonEmpty).min(1);

const turnWindow = z.strictObject({
  first: z.int().min(1).optional(),
  last: z.int().min(1).optional(),
  /** Only turns after (before) the first turn where the named rule found its evidence. */
  after: nonEmpty.optional(),
  before: nonEmpty.optional(),
  /** With after/before: at most this many turns of the role. */
  within: z.int().min(1).optional(),
  /**
   * Inside a trigger's `then`: the turn that set the trigger off counts too (a number the customer
   * gives in the complaint itself), besides the turns after it.
   */
  withTrigger: z.literal(true).optional(),
});

const scope = {
  role: role.default('agent'),
  turns: turnWindow.optional(),
};

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { cases: { when: Condition; then: Condition }[] }
  | { direction: 'inbound' | 'outbound' }
  | { channel: Channel }
  | { lastSpeaker: 'agent' | 'customer' }
  | { hangupCause: (typeof HANGUP_CAUSES)[number] }
  | { callEnd: (typeof CALL_ENDS)[number] }
  | { agentNumber: AgentNumberOp }
  | { phrases: PhrasesOp }
  | { regex: RegexOp }
  | { classifier: ClassifierOp }
  | { trigger: TriggerOp }
  | { count: CountOp }
  | { share: ShareOp }
  | { silence: SilenceOp }
  | { holds: HoldsOp }
  | { answer: AnswerOp }
  | { interruption: InterruptionOp }
  | { speechRate: SpeechRateOp }
  | { hangup: HangupOp }
  | { repetition: RepetitionOp }
  | { situation: SituationOp };

const phrasesOp = z
  .strictObject({
    ...scope,
    any: phraseItems.optional(),
    all: phraseItems.optional(),
    none: phraseItems.optional(),
    /** With `of`: at least / at most this many occurrences in scope. */
    atLeast: count.optional(),
    atMost: count.optional(),
    of: phraseItems.optional(),
    /** Occurrences inside one of these (harmless words such as 可能性, 不可能) do not count. */
    exclude: phraseItems.optional(),
  })
  .refine(
    (p) =>
      [p.any, p.all, p.none, p.of].filter((x) => x !== undefined).length === 1 &&
      (p.of === undefined) === (p.atLeast === undefined && p.atMost === undefined),
    { message: 'give exactly one of any, all, none, or of with atLeast/atMost' },
  );
export type PhrasesOp = z.output<typeof phrasesOp>;

const regexSource = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a valid regular expression (JavaScript syntax, u flag)' },
);

/**
 * One regular expression, or a list read as any of them (`[*shared, own]`). A list's parts
 * may hold no back reference nor named group: their numbers and names would change once joined.
 */
const regexSources = z
  .union([regexSource, z.array(regexSource).min(1, 'list at least one regular expression')])
  .refine((s) => typeof s === 'string' || s.every((part) => !/\\[1-9]|\\k<|\(\?<[^=!]/.test(part)), {
    message:
      'a list of regular expressions may hold no back reference nor named group (write one expression)',
  })
  .transform((s) => (typeof s === 'string' ? s : s.map((part) => `(?:${part})`).join('|')));

const regexOp = z
  .strictObject({
    ...scope,
    any: regexSource.optional(),
    none: regexSource.optional(),
    /** A match that this pattern also matches at the same place is ignored. */
    exclude: regexSource.optional(),
  })
  .refine((r) => (r.any === undefined) !== (r.none === undefined), {
    message: 'give exactly one of any or none',
  });
export type RegexOp = z.output<typeof regexOp>;

/**
 * The forbidden-language classifier (language-classifier.ts) on each turn in scope: `none` fails on
 * every turn it reads as that rule's fault, the whole turn as evidence. It reads whole lines, so
 * it finds wordings no pattern holds; beside the patterns in an `all`, a turn they found already
 * keeps their words as its evidence.
 */
const classifierOp = z.strictObject({
  ...scope,
  none: z.enum(CLASSIFIED_RULES, { error: `expected one of: ${CLASSIFIED_RULES.join(', ')}` }),
  /**
   * A flagged turn whose normalized text this pattern (or any of a list) matches is left: the
   * rule's harmless readings a whole-line reading cannot tell apart (不是您的问题 clears the
   * customer; 您的卡过期了,所以… is the customer's own cause, not an excuse).
   */
  unless: regexSources.optional(),
});
export type ClassifierOp = z.output<typeof classifierOp>;

/**
 * A check that fails on each occurrence of words (`phrases`/`regex` with `none`). An `all` of
 * such checks only is read as one: its failure lists the occurrences of every child (a line
 * with a provoking phrase and a blaming pattern is two), and live assist alerts each as said.
 */
export function isNoneWords(
  c: Condition,
): c is { phrases: PhrasesOp } | { regex: RegexOp } | { classifier: ClassifierOp } {
  if ('phrases' in c) return c.phrases.none !== undefined;
  if ('regex' in c) return c.regex.none !== undefined;
  if ('classifier' in c) return true;
  return false;
}

export type TriggerOp = {
  when: Condition;
  then: Condition;
  within?: number | undefined;
  once: boolean;
  opening?: boolean | undefined;
  answeredBefore?: number | undefined;
  ifAgentHangsUp?: 'fail' | 'n/a' | undefined;
  ifUnansweredOn?: Channel[] | undefined;
};
export type CountOp = z.output<typeof countOp>;
const countOp = z
  .strictObject({
    ...scope,
    /** Count occurrences of these phrases; without `of`, count the role's turns. */
    of: phraseItems.optional(),
    min: numberOrSetting.optional(),
    max: numberOrSetting.optional(),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'give min, max or both' });

const shareOp = z
  .strictObject({
    ...scope,
    of: phraseItems,
    min: z.number().min(0).max(1).optional(),
    max: z.number().min(0).max(1).optional(),
    /** Not applicable when the role has fewer turns than this. */
    minTurns: z.int().min(1).default(1),
  })
  .refine((c) => c.min !== undefined || c.max !== undefined, { message: 'give min, max or both' });
export type ShareOp = z.output<typeof shareOp>;

const silenceOp = z
  .strictObject({
    /** A gap longer than this fails. */
    maxMs: numberOrSetting.optional(),
    /** A gap shorter than this fails: the pause owed after each turn (the silent line's). */
    minMs: numberOrSetting.optional(),
    /** With minMs: at least this many turns followed by a pause (the silent line's attempts). */
    atLeast: numberOrSetting.optional(),
    /** Only gaps after a turn of this role (a customer waiting for the agent: "customer"). */
    after: role.default('any'),
  })
  .refine((s) => s.maxMs !== undefined || s.minMs !== undefined, { message: 'give maxMs, minMs or both' })
  .refine((s) => s.atLeast === undefined || s.minMs !== undefined, { message: 'atLeast needs minMs' });
export type SilenceOp = z.output<typeof silenceOp>;

export type HoldsOp = {
  minMs?: number | SettingRef | undefined;
  before?: Condition | undefined;
  after?: Condition | undefined;
  within: number;
  maxMs?: number | SettingRef | undefined;
};

const answerOp = z.strictObject({ maxMs: numberOrSetting.default('@answerLimitMs') });
export type AnswerOp = z.output<typeof answerOp>;

const interruptionOp = z.strictObject({
  by: z.enum(['agent', 'customer']).default('agent'),
  minOverlapMs: z.number().min(0).default(500),
  /** Interrupting turns shorter than this (normalized characters) are feedback, not interruption. */
  minChars: z.int().min(0).default(4),
});
export type InterruptionOp = z.output<typeof interruptionOp>;

const speechRateOp = z
  .strictObject({
    role: z.enum(['agent', 'customer']).default('agent'),
    maxCpm: z.number().positive().optional(),
    minCpm: z.number().positive().optional(),
    /** Turns shorter than this (normalized characters, punctuation excluded) are skipped. */
    minChars: z.int().min(1).default(10),
  })
  .refine((s) => s.maxCpm !== undefined || s.minCpm !== undefined, {
    message: 'give maxCpm, minCpm or both',
  });
export type SpeechRateOp = z.output<typeof speechRateOp>;

const hangupOp = z.strictObject({ first: z.enum(['agent', 'customer']) });
export type HangupOp = z.output<typeof hangupOp>;

const repetitionOp = z.strictObject({
  role: z.enum(['agent', 'customer']).default('agent'),
  /** A run of at least this many characters of the other side's previous turn, said back. */
  minChars: z.int().min(2).default(8),
  /** Fails when more than this many turns repeat. */
  max: count.default(0),
});
export type RepetitionOp = z.output<typeof repetitionOp>;

/**
 * What the situation detector (the one live assist uses) finds in the customer's turns: passes
 * on the turns showing any of these situations (their evidence, for a trigger's `when`).
 */
const situationOp = z.strictObject({
  any: z
    .array(z.enum(DETECTED_SITUATION_IDS as [DetectedSituation, ...DetectedSituation[]]))
    .min(1, 'name at least one situation'),
  turns: turnWindow.optional(),
  /**
   * A rule-side guard on the detector's reading: a customer turn this regular expression
   * matches (normalized text) does not count as showing the situation (我等到晚上 is no long wait).
   * A list is one expression, any of them: a guard shared by rules (a YAML &anchor) with a rule's own.
   */
  unless: regexSources.optional(),
  /**
   * The opening customer turn (no agent turn before it) does not count when the detector also
   * reads one of these situations in it: thanks in a complaint that opens a thread is for nothing
   * the agent did yet (sarcasm, a notice quoted, a greeting).
   */
  openingUnless: z
    .array(z.enum(DETECTED_SITUATION_IDS as [DetectedSituation, ...DetectedSituation[]]))
    .min(1, 'name at least one situation, or leave openingUnless out')
    .optional(),
  /**
   * On calls of these channels, a customer turn the grievance classifier (grievance-classifier.ts)
   * reads as dissatisfaction with us counts as showing `complaint` too: complaints in words neither
   * the detector nor the rule's patterns hold. It was trained on phone calls; help-desk threads are
   * the detector's own ground. `unless` and `openingUnless` still apply.
   */
  grievance: z
    .array(z.enum(CHANNELS, { error: `expected one of: ${CHANNELS.join(', ')}` }))
    .min(1, `name at least one channel (${CHANNELS.join(', ')}), or leave grievance out`)
    .optional(),
});
export type SituationOp = z.output<typeof situationOp>;

/**
 * The agent's own 工号 (the call's agent id) said in scope, when the brand's greeting includes
 * it (playbook `brand.agentNumber.announcedBy: agent`); another number of the brand's 工号 form
 * is a fault. Passes with a note when the brand's menu announces it or its greeting has none.
 */
const agentNumberOp = z.strictObject({ turns: turnWindow.optional() });
export type AgentNumberOp = z.output<typeof agentNumberOp>;

const OPERATORS = [
  'all',
  'any',
  'not',
  'cases',
  'direction',
  'channel',
  'lastSpeaker',
  'hangupCause',
  'callEnd',
  'agentNumber',
  'phrases',
  'regex',
  'classifier',
  'trigger',
  'count',
  'share',
  'silence',
  'holds',
  'answer',
  'interruption',
  'speechRate',
  'hangup',
  'repetition',
  'situation',
] as const;

// One object with every operator optional and a check that exactly one is given, rather than
// a union: a mistake inside an operator is then reported at its own field path, and a
// misspelt operator as an unknown field.
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(conditionSchema).min(1).optional(),
      any: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      cases: z
        .array(z.strictObject({ when: conditionSchema, then: conditionSchema }))
        .min(1)
        .optional(),
      direction: z.enum(['inbound', 'outbound']).optional(),
      /** The call's channel (a call without one is a phone call). Never n/a. */
      channel: z.enum(CHANNELS, { error: `expected one of: ${CHANNELS.join(', ')}` }).optional(),
      /** Who spoke the call's last turn (a chat thread that stops on the customer's words). */
      lastSpeaker: z.enum(['agent', 'customer']).optional(),
      /** Why the line ended, from the hang-up event (`dropped`: a line cut mid-call). Never n/a. */
      hangupCause: z.enum(HANGUP_CAUSES).optional(),
      /**
       * How the call ended for this agent: `transfer` (handed to another desk), `hold` (the caller
       * hung up while on hold: a hold never released, or one seen in the text). Never n/a.
       */
      callEnd: z.enum(CALL_ENDS).optional(),
      agentNumber: agentNumberOp.optional(),
      phrases: phrasesOp.optional(),
      regex: regexOp.optional(),
      classifier: classifierOp.optional(),
      trigger: z
        .strictObject({
          when: conditionSchema,
          then: conditionSchema,
          within: z.int().min(1).optional(),
          /** Only the first time the situation occurs counts (a complaint repeated later). */
          once: z.boolean().default(false),
          /**
           * A situation that occurs again is answered already by a reply in the agent's last this-many
           * turns before it, given since the first time it occurred (a complaint repeated after the
           * apology needs no fresh one). The first occurrence is judged on the turns after it only.
           */
          answeredBefore: z.int().min(1).optional(),
          /**
           * The agent's opening turn also counts when the customer's turn answers it: a reply given
           * already (对不起,让您久等了 as the agent's first words, before the caller says they waited).
           */
          opening: z.boolean().optional(),
          /**
           * When the agent says nothing more after the trigger and hangs up first: `fail` (a
           * complaint met with a silent hang-up is the worst answer, not a call the rule cannot
           * judge); `n/a` (default) as when the customer hangs up at once.
           */
          ifAgentHangsUp: z.enum(['fail', 'n/a']).optional(),
          /**
           * Channels where no agent turn after the trigger fails (其后坐席未回复): a written thread
           * has no hang-up, so the customer's last words could still have been answered (a chat
           * thread ending on the customer's thanks). Elsewhere, as on the phone, that is n/a.
           */
          ifUnansweredOn: z
            .array(z.enum(CHANNELS, { error: `expected one of: ${CHANNELS.join(', ')}` }))
            .min(1, `name at least one channel (${CHANNELS.join(', ')}), or leave ifUnansweredOn out`)
            .optional(),
        })
        .optional(),
      count: countOp.optional(),
      share: shareOp.optional(),
      silence: silenceOp.optional(),
      holds: z
        .strictObject({
          /** Only holds at least this long. */
          minMs: numberOrSetting.optional(),
          /** Holds longer than this fail by themselves. */
          maxMs: numberOrSetting.optional(),
          /** Must hold in the agent's last `within` turns before the hold. */
          before: conditionSchema.optional(),
          /** Must hold in the agent's first `within` turns after the hold. */
          after: conditionSchema.optional(),
          within: z.int().min(1).default(1),
        })
        .optional(),
      answer: answerOp.optional(),
      interruption: interruptionOp.optional(),
      speechRate: speechRateOp.optional(),
      hangup: hangupOp.optional(),
      repetition: repetitionOp.optional(),
      situation: situationOp.optional(),
    })
    .refine(
      (c) => Object.keys(c).filter((k) => (c as Record<string, unknown>)[k] !== undefined).length === 1,
      {
        message: `a condition is exactly one operator: ${OPERATORS.join(', ')}`,
      },
    ),
) as unknown as z.ZodType<Condition>;

/** Per-occurrence deduction: each occurrence costs `perOccurrence`, a failure at most `cap`. */
const deductSchema = z.strictObject({
  perOccurrence: z.number().positive('expected the points one occurrence costs, a number > 0'),
  cap: z.number().positive('expected the most a failure of this rule deducts, a number > 0'),
});

const ruleFields = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$/, 'expected a dotted id such as "opening.greeting"'),
  title: nonEmpty,
  /** Points deducted when the rule fails (once, however often); or give `deduct` instead. */
  points: z.number().min(0).optional(),
  /** Points per occurrence, capped (one 你 is not seven 你); instead of `points`. */
  deduct: deductSchema.optional(),
  /** 一票否决: a failure zeroes the call's score. */
  fatal: z.boolean().default(false),
  /** The channels the rule applies on (absent: every channel); elsewhere it is not applicable. */
  channels: z
    .array(z.enum(CHANNELS, { error: `expected one of: ${CHANNELS.join(', ')}` }))
    .min(1, `name at least one channel (${CHANNELS.join(', ')}), or leave channels out for all`)
    .optional(),
  sources: z
    .array(
      z.strictObject({
        seed: z.enum(Object.keys(SEEDS) as [keyof typeof SEEDS, ...(keyof typeof SEEDS)[]]),
        section: nonEmpty,
      }),
    )
    .min(1, 'name the seed and section this rule comes from'),
  /** The playbook scenario whose first line is the correct script line for a miss. */
  scenario: nonEmpty.optional(),
  /** A fixed suggestion, when no scenario fits. */
  suggest: nonEmpty.optional(),
  /** The rule applies only when this holds; otherwise it is not applicable. */
  when: conditionSchema.optional(),
  expect: conditionSchema,
});

/** Operators whose failure lists each occurrence (a phrase said, an interruption…) as evidence. */
const COUNTING = [
  'phrases',
  'regex',
  'classifier',
  'count',
  'share',
  'trigger',
  'holds',
  'interruption',
  'repetition',
  'silence',
];

function countsOccurrences(c: Condition): boolean {
  if ('all' in c) return c.all.some(countsOccurrences);
  if ('any' in c) return c.any.some(countsOccurrences);
  if ('not' in c) return false;
  if ('cases' in c) return c.cases.some((k) => countsOccurrences(k.then));
  if ('phrases' in c) return c.phrases.none !== undefined || c.phrases.atMost !== undefined;
  if ('regex' in c) return c.regex.none !== undefined;
  return COUNTING.some((k) => k in c);
}

export const ruleSchema = ruleFields
  .superRefine((r, ctx) => {
    if (r.points === undefined && r.deduct === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['points'],
        message:
          'give points (deducted once when the rule fails) or deduct: { perOccurrence, cap } (per occurrence, capped)',
      });
    if (r.points !== undefined && r.deduct !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['deduct'],
        message:
          'give points or deduct, not both: with deduct, cap is the most a failure deducts; remove points',
      });
    if (r.deduct === undefined) return;
    if (r.deduct.cap < r.deduct.perOccurrence)
      ctx.addIssue({
        code: 'custom',
        path: ['deduct', 'cap'],
        message: `the cap (${r.deduct.cap}) is below one occurrence (${r.deduct.perOccurrence}); expected cap ≥ perOccurrence`,
      });
    if (r.fatal)
      ctx.addIssue({
        code: 'custom',
        path: ['deduct'],
        message: 'a fatal rule zeroes the call whatever it counts; remove deduct (give points) or fatal',
      });
    if (!countsOccurrences(r.expect))
      ctx.addIssue({
        code: 'custom',
        path: ['deduct'],
        message:
          'this rule does not count occurrences (its failure is one missing thing); give points instead, or expect phrases/regex with none, a count, a trigger, holds, interruption or repetition',
      });
  })
  // Consumers read `points` as the most a failure deducts: with `deduct`, its cap.
  // Every rule gets one shape (each key, in one order; an absent one undefined): the engine reads
  // rules in every call, and rules of as many shapes as their optional keys made those reads
  // polymorphic, so the inspection was deoptimized and compiled again whenever a rule of a shape
  // not yet seen first failed (five compilations of the inspection in its first 2,000 calls).
  .transform((r): typeof r & { points: number } => ({
    id: r.id,
    title: r.title,
    points: r.points ?? r.deduct?.cap ?? 0,
    deduct: r.deduct,
    fatal: r.fatal,
    channels: r.channels,
    sources: r.sources,
    scenario: r.scenario,
    suggest: r.suggest,
    when: r.when,
    expect: r.expect,
  }));
export type Rule = z.output<typeof ruleSchema>;

export const scorecardFileSchema = z.strictObject({
  version: z.int().min(1),
  name: nonEmpty,
  /** The score of a call with no failure. */
  total: z.number().positive().default(100),
  /** Seconds per ring, for the answer-speed limit (rings to answer × ring period). Overrides the brand's. */
  ringPeriodSeconds: z.number().positive().max(30).optional(),
  phraseSets: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name'), phraseItems)
    .default({}),
  /**
   * Holds seen in the text, for calls whose telephone system sent no hold events: an agent
   * turn asking the caller to wait (`ask`) followed by a gap of at least `minGapMs` before the
   * agent's next turn, or by a return (`back`: 让您久等了); or a return after such a gap.
   * Absent: only the telephone system's hold events are holds.
   */
  textHolds: z
    .strictObject({
      ask: phraseItems,
      back: phraseItems,
      minGapMs: z.int().positive('expected the shortest gap, in ms, that is a hold'),
      /** The agent handing the call over (您的电话需转接…): a wait after it that the line ends is no hold. */
      handover: phraseItems.optional(),
    })
    .optional(),
  /**
   * Named conditions: a condition the rules use (as a YAML anchor) that live assist asks by its
   * name too (harassment-ended: how a call ended), so both read the one definition.
   */
  conditions: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case name'), conditionSchema)
    .default({}),
  rules: z.array(ruleSchema).min(1),
});
export type TextHoldsSetting = NonNullable<ScorecardFile['textHolds']>;
export type ScorecardFile = z.output<typeof scorecardFileSchema>;
