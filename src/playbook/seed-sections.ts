// Every numbered situation of seeds 000, 002 and 004, with the brand playbook that must
// cover it. The coverage test walks this list, so a scenario cannot silently disappear.
// Section ids follow the documents' own numbering: "B.一.5" is part B, heading 一, item 5
// of seed 000; "二.(三)" is heading 二, item (三) of seed 002; seed 004 has no numbers, so
// "¶7" is its seventh paragraph (line).
import type { SeedId, Situation } from './vocabulary.ts';

export interface SeedSection {
  brand: string;
  seed: SeedId;
  section: string;
  situation: Situation;
  what: string;
}

const s = (
  brand: string,
  seed: SeedId,
  section: string,
  situation: Situation,
  what: string,
): SeedSection => ({
  brand,
  seed,
  section,
  situation,
  what,
});

export const SEED_SECTIONS: readonly SeedSection[] = [
  // 000 超越平台
  s('chaoyue', '000', 'A.一', 'call-answered', '3声内接起,招呼语'),
  s('chaoyue', '000', 'A.一', 'customer-silent-after-greeting', '客户不接话时再问'),
  s('chaoyue', '000', 'A.二', 'name-unknown', '确认用户称呼'),
  s('chaoyue', '000', 'A.三.1', 'problem-described', '倾听后总结确认'),
  s('chaoyue', '000', 'A.三.2', 'unclear-description', '描述不清时确认'),
  s('chaoyue', '000', 'A.三.3', 'repeat-unresolved', '当日再次来电'),
  s('chaoyue', '000', 'A.三.4', 'customer-talking', '用"是的,对"回应'),
  s('chaoyue', '000', 'A.四.1', 'solution-ready', '提供解决方案'),
  s('chaoyue', '000', 'A.四.2', 'guided-steps', '说明操作步骤'),
  s('chaoyue', '000', 'A.五.1', 'lookup-needed', '请您稍等,我帮您查询'),
  s('chaoyue', '000', 'A.五.1', 'hold-over-limit', '60秒内查不到,提出回拨'),
  s('chaoyue', '000', 'A.五.2', 'hold-returned', '一分钟内重新接通'),
  s('chaoyue', '000', 'A.五.3', 'hold-returned', '查询完毕致谢'),
  s('chaoyue', '000', 'A.六', 'problem-solved', '确认有无其他问题'),
  s('chaoyue', '000', 'B.一.1', 'noisy-line', '杂音听不清'),
  s('chaoyue', '000', 'B.一.2', 'misheard', '我方没听清'),
  s('chaoyue', '000', 'B.一.3', 'dialect', '方言'),
  s('chaoyue', '000', 'B.一.3', 'dialect-persists', '继续讲方言'),
  s('chaoyue', '000', 'B.一.4', 'unclear-description', '叙述不清或语句繁琐'),
  s('chaoyue', '000', 'B.一.5', 'silent-line', '无声电话确认3次'),
  s('chaoyue', '000', 'B.一.6', 'dropped-line', '中途断线'),
  s('chaoyue', '000', 'B.二.1', 'outbound-start', '外呼开始语'),
  s('chaoyue', '000', 'B.二.2', 'outbound-start', '外呼问候语,确认问题'),
  s('chaoyue', '000', 'B.二.3', 'call-ending', '外呼结束语'),
  s('chaoyue', '000', 'B.二.4', 'not-the-customer', '接听人非用户本人'),
  s('chaoyue', '000', 'B.四.1', 'transfer-needed', '转接'),
  s('chaoyue', '000', 'B.四.2', 'transfer-failed', '转接不成功'),
  s('chaoyue', '000', 'B.四.3', 'redial-refused', '用户不同意重新拨入'),
  s('chaoyue', '000', 'B.五', 'wrong-number', '打错电话'),
  s('chaoyue', '000', 'B.五', 'harassment', '骚扰电话,提交黑名单'),
  s('chaoyue', '000', 'B.六', 'wrong-info-given', '提供信息有误'),
  s('chaoyue', '000', 'B.六', 'suggestion', '建议或批评致谢'),
  s('chaoyue', '000', 'B.七.1', 'thanks', '用户致谢'),
  s('chaoyue', '000', 'B.七.2', 'apology', '用户致歉'),
  s('chaoyue', '000', 'B.七.3', 'customer-cooperates', '用户配合操作'),
  s('chaoyue', '000', 'B.七.4', 'angry', '用户生气,服务态度差'),
  s('chaoyue', '000', 'B.七.4', 'complaint-attitude', '服务态度投诉,记录联系方式'),
  s('chaoyue', '000', 'B.七.5', 'cannot-answer-now', '无法当场答复的投诉,2/24小时'),
  s('chaoyue', '000', 'B.七.6', 'abusive', '咒骂或侮辱'),
  s('chaoyue', '000', 'B.七.7', 'venting', '发泄怒气喋喋不休'),
  s('chaoyue', '000', 'B.八.(1)', 'suggestion', '建议'),
  s('chaoyue', '000', 'B.八.(2)', 'suggestion-rejected', '建议未被采纳'),

  // 002 中华保险 95585
  s('zhonghua', '002', '一.(一)', 'call-answered', '招呼语'),
  s('zhonghua', '002', '一.(二)', 'customer-greets', '客户先问好'),
  s('zhonghua', '002', '一.(三)', 'silent-line', '无声电话'),
  s('zhonghua', '002', '一.(四)', 'noisy-line', '杂音较大'),
  s('zhonghua', '002', '一.(五)', 'asks-for-person', '找正在上班的座席'),
  s('zhonghua', '002', '一.(六)', 'wrong-number', '打错电话'),
  s('zhonghua', '002', '一.(七)', 'long-wait', '热线难拨通'),
  s('zhonghua', '002', '二.(一)', 'lookup-needed', '征求同意后静音等待'),
  s('zhonghua', '002', '二.(一)', 'hold-returned', '让您久等了'),
  s('zhonghua', '002', '二.(二)', 'system-slow', '系统故障手工记录'),
  s('zhonghua', '002', '二.(三)', 'abusive', '破口大骂'),
  s('zhonghua', '002', '二.(四)', 'agent-slow-blamed', '责怪动作慢'),
  s('zhonghua', '002', '二.(五)', 'asks-agent-id', '询问座席姓名'),
  s('zhonghua', '002', '二.(六)', 'complaint-attitude', '投诉态度不好'),
  s('zhonghua', '002', '二.(七)', 'complaint-error', '投诉工作出差错'),
  s('zhonghua', '002', '二.(七)', 'complaint-rejected-apology', '客户仍不接受道歉'),
  s('zhonghua', '002', '二.(八)', 'cannot-answer-now', '无法当场答复'),
  s('zhonghua', '002', '二.(九)', 'apology-needed', '请求客户谅解'),
  s('zhonghua', '002', '三.(一)', 'thanks', '客户致谢'),
  s('zhonghua', '002', '三.(一)', 'praise', '客户进一步表扬'),
  s('zhonghua', '002', '三.(二)', 'suggestion', '客户提出建议'),
  s('zhonghua', '002', '三.(三)', 'explanation-given', '确认是否明了'),
  s('zhonghua', '002', '三.(四)', 'call-ending', '感谢来电,再见'),

  // 004 全家乐电器服务中心 (paragraphs)
  s('quanjiale', '004', '¶3', 'call-answered', '响铃三声内,招呼语'),
  s('quanjiale', '004', '¶5', 'noisy-line', '线路问题听不清'),
  s('quanjiale', '004', '¶6', 'second-call-ringing', '另一投诉电话响起'),
  s('quanjiale', '004', '¶7', 'angry', '用户气愤'),
  s('quanjiale', '004', '¶8', 'cannot-answer-now', '不能当时解答,记录后回电'),
  s('quanjiale', '004', '¶9', 'call-ending', '挂断前礼貌用语'),
  s('quanjiale', '004', '¶11', 'tech-question', '技术问题'),
  s('quanjiale', '004', '¶12', 'repair-request', '安装维修登记'),
  s('quanjiale', '004', '¶13', 'complaint', '对服务不满意'),
  s('quanjiale', '004', '¶14', 'complaint-product', '产品质量投诉'),
  s('quanjiale', '004', '¶15', 'abusive', '态度生硬,语言粗鲁'),
  s('quanjiale', '004', '¶16', 'praise', '表扬'),
  s('quanjiale', '004', '¶17', 'visit-time-query', '询问上门时间'),
  s('quanjiale', '004', '¶18', 'external-cause', '外部原因'),
  s('quanjiale', '004', '¶19', 'call-ending', '结束语'),
];

const numbered = (parent: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${parent}.${i + 1}`);
const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const items = (parent: string, n: number): string[] => CN.slice(0, n).map((c) => `${parent}.(${c})`);

/**
 * Every section a `sources` entry may name, per seed (their parents are valid too: `A.三` as
 * well as `A.三.1`). Numbered seeds follow their own numbering (seed 000 part B has no
 * heading 三); seed 003 has no numbers, so its sections are named by their headings; seed 004
 * by its nineteen paragraphs. A test checks the headings against the seed texts.
 */
export const SEED_SECTION_IDS: Readonly<Record<SeedId, readonly string[]>> = {
  '000': [
    'A.一',
    'A.二',
    ...numbered('A.三', 4),
    ...numbered('A.四', 2),
    ...numbered('A.五', 3),
    'A.六',
    ...numbered('B.一', 6),
    ...numbered('B.二', 4),
    ...numbered('B.四', 3),
    'B.五',
    'B.六',
    ...numbered('B.七', 7),
    'B.八.(1)',
    'B.八.(2)',
  ],
  '001': [...numbered('一.(一)', 7), ...numbered('一.(二)', 5), '二'],
  '002': [
    ...items('一', 7),
    ...items('二', 9),
    ...items('三', 4),
    ...items('服务态度', 5),
    ...numbered('服务态度.(三)', 5),
  ],
  '003': [
    '售后回访',
    '客服人员所具备的素质与技能',
    '客服人员语音训练',
    '选择积极的用词与方式',
    '善用我代替你',
    '维护企业形象',
    '电话礼仪',
    '接听电话的礼仪顺序',
    '拨打电话礼仪',
    '拨打电话的礼仪顺序',
    '电话沟通——接听电话的流程',
    '客服代表压力缓解方法与技巧',
  ],
  '004': Array.from({ length: 19 }, (_, i) => `¶${i + 1}`),
};

const VALID_SECTIONS: ReadonlyMap<SeedId, ReadonlySet<string>> = new Map(
  (Object.entries(SEED_SECTION_IDS) as [SeedId, readonly string[]][]).map(([seed, ids]) => {
    const all = new Set<string>();
    for (const id of ids) {
      // A parent of a numbered section is a section too; named headings (seed 003) have none.
      const parts = seed === '003' ? [id] : id.split('.');
      for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('.'));
    }
    return [seed, all];
  }),
);

/** Whether a seed has a section with this id. */
export function isSeedSection(seed: SeedId, section: string): boolean {
  return VALID_SECTIONS.get(seed)?.has(section) ?? false;
}
