// Call controls where media matters, with the agent's RTCPeerConnection in real Chromium and
// rtpengine bridging to a plain-RTP far end (sipp on Kamailio's default gateway):
//  - DTMF in rfc4733 mode (RTCDTMFSender) arrives at the plain-RTP far end as RFC 4733
//    telephone-event packets for the right digits (a UDP listener of ours is the far end's
//    media port and decodes the RTP);
//  - a renderer coming back mid-call (a new page with fresh peer connections attaches, the
//    old one goes away) gets audio again through the re-INVITE PhoneService sends.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneSettings } from '../../../preload/contract';
import { createMediaHub } from '../../../main/core/rpc/media-port';
import { launchChromium, type BrowserUnderTest } from '../../infra/chromium';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay, waitUntil } from '../../infra/process';
import { startRtpengine, type RtpengineHandle } from '../../infra/rtpengine';
import { scenarioWith } from '../../infra/sipp';
import { openMediaPage, type MediaPage } from '../../infra/webrtc-media-page';
import { expectSippOk, received, startFarEnd } from './call-helpers';

const PEERS = ['kamailio', 'sipp', 'rtpengine', 'chromium'] as const;

interface RtpPacket {
  pt: number;
  seq: number;
  ts: number;
  payload: Buffer;
}

/** Parses an RTP packet (RFC 3550): version 2, CSRCs and a header extension skipped. */
function parseRtp(buf: Buffer): RtpPacket | null {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return null;
  const cc = buf[0]! & 0x0f;
  let off = 12 + cc * 4;
  if (buf[0]! & 0x10) {
    if (buf.length < off + 4) return null;
    off += 4 + buf.readUInt16BE(off + 2) * 4;
  }
  if (buf.length < off) return null;
  return {
    pt: buf[1]! & 0x7f,
    seq: buf.readUInt16BE(2),
    ts: buf.readUInt32BE(4),
    payload: buf.subarray(off),
  };
}

/** RFC 4733 events by RTP timestamp (one per tone), in order: 0-9, 10 = *, 11 = #. */
function telephoneEvents(packets: RtpPacket[], pt: number): { event: number; ended: boolean }[] {
  const byTs = new Map<number, { event: number; ended: boolean }>();
  for (const p of packets) {
    if (p.pt !== pt || p.payload.length < 4) continue;
    const prev = byTs.get(p.ts);
    const ended = (p.payload[1]! & 0x80) !== 0;
    byTs.set(p.ts, { event: p.payload[0]!, ended: (prev?.ended ?? false) || ended });
  }
  return [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

describe.skipIf(shouldSkip(...PEERS))('media call controls (real Chromium + rtpengine)', () => {
  let rtp: RtpengineHandle;
  let k: KamailioHandle;
  let browser: BrowserUnderTest;
  let page: MediaPage;
  const settings: PhoneSettings = {
    dtmfMode: 'rfc4733',
    autoAnswer: false,
    audio: { microphoneId: null, speakerId: null, ringerId: null },
  };

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

  const startPhone = async (): Promise<PhoneHarness> => {
    const h = startPhoneHarness({
      server: k.wsUrl,
      user: '1001',
      media: createMediaHub({ timeoutMs: 5000 }),
      settings: () => settings,
      rendererWaitMs: 5000,
    });
    h.detachRenderer();
    h.media.attach(page.sender);
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');
    return h;
  };

  it('DTMF (RTCDTMFSender) arrives at the plain-RTP far end as RFC 4733 events for the right digits', async () => {
    // Our UDP socket is the far end's media port: sipp answers with its port in the SDP.
    const sink: Socket = createSocket('udp4');
    const packets: RtpPacket[] = [];
    sink.on('message', (msg) => {
      const p = parseRtp(msg);
      if (p) packets.push(p);
    });
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    const sinkPort = sink.address().port;
    let h: PhoneHarness | null = null;
    const uas = await startFarEnd(
      k,
      scenarioWith('uas_controls', { '[media_port]': String(sinkPort) }),
      { keys: { notify_final: 'SIP/2.0 200 OK' }, timeoutSec: 25 },
    );
    try {
      h = await startPhone();
      const id = await h.phone.dial('0312345678');
      await h.waitForCall((c) => c.id === id && c.state === 'active', 10_000);
      // Audio flows from Chromium through rtpengine as plain PCMU before any tone.
      await waitUntil(async () => packets.some((p) => p.pt === 0), {
        timeoutMs: 8000,
        what: 'PCMU at the far end',
      });
      // The telephone-event payload type the far end agreed to (the offer's, via rtpengine).
      const answer = uas.messages().split('SIP/2.0 200 OK')[1] ?? '';
      const pt = Number(/a=rtpmap:(\d+) telephone-event\/8000/.exec(answer)?.[1] ?? NaN);
      expect(pt).toBeGreaterThanOrEqual(96);
      expect(packets.filter((p) => p.pt === pt)).toHaveLength(0);

      await h.phone.sendDtmf(id, '19#');
      // RTCDTMFSender: 100 ms per tone + 70 ms gap.
      await waitUntil(async () => telephoneEvents(packets, pt).filter((e) => e.ended).length >= 3, {
        timeoutMs: 5000,
        what: 'three telephone-events at the far end',
      });
      const events = telephoneEvents(packets, pt);
      expect(events.map((e) => e.event)).toEqual([1, 9, 11]);
      expect(events.every((e) => e.ended)).toBe(true);
      // rfc4733 mode puts nothing into SIP.
      await h.phone.hangup(id);
      await expectSippOk(uas);
      expect(received(uas.messages(), 'INFO')).toHaveLength(0);
    } finally {
      await uas.stop();
      await h?.stop();
      sink.close();
    }
  });

  it('the renderer comes back mid-call (new page, fresh peer connections): re-INVITE, audio flows again', async () => {
    const uas = await startFarEnd(k, 'uas_controls', {
      keys: { notify_final: 'SIP/2.0 200 OK' },
      timeoutSec: 30,
      rtpEcho: true,
    });
    let h: PhoneHarness | null = null;
    let second: MediaPage | null = null;
    const secondTab = await browser.context.newPage();
    try {
      h = await startPhone();
      const id = await h.phone.dial('0312345678');
      await h.waitForCall((c) => c.id === id && c.state === 'active', 10_000);
      await delay(1500);
      const before = (await page.stats())[id];
      expect(before?.rx ?? 0).toBeGreaterThan(1000);

      // The "reloaded" renderer: a fresh page with no peer connection for this call attaches;
      // the old one's peer connections go away (as a reload or a crash would take them).
      second = await openMediaPage(secondTab);
      const t0 = Date.now();
      h.media.attach(second.sender);
      await page.closeAll();
      let recoveredMs = -1;
      await waitUntil(
        async () => {
          const s = (await second!.stats())[id];
          if (s && s.rx > 1000 && /connected|completed/.test(s.ice)) {
            recoveredMs = Date.now() - t0;
            return true;
          }
          return false;
        },
        { timeoutMs: 10_000, intervalMs: 100, what: 'audio on the new page' },
      );
      const a = (await second.stats())[id];
      await delay(800);
      const b = (await second.stats())[id];
      expect(b?.rx ?? 0).toBeGreaterThan((a?.rx ?? 0) + 1000);
      expect(h.phone.calls().find((c) => c.id === id)?.state).toBe('active');
      console.log(`media recovered after renderer re-attach in ${recoveredMs} ms`);

      await h.phone.hangup(id);
      await expectSippOk(uas);
      // Initial INVITE + the recovery re-INVITE, both offers from Chromium.
      expect(received(uas.messages(), 'INVITE')).toHaveLength(2);
    } finally {
      await uas.stop();
      await h?.stop();
      await second?.close();
      await secondTab.close().catch(() => {});
    }
  });
});
