// What the script was chosen on, compactly: "Inquiry · repeat customer".
import { useTranslation } from 'react-i18next';
import type { TalkTrack } from '../../../preload/contract';

export function FitLine({ fit }: { fit: TalkTrack['fit'] }) {
  const { t } = useTranslation();
  const parts: string[] = [];
  if (fit.reason) parts.push(t(`talkTrack.reason.${fit.reason}`));
  if (fit.campaign) parts.push(t(`outbound.kind.${fit.campaign}`));
  if (parts.length === 0) parts.push(t(`talkTrack.direction.${fit.direction}`));
  parts.push(t(`talkTrack.segment.${fit.segment}`));
  return (
    <p className="talk-fit" data-testid="talk-fit" title={t('talkTrack.fitLabel')}>
      <span className="sr-only">{t('talkTrack.fitLabel')}: </span>
      {parts.join(' · ')}
    </p>
  );
}
