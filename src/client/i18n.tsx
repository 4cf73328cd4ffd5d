/**
 * Language of the web client: Chinese by default, English on request; the choice is kept in
 * localStorage. Strings live in small typed dictionaries (`{ zh, en }` pairs): the shell's in
 * messages.ts, each page's beside the page.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';
export interface Msg {
  zh: string;
  en: string;
}

const STORAGE_KEY = 'fupin.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** The message in the current language; `{name}` placeholders are filled from `vars`. */
  t: (msg: Msg, vars?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

/** Fills `{name}` placeholders. */
export function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {}
  }, []);
  // The page's language (also on first load, from the stored choice): CSS uses it for English-only layout rules.
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const t = useCallback((msg: Msg, vars?: Record<string, string | number>) => format(msg[lang], vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

/** Joins list items: 「、」 in Chinese, ", " in English. */
export function joinList(items: readonly string[], lang: Lang): string {
  return items.join(lang === 'zh' ? '、' : ', ');
}

/** Declares a dictionary of messages (typed keys, both languages required). */
export function defineMessages<const T extends Record<string, Msg>>(m: T): T {
  return m;
}
