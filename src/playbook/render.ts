// Fills a script line's `{variables}`. Brand variables come from the playbook, call
// variables from the caller; a variable without a value stays visible as 〔label〕 so an
// agent never reads out a sentence with a silent hole in it.
import { createRequire } from 'node:module';
import type { Playbook } from './load.ts';
import { VARIABLE_ALIASES, VARIABLES, type VariableName } from './vocabulary.ts';

export type Variables = Partial<Record<VariableName, string>>;

export interface Segment {
  text: string;
  /** Set when the segment came from a variable. */
  variable?: VariableName;
  /** True when the variable had no value and `text` is its placeholder. */
  missing?: boolean;
}

export interface RenderedText {
  text: string;
  segments: Segment[];
  missing: VariableName[];
}

const DAY_NAMES = {
  mon: '周一',
  tue: '周二',
  wed: '周三',
  thu: '周四',
  fri: '周五',
  sat: '周六',
  sun: '周日',
} as const;

export function formatWorkingHours(hours: Playbook['settings']['workingHours']): string {
  const days = hours.days;
  const order = Object.keys(DAY_NAMES);
  const sorted = [...new Set(days)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  let dayText: string;
  if (sorted.length === 7) dayText = '每天';
  else {
    const first = order.indexOf(sorted[0] ?? 'mon');
    const contiguous = sorted.every((d, i) => order.indexOf(d) === first + i);
    dayText =
      contiguous && sorted.length > 2
        ? `${DAY_NAMES[sorted[0] as keyof typeof DAY_NAMES]}至${DAY_NAMES[sorted[sorted.length - 1] as keyof typeof DAY_NAMES]}`
        : sorted.map((d) => DAY_NAMES[d]).join('、');
  }
  return `${dayText}${hours.open}-${hours.close}`;
}

/** The variables a playbook fills by itself. */
export function brandVariables(pb: Playbook): Variables {
  const vars: Variables = {
    company: pb.brand.name,
    hours: formatWorkingHours(pb.settings.workingHours),
    replyDeadline: `${pb.settings.complaintReplyHours.urgent}小时/${pb.settings.complaintReplyHours.standard}小时`,
  };
  if (pb.brand.hotline) vars.hotline = pb.brand.hotline;
  return vars;
}

export class UnknownVariableError extends Error {
  constructor(readonly variable: string) {
    super(`unknown variable '${variable}'; expected one of: ${Object.keys(VARIABLES).join(', ')}`);
  }
}

/** Resolves a user-given variable name (glossary name or accepted alias). */
export function variableName(name: string): VariableName {
  const resolved = VARIABLE_ALIASES[name] ?? name;
  if (!Object.hasOwn(VARIABLES, resolved)) throw new UnknownVariableError(name);
  return resolved as VariableName;
}

export function placeholder(name: VariableName): string {
  return `〔${VARIABLES[name].zh}〕`;
}

let traditionalConverter: ((s: string) => string) | undefined;

/** Converts rendered Simplified text to Traditional (Taiwan standard forms). */
export function traditional(text: string): string {
  // opencc-js's Simplified→Traditional dictionaries (megabytes) load on first use only: most
  // commands never show a playbook in Traditional script.
  const convert =
    traditionalConverter ??
    (
      createRequire(import.meta.url)('opencc-js/cn2t') as {
        Converter(o: { from: string; to: string }): (s: string) => string;
      }
    ).Converter({ from: 'cn', to: 'tw' });
  traditionalConverter = convert;
  let out = convert(text);
  for (const [wrong, right] of TRADITIONAL_OVERRIDES) out = out.replace(wrong, right);
  return out;
}

/**
 * Corrections applied after opencc. Its phrase table reads 别着/别气/别嘴 as 彆 (awkward, as in
 * 彆扭), but in a script line 别 is "don't" (别着急, 别气坏了): 別. Only 彆扭 and its kin keep 彆.
 */
const TRADITIONAL_OVERRIDES: readonly (readonly [RegExp, string])[] = [[/(?<![拗皺])彆(?![扭拗彆])/gu, '別']];

/** The variables that name the caller, after which a {title} is not prefixed again. */
const NAMES: ReadonlySet<VariableName> = new Set(['surname', 'customerName']);

/** How a lone {title} addresses the caller: 王先生 with the surname known, else the title. */
function addressOf(vars: Variables): string | undefined {
  const { surname, title } = vars;
  return title && surname ? `${surname}${title}` : title;
}

export function renderText(
  text: string,
  vars: Variables,
  script: 'simplified' | 'traditional' = 'simplified',
): RenderedText {
  const segments: Segment[] = [];
  const missing: VariableName[] = [];
  let last = 0;
  let previous: VariableName | null = null;
  for (const m of text.matchAll(/\{([A-Za-z]+)\}/g)) {
    const index = m.index ?? 0;
    if (index > last) segments.push({ text: text.slice(last, index) });
    const name = variableName(m[1] ?? '');
    const named = previous !== null && index === last && NAMES.has(previous);
    previous = name;
    // A title alone (对不起,{title},…) addresses the caller by surname once both are known:
    // 对不起,王先生 (seed chaoyue: "X先生/女士"), not 先生; {surname}{title} already does.
    const value = name === 'title' && !named ? addressOf(vars) : vars[name];
    if (value === undefined || value === '') {
      missing.push(name);
      segments.push({ text: placeholder(name), variable: name, missing: true });
    } else segments.push({ text: value, variable: name });
    last = index + m[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  if (script === 'traditional') for (const seg of segments) seg.text = traditional(seg.text);
  return { text: segments.map((s) => s.text).join(''), segments, missing };
}
