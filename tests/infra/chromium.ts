// Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags
// that real WebRTC on loopback needs: fake microphone, no permission prompt, autoplay, and
// loopback ICE candidates (skipped by default).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findBinary } from './peers';

export interface BrowserUnderTest {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console lines from the page, for failure messages. */
  console: string[];
  close(): Promise<void>;
}

export async function launchChromium(
  opts: {
    locale?: string;
    /** The browser's IANA time zone, e.g. Asia/Tokyo; default the machine's. */
    timezoneId?: string;
  } = {},
): Promise<BrowserUnderTest> {
  const executablePath = findBinary('chromium');
  if (!executablePath)
    throw new Error('chromium is not installed (see scripts/install-system-deps.sh)');
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      '--allow-loopback-in-peer-connection',
    ],
  });
  const context = await browser.newContext({
    locale: opts.locale ?? 'ja-JP',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
    viewport: { width: 1280, height: 800 },
  });
  await context.grantPermissions(['microphone']);
  const page = await context.newPage();
  const lines: string[] = [];
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  return {
    browser,
    context,
    page,
    console: lines,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
