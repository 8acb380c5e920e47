import { describe, expect, it } from 'vitest';
import { createMediaHub } from '../../../../main/core/rpc/media-port';

describe('media hub', () => {
  it('fails clearly with no renderer attached', async () => {
    const hub = createMediaHub();
    expect(hub.available).toBe(false);
    await expect(hub.request('close', { callId: 'c1' })).rejects.toMatchObject({
      code: 'unavailable',
    });
  });

  it('routes to the newest renderer and validates its answers', async () => {
    const hub = createMediaHub();
    const seen: string[] = [];
    const detachOld = hub.attach(async (m) => (seen.push(`old:${m}`), { sdp: 'v=0 old' }));
    hub.attach(async (m) => (seen.push(`new:${m}`), { sdp: 'v=0 new' }));
    await expect(hub.request('getDescription', { callId: 'c1', hold: false })).resolves.toEqual({
      sdp: 'v=0 new',
    });
    detachOld(); // a stale detach must not unplug the current renderer
    expect(hub.available).toBe(true);
    expect(seen).toEqual(['new:getDescription']);
  });

  it('delivers setMute and conference, and refuses malformed requests before sending', async () => {
    const hub = createMediaHub();
    const seen: [string, unknown][] = [];
    hub.attach(async (m, a) => (seen.push([m, a]), { ok: true }));
    await hub.request('setMute', { callId: 'c-1', muted: true });
    await hub.request('conference', { callIds: ['c-1', 'c-2'] });
    await expect(hub.request('setMute', { callId: 'bad id!', muted: true })).rejects.toMatchObject({
      code: 'internal',
    });
    expect(seen).toEqual([
      ['setMute', { callId: 'c-1', muted: true }],
      ['conference', { callIds: ['c-1', 'c-2'] }],
    ]);
  });

  it('passes a renderer failure on as an error', async () => {
    const hub = createMediaHub();
    hub.attach(async () => {
      throw new Error('no track');
    });
    await expect(hub.request('setMute', { callId: 'c-1', muted: true })).rejects.toThrow(
      'no track',
    );
  });

  it('rejects a malformed renderer answer', async () => {
    const hub = createMediaHub();
    hub.attach(async () => ({ sdp: 42 }));
    await expect(
      hub.request('getDescription', { callId: 'c1', hold: false }),
    ).rejects.toMatchObject({ code: 'internal' });
  });

  it('times out a renderer that never answers', async () => {
    const hub = createMediaHub({ timeoutMs: 20 });
    hub.attach(() => new Promise(() => {}));
    await expect(hub.request('close', { callId: 'c1' })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('waitForRenderer resolves on attach and times out otherwise', async () => {
    const hub = createMediaHub();
    await expect(hub.waitForRenderer(10)).rejects.toMatchObject({ code: 'unavailable' });
    const waiting = hub.waitForRenderer(1000);
    hub.attach(async () => ({ ok: true }));
    await expect(waiting).resolves.toBeUndefined();
  });
});
