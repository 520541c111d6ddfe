// The closed vocabularies a playbook draws on: stages, situations, variables and
// forbidden-phrase groups. They are closed so that a typo in a playbook file is an error at
// load time instead of a scenario the live console can never select.
import { DETECTED_SITUATIONS } from '../situations/ids.ts';

/** Call stages, in the order a call usually goes through them. */
export const STAGES = {
  opening: { zh: '开头语', en: 'Opening' },
  identify: { zh: '确认称呼', en: 'Identify the caller' },
  confirm: { zh: '倾听/确认问题', en: 'Listen and confirm' },
  verify: { zh: '身份核实', en: 'Verify identity' },
  solve: { zh: '提供解决方案', en: 'Solve' },
  hold: { zh: '在线等待', en: 'Hold' },
  transfer: { zh: '转接', en: 'Transfer' },
  exception: { zh: '异常情况', en: 'Exception' },
  emotion: { zh: '客户情绪', en: 'Caller emotion' },
  complaint: { zh: '投诉', en: 'Complaint' },
  feedback: { zh: '建议/表扬/致歉', en: 'Feedback' },
  ticket: { zh: '登记/工单', en: 'Booking and tickets' },
  outbound: { zh: '外呼', en: 'Outbound call' },
  closing: { zh: '结束语', en: 'Closing' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type Stage = keyof typeof STAGES;
export const STAGE_IDS = Object.keys(STAGES) as Stage[];

/**
 * Situations only the call or the agent shows (the line, the stage, a button, a lookup): no
 * caller's words select them, so the detector has no id for them.
 */
const CALL_SITUATIONS = {
  'call-answered': { zh: '来电接起', en: 'call answered' },
  'customer-silent-after-greeting': { zh: '客户不接话', en: 'caller does not speak after the greeting' },
  'customer-greets': { zh: '客户先问好', en: 'caller greets the agent' },
  'callback-call': { zh: '回电给客户', en: 'calling a customer back' },
  'name-unknown': { zh: '未知客户称呼', en: 'caller not yet addressed by name' },
  'problem-described': { zh: '客户描述完问题', en: 'caller finished describing the problem' },
  'unclear-description': { zh: '描述不清', en: 'caller describes the problem unclearly' },
  'customer-talking': { zh: '客户正在叙述', en: 'caller is talking' },
  'identity-check-needed': { zh: '需要核实身份', en: 'identity must be verified' },
  'solution-ready': { zh: '已有解决方案', en: 'a solution is ready' },
  'guided-steps': { zh: '需要客户操作', en: 'caller must follow steps' },
  'explanation-given': { zh: '解释完毕', en: 'explanation given' },
  'lookup-needed': { zh: '需要查询/等待', en: 'agent must look something up' },
  'hold-over-limit': { zh: '等待超时', en: 'hold past the limit' },
  'hold-returned': { zh: '等待后返回', en: 'back from hold' },
  'system-slow': { zh: '系统缓慢/故障', en: 'system slow or down' },
  'agent-slow-blamed': { zh: '客户责怪动作慢', en: 'caller blames the agent for being slow' },
  'transfer-needed': { zh: '需要转接', en: 'call must be transferred' },
  'transfer-failed': { zh: '转接失败', en: 'transfer failed' },
  'redial-refused': { zh: '客户不愿重拨', en: 'caller will not dial again' },
  'noisy-line': { zh: '杂音/听不清', en: 'noisy line' },
  misheard: { zh: '没听清', en: 'agent did not catch what was said' },
  dialect: { zh: '方言', en: 'caller speaks a dialect' },
  'dialect-persists': { zh: '坚持方言', en: 'caller keeps to the dialect' },
  'silent-line': { zh: '无声电话', en: 'silent line' },
  'dropped-line': { zh: '断线', en: 'dropped line' },
  'second-call-ringing': { zh: '另一来电响起', en: 'another call rings while busy' },
  'wrong-info-given': { zh: '提供信息有误', en: 'agent gave wrong information' },
  'suggestion-rejected': { zh: '建议未被采纳', en: 'suggestion not adopted' },
  'customer-cooperates': { zh: '客户配合操作', en: 'caller cooperates' },
  'apology-needed': { zh: '需请求谅解', en: 'agent must ask for understanding' },
  venting: { zh: '发泄/喋喋不休', en: 'venting caller' },
  'complaint-attitude': { zh: '投诉服务态度', en: 'complaint about service attitude' },
  'complaint-error': { zh: '投诉工作差错', en: 'complaint about an agent’s error' },
  'complaint-product': { zh: '产品质量投诉', en: 'complaint about product quality' },
  'complaint-rejected-apology': { zh: '客户不接受道歉', en: 'caller does not accept the apology' },
  'cannot-answer-now': { zh: '无法当场答复', en: 'cannot be answered now' },
  'visit-time-query': { zh: '询问上门时间', en: 'caller asks when the technician comes' },
  'external-cause': { zh: '外部原因', en: 'fault from an external cause' },
  'outbound-start': { zh: '外呼开始', en: 'outbound call starts' },
  'not-the-customer': { zh: '接听人非客户本人', en: 'someone else answers an outbound call' },
  'problem-solved': { zh: '问题已解答', en: 'problem answered' },
  'call-ending': { zh: '通话结束', en: 'call ending' },
} as const satisfies Record<string, { zh: string; en: string }>;

/**
 * Situations: what is happening on the call. A scenario lists the situations that select it.
 * Every id the detector gives (DETECTED_SITUATIONS: what a caller's words show, shared with
 * quality inspection) is one of them under the same name, so a detected situation always
 * names scenarios; the rest are what the call or the agent shows.
 */
export const SITUATIONS = { ...DETECTED_SITUATIONS, ...CALL_SITUATIONS } as const;

export type Situation = keyof typeof SITUATIONS;
export const SITUATION_IDS = Object.keys(SITUATIONS) as Situation[];

/**
 * Former situation names, read as their new name when a playbook is loaded: versions stored
 * before the vocabulary took the detector's ids still load (and say the same thing).
 */
export const SITUATION_ALIASES: Readonly<Record<string, Situation>> = {
  'customer-apologises': 'apology',
  'asks-agent-name': 'asks-agent-id',
  'asks-for-colleague': 'asks-for-person',
  'technical-question': 'tech-question',
  'repair-booking': 'repair-request',
  'repeat-caller': 'repeat-unresolved',
  dissatisfied: 'complaint',
};

/**
 * Variables a script line may use as `{name}`. Brand-level ones are filled from the
 * playbook; call-level ones come from the call (or `--var` on the command line).
 */
export const VARIABLES = {
  company: { zh: '公司名称', en: 'company', from: 'brand' },
  hotline: { zh: '服务热线', en: 'hotline', from: 'brand' },
  hours: { zh: '服务时间', en: 'hours', from: 'brand' },
  agentNumber: { zh: '工号', en: 'agent number', from: 'call' },
  agentName: { zh: '坐席姓名', en: 'agent name', from: 'call' },
  department: { zh: '部门', en: 'department', from: 'call' },
  title: { zh: '先生/女士', en: 'title', from: 'call' },
  surname: { zh: '姓氏', en: 'surname', from: 'call' },
  customerName: { zh: '客户姓名', en: 'customer name', from: 'call' },
  problem: { zh: '问题', en: 'problem', from: 'call' },
  diagnosis: { zh: '初步判断', en: 'diagnosis', from: 'call' },
  solution: { zh: '解决方案', en: 'solution', from: 'call' },
  transferTarget: { zh: '转接对象', en: 'transfer target', from: 'call' },
  menuPath: { zh: '按键路径', en: 'menu path', from: 'call' },
  replyDeadline: { zh: '答复时限', en: 'reply deadline', from: 'brand' },
  visitTime: { zh: '上门时间', en: 'visit time', from: 'call' },
  verifyItem: { zh: '核实信息', en: 'verification item', from: 'call' },
  correctInfo: { zh: '正确信息', en: 'correct information', from: 'call' },
  colleague: { zh: '同事', en: 'colleague', from: 'call' },
} as const satisfies Record<string, { zh: string; en: string; from: 'brand' | 'call' }>;

export type VariableName = keyof typeof VARIABLES;
export const VARIABLE_NAMES = Object.keys(VARIABLES) as VariableName[];

/** Aliases accepted on input (`--var agentId=1024`); stored content uses the glossary name. */
export const VARIABLE_ALIASES: Readonly<Record<string, VariableName>> = {
  agentId: 'agentNumber',
};

/** The five groups of forbidden phrases (服务忌语) of seed 002. */
export const FORBIDDEN_GROUPS = {
  vague: { zh: '模糊性语言', en: 'vague' },
  provoking: { zh: '容易激怒客户的语言', en: 'provoking' },
  rhetorical: { zh: '反诘性语言', en: 'rhetorical' },
  jargon: { zh: '行话俚语', en: 'jargon' },
  excuse: { zh: '找原因开脱', en: 'excuse' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type ForbiddenGroup = keyof typeof FORBIDDEN_GROUPS;
export const FORBIDDEN_GROUP_IDS = Object.keys(FORBIDDEN_GROUPS) as ForbiddenGroup[];

/** The seed documents of ../shared/seeds, by their number. */
export const SEEDS = {
  '000': '000_faf84ddc9f3246c0.txt',
  '001': '001_ff84917205a51dfe.txt',
  '002': '002_2b4dea8d5e5b891b.txt',
  '003': '003_e64f72eca5535679.txt',
  '004': '004_b54632b6f1877448.txt',
} as const;
export type SeedId = keyof typeof SEEDS;

/** Ticket types a follow-up step can open in one click (the ticket workflow owns the rest). */
export const TICKET_TYPES = {
  complaint: { zh: '投诉', en: 'complaint' },
  repair: { zh: '报修/预约上门', en: 'repair booking' },
  technical: { zh: '技术咨询', en: 'technical question' },
  callback: { zh: '回拨', en: 'callback' },
  suggestion: { zh: '建议/批评', en: 'suggestion' },
  message: { zh: '留言', en: 'message' },
  'wrong-number': { zh: '打错电话记录', en: 'wrong-number record' },
  harassment: { zh: '骚扰电话记录', en: 'harassment record' },
} as const satisfies Record<string, { zh: string; en: string }>;
export type TicketType = keyof typeof TICKET_TYPES;
export const TICKET_TYPE_IDS = Object.keys(TICKET_TYPES) as TicketType[];

/** The escalation chain of the seeds: agent → team lead/coordinator → room director → complaint desk. */
export const ROLES = {
  agent: { zh: '坐席', en: 'agent' },
  'team-lead': { zh: '组长/协调员', en: 'team lead / coordinator' },
  'room-director': { zh: '室主任', en: 'room director' },
  'complaint-desk': { zh: '投诉处理岗', en: 'complaint desk' },
  technician: { zh: '技术人员', en: 'technician' },
} as const satisfies Record<string, { zh: string; en: string }>;
export type Role = keyof typeof ROLES;
export const ROLE_IDS = Object.keys(ROLES) as Role[];
