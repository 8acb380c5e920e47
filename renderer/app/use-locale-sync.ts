import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent } from './agent-context';

/** The store's locale drives i18next and <html lang> (fonts, screen readers, line breaking). */
export function useLocaleSync() {
  const locale = useAgent((s) => s.locale);
  const { i18n } = useTranslation();
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
  }, [i18n, locale]);
}
