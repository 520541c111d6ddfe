// The stages checklist of a call (seed 000 A.一–六, seed 001 一.(二)): greeting → surname →
// listen and confirm → verify identity (where account data is involved) → solution → "anything
// else?" → farewell → the customer hangs up first. A stage is done when the agent's words show
// it, and missed when the call goes past it without it (a later stage done) or, at the latest,
// at hang-up — unless quality inspection finds its rule not applicable to how the call ended
// (a transfer, the caller hanging up on hold, a dropped line): then it is n/a; the stages it
// does not score follow the same ending (CallEnding: n/a where the call never reached them). A stage the
// scorecard scores (STAGE_RULES) is said in a turn when its rule says so
// of that turn (the flow asks the compiled scorecard: one rule set, one result); without such a
// rule, the scorecard's phrase sets (greetings, more-questions, farewells), else words of ours.
// The other stages, which the scorecard does not score, have their own lists here. Pure.
import { normalizeText } from '../text/normalize.ts';

/** The stage ids, in call order (the `stage` of a LiveEvent). */
export const STAGE_IDS = [
  'greeting',
  'surname',
  'confirm',
  'verify',
  'solve',
  'more-questions',
  'farewell',
  'customer-hangs-up-first',
] as const;
export type StageId = (typeof STAGE_IDS)[number];
/** What becomes of a stage (a stage event's state); until then it is pending. */
export const STAGE_OUTCOMES = ['done', 'missed', 'n/a'] as const;
export type StageState = 'pending' | (typeof STAGE_OUTCOMES)[number];

/** The scenario each stage's script line comes from (a stage applies where the brand has it). */
export const STAGE_SCENARIOS: Partial<Record<StageId, string>> = {
  surname: 'identify.ask-surname',
  confirm: 'confirm.problem',
  verify: 'verify.identity',
  solve: 'solve.offer',
  'more-questions': 'closing.more-questions',
  farewell: 'closing.farewell',
};

/**
 * The scorecard rule that scores each stage, by id. The checklist takes from it only whether a
 * turn says the words (StageSaid): which turns the rule looks at (the closing question in the
 * agent's last three turns, the farewell in the last) is only known at hang-up, while the
 * checklist ticks a stage as it is said; its greeting is the agent's first turn, which is the
 * turn the checklist asks about.
 */
export const STAGE_RULES = {
  greeting: 'opening.greeting',
  'more-questions': 'closing.more-questions',
  farewell: 'closing.farewell',
} as const satisfies Partial<Record<StageId, string>>;
export type RuleStage = keyof typeof STAGE_RULES;

/**
 * The scorecard rules whose fault in a turn makes it no answer to the caller: 不知道, 你去投诉好了,
 * 这是系统的问题 (seed 003's forbidden vague, provoking and excuse lines) say nothing of the matter,
 * so such a turn does not tick `solve` by being a statement; its solution words still do.
 */
export const NON_ANSWER_RULES: ReadonlySet<string> = new Set([
  'language.forbidden.vague',
  'language.forbidden.provoking',
  'language.forbidden.excuse',
]);

/**
 * The scorecard rule each stage left to the hang-up follows there: where quality inspection
 * finds it not applicable — its `when` (callEnd: transfer | hold, the agent's handover words, a
 * dropped or silent line, a harassment ended as seed 000 B.五 says) — the stage is n/a, not
 * missed. The inspection's own outcome decides: the checklist keeps no second definition of
 * how a call ended.
 */
export const CLOSING_RULES = {
  'more-questions': 'closing.more-questions',
  farewell: 'closing.farewell',
  'customer-hangs-up-first': 'closing.customer-first',
} as const satisfies Partial<Record<StageId, string>>;
export type ClosingStage = keyof typeof CLOSING_RULES;

/**
 * The inspection's outcome at hang-up of the closing stage's rule; null when it cannot tell (the
 * scorecard has no such rule): the checklist decides alone then.
 */
export type StageRuled = (stage: ClosingStage) => 'pass' | 'fail' | 'n/a' | null;
const UNKNOWN: StageRuled = () => null;
const RULED_STATE = { pass: 'done', fail: 'missed', 'n/a': 'n/a' } as const;
const isClosing = (stage: StageId): stage is ClosingStage => Object.hasOwn(CLOSING_RULES, stage);

/**
 * The rules whose outcome at hang-up says how the call ended, for the stages the scorecard does
 * not score (surname, confirm, verify, solve). `finishedHere`: where quality inspection finds the
 * farewell not owed (a transfer by event or by the agent's words, the caller hanging up on hold,
 * an outbound call someone else answered; not a failed transfer) the call was not this agent's
 * to finish. `notTheCustomer`: its `when` holds (an outcome other than n/a) where someone other
 * than the customer answered an outbound call.
 */
export const ENDING_RULES = {
  finishedHere: 'closing.farewell',
  notTheCustomer: 'outbound.not-the-customer',
} as const;

/**
 * The scorecard's named condition (its `conditions`) for a harassment or abusive caller the
 * agent ended as seed 000 B.五 says (对不起,您的要求不在我们的服务范围内,请您挂机,再见!): the one
 * the closing rules are excused by, asked by name so live and quality inspection read it once.
 */
export const HARASSMENT_ENDED = 'harassment-ended';

/**
 * How the call ended, as the inspection at hang-up finds it; null where it cannot tell (the
 * scorecard lacks the rule): the checklist then misses what is pending, as on any call.
 */
export interface CallEnding {
  /** False where the call went on elsewhere or stopped on hold (the farewell's rule n/a). */
  finishedHere: boolean | null;
  /** True where an outbound call was answered by someone other than the customer. */
  notTheCustomer: boolean | null;
  /** True where the agent ended a harassment call as seed 000 B.五 says (the caller had no matter). */
  harassmentEnded: boolean | null;
}
const ORDINARY: CallEnding = { finishedHere: null, notTheCustomer: null, harassmentEnded: null };
/** The stages between the greeting and the closing: the caller's matter, which an ending can cut short. */
const BETWEEN: ReadonlySet<StageId> = new Set(['surname', 'confirm', 'verify', 'solve']);

/**
 * Whether the agent's turn says what the stage's rule looks for in a turn; null when the
 * scorecard cannot tell (no such rule, a rule for other channels, no words in it): the phrase
 * sets decide then.
 */
export type StageSaid = (stage: RuleStage) => boolean | null;
const UNSAID: StageSaid = () => null;

/** Words of the stages the scorecard has no phrase set for (normalized: Simplified, half-width). */
const OWN_PHRASES = {
  surname: ['贵姓', '怎么称呼', '如何称呼', '您姓什么', '请问您姓', '尊姓'],
  confirm: [
    '您咨询的是',
    '您希望了解的是',
    '您说的是',
    '您是说',
    '您的意思是',
    '您遇到的问题是',
    '您要查询的是',
    '您反映的是',
    '跟您确认一下',
    '我理解的对吗',
    '对吗',
    '是这样吗',
  ],
  solve: [
    '解决方案',
    '初步判断',
    '建议您',
    '您可以',
    '为您处理',
    '为您办理',
    '帮您处理',
    '帮您办理',
    '已经为您',
    '已为您',
    '可以通过',
    '处理方法',
    '给您回拨',
    '给您回电',
    '安排师傅',
    '操作一下',
  ],
  /** Asking the caller to wait is not an answer (the scorecard's hold-consent words). */
  wait: ['稍等', '稍候', '等一下', '等一等'],
  /**
   * With the scorecard's `harassment-ending` words, the refusal of seed 000 B.五 (…不在我们的服务
   * 范围内,请您挂机,再见!): the words alone also answer a matter (不在服务范围内,需要到社保局办理).
   */
  hangUpAsked: ['挂机', '挂断', '挂电话'],
  /** What makes the verify stage apply: the caller's matter touches account data. */
  accountData: [
    '账户',
    '账号',
    '帐户',
    '帐号',
    '保单',
    '密码',
    '余额',
    '订单',
    '银行卡',
    '身份证',
    '手机号',
    '理赔',
    '退款',
    '扣款',
    '缴费',
  ],
};

/**
 * Verifying identity (seed 001 3.) is asking for or checking the caller's identity data, not
 * the word 核实 (我帮您核实一下 checks the matter): an item of identity data (the brands'
 * verifyItem values: 订单号, 预留手机号后四位, 邮箱, 身份证号后六位, 会员号, 用户名, 保单号…)
 * with the request attached to it — 提供一下订单号, 身份证号后六位是多少, 手机号后四位是5678,对吗.
 * An item that is the matter's object (您是要修改保单上的手机号码,对吗?) or an instruction
 * (在APP里输入手机号) asks for nothing; 正确 / 是吗 / 哪个 are no request.
 */
const ITEM =
  '(?:身份证|证件号|身份信息|(?:核实|核对|验证|确认)(?:一下)?您?的?身份|后[四六]位|预留(?:的)?(?:手机|电话|号码|信息)|手机号|(?:账|帐)号|卡号|保单号|订单号|邮箱|会员号|用户名|验证码|出生日期|姓名|全名)';
const IDENTITY_ITEM = new RegExp(ITEM, 'gu');
/** A request before the item (提供一下订单号) or after it (保单号是多少, …是5678,对吗). */
const ASKED_BEFORE = /(?:提供|告诉我|报一下|说一下|念一下|请问您?的|(?:核实|核对|验证)一下)[^,。!?;]{0,8}$/u;
const ASKED_AFTER = /^(?:[^,。!?;]{0,8}(?:是多少|是什么|一致|无误)|[^。!?;]{0,14}(?:对吗|对不对))/u;
/** The item is the object of the caller's matter (修改保单上的手机号码): no identity asked. */
const MATTER_OBJECT = /(?:修改|更改|变更|改|更换|换|注销|绑定|解绑|找回|重置|查询)[^,。!?;]{0,6}$/u;
const IDENTITY_ITSELF = /(?:核实|核对|验证|确认)(?:一下)?您?的?身份/u;
function verifies(t: string): boolean {
  if (IDENTITY_ITSELF.test(t)) return true;
  for (const m of t.matchAll(IDENTITY_ITEM)) {
    const before = t.slice(Math.max(0, m.index - 12), m.index);
    const after = t.slice(m.index + m[0].length, m.index + m[0].length + 20);
    if (MATTER_OBJECT.test(before)) continue;
    if (ASKED_BEFORE.test(before) || ASKED_AFTER.test(after)) return true;
  }
  return false;
}

/**
 * The scorecard phrase sets the checklist reads where the scorecard has no rule for the stage,
 * with the words used when it lacks the set too.
 */
const SCORECARD_SETS = {
  greetings: ['您好', '你好', '早上好', '上午好', '中午好', '下午好', '晚上好'],
  'more-questions': ['还有其他', '还有什么', '其他问题', '其他需要', '还有别的'],
  farewells: ['再见', '感谢来电', '感谢您的来电', '谢谢来电', '谢谢您的来电'],
  /** Seed 000 B.五's refusal of a harassment call: no answer to a matter (no solution). */
  'harassment-ending': ['不在我们的服务范围', '不在服务范围内'],
} as const;

/** Compound surnames, learnt whole (我姓欧阳 is 欧阳, not 欧). */
const COMPOUND_SURNAMES =
  '欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|司徒|司空|夏侯|轩辕|端木|独孤|南宫|西门|百里|呼延|万俟|澹台|钟离|闻人|赫连|申屠|太史|濮阳|公羊|东郭|左丘|拓跋|第五';
const SURNAME_SAID = new RegExp(`(?:^|我|免贵)姓(${COMPOUND_SURNAMES}|\\p{sc=Han})`, 'gu');

export interface StageEvent {
  stage: StageId;
  state: Exclude<StageState, 'pending'>;
}

export interface ChecklistOptions {
  /** The stages this call goes through (the brand has their scenarios; direction). */
  applicable: ReadonlySet<StageId>;
  /** The scorecard's phrase sets (name → phrases); `@`/`$` references are ignored. */
  phraseSets?: Readonly<Record<string, readonly unknown[]>>;
  /** The caller's surname when the hotline knows it (the agent saying 马先生 shows it). */
  surname?: string;
}

function phraseList(
  sets: ChecklistOptions['phraseSets'],
  name: keyof typeof SCORECARD_SETS,
): readonly string[] {
  const given = sets?.[name]?.filter(
    (p): p is string => typeof p === 'string' && !p.startsWith('@') && !p.startsWith('$'),
  );
  return (given?.length ? given : SCORECARD_SETS[name]).map(normalizeText);
}

const has = (text: string, phrases: readonly string[]) => phrases.some((p) => text.includes(p));

export class StageChecklist {
  private readonly states = new Map<StageId, StageState>();
  private readonly words: Record<
    'greeting' | 'more-questions' | 'farewell' | 'harassment-ending' | keyof typeof OWN_PHRASES,
    readonly string[]
  >;
  private surname: string | undefined;
  /** The surname is the customer card's (never replaced by one the caller says). */
  private readonly cardSurname: boolean;
  /** The caller's matter touches account data (the verify stage applies). */
  private accountData = false;

  constructor(options: ChecklistOptions) {
    for (const s of STAGE_IDS) if (options.applicable.has(s)) this.states.set(s, 'pending');
    this.words = {
      greeting: phraseList(options.phraseSets, 'greetings'),
      'more-questions': phraseList(options.phraseSets, 'more-questions'),
      farewell: phraseList(options.phraseSets, 'farewells'),
      'harassment-ending': phraseList(options.phraseSets, 'harassment-ending'),
      surname: OWN_PHRASES.surname,
      confirm: OWN_PHRASES.confirm,
      solve: OWN_PHRASES.solve,
      wait: OWN_PHRASES.wait,
      hangUpAsked: OWN_PHRASES.hangUpAsked,
      accountData: OWN_PHRASES.accountData,
    };
    this.surname = options.surname;
    this.cardSurname = options.surname !== undefined;
  }

  /** Every applicable stage with its state, in call order. */
  view(): { stage: StageId; state: StageState }[] {
    return STAGE_IDS.filter((s) => this.states.has(s) && (s !== 'verify' || this.verifyApplies())).map(
      (stage) => ({ stage, state: this.states.get(stage) as StageState }),
    );
  }

  /** The caller's surname: the customer card's, else the one the caller said (我姓王). */
  get callerSurname(): string | undefined {
    return this.surname;
  }

  state(stage: StageId): StageState | undefined {
    return this.states.get(stage);
  }

  private verifyApplies(): boolean {
    return this.accountData || this.states.get('verify') !== 'pending';
  }

  /** The greeting, decided on the agent's first turn (by the scorecard's greeting rule if any). */
  greeting(firstAgentText: string, said: StageSaid = UNSAID): StageEvent[] {
    if (this.states.get('greeting') !== 'pending') return [];
    const ok = said('greeting') ?? has(normalizeText(firstAgentText), this.words.greeting);
    return this.set('greeting', ok ? 'done' : 'missed');
  }

  /**
   * A customer turn: the matter may touch account data; the caller may say their surname (the
   * latest 我姓X wins: 不对,我姓黄 corrects 王). `learn` false: someone other than the customer
   * answered, whose surname is not the customer's.
   */
  customerTurn(text: string, learn = true): void {
    const t = normalizeText(text);
    if (!this.accountData && has(t, this.words.accountData)) this.accountData = true;
    if (!learn || this.cardSurname) return;
    const said = [...t.matchAll(SURNAME_SAID)].at(-1)?.[1];
    if (said) this.surname = said;
  }

  /**
   * An agent turn after the greeting. `afterFirstQuestion`: the caller has spoken (the stages
   * between the greeting and the closing are about the caller's matter). `said`: what the
   * scorecard's rules find in this turn (asked only for a stage still pending).
   */
  agentTurn(
    text: string,
    afterFirstQuestion: boolean,
    said: StageSaid = UNSAID,
    /** The scorecard faults the turn for a line that answers nothing (NON_ANSWER_RULES). */
    noAnswer = false,
  ): StageEvent[] {
    const t = normalizeText(text);
    const out: StageEvent[] = [];
    // Seed 000 B.五's refusal (…不在我们的服务范围内,请您挂机,再见!) passes no stage on the way:
    // to a harasser the stages between are n/a, to a caller with a matter missed, and which it
    // was only the hang-up's inspection says (`harassment-ended`). Its 再见 used to mark them
    // missed at once, red on the checklist until the hang-up turned them n/a.
    const refusal = has(t, this.words['harassment-ending']) && has(t, this.words.hangUpAsked);
    const seen = (stage: StageId) => {
      if (this.states.get(stage) === 'pending')
        out.push(...this.reach(stage, afterFirstQuestion && !refusal));
    };
    if (afterFirstQuestion) {
      const surname =
        has(t, this.words.surname) ||
        (this.surname !== undefined && /(先生|女士|小姐)/.test(t) && t.includes(normalizeText(this.surname)));
      const confirm = has(t, this.words.confirm);
      // Identity is checked on a matter touching account data (登记 a name is no check).
      const verify = this.accountData && verifies(t);
      if (surname) seen('surname');
      if (confirm) seen('confirm');
      if (verify) seen('verify');
      // A solution: its words, or an answer to the caller — a statement of some length that is
      // not a question back, a line the scorecard faults as answering nothing, a request to wait, the refusal of a harassment call (its words with
      // 请您挂机: without it, 不在服务范围内 tells the caller where to go), or one of the steps above.
      const rest = this.answerPart(t);
      const statement =
        !noAnswer &&
        !surname &&
        !confirm &&
        !verify &&
        rest.replace(/[\p{P}\s]/gu, '').length >= 12 &&
        !/[?吗呢][\p{P}\s]*$/u.test(rest) &&
        !has(t, this.words.wait) &&
        !refusal;
      if (has(t, this.words.solve) || statement) seen('solve');
    }
    const says = (stage: 'more-questions' | 'farewell') =>
      this.states.get(stage) === 'pending' && (said(stage) ?? has(t, this.words[stage]));
    if (says('more-questions')) seen('more-questions');
    if (says('farewell')) seen('farewell');
    return out;
  }

  /**
   * A stage done: the applicable stages before it still pending are missed (the call passed
   * them) — once the caller has spoken: before that there was no matter to go through.
   */
  private reach(stage: StageId, passing: boolean): StageEvent[] {
    const out: StageEvent[] = [];
    const index = STAGE_IDS.indexOf(stage);
    for (const earlier of passing ? STAGE_IDS.slice(1, index) : []) {
      if (this.states.get(earlier) !== 'pending') continue;
      if (earlier === 'verify' && !this.accountData) continue;
      // The surname is asked after the first question is answered (seed 000 A.二): answering
      // does not pass it, only the closing does.
      if (earlier === 'surname' && stage !== 'more-questions' && stage !== 'farewell') continue;
      out.push(...this.set(earlier, 'missed'));
    }
    out.push(...this.set(stage, 'done'));
    return out;
  }

  /**
   * The hang-up: who hung up decides the last stage; every stage still pending is missed — when
   * the caller spoke at all (a silent line ends by its own procedure, as in quality inspection)
   * and the line did not drop (a cut-off call did not pass its stages). A closing stage whose
   * rule the inspection judged (`ruled`) settles as it did — pass done, fail missed, n/a n/a
   * (one said though not owed stays done) — whatever the checklist showed during the call,
   * even where it was missed on the way: a farewell said mid-call ticked the stage,
   * but the rule reads the agent's last words, and the checklist must not stay ticked where
   * the inspection fails the farewell (issue 9 §3: one rule set, one result).
   * A stage between (surname, confirm, verify, solve) on a call not finished here (`ending`) is
   * n/a where the call never reached it — pending, or passed on the way —, missed where the
   * agent could have done it first (`unreached`).
   */
  hangup(
    by: 'agent' | 'customer' | undefined,
    customerSpoke: boolean,
    dropped: boolean,
    ruled: StageRuled = UNKNOWN,
    ending: CallEnding = ORDINARY,
  ): StageEvent[] {
    const out: StageEvent[] = [];
    // A dropped line is no handover: the farewell's rule is n/a there only because nobody could
    // say it, so the stages skipped before the line dropped stay missed (an ordinary ending).
    if (dropped) ending = { ...ending, finishedHere: null };
    const notOwed = (stage: StageId) => {
      this.states.set(stage, 'n/a');
      out.push({ stage, state: 'n/a' });
    };
    for (const stage of STAGE_IDS) {
      const state = this.states.get(stage);
      if (state === undefined) continue;
      const outcome = isClosing(stage) ? ruled(stage) : null;
      if (outcome !== null) {
        // Said though not owed (谢谢您,再见 to the relative who answered) stays done: n/a is no fault.
        const settled = outcome === 'n/a' && state === 'done' ? state : RULED_STATE[outcome];
        if (settled !== state) {
          this.states.set(stage, settled);
          out.push({ stage, state: settled });
        }
        continue;
      }
      if (state === 'done' || state === 'n/a') continue;
      // Passed on the way (the closing words said before a transfer) is no skip either.
      if (state === 'missed' && this.unreached(stage, ending)) {
        notOwed(stage);
        continue;
      }
      if (state !== 'pending' || !customerSpoke || dropped) continue;
      if (stage === 'customer-hangs-up-first') {
        if (by !== undefined) out.push(...this.set(stage, by === 'customer' ? 'done' : 'missed'));
        continue;
      }
      if (stage === 'verify' && !this.accountData) continue;
      out.push(...this.set(stage, this.unreached(stage, ending) ? 'n/a' : 'missed'));
    }
    return out;
  }

  /** Whether an agent turn says the farewell (as the scorecard's rule finds it, else the words). */
  saysFarewell(text: string, said: StageSaid = UNSAID): boolean {
    return said('farewell') ?? has(normalizeText(text), this.words.farewell);
  }

  /**
   * The turn without what closes it, to tell an answer from a question back: a courtesy after a
   * question mark (seed 000 B.一.3's 对不起,请您使用普通话再说一遍好吗?谢谢! is a request, not an
   * answer) and the closing question (…,请问还有其他问题吗?谢谢! answers before it). A courtesy
   * after 呢 or 吗 stays: those often end a statement (…现在是正常的呢,再见!).
   */
  private answerPart(t: string): string {
    const clauses = t.split(/(?<=[,.!?;~，。！？；])/u).filter((c) => c.replace(/[\p{P}\s]/gu, '') !== '');
    const courtesy = (c: string) => /^[\p{P}\s]*(?:谢谢您?|再见)[\p{P}\s]*$/u.test(c);
    let end = clauses.length;
    for (;;) {
      // Courtesies after a question mark (…好吗?谢谢! / …方便接电话?谢谢您,再见!).
      let k = end;
      while (k > 0 && courtesy(clauses[k - 1] as string)) k--;
      if (k < end && k > 0 && /\?[\p{P}\s]*$/u.test(clauses[k - 1] as string)) {
        end = k;
        continue;
      }
      const last = clauses[end - 1];
      if (last !== undefined && has(last, this.words['more-questions'])) {
        end--;
        continue;
      }
      return clauses.slice(0, end).join('');
    }
  }

  /**
   * Whether a stage the scorecard does not score was out of the call's reach, the call having
   * ended before this agent could finish it (a team lead's reading of seeds 000 and 001):
   * - an outbound call someone else answered: none of them (the customer was not on the line);
   * - a harassment call ended as seed 000 B.五 says: none of them — there was no matter to sum
   *   up (A.三), verify, solve (A.四) or answer before asking the surname (A.二);
   * - transferred or left on hold: the solution is the next desk's or was being looked up: n/a;
   *   the identity is verified before a solution (seed 001 3.) and the surname asked once the
   *   first question is answered (seed 000 A.二): n/a unless a solution came before; the
   *   problem is confirmed before a transfer (seed 000 B.四.1: 您咨询的是…问题,您的电话需转接)
   *   and before looking it up, so a confirmation not said is still missed.
   */
  private unreached(stage: StageId, ending: CallEnding): boolean {
    if (!BETWEEN.has(stage)) return false;
    if (ending.notTheCustomer === true || ending.harassmentEnded === true) return true;
    if (ending.finishedHere !== false || stage === 'confirm') return false;
    return stage === 'solve' || this.states.get('solve') !== 'done';
  }

  private set(stage: StageId, state: Exclude<StageState, 'pending'>): StageEvent[] {
    if (this.states.get(stage) !== 'pending') return [];
    this.states.set(stage, state);
    return [{ stage, state }];
  }
}
