import { useTranslation } from 'react-i18next';
import type { HeadsetStatus } from '../../headset/headset-status';
import { INPUT_ORDER, MEDIA_KEY_ORDER, OUTPUT_ORDER, inOrder } from './labels';

/**
 * What the connected headset can do: its buttons and lights (telephony), or for a device
 * without telephony controls a plain note that its media keys stand in, and which.
 */
export function HeadsetCapabilities({ status }: { status: HeadsetStatus }) {
  const { t } = useTranslation();
  if (status.kind === 'mediaKeys')
    return (
      <div className="note note-warn headset-media-keys" data-testid="headset-media-keys">
        <p>{t('headset.mediaKeysNote')}</p>
        <ul className="headset-list" data-testid="headset-keys">
          {inOrder(MEDIA_KEY_ORDER, status.mediaKeys).map((k) => (
            <li key={k} data-key={k}>
              {t(`headset.mediaKey.${k}`)}
            </li>
          ))}
        </ul>
      </div>
    );
  if (status.kind !== 'telephony') return null;
  const inputs = inOrder(INPUT_ORDER, status.inputs);
  const outputs = inOrder(OUTPUT_ORDER, status.outputs);
  return (
    <dl className="headset-caps">
      <dt className="field-label">{t('headset.buttons')}</dt>
      <dd>
        <ul className="headset-list" data-testid="headset-buttons">
          {inputs.map((k) => (
            <li key={k} data-key={k}>
              {t(`headset.input.${k}`)}
            </li>
          ))}
        </ul>
      </dd>
      <dt className="field-label">{t('headset.lights')}</dt>
      <dd>
        <ul className="headset-list" data-testid="headset-lights">
          {outputs.map((k) => (
            <li key={k} data-key={k}>
              {t(`headset.output.${k}`)}
            </li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}
