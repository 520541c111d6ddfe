// The UI's language: Chinese by default, English switchable, the choice kept in localStorage.
// t(key, {name}) looks a key up in the language's dictionary; antd's own texts and the API's
// error messages (Accept-Language) follow the same choice.
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setApiLanguage } from '../api/client';
import { THEME as COLOURS } from '../theme';
import { en } from './en';
import type { Language } from './language';
import { type MessageKey, zh } from './zh';

export type { Language };
export const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'huashu.language';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Language, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = DICTIONARIES[lang][key];
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m)) : text;
}

interface I18n {
  lang: Language;
  t: Translate;
  /** The label of an API value (`tx('ticket.status', 'new')`), or the value itself when the dictionary has none. */
  tx(prefix: string, value: string): string;
  setLang(lang: Language): void;
}

const Context = createContext<I18n | null>(null);

function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

function apply(lang: Language) {
  setApiLanguage(lang);
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export function I18nProvider({ children, nonce }: { children: ReactNode; nonce: string | undefined }) {
  const [lang, setLangState] = useState<Language>(() => {
    const l = initialLanguage();
    apply(l);
    return l;
  });
  const setLang = useCallback((l: Language) => {
    apply(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // private mode: the choice lasts for this page only
    }
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      tx: (prefix, value) => (DICTIONARIES[lang] as Record<string, string>)[`${prefix}.${value}`] ?? value,
    }),
    [lang, setLang],
  );
  return (
    <Context.Provider value={value}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} csp={nonce ? { nonce } : {}} theme={THEME}>
        {children}
      </ConfigProvider>
    </Context.Provider>
  );
}

/**
 * antd's zero-runtime mode: its components' styles come from antd/dist/antd.css (imported by
 * main.tsx, one cached file) instead of being computed and injected as <style> elements at
 * each first render, which was most of the console's first render. The colours of theme.ts
 * (WCAG AA contrast) are applied over it.
 */
const THEME = { ...COLOURS, zeroRuntime: true } as const;

export function useI18n(): I18n {
  const ctx = useContext(Context);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
