import { useTranslation } from 'react-i18next';
import type { CallQuality } from '../../preload/contract';
import { mosBand } from '../media/quality';

/**
 * Call quality: a five-step bar and the MOS, coloured by band; details on hover. Live on the
 * current call, and as recorded on past calls in the timeline.
 */
export function QualityMeter({
  quality,
  testId = 'quality',
}: {
  quality: CallQuality | null | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (!quality) return null;
  const band = mosBand(quality.mos);
  const steps = Math.max(1, Math.min(5, Math.round(((quality.mos - 1) / 3.5) * 5)));
  const detail = t('quality.detail', {
    mos: quality.mos.toFixed(1),
    loss: quality.lossPct.toFixed(1),
    jitter: Math.round(quality.jitterMs),
    rtt: quality.rttMs === null ? '–' : `${Math.round(quality.rttMs)} ms`,
  });
  return (
    <span
      className="quality"
      data-testid={testId}
      data-band={band}
      data-mos={quality.mos}
      title={detail}
      role="img"
      aria-label={`${t('quality.label')}: ${t(`quality.band.${band}`)} (${detail})`}
    >
      <span className="quality-bars" aria-hidden="true">
        {[1, 2, 3, 4, 5].map((i) => (
          <span key={i} className="quality-bar" data-on={i <= steps} />
        ))}
      </span>
      <span className="quality-mos">{quality.mos.toFixed(1)}</span>
    </span>
  );
}
