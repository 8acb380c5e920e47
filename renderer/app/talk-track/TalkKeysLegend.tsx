// The panel's keys, folded away under the answers (the buttons show theirs too).
import { useTranslation } from 'react-i18next';
import { TALK_KEYS } from './talk-keys';

export function TalkKeysLegend() {
  const { t } = useTranslation();
  return (
    <details className="talk-keys" data-testid="talk-keys">
      <summary>{t('talkTrack.keys.title')}</summary>
      <dl className="legend">
        {TALK_KEYS.map(([caps, label]) => (
          <div key={label}>
            <dt>
              <span className="keys">
                {caps.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </span>
            </dt>
            <dd>{t(label)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
