// Scorecard versions the tests publish: the shipped file with one rule changed so that a
// version's effect shows on an ordinary call.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ORIGINAL = readFileSync(resolve(import.meta.dirname, '../../scorecards/default.yaml'), 'utf8');
/** The title version 2 gives the 喂 rule (shown wherever the rule is named). */
export const V2_NO_WEI_TITLE = '开头不说“您好”(第 2 版)';
/** Version 2: the 喂 rule (opening.no-wei) now refuses 您好, which an ordinary greeting says. */
export const V2 = ORIGINAL.replace(/^version: 1$/m, 'version: 2')
  .replace('regex: { none: "^喂+"', 'regex: { none: "您好"')
  .replace('title: 不以"喂"开头', `title: ${V2_NO_WEI_TITLE}`);
/** Version 3: the same rules as 2. */
export const V3 = V2.replace(/^version: 2$/m, 'version: 3');

/** An ordinary answered call's words (ms since the ring), the greeting with 您好. */
export const TURNS = [
  { speaker: 'agent', text: '您好，中华保险1024号为您服务，请问有什么可以帮您？', start: 5500, end: 8500 },
  { speaker: 'customer', text: '你好，我想查一下车险保单的续保日期。', start: 9000, end: 13000 },
  { speaker: 'agent', text: '好的，您的保单下个月十五号到期，到时会短信提醒您。', start: 13500, end: 18500 },
  { speaker: 'customer', text: '好的，谢谢。', start: 19000, end: 20000 },
  { speaker: 'agent', text: '请问您还有其他问题需要咨询吗？', start: 20500, end: 23000 },
  { speaker: 'customer', text: '没有了。', start: 23500, end: 24000 },
  { speaker: 'agent', text: '感谢您的来电，再见！', start: 24500, end: 26500 },
] as const;
// The shipped rule's form changed once already: say so rather than test an unchanged version.
if (!V2.includes('regex: { none: "您好"') || !V2.includes(V2_NO_WEI_TITLE))
  throw new Error('V2: the 喂 rule of scorecards/default.yaml changed form');
