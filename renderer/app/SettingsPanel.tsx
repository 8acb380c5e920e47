import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AudioDevicePrefs } from '../../preload/contract';
import { useActions, useAgent } from './agent-context';
import { CrmSettingsSection } from './CrmSettings';
import { headsetAudioUse } from './devices';
import { HeadsetSection } from './headset/HeadsetSection';
import { OptOutImportSection } from './outbound/OptOutImport';
import type { AudioDevice } from './store/phone-settings-slice';
import { ScriptsSection } from './talk-track/ScriptsSection';
import { labelWithoutUsbId } from '../headset/usb-audio-pairing';

/** The status bar's settings button and its panel. */
export function SettingsButton() {
  const { t } = useTranslation();
  const open = useAgent((s) => s.settingsOpen);
  const setOpen = useAgent((s) => s.setSettingsOpen);
  return (
    <>
      <button
        type="button"
        className="settings-btn"
        data-testid="settings-open"
        aria-expanded={open}
        aria-controls="phone-settings"
        onClick={() => setOpen(!open)}
      >
        {t('settings.open')}
      </button>
      {open && <SettingsPanel onClose={() => setOpen(false)} />}
    </>
  );
}

const SELECTS: ReadonlyArray<{
  key: keyof AudioDevicePrefs;
  kind: AudioDevice['kind'];
  label: 'settings.microphone' | 'settings.speaker' | 'settings.ringer';
  testId: string;
}> = [
  { key: 'microphoneId', kind: 'audioinput', label: 'settings.microphone', testId: 'mic-select' },
  { key: 'speakerId', kind: 'audiooutput', label: 'settings.speaker', testId: 'speaker-select' },
  { key: 'ringerId', kind: 'audiooutput', label: 'settings.ringer', testId: 'ringer-select' },
];

const ROLE_OF = { microphoneId: 'microphone', speakerId: 'speaker' } as const;

/**
 * Phone: microphone, speaker and ringer chosen separately (none chosen: the headset's own, else
 * the system default); DTMF mode; auto-answer. Headset: connected or not, its buttons, the
 * test ring, its audio. CRM: the connection (local or kintone), tested and saved. Outbound: a
 * do-not-call list from a CSV file. All saved by main. Talk tracks: the scripts loaded and the
 * files that did not load.
 */
export function SettingsPanel({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const settings = useAgent((s) => s.settings);
  const devices = useAgent((s) => s.devices);
  const headsetDevice = useAgent((s) => s.headset.device);
  const actions = useActions();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('select, input')?.focus();
  }, []);
  if (!settings) return null;
  const audio = settings.audio;
  const headsetAudio = headsetAudioUse(audio, devices, headsetDevice);
  return (
    <div
      ref={ref}
      id="phone-settings"
      className="settings"
      role="dialog"
      aria-labelledby={`${id}-title`}
      data-testid="settings"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header className="card-head">
        <h2 id={`${id}-title`} className="card-title">
          {t('settings.panelTitle')}
        </h2>
        <button
          type="button"
          className="note-dismiss"
          data-testid="settings-close"
          onClick={onClose}
        >
          {t('settings.close')}
        </button>
      </header>
      <h3 className="subhead">{t('settings.phoneSection')}</h3>
      <div className="settings-grid">
        {SELECTS.map(({ key, kind, label, testId }) => {
          const chosen = audio[key];
          const options = devices.filter((d) => d.kind === kind && d.deviceId !== 'default');
          const missing = chosen && !options.some((d) => d.deviceId === chosen);
          // With nothing chosen the headset's own device is used: the option says so.
          const auto = key === 'ringerId' ? null : headsetAudio[ROLE_OF[key]]?.device;
          return (
            <div key={key}>
              <label className="field-label" htmlFor={`${id}-${key}`}>
                {t(label)}
              </label>
              <select
                id={`${id}-${key}`}
                data-testid={testId}
                value={chosen ?? ''}
                onChange={(e) =>
                  void actions.setPhoneSettings({
                    audio: { ...audio, [key]: e.target.value || null },
                  })
                }
              >
                <option value="">
                  {auto
                    ? t('settings.auto', { name: labelWithoutUsbId(auto.label) })
                    : t('settings.default')}
                </option>
                {options.map((d, i) => (
                  <option key={d.deviceId || i} value={d.deviceId}>
                    {d.label || t('settings.unnamed', { n: i + 1 })}
                  </option>
                ))}
                {missing && <option value={chosen}>{`${chosen.slice(0, 8)}… ⚠`}</option>}
              </select>
            </div>
          );
        })}
        <div>
          <label className="field-label" htmlFor={`${id}-dtmf`}>
            {t('settings.dtmf')}
          </label>
          <select
            id={`${id}-dtmf`}
            data-testid="dtmf-mode"
            value={settings.dtmfMode}
            onChange={(e) =>
              void actions.setPhoneSettings({ dtmfMode: e.target.value as 'rfc4733' | 'info' })
            }
          >
            <option value="rfc4733">{t('settings.dtmfRfc')}</option>
            <option value="info">{t('settings.dtmfInfo')}</option>
          </select>
        </div>
        <label className="settings-check">
          <input
            type="checkbox"
            data-testid="auto-answer"
            checked={settings.autoAnswer}
            onChange={(e) => void actions.setPhoneSettings({ autoAnswer: e.target.checked })}
          />
          {t('settings.autoAnswer')}
        </label>
      </div>
      <HeadsetSection />
      <CrmSettingsSection />
      <OptOutImportSection />
      <ScriptsSection />
    </div>
  );
}
