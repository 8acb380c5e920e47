import { useTranslation } from 'react-i18next';
import { CallStateBadge } from './CallStateBadge';
import { ShortcutKeys } from './ShortcutKeys';

/** No call: say so calmly and remind the agent of the keys. */
export function IdleCard() {
  const { t } = useTranslation();
  return (
    <section className="card idle" aria-labelledby="idle-title">
      <header className="card-head">
        <h2 id="idle-title" className="card-title">
          {t('call.current')}
        </h2>
        <CallStateBadge state="idle" />
      </header>
      <p className="idle-title">{t('call.idleTitle')}</p>
      <p className="muted">{t('call.idleHint')}</p>
      <dl className="legend" aria-label={t('shortcuts.title')}>
        <div>
          <dt>
            <ShortcutKeys shortcut="answer" />
          </dt>
          <dd>{t('call.answer')}</dd>
        </div>
        <div>
          <dt>
            <ShortcutKeys shortcut="reject" />
          </dt>
          <dd>{t('call.reject')}</dd>
        </div>
        <div>
          <dt>
            <ShortcutKeys shortcut="hangup" />
          </dt>
          <dd>{t('call.hangup')}</dd>
        </div>
      </dl>
    </section>
  );
}
