// The rules the forbidden-language classifier reads (language-classifier.ts), by the short names of
// the language development set: here alone so that the scorecard's schema names them without
// loading the model.
export const CLASSIFIED_RULES = ['vague', 'excuse', 'blame', 'lecture'] as const;
export type ClassifiedRule = (typeof CLASSIFIED_RULES)[number];
