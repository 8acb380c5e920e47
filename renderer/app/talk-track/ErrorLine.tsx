// The last refusal of a move, in the agent's words (core's own message as the tooltip).
import { useTranslation } from 'react-i18next';
import { useAgent, useTalkTrack } from '../agent-context';
import { refusalText } from './refusal';

export function ErrorLine({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const talk = useTalkTrack();
  const error = useAgent((s) => s.talkTrackErrors[callId]);
  if (!error) return null;
  return (
    <p
      className="note note-error talk-error"
      role="alert"
      data-testid="talk-error"
      data-reason={error.reason ?? error.code}
      title={error.text ? undefined : error.message}
    >
      <span>{refusalText(t, error)}</span>
      <button type="button" className="note-dismiss" onClick={() => talk.dismissError(callId)}>
        {t('errors.dismiss')}
      </button>
    </p>
  );
}
