import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent-context';

/** The status bar's headset: a headset icon, connected or not (and the test ring). */
export function HeadsetIndicator() {
  const { t } = useTranslation();
  const supported = useAgent((s) => s.headset.supported);
  const device = useAgent((s) => s.headset.device);
  const testing = useAgent((s) => s.headset.testing);
  if (!supported) return null;
  const state = testing ? 'testing' : device ? 'connected' : 'disconnected';
  return (
    <p
      className="headset-status"
      data-testid="headset-status"
      data-state={state}
      role="status"
      title={device?.name}
    >
      <svg className="headset-icon" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M3 9V8a5 5 0 0 1 10 0v1" />
        <rect x="2" y="9" width="3" height="5" rx="1" />
        <rect x="11" y="9" width="3" height="5" rx="1" />
      </svg>
      <span className="muted">{t('headset.label')}</span>
      <strong>{t(`headset.state.${state}`)}</strong>
    </p>
  );
}
