// A scorecard rule's title as a supervisor reads it. The API gives the title of the scorecard in
// force, in Chinese (a published scorecard may word it its own way): shown in the Chinese UI. The
// English UI shows the rule's English title (the console's dictionary, as the calls screen does)
// when it has one, else the API's — the dashboards and calibration showed Chinese titles there.
import { useCallback } from 'react';
import { useI18n } from '../i18n/i18n';

export function useRuleTitle(): (rule: string, title?: string | null) => string {
  const { lang, tx } = useI18n();
  return useCallback(
    (rule: string, title?: string | null) => {
      const dictionary = tx('console.rule', rule);
      if (lang === 'en' && dictionary !== rule) return dictionary;
      return title ?? dictionary;
    },
    [lang, tx],
  );
}
