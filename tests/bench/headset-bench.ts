// Headset benchmark (issue 4), one BENCH line with a baseline measured in the same run:
//
//   hook_to_200ok_ms  the headset's hook-switch input report (hook off) → the caller (sipp)
//                     receives the 200 OK. The whole path: a WebHID device object built from
//                     the Jabra Link 380c's real report descriptor in Chromium (browser mode),
//                     the app's parser and headset machine, the answer through core, SIP.js
//                     over WebSocket, the real Kamailio + rtpengine, WebRTC's answer SDP.
//                     Baseline: the same calls answered with the screen's Answer button (a
//                     click in the page) → the 200 OK. Rounds alternate, so drift hits both
//                     alike; the ratio is what the headset path adds to the button's.
//
// Each call rings until its ring LED report has been sent and the echo window (500 ms after
// an LED change) has passed, as a person's press would; the agent then hangs up (hook on, or
// the Hang up button), and the next call starts once the LEDs are dark.
//
// Knobs: BENCH_HOOK_CALLS (default 30 each way).
// Direct entry: `npx tsx tests/bench/headset-bench.ts` (after `npm run build:renderer`).
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { buildInputReport } from '../../renderer/headset/telephony-reports';
import { startCallCentre, type CallCentre } from '../e2e/call-centre';
import { installFakeHid, type SentReport } from '../e2e/fake-webhid';
import { fixtureCollections, fixtureControls } from '../infra/hid-fixtures';
import { delay } from '../infra/process';
import { parseSippTrace } from './sipp-trace';
import { benchLine, printBench } from './stats';

const CALLS = Number(process.env.BENCH_HOOK_CALLS ?? 30);
const ECHO_WINDOW_MS = 500;
const note = (s: string) => process.stderr.write(`bench: ${s}\n`);

// Jabra Link 380c: telephony input and LED output are both report 2.
const controls = fixtureControls('jabra-link-380c');
const hookOff = [...buildInputReport(controls, 2, { hookSwitch: 1 })];
const hookOn = [...buildInputReport(controls, 2, {})];
const RINGING = [0x88, 0x00];
const DARK = [0x00, 0x00];

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

const lastLeds = async (page: Page) =>
  ((await page.evaluate(() => window.__hid.sent)) as SentReport[])
    .filter((r) => r.reportId === 2)
    .at(-1)?.bytes;
const ledsAre = (page: Page, bytes: number[]) => async () =>
  JSON.stringify(await lastLeds(page)) === JSON.stringify(bytes);
const callState = (page: Page, state: string) => async () =>
  (await page.locator(`[data-testid="call-state"][data-state="${state}"]`).count()) > 0;

/** One call answered one way; the ms from the agent's action to sipp's 200, or null. */
async function oneCall(cc: CallCentre, way: 'hook' | 'button', i: number): Promise<number | null> {
  const page = cc.ui.page;
  const sipp = cc.call({ user: `03555${String(10000 + i).slice(-5)}`, display: 'Bench' });
  try {
    await waitFor('the ring LED', ledsAre(page, RINGING));
    await delay(ECHO_WINDOW_MS + 150);
    // The instant of the action, on the page's wall clock (sipp's trace is wall clock too).
    const at =
      way === 'hook'
        ? await page.evaluate((bytes) => {
            const t = performance.timeOrigin + performance.now();
            window.__hid.input(2, bytes);
            return t;
          }, hookOff)
        : await page.evaluate(() => {
            const t = performance.timeOrigin + performance.now();
            document.querySelector<HTMLButtonElement>('[data-testid="answer"]')!.click();
            return t;
          });
    await waitFor('the call active', callState(page, 'active'));
    await delay(ECHO_WINDOW_MS + 150);
    if (way === 'hook') await page.evaluate((bytes) => window.__hid.input(2, bytes), hookOn);
    else await page.locator('[data-testid="hangup"]').first().click();
    const res = await sipp.done;
    if (res.code !== 0) note(`call ${i}: sipp exited ${res.code}: ${sipp.errors().slice(0, 400)}`);
    await waitFor('the LEDs dark', ledsAre(page, DARK));
    // The wrap-up of the call just ended is left open; it does not hold the next call.
    const ok = parseSippTrace(sipp.messages()).find(
      (m) => m.direction === 'received' && m.firstLine.startsWith('SIP/2.0 200'),
    );
    return ok ? ok.atMs - at : null;
  } finally {
    await sipp.stop();
  }
}

export async function runHeadsetBenches(): Promise<void> {
  const cc = await startCallCentre();
  try {
    const page = cc.ui.page;
    // tsx keeps function names with a helper the page does not have (vitest does not).
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.addInitScript(installFakeHid, {
      vendorId: 0x0b0e,
      productId: 0x0412,
      productName: 'Jabra Link 380',
      collections: fixtureCollections('jabra-link-380c'),
    });
    await page.reload();
    await page
      .locator('[data-testid="reg-status"][data-state="registered"]')
      .waitFor({ timeout: 15_000 });
    await waitFor('the headset told "no call"', ledsAre(page, DARK));
    const hook: number[] = [];
    const button: number[] = [];
    let missed = 0;
    for (let i = 0; i < CALLS * 2; i++) {
      const way = i % 2 === 0 ? 'hook' : 'button';
      const ms = await oneCall(cc, way, i);
      if (ms === null) missed++;
      else (way === 'hook' ? hook : button).push(ms);
    }
    printBench(
      benchLine('hook_to_200ok_ms', hook, button, {
        missed,
        device: 'Jabra Link 380c descriptor (WebHID object in Chromium)',
        baselineWhat: "the screen's Answer button clicked → 200 at the caller, same calls",
      }),
    );
  } finally {
    await cc.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runHeadsetBenches().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
