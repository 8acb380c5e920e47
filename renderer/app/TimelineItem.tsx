import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../preload/contract';
import { useAgent } from './agent-context';
import { formatDuration, formatStamp } from './format';
import { QualityMeter } from './QualityMeter';

export function TimelineItem({ entry, now }: { entry: TimelineEntry; now: number }) {
  const { t } = useTranslation();
  const locale = useAgent((s) => s.locale);
  const outcome = entry.outcome ?? 'pending';
  return (
    <li
      className="tl-item"
      data-testid="timeline-item"
      data-entry-id={entry.id}
      data-direction={entry.direction}
      data-outcome={outcome}
    >
      <span className="tl-dir" data-direction={entry.direction}>
        <span className="tl-arrow" aria-hidden="true">
          {entry.direction === 'inbound' ? '↙' : '↗'}
        </span>
        {t(`direction.${entry.direction}`)}
      </span>
      <time className="tl-when" dateTime={new Date(entry.startedAt).toISOString()}>
        {formatStamp(entry.startedAt, locale, now)}
      </time>
      <span className="outcome" data-outcome={outcome}>
        {t(`outcome.${outcome}`)}
      </span>
      <span className="tl-dur">
        {entry.durationSec !== null && entry.durationSec > 0
          ? formatDuration(entry.durationSec, locale)
          : ''}
      </span>
      <span className="tl-quality">
        <QualityMeter quality={entry.quality} testId="timeline-quality" />
      </span>
    </li>
  );
}
