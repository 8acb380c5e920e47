import { useTranslation } from 'react-i18next';
import { useAgent } from './agent-context';

/** The softphone's registration: a coloured dot, the state in words, the agent's address. */
export function RegistrationStatus() {
  const { t } = useTranslation();
  const phone = useAgent((s) => s.phone);
  const state = phone?.registration ?? 'connecting';
  return (
    <div className="reg">
      <p className="reg-status" data-testid="reg-status" data-state={state} role="status">
        <span className="reg-dot" aria-hidden="true" />
        <span className="muted">{t('registration.label')}</span>
        <strong>{t(`registration.${state}`)}</strong>
        {phone?.aor && <span className="reg-aor">{phone.aor.replace(/^sips?:/, '')}</span>}
      </p>
      {phone?.error && (
        <p
          className="reg-error"
          role="alert"
          data-testid="reg-error"
          data-code={phone.error.code}
          title={phone.error.message}
        >
          {t(`phoneError.${phone.error.code}`)}
        </p>
      )}
    </div>
  );
}
