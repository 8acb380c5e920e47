import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../preload/contract';
import { useAgent } from './agent-context';
import { formatAgo, formatDuration, formatStamp } from './format';
import { KIND_ICON } from './interaction-kind';
import { useNow } from './use-now';

/** The pop's "what happened last time": the few most recent contacts, newest first. */
export function LastContacts({ entries, max = 3 }: { entries: TimelineEntry[]; max?: number }) {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const now = useNow(60_000);
  const shown = [...entries].sort((a, b) => b.startedAt - a.startedAt).slice(0, max);
  return (
    <div className="last-contacts">
      <h3 className="subhead">{t('call.lastContacts')}</h3>
      {shown.length === 0 ? (
        <p className="muted">{t('call.noContacts')}</p>
      ) : (
        <ul data-testid="last-contacts">
          {shown.map((e) => (
            <li
              key={e.id}
              data-testid="last-contact"
              data-kind={e.kind}
              data-outcome={e.outcome ?? 'pending'}
            >
              <time
                dateTime={new Date(e.startedAt).toISOString()}
                title={formatStamp(e.startedAt, locale, now)}
              >
                {formatAgo(e.startedAt, locale, now)}
              </time>
              {e.kind === 'call' ? (
                <>
                  <span className="lc-dir">{t(`direction.${e.direction}`)}</span>
                  <span className="outcome" data-outcome={e.outcome ?? 'pending'}>
                    {t(`outcome.${e.outcome ?? 'pending'}`)}
                  </span>
                  {e.durationSec !== null && e.durationSec > 0 && (
                    <span className="lc-dur">{formatDuration(e.durationSec, locale)}</span>
                  )}
                </>
              ) : (
                <>
                  <span className="lc-dir" data-kind={e.kind}>
                    <span className="tl-icon" aria-hidden="true">
                      {KIND_ICON[e.kind]}
                    </span>
                    {t(`kind.${e.kind}`)}
                  </span>
                  <span className="lc-summary" title={e.summary ?? undefined}>
                    {e.summary ?? ''}
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
