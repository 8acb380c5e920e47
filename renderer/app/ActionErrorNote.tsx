import { useTranslation } from 'react-i18next';
import { useActions, useAgent } from './agent-context';

const ACTION = {
  answer: 'call.answer',
  reject: 'call.reject',
  hangup: 'call.hangup',
  setLocale: 'language.change',
} as const;

/** A failed action, inline where the agent pressed it (callId null = not about a call). */
export function ActionErrorNote({ callId }: { callId: string | null }) {
  const { t } = useTranslation();
  const error = useAgent((s) => s.actionError);
  const actions = useActions();
  if (!error || error.callId !== callId) return null;
  return (
    <p className="note note-error" role="alert" data-testid="action-error" title={error.message}>
      <span>
        {t('errors.actionFailed', {
          action: t(ACTION[error.action]),
          reason: t(`errors.code.${error.code}`),
        })}
      </span>
      <button type="button" className="note-dismiss" onClick={actions.dismissError}>
        {t('errors.dismiss')}
      </button>
    </p>
  );
}
