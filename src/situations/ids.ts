// The situations a caller's words show, as live assist and quality inspection both detect them.
// The ids are a public contract (the API, `huashu detect`, `huashu replay`, the scorecard's
// `situation` operator): add, never rename.

export const DETECTED_SITUATIONS = {
  thanks: { zh: '客户致谢', en: 'caller thanks the agent' },
  apology: { zh: '客户致歉', en: 'caller apologises' },
  complaint: { zh: '投诉/不满', en: 'complaint' },
  angry: { zh: '客户生气', en: 'angry caller' },
  abusive: { zh: '辱骂/人身攻击', en: 'abusive caller' },
  suggestion: { zh: '建议/批评', en: 'suggestion or criticism' },
  praise: { zh: '客户表扬', en: 'caller praises the service' },
  'cannot-hear': { zh: '听不清/没声音', en: 'caller cannot hear' },
  'wrong-number': { zh: '打错电话', en: 'wrong number' },
  'asks-agent-id': { zh: '询问工号/姓名', en: 'caller asks for the agent’s number or name' },
  'asks-for-person': { zh: '找某位同事', en: 'caller asks for a particular person' },
  'tech-question': { zh: '技术咨询', en: 'technical question' },
  'repair-request': { zh: '报修/预约上门', en: 'repair or visit request' },
  'product-fault': { zh: '产品故障', en: 'product fault' },
  'callback-request': { zh: '要求回电', en: 'caller asks to be called back' },
  'repeat-unresolved': { zh: '多次反映未解决', en: 'raised before and still unresolved' },
  'asks-supervisor': { zh: '要求找领导', en: 'caller asks for a supervisor' },
  'long-wait': { zh: '久等/难拨通', en: 'caller waited long or could not get through' },
  harassment: { zh: '骚扰', en: 'harassment' },
  goodbye: { zh: '客户道别', en: 'caller says goodbye' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type DetectedSituation = keyof typeof DETECTED_SITUATIONS;
export const DETECTED_SITUATION_IDS = Object.keys(DETECTED_SITUATIONS) as DetectedSituation[];
