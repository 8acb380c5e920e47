import { useTranslation } from 'react-i18next';
import { CallStateBadge } from './CallStateBadge';
import { ShortcutKeys } from './ShortcutKeys';
import type { Shortcut } from './shortcuts';

const LEGEND = [
  ['answer', 'call.answer'],
  ['reject', 'call.reject'],
  ['hangup', 'call.hangup'],
  ['hold', 'call.hold'],
  ['mute', 'call.mute'],
  ['keypad', 'call.keypad'],
  ['transfer', 'call.transfer'],
  ['dial', 'shortcuts.dial'],
  ['talkTrack', 'shortcuts.talkTrack'],
] as const satisfies ReadonlyArray<readonly [Shortcut, string]>;

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
        {LEGEND.map(([shortcut, label]) => (
          <div key={shortcut}>
            <dt>
              <ShortcutKeys shortcut={shortcut} />
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
