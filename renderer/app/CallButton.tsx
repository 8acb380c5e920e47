import { useTranslation } from 'react-i18next';
import { useActions, useAgent } from './agent-context';
import { ShortcutKeys } from './ShortcutKeys';
import { SHORTCUTS } from './shortcuts';

const LABEL = { answer: 'call.answer', reject: 'call.reject', hangup: 'call.hangup' } as const;
const BUSY = {
  answer: 'call.answering',
  reject: 'call.rejecting',
  hangup: 'call.hangingUp',
} as const;

/** Answer / reject / hang up for one call, with its shortcut shown and announced. */
export function CallButton({
  action,
  callId,
  disabled = false,
}: {
  action: 'answer' | 'reject' | 'hangup';
  callId: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const actions = useActions();
  const pending = useAgent((s) => s.pending[callId]);
  return (
    <button
      type="button"
      className={`btn btn-${action}`}
      data-testid={action}
      aria-keyshortcuts={SHORTCUTS[action].aria}
      disabled={disabled || pending !== undefined}
      onClick={() => void actions[action](callId)}
    >
      <span className="btn-label">{pending === action ? t(BUSY[action]) : t(LABEL[action])}</span>
      <ShortcutKeys shortcut={action} />
    </button>
  );
}
