// The talk-track card of one call: its script and where the agent is, or why there is none.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent, useTalkTrack } from '../agent-context';
import { failureText } from '../outbound/labels';
import { TALK_TRACK_PANEL_ID } from './target';
import { NoScript } from './NoScript';
import { TrackBody } from './TrackBody';

export function TalkTrackPanel({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const talk = useTalkTrack();
  const track = useAgent((s) => s.talkTracks[callId]);
  const loading = useAgent((s) => s.talkTrackLoading[callId] === true);
  const loadError = useAgent((s) => s.talkTrackLoadErrors[callId]);
  const busy = useAgent((s) => s.talkTrackBusy[callId] !== undefined);
  const id = useId();
  return (
    <section
      id={TALK_TRACK_PANEL_ID}
      className="card talk-track"
      aria-labelledby={`${id}-title`}
      aria-busy={busy || loading || undefined}
      data-testid="talk-track"
      data-call-id={callId}
      data-script-id={track?.script.id}
      tabIndex={-1}
    >
      <header className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {t('talkTrack.title')}
          {track && <span className="talk-script-title">{track.script.title}</span>}
        </h2>
        <span className="badges">
          {track?.chosenBy === 'agent' && (
            <span className="talk-tag" data-testid="talk-chosen-by-agent">
              {t('talkTrack.chosenByAgent')}
            </span>
          )}
          <span className="keys" aria-hidden="true">
            <kbd>G</kbd>
          </span>
        </span>
      </header>
      {track ? (
        <TrackBody callId={callId} track={track} />
      ) : track === null ? (
        <NoScript callId={callId} />
      ) : loadError && !loading ? (
        <p className="note note-error" role="alert" title={loadError.message}>
          <span>{t('talkTrack.loadFailed', { reason: failureText(t, loadError) })}</span>
          <button type="button" className="note-dismiss" onClick={() => void talk.load(callId)}>
            {t('talkTrack.retry')}
          </button>
        </p>
      ) : (
        <p className="muted" role="status">
          {t('talkTrack.loading')}
        </p>
      )}
    </section>
  );
}
