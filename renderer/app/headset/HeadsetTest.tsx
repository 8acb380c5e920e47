import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeadsetStatus } from '../../headset/headset-status';
import { useAgent, useHeadset } from '../agent-context';

/** The test ring: ring LED and ringer for 3 s, only between calls and on a headset with them. */
export function HeadsetTest({ status }: { status: HeadsetStatus }) {
  const { t } = useTranslation();
  const headset = useHeadset();
  const hintId = useId();
  const inCall = useAgent((s) => Object.values(s.calls).some((c) => c.state !== 'ended'));
  if (status.kind !== 'telephony') return null;
  const canRing = status.outputs.includes('ring') || status.outputs.includes('ringer');
  const hint = !canRing ? 'noRing' : inCall ? 'testBusy' : 'testHint';
  return (
    <>
      <button
        type="button"
        className="bar-btn light"
        data-testid="headset-test"
        aria-describedby={hintId}
        disabled={!canRing || inCall || status.testing}
        onClick={() => headset.testRing()}
      >
        {status.testing ? t('headset.testing') : t('headset.test')}
      </button>
      <span id={hintId} className="muted headset-test-hint" data-hint={hint}>
        {t(`headset.${hint}`)}
      </span>
    </>
  );
}
