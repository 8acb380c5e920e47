import { useTranslation } from 'react-i18next';
import type { Segment } from '../../preload/contract';

export function SegmentBadge({ segment }: { segment: Segment }) {
  const { t } = useTranslation();
  return (
    <span className="segment-badge" data-testid="segment" data-segment={segment}>
      {t(`segment.${segment}`)}
    </span>
  );
}
