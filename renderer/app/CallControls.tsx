import { useTranslation } from 'react-i18next';
import type { Call } from '../../preload/contract';
import { useActions, useAgent } from './agent-context';
import { isEstablished } from './call-who';
import { ControlButton } from './ControlButton';

/** Hold / mute / keypad / transfer / conference for an established call. */
export function CallControls({ call }: { call: Call }) {
  const { t } = useTranslation();
  const actions = useActions();
  const pending = useAgent((s) => s.pending[call.id]);
  const keypadOpen = useAgent((s) => s.keypadOpen);
  const transferOpen = useAgent((s) => s.transferOpen);
  const setKeypadOpen = useAgent((s) => s.setKeypadOpen);
  const setTransferOpen = useAgent((s) => s.setTransferOpen);
  const partner = useAgent((s) => conferencePartner(s.calls, call));
  const busy = pending !== undefined;
  return (
    <div className="controls" role="group" aria-label={t('call.controls')}>
      <ControlButton
        testId={call.onHold ? 'resume' : 'hold'}
        label={
          pending === 'hold'
            ? t('call.holding')
            : pending === 'resume'
              ? t('call.resuming')
              : call.onHold
                ? t('call.resume')
                : t('call.hold')
        }
        shortcut="hold"
        pressed={call.onHold}
        tone={call.onHold ? 'warn' : 'plain'}
        disabled={busy}
        icon={call.onHold ? '▶' : '❚❚'}
        onClick={() => void (call.onHold ? actions.resume(call.id) : actions.hold(call.id))}
      />
      <ControlButton
        testId="mute"
        label={call.muted ? t('call.unmute') : t('call.mute')}
        shortcut="mute"
        pressed={call.muted}
        tone={call.muted ? 'warn' : 'plain'}
        disabled={busy}
        icon={call.muted ? '✕' : '●'}
        onClick={() => void actions.setMute(call.id, !call.muted)}
      />
      <ControlButton
        testId="keypad-toggle"
        label={t('call.keypad')}
        shortcut="keypad"
        pressed={keypadOpen}
        icon="⠿"
        onClick={() => {
          setKeypadOpen(!keypadOpen);
          if (!keypadOpen) setTransferOpen(false);
        }}
      />
      {!call.consultFor && (
        <ControlButton
          testId="transfer-toggle"
          label={t('call.transfer')}
          shortcut="transfer"
          pressed={transferOpen}
          icon="⇄"
          onClick={() => {
            setTransferOpen(!transferOpen);
            if (!transferOpen) setKeypadOpen(false);
          }}
        />
      )}
      {partner && (
        <ControlButton
          testId="conference"
          label={t('call.conference')}
          shortcut="conference"
          tone="accent"
          disabled={busy}
          icon="⁂"
          onClick={() => void actions.conference([partner.id, call.id])}
        />
      )}
    </div>
  );
}

/** The other established call this one can be joined with, when there are exactly two. */
export function conferencePartner(calls: Record<string, Call>, call: Call): Call | null {
  const live = Object.values(calls).filter(isEstablished);
  if (live.length !== 2 || !live.some((c) => c.id === call.id)) return null;
  if (call.conferenceId && live.every((c) => c.conferenceId === call.conferenceId)) return null;
  return live.find((c) => c.id !== call.id) ?? null;
}
