// Objection handlers: a button per objection (O, then its number), and the one open — its
// answer to say, and the way back to the script (Esc).
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TalkTrackStep } from '../../../preload/contract';

export function ObjectionButtons({
  objections,
  openId,
  armed,
  onOpen,
}: {
  objections: TalkTrackStep['objections'];
  openId: string | null;
  /** O was pressed: the next digit picks one. */
  armed: boolean;
  onOpen(objectionId: string): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  if (objections.length === 0) return null;
  return (
    <section className="talk-objections" data-armed={armed || undefined} aria-labelledby={id}>
      <h3 id={id} className="subhead">
        {t('talkTrack.objections')}
        <span className="keys" aria-hidden="true">
          <kbd>O</kbd>
        </span>
      </h3>
      {armed && (
        <p className="talk-armed" role="status" data-testid="talk-objection-armed">
          {t('talkTrack.objectionsArmed', { n: Math.min(objections.length, 9) })}
        </p>
      )}
      <div className="talk-objection-list">
        {objections.map((o, i) => (
          <button
            key={o.id}
            type="button"
            className="talk-chip"
            data-testid={`talk-objection-${o.id}`}
            aria-pressed={o.id === openId}
            aria-keyshortcuts={i < 9 ? `O ${i + 1}` : undefined}
            onClick={() => onOpen(o.id)}
          >
            {i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>}
            {o.label}
          </button>
        ))}
      </div>
    </section>
  );
}

export function OpenObjection({
  objection,
  onClose,
}: {
  objection: NonNullable<TalkTrackStep['objection']>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section
      className="talk-objection"
      data-testid="talk-objection"
      data-objection-id={objection.id}
      data-talk-focus=""
      tabIndex={-1}
      aria-labelledby={id}
    >
      <h3 id={id} className="talk-objection-title">
        {t('talkTrack.objectionTitle', { label: objection.label })}
      </h3>
      <p className="talk-say">{objection.say}</p>
      <button
        type="button"
        className="btn btn-secondary"
        data-testid="talk-objection-close"
        aria-keyshortcuts="Escape"
        onClick={onClose}
      >
        {objection.goto ? t('talkTrack.objectionContinue') : t('talkTrack.objectionClose')}
        <span className="keys" aria-hidden="true">
          <kbd>Esc</kbd>
        </span>
      </button>
    </section>
  );
}
