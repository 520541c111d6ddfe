// The engine's evidence notes in English, for the English UI. The engine writes its notes in
// Chinese (`operators.ts`, `timing-operators.ts`, `compiled-scorecard.ts`): that is what is
// stored and what `huashu qa` prints. This module reads a stored note back through the finite set
// of templates the engine writes and says it in English; a note it does not know (a custom
// scorecard's own words, an inspector's) is given back as stored.
//
// Pure (no I/O), imported by the web UI too (`web/src/lib/notes.ts`). Words a note quotes — the
// customer's words (`客户说"…"`), a scorecard's phrases (`未说: …`, `"…"出现`), a hang-up or
// transfer target, an agent number — stay as they are, in “…” when they are words.
// `note-text.test.ts` runs the engine over the example and dev calls and scans the engine's
// source: a new note template without an entry here fails it (`ENGINE_NOTE_SOURCES`).
import { DETECTED_SITUATIONS } from '../situations/ids.ts';

const N = String.raw`(\d+)`;
const CLOCK = String.raw`(\d+:\d\d)`;
const SEC = String.raw`(\d+(?:\.\d)?)秒`;

const sec = (s: string) => `${s} s`;
const turn = (n: string) => `turn ${n}`;
const quote = (words: string) => `“${words}”`;
/** `1 time`, `2 times`. */
const times = (n: string, one: string, many = `${one}s`) => `${n} ${n === '1' ? one : many}`;
const who = (zh: string) => (zh === '坐席' ? 'the agent' : 'the customer');

/** A situation label as the engine writes it (its Chinese name) → its English name. */
const SITUATION_EN = new Map<string, string>(
  Object.values(DETECTED_SITUATIONS).map((s) => [s.zh as string, s.en as string]),
);
/** Longest first: labels hold '/' themselves (投诉/不满), and a list is joined with '/'. */
const SITUATION_ZH = [...SITUATION_EN.keys()].sort((a, b) => b.length - a.length);

/** `投诉/不满/客户生气` → `complaint / angry caller`; undefined when a part is no known label. */
function situationList(labels: string): string | undefined {
  const out: string[] = [];
  let rest = labels;
  while (rest.length > 0) {
    const zh = SITUATION_ZH.find((l) => rest === l || rest.startsWith(`${l}/`));
    if (zh === undefined) return undefined;
    out.push(SITUATION_EN.get(zh) as string);
    rest = rest.slice(zh.length + 1);
  }
  return out.length > 0 ? out.join(' / ') : undefined;
}

/** A hold as the hold checks name it (`what` and `before` of `timing-operators.ts`). */
function hold(zh: string): string | undefined {
  let m = new RegExp(`^${CLOCK}-${CLOCK}保持${SEC}(后挂机)?$`).exec(zh);
  if (m) return `hold ${m[1]}–${m[2]} (${sec(m[3] as string)})${m[4] ? ', then the caller hung up' : ''}`;
  m = new RegExp(`^${CLOCK}保持$`).exec(zh);
  if (m) return `the hold at ${m[1]}`;
  m = new RegExp(`^第${N}句(请客户等待|后), 第${N}句返回\\(按文本判断的等待\\)$`).exec(zh);
  if (m)
    return `${textHoldStart(m[1] as string, m[2] as string)}, back in ${turn(m[3] as string)} (a wait read from the text)`;
  m = new RegExp(`^第${N}句(请客户等待|后), ${CLOCK}-${CLOCK}等待${SEC}(后挂机)?\\(按文本判断\\)$`).exec(zh);
  if (m)
    return `${textHoldStart(m[1] as string, m[2] as string)}, waiting ${m[3]}–${m[4]} (${sec(m[5] as string)})${m[6] ? ', then the caller hung up' : ''} (read from the text)`;
  return undefined;
}

// 第N句请客户等待: the agent asked the caller to wait in turn N; 第N句后: the wait after turn N.
const textHoldStart = (t: string, how: string) =>
  how === '后' ? `the wait from ${turn(t)}` : `the wait the agent asked for in ${turn(t)}`;

/** What the customer's turn of a trigger showed or said. */
function cause(zh: string): string | undefined {
  if (zh === '客户发言') return 'the customer spoke';
  const m = /^客户说"(.*)"$/su.exec(zh);
  if (m) return `the customer said ${quote(m[1] as string)}`;
  return noteInEnglish(zh);
}

type Template = { re: RegExp; en: (m: RegExpExecArray) => string | undefined };

const re = (source: string) => new RegExp(`^${source}$`, 'su');

const TEMPLATES: readonly Template[] = [
  // operators.ts: phrases, regex
  { re: re('未说: (.*)'), en: (m) => `not said: ${quote(m[1] as string)}` },
  {
    re: re(`出现${N}次, 应至少${N}次: (.*)`),
    en: (m) => `said ${times(m[1] as string, 'time')}, at least ${m[2]} expected: ${quote(m[3] as string)}`,
  },
  { re: re('未出现应有的表述'), en: () => 'the expected wording was not said' },
  // operators.ts: trigger
  {
    re: re(`第${N}句(.+?), 其后坐席未再发言(即挂机)?`),
    en: (m) => {
      const what = cause(m[2] as string);
      if (what === undefined) return undefined;
      const end = m[3] ? ', hanging up at once' : '';
      return `${turn(m[1] as string)}: ${what}; the agent said nothing after it${end}`;
    },
  },
  {
    re: re(`第${N}句(.+?), 坐席第(\\d+(?:、\\d+)*)句(起)?(.*)`),
    en: (m) => {
      const what = cause(m[2] as string);
      const rest = m[5] as string;
      const missing = rest === '未按标准回应' ? 'did not reply as the standard asks' : noteInEnglish(rest);
      if (what === undefined || missing === undefined) return undefined;
      const turns = (m[3] as string).split('、');
      const replies = m[4]
        ? `the agent's turns from ${turns[0]} on`
        : turns.length > 1
          ? `the agent's turns ${turns.join(', ')}`
          : `the agent's turn ${turns[0]}`;
      return `${turn(m[1] as string)}: ${what}; ${replies}: ${missing}`;
    },
  },
  // operators.ts: situation, a complaint the grievance classifier reads (grievance-classifier.ts)
  {
    re: re('客户话语显示"([^"]+)"\\(整句判定\\)'),
    en: (m) => {
      const en = SITUATION_EN.get(m[1] as string);
      return en === undefined ? undefined : `the customer's words show: ${en} (judged on the whole line)`;
    },
  },
  // operators.ts: situation
  {
    re: re('客户话语显示"(.+)"'),
    en: (m) => {
      const en = SITUATION_EN.get(m[1] as string);
      return en === undefined ? undefined : `the customer's words show: ${en}`;
    },
  },
  {
    re: re('客户话语未显示: (.+)'),
    en: (m) => {
      const en = situationList(m[1] as string);
      return en === undefined ? undefined : `the customer's words show none of: ${en}`;
    },
  },
  // operators.ts: count, share, repetition
  {
    re: re(`"(.*)"出现${N}次, 应(至少|至多)${N}次`),
    en: (m) =>
      `${quote(m[1] as string)} said ${times(m[2] as string, 'time')}, ${m[3] === '至少' ? 'at least' : 'at most'} ${m[4]} expected`,
  },
  {
    re: re(`(客户|坐席)发言${N}次, 应(至少|至多)${N}次`),
    en: (m) =>
      `${who(m[1] as string)} spoke ${times(m[2] as string, 'time')}, ${m[3] === '至少' ? 'at least' : 'at most'} ${m[4]} expected`,
  },
  {
    re: re(`${N}句中${N}句使用\\((\\d+%)\\), (上限|应至少)(\\d+)%`),
    en: (m) =>
      `used in ${m[2]} of ${m[1]} turns (${m[3]}), ${m[4] === '上限' ? 'at most' : 'at least'} ${m[5]}% expected`,
  },
  { re: re('复述客户原话'), en: () => "repeats the customer's words" },
  // operators.ts: agentNumber
  { re: re('工号由语音菜单播报'), en: () => 'the agent number is announced by the voice menu' },
  { re: re('本品牌开头语不报工号'), en: () => "this brand's greeting announces no agent number" },
  {
    re: re('报的工号(.+?)不是本通话坐席的工号(.+)'),
    en: (m) => `announced agent number ${m[1]}, but this call's agent is ${m[2]}`,
  },
  { re: re('未报工号'), en: () => 'agent number not announced' },
  {
    re: re('未报工号\\(本通话坐席(.+)\\)'),
    en: (m) => `agent number not announced (this call's agent: ${m[1]})`,
  },
  // operators.ts: hangupCause, callEnd, lastSpeaker
  {
    re: re('挂机原因: (.+)'),
    en: (m) => `hang-up cause: ${m[1] === '未记录' ? 'not recorded' : m[1]}`,
  },
  { re: re('已转接'), en: () => 'transferred' },
  { re: re('已转接至(.+)'), en: (m) => `transferred to ${m[1]}` },
  {
    re: re('转接失败(?:\\((.+)\\))?,仍由本坐席服务'),
    en: (m) => `transfer${m[1] ? ` to ${m[1]}` : ''} failed: the caller stayed with this agent`,
  },
  { re: re('未转接'), en: () => 'not transferred' },
  { re: re('坐席挂机'), en: () => 'the agent hung up' },
  { re: re('整句判定'), en: () => 'judged on the whole line' },
  { re: re('客户挂机'), en: () => 'the caller hung up' },
  { re: re('挂机方未记录'), en: () => 'who hung up is not recorded' },
  { re: re('最后一句为(坐席|客户)所说'), en: (m) => `the last turn was ${who(m[1] as string)}'s` },
  // timing-operators.ts
  {
    re: re(`${CLOCK}起静默${SEC}, 上限${SEC}`),
    en: (m) => `silent for ${sec(m[2] as string)} from ${m[1]}, at most ${sec(m[3] as string)}`,
  },
  {
    re: re(`${CLOCK}起仅停${SEC}, 应稍停${SEC}`),
    en: (m) => `paused only ${sec(m[2] as string)} from ${m[1]}, a pause of ${sec(m[3] as string)} expected`,
  },
  {
    re: re(`仅尝试${N}次, 应${N}次`),
    en: (m) => `only ${times(m[1] as string, 'attempt')}, ${m[2]} expected`,
  },
  {
    re: re('等待中挂机: (.+)'),
    en: (m) => {
      const h = hold(m[1] as string);
      return h === undefined ? undefined : `the caller hung up on hold: ${h}`;
    },
  },
  { re: re('挂机时客户未在等待'), en: () => 'the caller was not on hold when the line ended' },
  {
    re: re(`(.+), 超过上限${SEC}`),
    en: (m) => {
      const h = hold(m[1] as string);
      return h === undefined ? undefined : `${h}, over the limit of ${sec(m[2] as string)}`;
    },
  },
  {
    re: re('(.+)前未征得同意'),
    en: (m) => {
      const h = hold(m[1] as string);
      return h === undefined ? undefined : `no consent asked before ${h}`;
    },
  },
  {
    re: re('(.+), 坐席未返回'),
    en: (m) => {
      const h = hold(m[1] as string);
      return h === undefined ? undefined : `${h}: the agent never came back`;
    },
  },
  {
    re: re('(.+)后未按标准表述'),
    en: (m) => {
      const h = hold(m[1] as string);
      return h === undefined ? undefined : `after ${h}: not worded as the standard asks`;
    },
  },
  {
    re: re(`振铃${SEC}后接起, 上限${SEC}`),
    en: (m) => `answered after ringing ${sec(m[1] as string)}, at most ${sec(m[2] as string)}`,
  },
  {
    re: re(`在对方说完前${SEC}开始说话`),
    en: (m) => `started speaking ${sec(m[1] as string)} before the other side finished`,
  },
  {
    re: re(`语速${N}字/分钟(?:, (上限|下限)${N})?`),
    en: (m) =>
      `speech rate ${m[1]} characters a minute${m[2] ? `, ${m[2] === '上限' ? 'at most' : 'at least'} ${m[3]}` : ''}`,
  },
  { re: re(`本句${N}字/分钟`), en: (m) => `this turn: ${m[1]} characters a minute` },
  {
    re: re(`(坐席|客户)先挂机\\(${CLOCK}\\)`),
    en: (m) => `${who(m[1] as string)} hung up first (${m[2]})`,
  },
  // compiled-scorecard.ts: direction, channel
  { re: re('方向为(.+)'), en: (m) => `direction: ${m[1]}` },
  { re: re('渠道为(.+)'), en: (m) => `channel: ${m[1]}` },
];

/**
 * Every literal of the engine's notes these templates account for, with each `${…}` written
 * `{}` (`note-text.test.ts` scans the engine's source for the literals holding Chinese and
 * fails on one not listed here: a note template added without its English).
 */
export const ENGINE_NOTE_SOURCES: readonly string[] = [
  // operators.ts
  '未说: {}',
  '出现{}次, 应至少{}次: {}',
  '未出现应有的表述',
  '即挂机',
  '客户说"{}"',
  '客户发言',
  '第{}句{}, 其后坐席未再发言{}',
  '未按标准回应',
  '坐席第{}句起',
  '坐席第{}句',
  '第{}句{}, {}{}',
  '客户话语显示"{}"',
  '客户话语显示"{}"({})',
  '客户话语未显示: {}',
  '"{}"出现',
  '{}发言',
  '客户',
  '坐席',
  '{}{}次, 应至少{}次',
  '{}{}次, 应至多{}次',
  '{}句中{}句使用({}), 上限{}%',
  '{}句中{}句使用({}), 应至少{}%',
  '复述客户原话',
  '工号由语音菜单播报',
  '本品牌开头语不报工号',
  '报的工号{}不是本通话坐席的工号{}',
  '未报工号',
  '未报工号(本通话坐席{})',
  '挂机原因: {}',
  '未记录',
  '已转接{}',
  '至{}',
  '转接失败{},仍由本坐席服务',
  '未转接',
  '坐席挂机',
  '客户挂机',
  '整句判定',
  '挂机方未记录',
  '最后一句为{}所说',
  // timing-operators.ts
  '{}秒',
  '{}起静默{}, 上限{}',
  '{}起仅停{}, 应稍停{}',
  '仅尝试{}次, 应{}次',
  '第{}句请客户等待',
  '第{}句后',
  '{}, 第{}句返回(按文本判断的等待)',
  '{}, {}-{}等待{}(按文本判断)',
  '第{}句请客户等待, {}-{}等待{}后挂机(按文本判断)',
  '{}-{}保持{}{}',
  '后挂机',
  '{}保持',
  '等待中挂机: {}',
  '挂机时客户未在等待',
  '{}, 超过上限{}',
  '{}前未征得同意',
  '{}, 坐席未返回',
  '{}后未按标准表述',
  '振铃{}后接起, 上限{}',
  '在对方说完前{}开始说话',
  '{}, 上限{}',
  '{}, 下限{}',
  '本句{}字/分钟',
  '语速{}字/分钟',
  '{}先挂机({})',
  // compiled-scorecard.ts
  '方向为{}',
  '渠道为{}',
];

/** A note the engine wrote, in English; undefined when it is no note of the engine's. */
export function noteInEnglish(note: string): string | undefined {
  for (const t of TEMPLATES) {
    const m = t.re.exec(note);
    if (!m) continue;
    const en = t.en(m);
    if (en !== undefined) return en;
  }
  return undefined;
}

/**
 * A finding's stored evidence in English: a whole-call note, or the turn's words followed by
 * the note in parentheses (`engine.ts` `finding`: the words stay as said, the note is
 * rendered). Anything else — the agent's words alone, a custom note — is given back as stored.
 */
export function evidenceInEnglish(evidence: string): string {
  // The words-and-note shape first: an agent's words may begin like a note (已转接至…, 挂机原因:
  // …), and taken whole they would be rewritten while the real note stayed Chinese.
  if (evidence.endsWith(')')) {
    // The words may hold " (" themselves: the note is the first suffix that is one.
    for (let i = evidence.indexOf(' ('); i >= 0; i = evidence.indexOf(' (', i + 1)) {
      const en = noteInEnglish(evidence.slice(i + 2, -1));
      if (en !== undefined) return `${evidence.slice(0, i)} (${en})`;
    }
  }
  return noteInEnglish(evidence) ?? evidence;
}
