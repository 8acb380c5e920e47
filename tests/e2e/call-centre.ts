// The E2E stage: rtpengine + Kamailio on free loopback ports, the app in browser mode with
// demo customers, registered as agent 1001, and the real renderer open in Debian Chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CoreOptions } from '../../main/core/core';
import { startApp, repoRoot, type AppUnderTest } from '../infra/app';
import { launchChromium, type BrowserUnderTest } from '../infra/chromium';
import { startKamailio, type KamailioHandle } from '../infra/kamailio';
import { assertPeers } from '../infra/peers';
import { startRtpengine, type RtpengineHandle } from '../infra/rtpengine';
import { callerKeys, runSipp, type CallerIdentity, type SippRun } from '../infra/sipp';

export const artifacts = join(repoRoot, 'test-results');
export const E2E_PEERS = ['kamailio', 'sipp', 'rtpengine', 'chromium'] as const;

export type MediaStats = Record<string, { ice: string; bytesReceived: number; bytesSent: number }>;

export interface CallCentre {
  rtp: RtpengineHandle;
  kam: KamailioHandle;
  app: AppUnderTest;
  ui: BrowserUnderTest;
  /**
   * A customer calls the agent; sipp echoes the agent's audio back, takes re-INVITEs (hold,
   * media recovery), INFO and REFER like a real phone, and waits for our BYE.
   */
  call(caller: CallerIdentity): SippRun;
  /** Per-call media stats from the renderer (diagnostics surface). */
  stats(): Promise<MediaStats>;
  /** Resolves once the given call's inbound audio has grown by `bytes` over a fresh sample. */
  audioFlowing(callId?: string, bytes?: number): Promise<void>;
  close(): Promise<void>;
}

export interface CallCentreOptions {
  /** More core options for the app (an injected clock, no demo data, a short ring timeout…). */
  app?: Partial<CoreOptions>;
  /** The browser's IANA time zone (the agent's clock); default the machine's. */
  timezoneId?: string;
  /**
   * The browser's clock starts at this instant (ms) and runs on in real time, so the renderer
   * agrees with a clock injected into core (call timers, "today"). Default: the real clock.
   */
  clock?: () => number;
}

export async function startCallCentre(opts: CallCentreOptions = {}): Promise<CallCentre> {
  assertPeers(...E2E_PEERS);
  mkdirSync(artifacts, { recursive: true });
  const runs: SippRun[] = [];
  const parts: Partial<CallCentre> = {};
  const close = async () => {
    for (const r of runs) await r.stop();
    await parts.ui?.close();
    await parts.app?.close();
    await parts.kam?.stop();
    await parts.rtp?.stop();
  };
  try {
    const rtp = (parts.rtp = await startRtpengine());
    const kam = (parts.kam = await startKamailio({
      auth: true,
      rtpengine: { ngPort: rtp.ngPort },
    }));
    const app = (parts.app = await startApp({
      ...opts.app,
      locale: 'ja',
      sip: { server: kam.wsUrl, aor: `sip:1001@${kam.domain}`, password: 'pw1001' },
    }));
    const ui = (parts.ui = await launchChromium({ timezoneId: opts.timezoneId }));
    if (opts.clock) await ui.page.clock.install({ time: opts.clock() });
    await ui.page.goto(app.server.url);
    await ui.page
      .locator('[data-testid="reg-status"][data-state="registered"]')
      .waitFor({ timeout: 15_000 });
    const stats = () => ui.page.evaluate(() => window.agentMediaStats()) as Promise<MediaStats>;
    const inbound = async (callId?: string) => {
      const s = await stats();
      const entry = callId ? s[callId] : Object.values(s)[0];
      return entry?.bytesReceived ?? 0;
    };
    return {
      rtp,
      kam,
      app,
      ui,
      stats,
      call(caller) {
        const run = runSipp({
          scenario: 'uac_controls',
          target: `127.0.0.1:${kam.udpPort}`,
          service: '1001',
          keys: { ...callerKeys(caller), notify_final: 'SIP/2.0 200 OK' },
          rtpEcho: true,
          timeoutSec: 90,
          trace: true,
        });
        runs.push(run);
        return run;
      },
      async audioFlowing(callId, bytes = 2000) {
        await expect.poll(() => inbound(callId), { timeout: 15_000 }).toBeGreaterThan(0);
        const start = await inbound(callId);
        await expect
          .poll(() => inbound(callId), { timeout: 15_000, interval: 200 })
          .toBeGreaterThan(start + bytes);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

declare global {
  interface Window {
    agentMediaStats(): Promise<MediaStats>;
  }
}
