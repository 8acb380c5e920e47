// Issue 3: the renderer reloads (or crashes) mid-call. SIP lives in main, so the dialog
// survives; when the new page attaches, main re-INVITEs and audio must flow again, with the
// screen showing the right call state. The time to recover is measured and kept.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkip } from '../infra/peers';
import { artifacts, E2E_PEERS, startCallCentre, type CallCentre } from './call-centre';

describe.skipIf(shouldSkip(...E2E_PEERS))('renderer reload during a call', () => {
  let cc: CallCentre;
  beforeAll(async () => {
    cc = await startCallCentre();
  });
  afterAll(async () => {
    await cc?.close();
  });

  it('restores two-way audio and the call state after a reload', async () => {
    const page = cc.ui.page;
    const sipp = cc.call({ user: '0355550101', display: 'Yamada' });
    await page.getByTestId('answer').click({ timeout: 10_000 });
    await page
      .locator('[data-testid="call-state"][data-state="active"]')
      .waitFor({ timeout: 10_000 });
    await cc.audioFlowing();

    const t0 = performance.now();
    await page.reload();
    // The same call, still active, still the same customer, after the reload…
    await page
      .locator('[data-testid="call-state"][data-state="active"]')
      .waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('pop-name').first().textContent())
      .toContain('山田 太郎');
    // …and its audio flows again through a fresh RTCPeerConnection.
    await cc.audioFlowing();
    const recoveryMs = Math.round(performance.now() - t0);
    writeFileSync(join(artifacts, 'renderer-reload-recovery.json'), JSON.stringify({ recoveryMs }));
    console.log(`renderer reload: audio back after ${recoveryMs} ms`);
    expect(await page.locator('[data-testid="reg-status"]').getAttribute('data-state')).toBe(
      'registered',
    );

    await page.getByTestId('hangup').click();
    expect((await sipp.done).code).toBe(0);
  });
});
