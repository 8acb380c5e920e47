import { useTranslation } from 'react-i18next';
import type { Locale } from '../../preload/contract';
import { useActions, useAgent } from './agent-context';

const LOCALES: readonly Locale[] = ['ja', 'en'];

/** ja / en as two toggle buttons; the choice is saved by main (setLocale). */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const actions = useActions();
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          data-testid={`lang-${l}`}
          onClick={() => void actions.setLocale(l)}
        >
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}
