// The walking skeleton end to end: a customer (sipp) calls through Kamailio + rtpengine, the
// real core pops them from SQLite, the real renderer in Debian Chromium rings and shows the
// pop, the agent clicks answer, audio flows both ways (WebRTC ↔ plain RTP echoed by sipp),
// the agent hangs up and the call is on the customer's timeline.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, repoRoot, type AppUnderTest } from '../infra/app';
import { launchChromium, type BrowserUnderTest } from '../infra/chromium';
import { startKamailio, type KamailioHandle } from '../infra/kamailio';
import { assertPeers, shouldSkip } from '../infra/peers';
import { startRtpengine, type RtpengineHandle } from '../infra/rtpengine';
import { callerKeys, runSipp } from '../infra/sipp';

const artifacts = join(repoRoot, 'test-results');

type Stats = Record<string, { ice: string; bytesReceived: number; bytesSent: number }>;

describe.skipIf(shouldSkip('kamailio', 'sipp', 'rtpengine', 'chromium'))(
  'inbound call end to end (browser mode)',
  () => {
    let rtp: RtpengineHandle | undefined;
    let kam: KamailioHandle | undefined;
    let app: AppUnderTest | undefined;
    let ui: BrowserUnderTest | undefined;

    beforeAll(async () => {
      assertPeers('kamailio', 'sipp', 'rtpengine', 'chromium');
      mkdirSync(artifacts, { recursive: true });
      rtp = await startRtpengine();
      kam = await startKamailio({ auth: true, rtpengine: { ngPort: rtp.ngPort } });
      app = await startApp({
        locale: 'ja',
        sip: { server: kam.wsUrl, aor: 'sip:1001@127.0.0.1', password: 'pw1001' },
      });
      ui = await launchChromium();
      await ui.page.goto(app.server.url);
      await ui.page
        .locator('[data-testid="reg-status"][data-state="registered"]')
        .waitFor({ timeout: 15_000 });
    });

    afterAll(async () => {
      await ui?.close();
      await app?.close();
      await kam?.stop();
      await rtp?.stop();
    });

    it('pops the caller, answers with two-way audio, hangs up and logs the call', async () => {
      const page = ui!.page;
      const sipp = runSipp({
        scenario: 'uac_call_wait',
        target: `127.0.0.1:${kam!.udpPort}`,
        service: '1001',
        keys: callerKeys({ user: '0355550101', display: 'Yamada' }),
        rtpEcho: true,
        timeoutSec: 60,
      });
      try {
        const name = page.getByTestId('pop-name');
        await expect.poll(() => name.textContent(), { timeout: 10_000 }).toContain('山田 太郎');
        await page.screenshot({ path: join(artifacts, 'e2e-inbound-ringing.png') });
        await page.getByTestId('answer').click();
        await page
          .locator('[data-testid="call-state"][data-state="active"]')
          .waitFor({ timeout: 10_000 });

        // Two-way audio: the renderer's inbound RTP (sipp echoing our fake microphone back
        // through rtpengine) keeps growing, and so does what we send.
        const sample = () => page.evaluate(() => window.agentMediaStats()) as Promise<Stats>;
        await expect
          .poll(async () => Object.values(await sample())[0]?.bytesReceived ?? 0, {
            timeout: 10_000,
          })
          .toBeGreaterThan(1000);
        const first = Object.values(await sample())[0]!;
        await page.waitForTimeout(1500);
        const second = Object.values(await sample())[0]!;
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
      } finally {
        await sipp.stop();
      }
    });
  },
);

declare global {
  interface Window {
    agentMediaStats(): Promise<Stats>;
  }
}
