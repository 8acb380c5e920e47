// The walking skeleton end to end: a customer (sipp) calls through Kamailio + rtpengine, the
// real core pops them from SQLite, the real renderer in Debian Chromium rings and shows the
// pop, the agent clicks answer, audio flows both ways (WebRTC ↔ plain RTP echoed by sipp),
// the agent hangs up and the call is on the customer's timeline.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shouldSkip } from '../infra/peers';
import { artifacts, E2E_PEERS, startCallCentre, type CallCentre } from './call-centre';

describe.skipIf(shouldSkip(...E2E_PEERS))('inbound call end to end (browser mode)', () => {
  let cc: CallCentre;
  beforeAll(async () => {
    cc = await startCallCentre();
  });
  afterAll(async () => {
    await cc?.close();
  });

  it('pops the caller, answers with two-way audio, hangs up and logs the call', async () => {
    const page = cc.ui.page;
    const sipp = cc.call({ user: '0355550101', display: 'Yamada' });
    const name = page.getByTestId('pop-name');
    await expect.poll(() => name.textContent(), { timeout: 10_000 }).toContain('山田 太郎');
    await page.screenshot({ path: join(artifacts, 'e2e-inbound-ringing.png') });
    await page.getByTestId('answer').click();
    await page
      .locator('[data-testid="call-state"][data-state="active"]')
      .waitFor({ timeout: 10_000 });

    // Two-way audio: the renderer's inbound RTP (sipp echoing our fake microphone back
    // through rtpengine) keeps growing, and so does what we send.
    await cc.audioFlowing();
    const first = Object.values(await cc.stats())[0]!;
    await page.waitForTimeout(1500);
    const second = Object.values(await cc.stats())[0]!;
    expect(second.ice).toMatch(/connected|completed/);
    expect(second.bytesReceived).toBeGreaterThan(first.bytesReceived);
    expect(second.bytesSent).toBeGreaterThan(first.bytesSent);

    await page.screenshot({ path: join(artifacts, 'e2e-inbound-active.png') });
    await page.getByTestId('hangup').click();
    const result = await sipp.done;
    expect(result.code, result.stderr).toBe(0); // sipp got our BYE and answered 200

    const item = page.getByTestId('timeline-item').first();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toMatch(/\d/);
    await page.screenshot({ path: join(artifacts, 'e2e-inbound-logged.png') });
  });
});
