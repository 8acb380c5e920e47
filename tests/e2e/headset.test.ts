// The headset end to end (browser mode, Debian Chromium): a WebHID device object backed by a
// real headset's report descriptor (the Jabra Link 380c, parsed from its bytes) in place of
// navigator.hid; a real call from sipp through Kamailio + rtpengine to the real core. The
// headset rings (its LED report), its hook switch answers the call (sipp gets the 200 OK),
// its mute button mutes it (the LED follows), hook on hangs up (sipp gets the BYE), the LEDs
// go dark; unplugged and plugged back, it is told the state again.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInputReport } from '../../renderer/headset/telephony-reports';
import { fixtureCollections, fixtureControls } from '../infra/hid-fixtures';
import { shouldSkip } from '../infra/peers';
import { artifacts, E2E_PEERS, startCallCentre, type CallCentre } from './call-centre';
import { installFakeHid, type SentReport } from './fake-webhid';

// Jabra Link 380c: telephony input and LED output are both report 2, two bytes each.
const controls = fixtureControls('jabra-link-380c');
const input = (values: Parameters<typeof buildInputReport>[2]) => [
  ...buildInputReport(controls, 2, values),
];
const LED = {
  ringing: [0x88, 0x00], // ring + ringer
  talking: [0x01, 0x00], // off-hook
  muted: [0x05, 0x00], // off-hook + mute
  dark: [0x00, 0x00],
};

describe.skipIf(shouldSkip(...E2E_PEERS))('headset end to end (browser mode, WebHID)', () => {
  let cc: CallCentre;
  beforeAll(async () => {
    cc = await startCallCentre();
    const page = cc.ui.page;
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
  });
  afterAll(async () => {
    await cc?.close();
  });

  const sent = (page: Page) => page.evaluate(() => window.__hid.sent) as Promise<SentReport[]>;
  const leds = async (page: Page) => (await sent(page)).filter((r) => r.reportId === 2).at(-1);
  const ledsBecome = (page: Page, bytes: number[]) =>
    expect.poll(() => leds(page), { timeout: 10_000 }).toEqual({ reportId: 2, bytes });
  const press = (page: Page, bytes: number[]) =>
    page.evaluate(([b]) => window.__hid.input(2, b!), [bytes]);
  // Hook and mute reports right after the app changed those LEDs are taken for the
  // headset's echo (echo window 500 ms): a person presses later than that.
  const human = (page: Page) => page.waitForTimeout(700);

  it('rings, answers on hook off, mutes, hangs up on hook on; the LEDs follow', async () => {
    const page = cc.ui.page;
    // Connected and told "no call".
    await ledsBecome(page, LED.dark);

    const sipp = cc.call({ user: '0355550101', display: 'Yamada' });
    await expect
      .poll(() => page.getByTestId('pop-name').textContent(), { timeout: 10_000 })
      .toContain('山田 太郎');
    await ledsBecome(page, LED.ringing);
    await human(page);

    // Hook off: the call is answered through the real core (sipp has its 200 OK once active).
    await press(page, input({ hookSwitch: 1 }));
    await page
      .locator('[data-testid="call-state"][data-state="active"]')
      .waitFor({ timeout: 10_000 });
    await ledsBecome(page, LED.talking);
    await human(page);

    // Mute: a toggle button (press, release); the app mutes and the LED says so.
    await press(page, input({ hookSwitch: 1, phoneMute: 1 }));
    await press(page, input({ hookSwitch: 1 }));
    await ledsBecome(page, LED.muted);
    await expect
      .poll(() => page.getByTestId('mute').getAttribute('aria-pressed'), { timeout: 5_000 })
      .toBe('true');
    await page.screenshot({ path: join(artifacts, 'e2e-headset-muted.png') });

    // Unplugged and plugged back: the headset is told the state again at once.
    const before = (await sent(page)).length;
    await page.evaluate(() => window.__hid.unplug());
    await page.evaluate(() => window.__hid.plug());
    await expect
      .poll(async () => (await sent(page)).length, { timeout: 5_000 })
      .toBeGreaterThan(before);
    await ledsBecome(page, LED.muted);
    // The headset follows the LEDs it was sent and reports its hook off again (an echo: the
    // app takes no action on it).
    await press(page, input({ hookSwitch: 1 }));
    await human(page);
    expect(await page.getByTestId('call-state').getAttribute('data-state')).toBe('active');

    // Hook on: hung up; sipp got our BYE.
    await press(page, input({}));
    const result = await sipp.done;
    expect(result.code, result.stderr).toBe(0);
    await ledsBecome(page, LED.dark);
  }, 90_000);
});
