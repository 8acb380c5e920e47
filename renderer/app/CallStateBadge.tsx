import { useTranslation } from 'react-i18next';
import type { CallState } from '../../preload/contract';

export function CallStateBadge({ state }: { state: CallState | 'idle' }) {
  const { t } = useTranslation();
  return (
    <span className="state-badge" data-testid="call-state" data-state={state}>
      {t(`call.state.${state}`)}
    </span>
  );
}
