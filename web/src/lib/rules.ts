// A scorecard rule's title as a supervisor reads it. The API gives the title of the scorecard in
// force, in Chinese (a published scorecard may word it its own way): shown in the Chinese UI. The
// English UI shows the rule's English title (the console's dictionary, as the calls screen does)
// when it has one, else the API's — the dashboards and calibration showed Chinese titles there.
// A screen whose API gives only the rule's id (the calls) takes the title from the scorecard in
// force: a custom rule has no dictionary entry and showed its bare id.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ok } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** The rule titles' query: publishing a scorecard invalidates it (its titles are in force now). */
export const RULE_TITLES_QUERY = ['rule-titles'] as const;

export function useRuleTitle(): (rule: string, title?: string | null) => string {
  const { lang, tx } = useI18n();
  const titles = useQuery({
    queryKey: RULE_TITLES_QUERY,
    queryFn: () => ok(api.GET('/api/scorecards/rule-titles')),
    staleTime: 5 * 60_000,
  }).data?.titles;
  return useCallback(
    (rule: string, title?: string | null) => {
      const dictionary = tx('console.rule', rule);
      if (dictionary !== rule && (lang === 'en' || !title)) return dictionary;
      return title ?? titles?.[rule] ?? dictionary;
    },
    [lang, tx, titles],
  );
}
