import { useTranslation } from 'react-i18next';
import type { CallState, Direction } from '../../preload/contract';

export function CallStateBadge({
  state,
  direction = 'inbound',
  testId = 'call-state',
}: {
  state: CallState | 'idle';
  /** An outbound call rings at the far end: 呼出中 / 発信中, not 着信中. */
  direction?: Direction;
  /** null: a secondary badge (the line list) that E2E tests must not confuse with the card's. */
  testId?: string | null;
}) {
  const { t } = useTranslation();
  return (
    <span className="state-badge" data-testid={testId ?? undefined} data-state={state}>
      {direction === 'outbound' && state === 'ringing'
        ? t('call.state.ringingOut')
        : direction === 'outbound' && state === 'connecting'
          ? t('call.state.connectingOut')
          : t(`call.state.${state}`)}
    </span>
  );
}
