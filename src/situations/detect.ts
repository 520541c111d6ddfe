// PLACEHOLDER until the trained detector lands: a few literal words per situation, so that
// the engine, the CLI and quality inspection can be built against the real interface.
import { normalizeText } from '../text/normalize.ts';
import type { SituationDetector } from './detector.ts';
import { DETECTED_SITUATION_IDS, type DetectedSituation } from './ids.ts';

const WORDS: Partial<Record<DetectedSituation, string[]>> = {
  thanks: ['谢谢', '感谢', '多谢'],
  apology: ['对不起', '不好意思', '抱歉'],
  complaint: ['投诉', '举报', '抗议', '太差'],
  angry: ['气死', '生气', '什么态度', '太过分'],
  abusive: ['混蛋', '傻逼'],
  'cannot-hear': ['听不到', '听不清', '没声音'],
  'wrong-number': ['打错'],
  'asks-supervisor': ['领导', '经理'],
  'long-wait': ['等了半天', '打不进', '久等'],
  goodbye: ['再见', '拜拜'],
};

export function createSituationDetector(): SituationDetector {
  return {
    detect(text) {
      const t = normalizeText(text);
      return DETECTED_SITUATION_IDS.filter((id) => WORDS[id]?.some((w) => t.includes(w)));
    },
  };
}
