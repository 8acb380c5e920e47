// The headset end to end (browser mode, Debian Chromium): a WebHID device object backed by a
// real headset's report descriptor (the Jabra Link 380c, parsed from its bytes) in place of
// navigator.hid; a real call from sipp through Kamailio + rtpengine to the real core. The
// headset rings (its LED report), its hook switch answers the call (sipp gets the 200 OK),
// its mute button mutes it (the LED follows), hook on hangs up (sipp gets the BYE), the LEDs
// go dark; unplugged and plugged back, it is told the state again. The screen shows it
// connected with its buttons; the settings' test lights its ring LED, then dark. Swapped for
// a headset with consumer keys only (synthetic descriptor), its Play/Pause answers and hangs
// up the next call, and it is never sent a report.
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

// SYNTHETIC consumer-only headset (tests/fixtures/hid): Play/Pause arrives in report 2, a
// 16-bit array slot holding the usage (0x00CD, little-endian). The ids are pid.codes' test ids.
const consumerOnly = {
  vendorId: 0x1209,
  productId: 0x0001,
  productName: 'USB Headset',
  collections: fixtureCollections('synthetic-consumer-only-headset'),
};
const PLAY_PAUSE = [0xcd, 0x00];
const NO_KEY = [0x00, 0x00];

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

  it('shows the Jabra connected with its buttons; the test lights the ring LED, then dark', async () => {
    const page = cc.ui.page;
    const bar = page.getByTestId('headset-status');
    expect(await bar.getAttribute('data-state')).toBe('connected');
    expect(await bar.textContent()).toBe('ヘッドセット接続中');

    await page.getByTestId('settings-open').click();
    const device = page.getByTestId('headset-device');
    expect(await device.textContent()).toBe('Jabra Link 380（0b0e:0412）');
    expect(await device.getAttribute('data-state')).toBe('connected');
    expect(await page.getByTestId('headset-buttons').locator('li').allTextContents()).toEqual([
      '応答 / 終話',
      'ミュート',
      'フラッシュ（待機中の着信に応答）',
      'リダイヤル（動作なし）',
      '話中（動作なし）',
    ]);

    // No call now: the test rings for 3 s, then the LEDs say "no call" again.
    const before = (await sent(page)).length;
    const test = page.getByTestId('headset-test');
    await test.click();
    await ledsBecome(page, LED.ringing);
    const ringAt = Date.now();
    expect(await bar.getAttribute('data-state')).toBe('testing');
    expect(await test.isDisabled()).toBe(true);
    await page.getByTestId('headset').screenshot({ path: join(artifacts, 'e2e-headset-test.png') });
    await page.locator('.statusbar').screenshot({ path: join(artifacts, 'e2e-headset-bar.png') });
    await ledsBecome(page, LED.dark);
    const rang = Date.now() - ringAt;
    expect(rang).toBeGreaterThan(2_000);
    expect(rang).toBeLessThan(5_000);
    expect((await sent(page)).slice(before)).toEqual([
      { reportId: 2, bytes: LED.ringing },
      { reportId: 2, bytes: LED.dark },
    ]);
    await expect.poll(() => bar.getAttribute('data-state')).toBe('connected');
    await page.getByTestId('settings-close').click();
  }, 30_000);

  it('a headset with media keys only: Play/Pause answers and hangs up a real call', async () => {
    const page = cc.ui.page;
    await page.evaluate((spec) => window.__hid.replace(spec), consumerOnly);
    const before = (await sent(page)).length;
    await page.getByTestId('settings-open').click();
    await page.getByTestId('headset-media-keys').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('headset-device').textContent()).toBe('USB Headset（1209:0001）');
    // Its Mute key is the system's volume mute: not taken, not listed.
    expect(await page.getByTestId('headset-keys').locator('li').allTextContents()).toEqual([
      '再生/一時停止: 応答 / 終話',
    ]);
    expect(await page.getByTestId('headset-test').count()).toBe(0);
    await page.getByTestId('settings-close').click();

    const sipp = cc.call({ user: '0355550101', display: 'Yamada' });
    await page
      .locator('[data-testid="call-state"][data-state="ringing"]')
      .waitFor({ timeout: 10_000 });
    await human(page);
    await press(page, PLAY_PAUSE);
    await press(page, NO_KEY);
    await page
      .locator('[data-testid="call-state"][data-state="active"]')
      .waitFor({ timeout: 10_000 });
    await human(page);
    await press(page, PLAY_PAUSE);
    await press(page, NO_KEY);
    const result = await sipp.done;
    expect(result.code, result.stderr).toBe(0);
    // No lights on such a headset: nothing was ever sent to it.
    expect((await sent(page)).length).toBe(before);
  }, 90_000);
});
