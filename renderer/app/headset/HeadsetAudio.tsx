import { useTranslation } from 'react-i18next';
import type { AudioDevicePrefs } from '../../../preload/contract';
import { useActions, useAgent } from '../agent-context';
import { headsetAudioUse } from '../devices';

/**
 * Whether the headset's own microphone and speaker (paired by USB id) are in use: they are
 * when the agent chose none, else they are only on offer — one click goes back to automatic.
 */
export function HeadsetAudio() {
  const { t } = useTranslation();
  const settings = useAgent((s) => s.settings);
  const devices = useAgent((s) => s.devices);
  const device = useAgent((s) => s.headset.device);
  const actions = useActions();
  if (!settings || !device) return null;
  const audio = settings.audio;
  const use = headsetAudioUse(audio, devices, device);
  // Before the microphone permission labels are empty: nothing can be paired yet.
  if (!devices.some((d) => d.label)) return null;
  if (!use.microphone && !use.speaker)
    return (
      <p className="muted headset-audio" data-testid="headset-audio" data-state="none">
        {t('headset.audio.notFound')}
      </p>
    );
  const roles = (pick: (u: { used: boolean }) => boolean) => {
    const mic = use.microphone !== null && pick(use.microphone);
    const speaker = use.speaker !== null && pick(use.speaker);
    return mic && speaker ? 'both' : mic ? 'microphone' : speaker ? 'speaker' : null;
  };
  const used = roles((u) => u.used);
  const available = roles((u) => !u.used);
  const automatic: AudioDevicePrefs = {
    ...audio,
    ...(use.microphone && !use.microphone.used ? { microphoneId: null } : {}),
    ...(use.speaker && !use.speaker.used ? { speakerId: null } : {}),
  };
  return (
    <div className="headset-audio" data-testid="headset-audio">
      {used && (
        <p className="headset-audio-line" data-state="used" data-roles={used}>
          {t('headset.audio.used', { roles: t(`headset.audio.roles.${used}`) })}
        </p>
      )}
      {available && (
        <p className="headset-audio-line" data-state="available" data-roles={available}>
          <span>
            {t('headset.audio.available', { roles: t(`headset.audio.roles.${available}`) })}
          </span>
          <button
            type="button"
            className="bar-btn light"
            data-testid="headset-audio-use"
            onClick={() => void actions.setPhoneSettings({ audio: automatic })}
          >
            {t('headset.audio.use')}
          </button>
        </p>
      )}
    </div>
  );
}
