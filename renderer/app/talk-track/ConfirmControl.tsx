// A required step (the recording notice, the identity check): the agent ticks what they did
// before the script lets them move on. Once confirmed it stays confirmed.
import { useTranslation } from 'react-i18next';

export function ConfirmControl({
  text,
  confirmed,
  onConfirm,
}: {
  text: string | null;
  confirmed: boolean;
  onConfirm(): void;
}) {
  const { t } = useTranslation();
  return (
    <label className="talk-confirm" data-confirmed={confirmed || undefined}>
      <input
        type="checkbox"
        data-testid="talk-confirm"
        checked={confirmed}
        aria-readonly={confirmed || undefined}
        aria-keyshortcuts="Space C Alt+C"
        onChange={() => {
          if (!confirmed) onConfirm();
        }}
      />
      <span className="talk-confirm-text">{text ?? t('talkTrack.confirmDefault')}</span>
      {!confirmed && (
        <span className="keys" aria-hidden="true">
          <kbd>Space</kbd>
          <kbd>C</kbd>
        </span>
      )}
    </label>
  );
}
