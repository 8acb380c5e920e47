// On the ringing pop: the talk track core offers for this caller and reason, so the agent
// knows the conversation before answering (the panel opens on its greeting).
import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent-context';
import { FitLine } from './FitLine';

export function OfferedScript({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const track = useAgent((s) => s.talkTracks[callId]);
  if (!track) return null;
  return (
    <div className="pop-script" data-testid="pop-script" data-script-id={track.script.id}>
      <span className="muted">{t('talkTrack.offered')}</span> <strong>{track.script.title}</strong>
      <FitLine fit={track.fit} />
    </div>
  );
}
