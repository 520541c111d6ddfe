// The engine's evidence notes and the notifications' texts as the UI's language reads them. Both
// are stored in Chinese (what the CLI prints and the services send); the English UI renders them
// through the server's own renderers of their templates (src/qa/note-text.ts,
// src/tickets/notification-text.ts: pure modules, shared with the server's tests), and shows a
// text they do not know (a custom scorecard's note, an inspector's words) as stored.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { evidenceInEnglish } from '../../../src/qa/note-text.ts';
import { notificationInEnglish } from '../../../src/tickets/notification-text.ts';
import { api, ok } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { RULE_TITLES_QUERY } from './rules';

/** A finding's evidence (the agent's words, the engine's note) in the UI's language. */
export function useEvidenceText(): (evidence: string) => string {
  const { lang } = useI18n();
  return useCallback((evidence: string) => (lang === 'en' ? evidenceInEnglish(evidence) : evidence), [lang]);
}

/**
 * A notification's text in the UI's language. A review's names a rule by the scorecard's Chinese
 * title: the English UI names it by the rule's English title (the console's dictionary) when the
 * title is one of the scorecard in force.
 */
export function useNotificationText(): (message: string) => string {
  const { lang, tx } = useI18n();
  const titles = useQuery({
    queryKey: RULE_TITLES_QUERY,
    queryFn: () => ok(api.GET('/api/scorecards/rule-titles')),
    staleTime: 5 * 60_000,
    enabled: lang === 'en',
  }).data?.titles;
  return useCallback(
    (message: string) => {
      if (lang !== 'en') return message;
      const ruleTitle = (zh: string) => {
        const id = Object.entries(titles ?? {}).find(([, title]) => title === zh)?.[0];
        const en = id === undefined ? undefined : tx('console.rule', id);
        return en === id ? undefined : en;
      };
      return notificationInEnglish(message, { ruleTitle }) ?? message;
    },
    [lang, tx, titles],
  );
}
