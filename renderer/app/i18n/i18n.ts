// One i18next instance per app (tests get their own). Keys are typed from en.ts, so a typo
// in t('…') is a compile error.
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../../preload/contract';
import { en, type Messages } from './en';
import { ja } from './ja';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    resources: { ja: { translation: ja }, en: { translation: en } },
    // React escapes; escaping here too would show &amp; etc.
    interpolation: { escapeValue: false },
    initAsync: false,
    showSupportNotice: false,
  });
  return instance;
}
