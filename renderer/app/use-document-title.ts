import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAgent } from './agent-context';
import { selectRingingCall } from './store/agent-store';

/** The window title names a ringing caller, so the taskbar shows it when the app is behind. */
export function useDocumentTitle() {
  const { t } = useTranslation();
  const ringing = useAgent(selectRingingCall);
  const who = !ringing
    ? null
    : (ringing.pop.customer?.name ??
      (ringing.remote.anonymous ? t('call.anonymous') : ringing.remote.display));
  useEffect(() => {
    document.title = who ? `${t('call.announce', { who })} — ${t('app.title')}` : t('app.title');
  }, [who, t]);
}
