// Real audio through the test proxy's rtpengine, both directions, with the RTCPeerConnection
// in real Chromium (the app's media split): a plain-RTP caller (sipp, echoing) → the agent's
// WebRTC, and the agent's WebRTC → a plain-RTP far end (sipp UAS, echoing) with hold/unhold.
// sipp echoes what it receives, so the agent's inbound audio growing proves both legs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from 'sip.js';
import { silentLogger } from '../../../main/core/log';
import { createProxySdhFactory } from '../../../main/core/phone/proxy-sdh';
import { loadSip } from '../../../main/core/phone/sip-runtime';
import { createMediaHub } from '../../../main/core/rpc/media-port';
import { launchChromium, type BrowserUnderTest } from '../../infra/chromium';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay } from '../../infra/process';
import { startRtpengine, type RtpengineHandle } from '../../infra/rtpengine';
import { callerKeys, runSipp } from '../../infra/sipp';
import { openMediaPage, type MediaPage } from '../../infra/webrtc-media-page';

const PEERS = ['kamailio', 'sipp', 'rtpengine', 'chromium'] as const;

describe.skipIf(shouldSkip(...PEERS))(
  'WebRTC ↔ plain RTP media via rtpengine (real Chromium)',
  () => {
    let rtp: RtpengineHandle;
    let k: KamailioHandle;
    let browser: BrowserUnderTest;
    let page: MediaPage;

    beforeAll(async () => {
      assertPeers(...PEERS);
      rtp = await startRtpengine();
      k = await startKamailio({ auth: true, rtpengine: { ngPort: rtp.ngPort } });
      browser = await launchChromium();
      page = await openMediaPage(browser.page);
    });
    afterAll(async () => {
      await page?.close();
      await browser?.close();
      await k?.stop();
      await rtp?.stop();
    });

    it('a plain-RTP caller reaches the WebRTC agent with two-way audio', async () => {
      let h: PhoneHarness | null = null;
      try {
        h = startPhoneHarness({
          server: k.wsUrl,
          user: '1001',
          media: createMediaHub({ timeoutMs: 5000 }),
        });
        h.detachRenderer();
        h.media.attach(page.sender);
        await h.phone.start();
        await h.waitForStatus((s) => s.registration === 'registered');
        const ringingP = h.waitForCall((c) => c.state === 'ringing');
        const sipp = runSipp({
          scenario: 'uac_call',
          target: `127.0.0.1:${k.udpPort}`,
          service: '1001',
          keys: callerKeys({ user: '0312345678' }),
          rtpEcho: true,
          pauseMs: 3000,
          trace: true,
          timeoutSec: 15,
        });
        const ringing = await ringingP;
        await h.phone.answer(ringing.id);
        await h.waitForCall((c) => c.id === ringing.id && c.state === 'active');
        await delay(1500);
        const first = (await page.stats())[ringing.id];
        await delay(800);
        const second = (await page.stats())[ringing.id];
        expect(first?.ice).toMatch(/connected|completed/);
        expect(first?.tx).toBeGreaterThan(1000);
        expect(second?.rx ?? 0).toBeGreaterThan((first?.rx ?? 0) + 1000);
        const res = await sipp.done;
        expect(res.code, sipp.errors()).toBe(0);
        // The caller saw plain RTP: no ICE, no DTLS, RTCP on its own port.
        const answer = sipp.messages().split('SIP/2.0 200 OK')[1] ?? '';
        expect(answer).toMatch(/m=audio \d+ RTP\/AVP /);
        expect(answer).not.toMatch(/a=ice-ufrag|a=fingerprint|a=rtcp-mux/);
        await h.waitForCall((c) => c.id === ringing.id && c.state === 'ended');
      } finally {
        await h?.stop();
      }
    });

    it('the WebRTC agent calls a plain-RTP far end: audio both ways, across hold/unhold', async () => {
      const sip = await loadSip();
      const uas = runSipp({
        scenario: 'uas_rr',
        target: `127.0.0.1:${k.udpPort}`,
        localPort: k.gatewayPort,
        rtpEcho: true,
        trace: true,
        timeoutSec: 20,
      });
      const media = createMediaHub({ timeoutMs: 5000 });
      media.attach(page.sender);
      const ids = new WeakMap<Session, string>();
      // Outbound calls are not in PhoneService yet: drive SIP.js directly with the same handler.
      const ua = new sip.UserAgent({
        uri: sip.UserAgent.makeURI('sip:1002@127.0.0.1'),
        transportOptions: { server: k.wsUrl },
        authorizationUsername: '1002',
        authorizationPassword: 'pw1002',
        logBuiltinEnabled: false,
        logLevel: 'error',
        sessionDescriptionHandlerFactory: createProxySdhFactory({
          media,
          callIdFor: (s) => {
            if (!ids.has(s)) ids.set(s, 'out-1');
            return ids.get(s) ?? 'out-1';
          },
          log: silentLogger,
        }),
      });
      try {
        await ua.start();
        const target = sip.UserAgent.makeURI('sip:0312345678@127.0.0.1');
        if (!target) throw new Error('bad target');
        const inviter = new sip.Inviter(ua, target);
        const established = new Promise<void>((resolve, reject) =>
          inviter.stateChange.addListener((s) => {
            if (s === sip.SessionState.Established) resolve();
            if (s === sip.SessionState.Terminated) reject(new Error('call failed'));
          }),
        );
        await inviter.invite(); // 407 from Kamailio is answered by SIP.js
        await established;
        await delay(1500);
        const talking = (await page.stats())['out-1'];
        expect(talking?.ice).toMatch(/connected|completed/);
        expect(talking?.rx).toBeGreaterThan(1000);

        await inviter.invite({ sessionDescriptionHandlerOptions: { hold: true } as object });
        await delay(400);
        await inviter.invite({ sessionDescriptionHandlerOptions: { hold: false } as object });
        await delay(800);
        const a = (await page.stats())['out-1'];
        await delay(800);
        const b = (await page.stats())['out-1'];
        expect(b?.rx ?? 0).toBeGreaterThan((a?.rx ?? 0) + 1000);
        const trace = uas.messages();
        expect(trace).toMatch(/a=recvonly/); // the hold answer
        await inviter.bye();
        const res = await uas.done;
        expect(res.code, uas.errors()).toBe(0);
      } finally {
        await uas.stop();
        await ua.stop().catch(() => {});
      }
    });
  },
);
