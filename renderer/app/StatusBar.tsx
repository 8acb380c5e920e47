import { useTranslation } from 'react-i18next';
import { ActionErrorNote } from './ActionErrorNote';
import { ConnectionNotice } from './ConnectionNotice';
import { CrmSyncStatus } from './CrmSyncStatus';
import { HeadsetIndicator } from './headset/HeadsetIndicator';
import { InitialSync } from './InitialSync';
import { LanguageSwitch } from './LanguageSwitch';
import { SettingsButton } from './SettingsPanel';
import { RegistrationStatus } from './RegistrationStatus';

export function StatusBar() {
  const { t } = useTranslation();
  return (
    <header className="statusbar">
      <h1 className="brand">{t('app.title')}</h1>
      <RegistrationStatus />
      <HeadsetIndicator />
      <CrmSyncStatus />
      <InitialSync />
      <ConnectionNotice />
      <div className="statusbar-end">
        <ActionErrorNote callId={null} />
        <SettingsButton />
        <LanguageSwitch />
      </div>
    </header>
  );
}
