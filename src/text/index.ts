// The Chinese text engine: normalization with offsets back to the original, and phrase matching.
export type { Match, PhraseEntry, PhraseMatcherOptions, TurnMatch } from './match.ts';
export { PhraseMatcher } from './match.ts';
export type { Normalized } from './normalize.ts';
export { normalize, normalizeText } from './normalize.ts';
export { searchKey } from './search-key.ts';
