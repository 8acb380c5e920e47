import { useTranslation } from 'react-i18next';
import { useActions, useAgent } from './agent-context';
import { failureText } from './outbound/labels';
import type { ActionError } from './store/ui-slice';

const ACTION = {
  answer: 'call.answer',
  reject: 'call.reject',
  hangup: 'call.hangup',
  hold: 'call.hold',
  resume: 'call.resume',
  mute: 'call.mute',
  unmute: 'call.unmute',
  dtmf: 'keypad.title',
  switchLine: 'lines.switch',
  blindTransfer: 'transfer.blind',
  startConsult: 'transfer.consult',
  completeTransfer: 'transfer.complete',
  conference: 'call.conference',
  dial: 'dial.call',
  settings: 'settings.title',
  setLocale: 'language.change',
} as const satisfies Record<ActionError['action'], string>;

/** A failed action, inline where the agent pressed it (callId null = not about a call). */
export function ActionErrorNote({
  callId,
  action,
}: {
  callId: string | null;
  /** Only errors of this action (the dial card); without it, app errors other than dialing. */
  action?: ActionError['action'];
}) {
  const { t } = useTranslation();
  const error = useAgent((s) => s.actionError);
  const actions = useActions();
  if (!error || error.callId !== callId) return null;
  if (callId === null && (action ? error.action !== action : error.action === 'dial')) return null;
  return (
    <p className="note note-error" role="alert" data-testid="action-error" title={error.message}>
      <span>
        {t('errors.actionFailed', {
          action: t(ACTION[error.action]),
          reason: failureText(t, error),
        })}
      </span>
      <button type="button" className="note-dismiss" onClick={actions.dismissError}>
        {t('errors.dismiss')}
      </button>
    </p>
  );
}
