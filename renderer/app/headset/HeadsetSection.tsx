// Settings: the headset — connected or not, its buttons and lights (or the media keys that
// stand in), connect (the browser's picker needs this click; Electron grants known headsets
// by itself), the test ring, and whether its audio is used.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChooseResult } from '../../headset/headset-status';
import { useAgent, useHeadset } from '../agent-context';
import { HeadsetAudio } from './HeadsetAudio';
import { HeadsetCapabilities } from './HeadsetCapabilities';
import { HeadsetTest } from './HeadsetTest';
import { usbIdText } from './labels';

export function HeadsetSection() {
  const { t } = useTranslation();
  const status = useAgent((s) => s.headset);
  const headset = useHeadset();
  const [choosing, setChoosing] = useState(false);
  const [result, setResult] = useState<ChooseResult | null>(null);
  const id = useId();
  const device = status.device;

  async function choose() {
    setChoosing(true);
    setResult(null);
    try {
      setResult(await headset.choose());
    } finally {
      setChoosing(false);
    }
  }

  return (
    <section
      className="settings-section headset-section"
      data-testid="headset"
      aria-labelledby={id}
    >
      <h3 id={id} className="subhead">
        {t('headset.title')}
      </h3>
      {!status.supported ? (
        <p className="note note-warn" data-testid="headset-unsupported">
          {t('headset.unsupported')}
        </p>
      ) : (
        <>
          <p
            className="headset-device"
            data-testid="headset-device"
            data-state={device ? 'connected' : 'disconnected'}
            data-kind={status.kind ?? undefined}
          >
            {device
              ? t('headset.device', { name: device.name, id: usbIdText(device) })
              : t('headset.none')}
          </p>
          <HeadsetCapabilities status={status} />
          <div className="headset-actions">
            <button
              type="button"
              className="bar-btn light"
              data-testid="headset-connect"
              disabled={choosing}
              onClick={() => void choose()}
            >
              {t('headset.connect')}
            </button>
            <HeadsetTest status={status} />
          </div>
          {!device && <p className="muted crm-hint">{t('headset.connectHint')}</p>}
          {result?.kind === 'cancelled' && !device && (
            <p className="note" role="status" data-testid="headset-choose-result">
              {t('headset.cancelled')}
            </p>
          )}
          {result?.kind === 'unusable' && (
            <p className="note note-warn" role="alert" data-testid="headset-choose-result">
              {t('headset.unusable', { name: result.name })}
            </p>
          )}
          {result?.kind === 'failed' && (
            <p className="note note-error" role="alert" data-testid="headset-choose-result">
              {t('headset.failed', { reason: result.message })}
            </p>
          )}
          <HeadsetAudio />
        </>
      )}
    </section>
  );
}
