import { useTranslation } from 'react-i18next';
import { useAgent } from './agent-context';

/** Browser mode only: the socket to the app is down (IPC never is). */
export function ConnectionNotice() {
  const { t } = useTranslation();
  const connection = useAgent((s) => s.connection);
  if (connection === 'open') return null;
  return (
    <p className="conn-notice" role="status" data-testid="connection" data-state={connection}>
      {connection === 'connecting' ? t('connection.connecting') : t('connection.reconnecting')}
    </p>
  );
}
