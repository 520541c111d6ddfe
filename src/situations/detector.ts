// What a caller's turn shows (致谢, 投诉, 生气…): the one detector that live assist and quality
// inspection share, so a complaint is recognised the same way during and after the call.
import type { DetectedSituation } from './ids.ts';

/** What the detector may know besides the turn itself. */
export interface TurnContext {
  /** The agent's turn just before (what the caller answers), normalized or not. */
  previousAgentText?: string;
  /**
   * The turn's text as `normalizeText` (src/text) gives it, when the caller has it already
   * (quality inspection normalizes every turn to match phrases): the detector then does not
   * normalize it again. Must be the normalization of the very text passed to `detect`.
   */
  normalized?: string;
}

export interface SituationDetector {
  /** The situations one customer turn shows, in the order of DETECTED_SITUATION_IDS; [] for none. */
  detect(text: string, context?: TurnContext): DetectedSituation[];
  /**
   * A detector for these situations only, where a reader needs no others (quality inspection
   * reads those its scorecard names): `detect` then gives what this detector gives, without
   * the others. Optional: a detector without it is used whole.
   */
  focus?(ids: readonly DetectedSituation[]): SituationDetector;
}
