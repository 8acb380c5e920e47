import { useTranslation } from 'react-i18next';
import { useAgent } from './agent-context';

/** A chosen audio device is unplugged: say which, and that the default is in use. */
export function DeviceNotice() {
  const { t } = useTranslation();
  const fallbacks = useAgent((s) => s.deviceFallbacks);
  if (fallbacks.length === 0) return null;
  return (
    <div className="device-notices" role="status" data-testid="device-notice">
      {fallbacks.map((f) => (
        <p key={f.role} className="note note-warn device-notice" data-role={f.role}>
          {t('devices.fallback', {
            role: t(`devices.role.${f.role}`),
            label: f.label || '—',
          })}
        </p>
      ))}
    </div>
  );
}
