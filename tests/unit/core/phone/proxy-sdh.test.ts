import { describe, expect, it, vi } from 'vitest';
import type { Session } from 'sip.js';
import type { MediaMethod } from '../../../../preload/contract';
import { silentLogger } from '../../../../main/core/log';
import {
  createProxySdhFactory,
  ProxySessionDescriptionHandler,
} from '../../../../main/core/phone/proxy-sdh';
import { RpcFailure } from '../../../../main/core/rpc/dispatcher';
import { createMediaHub, type MediaSender } from '../../../../main/core/rpc/media-port';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n';

/** A real MediaHub with a fake renderer that records every request. */
function setup(reply?: (method: MediaMethod, args: unknown) => unknown) {
  const hub = createMediaHub({ timeoutMs: 200 });
  const seen: { method: MediaMethod; args: unknown }[] = [];
  const sender: MediaSender = async (method, args) => {
    seen.push({ method, args });
    if (reply) return reply(method, args);
    if (method === 'getDescription') return { sdp: SDP };
    if (method === 'sendDtmf') return { sent: true };
    return { ok: true };
  };
  const detach = hub.attach(sender);
  const sdh = new ProxySessionDescriptionHandler(hub, 'c-1', silentLogger);
  return { hub, sdh, seen, detach };
}

describe('ProxySessionDescriptionHandler', () => {
  it('getDescription asks the renderer with the app call id and hold=false', async () => {
    const { sdh, seen } = setup();
    await expect(sdh.getDescription()).resolves.toEqual({
      body: SDP,
      contentType: 'application/sdp',
    });
    expect(seen).toEqual([{ method: 'getDescription', args: { callId: 'c-1', hold: false } }]);
  });

  it('reads hold from SessionDescriptionHandlerOptions', async () => {
    const { sdh, seen } = setup();
    await sdh.getDescription({ hold: true } as never);
    await sdh.getDescription({ constraints: {} });
    expect(seen.map((s) => s.args)).toEqual([
      { callId: 'c-1', hold: true },
      { callId: 'c-1', hold: false },
    ]);
  });

  it('passes iceRestart through only when asked for (a fresh offer after a network change)', async () => {
    const { sdh, seen } = setup();
    await sdh.getDescription({ hold: false, iceRestart: true } as never);
    await sdh.getDescription({ hold: true, iceRestart: false } as never);
    expect(seen.map((s) => s.args)).toEqual([
      { callId: 'c-1', hold: false, iceRestart: true },
      { callId: 'c-1', hold: true },
    ]);
  });

  it('setDescription forwards the remote SDP', async () => {
    const { sdh, seen } = setup();
    await sdh.setDescription(SDP);
    expect(seen).toEqual([{ method: 'setDescription', args: { callId: 'c-1', sdp: SDP } }]);
  });

  it('refuses an empty or oversized remote SDP without bothering the renderer', async () => {
    const { sdh, seen } = setup();
    await expect(sdh.setDescription('')).rejects.toThrow(/SDP/);
    await expect(sdh.setDescription('x'.repeat(70_000))).rejects.toThrow(/SDP/);
    expect(seen).toHaveLength(0);
  });

  it('hasDescription is true for application/sdp only', () => {
    const { sdh } = setup();
    expect(sdh.hasDescription('application/sdp')).toBe(true);
    expect(sdh.hasDescription('Application/SDP; charset=utf-8')).toBe(true);
    expect(sdh.hasDescription('text/plain')).toBe(false);
  });

  it('renderer errors propagate as rejections', async () => {
    const { sdh } = setup(() => {
      throw new Error('pc failed');
    });
    await expect(sdh.getDescription()).rejects.toThrow('pc failed');
    await expect(sdh.setDescription(SDP)).rejects.toThrow('pc failed');
  });

  it('a malformed renderer answer is an internal RpcFailure', async () => {
    const { sdh } = setup(() => ({ nope: true }));
    await expect(sdh.getDescription()).rejects.toMatchObject({ code: 'internal' });
  });

  it('no renderer → unavailable; a silent renderer → timeout', async () => {
    const { sdh, detach } = setup(() => new Promise(() => {}));
    await expect(sdh.getDescription()).rejects.toMatchObject({ code: 'timeout' });
    detach();
    const err = await sdh.getDescription().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcFailure);
    expect(err).toMatchObject({ code: 'unavailable' });
  });

  it('sendDtmf validates tones and hands them to the renderer', async () => {
    const { sdh, seen } = setup();
    expect(sdh.sendDtmf('12#*')).toBe(true);
    expect(sdh.sendDtmf('12x')).toBe(false);
    expect(sdh.sendDtmf('')).toBe(false);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual({ method: 'sendDtmf', args: { callId: 'c-1', tones: '12#*' } });
    await expect(sdh.sendDtmfAsync('5')).resolves.toBe(true);
  });

  it('sendDtmf without a renderer returns false', async () => {
    const { sdh, detach } = setup();
    detach();
    expect(sdh.sendDtmf('1')).toBe(false);
    await expect(sdh.sendDtmfAsync('1')).resolves.toBe(false);
  });

  it('close is sent once and never throws, even without a renderer', async () => {
    const { sdh, seen, detach } = setup();
    sdh.close();
    sdh.close();
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual({ method: 'close', args: { callId: 'c-1' } });
    detach();
    const other = new ProxySessionDescriptionHandler(createMediaHub(), 'c-2', silentLogger);
    expect(() => other.close()).not.toThrow();
    expect(other.sendDtmf('1')).toBe(false);
  });

  it('refuses a call id outside the contract charset', () => {
    expect(
      () => new ProxySessionDescriptionHandler(createMediaHub(), 'bad id/..', silentLogger),
    ).toThrow();
  });
});

describe('createProxySdhFactory', () => {
  it('keys each session by the app call id from callIdFor', async () => {
    const { hub, seen } = setup();
    const s1 = {} as Session;
    const s2 = {} as Session;
    const ids = new Map([
      [s1, 'c-a'],
      [s2, 'c-b'],
    ]);
    const factory = createProxySdhFactory({
      media: hub,
      callIdFor: (s) => ids.get(s) ?? 'c-unknown',
      log: silentLogger,
    });
    await factory(s1).getDescription();
    await factory(s2).setDescription(SDP);
    expect(seen.map((s) => (s.args as { callId: string }).callId)).toEqual(['c-a', 'c-b']);
  });
});
