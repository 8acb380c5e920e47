import { useTranslation } from 'react-i18next';
import { useActions, useAgent } from './agent-context';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const LETTERS: Record<string, string> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
};

/** The DTMF keypad of a call: each press sends one tone (keyboard digits do the same). */
export function Keypad({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const sent = useAgent((s) => s.dtmfSent[callId] ?? '');
  const actions = useActions();
  return (
    <div className="keypad" data-testid="keypad" role="group" aria-label={t('keypad.title')}>
      <p className="keypad-sent" aria-live="polite" data-testid="dtmf-sent">
        {sent || <span className="muted">{t('keypad.hint')}</span>}
      </p>
      <div className="keypad-grid">
        {KEYS.map((k) => (
          <button
            key={k}
            type="button"
            className="keypad-key"
            data-testid={`dtmf-${k}`}
            aria-keyshortcuts={k}
            onClick={() => void actions.sendDtmf(callId, k)}
          >
            <span className="keypad-digit">{k}</span>
            <span className="keypad-letters" aria-hidden="true">
              {LETTERS[k] ?? ''}
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}
