// Registration against a real Kamailio with digest auth: success, a wrong password, and the
// server going away and coming back on the same address.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertPeers, shouldSkip } from '../../infra/peers';
import { startKamailio, type KamailioHandle } from '../../infra/kamailio';
import { startPhoneHarness, type PhoneHarness } from '../../infra/phone-harness';
import { delay } from '../../infra/process';

/** REGISTERs Kamailio has seen for a user (its cfg logs `REQ <method> <ruri> to=<user> …`). */
const registerCount = (k: KamailioHandle, user: string) =>
  k
    .logs()
    .split('\n')
    .filter((l) => l.includes('REQ REGISTER') && l.includes(` to=${user} `)).length;

describe.skipIf(shouldSkip('kamailio'))('phone registration (real Kamailio)', () => {
  let k: KamailioHandle;
  const harnesses: PhoneHarness[] = [];
  const harness = (o: Parameters<typeof startPhoneHarness>[0]) => {
    const h = startPhoneHarness(o);
    harnesses.push(h);
    return h;
  };

  beforeAll(async () => {
    assertPeers('kamailio');
    k = await startKamailio({ auth: true });
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.stop()));
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('registers with digest auth: connecting → registered', async () => {
    const h = harness({ server: k.wsUrl, user: '1001' });
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');
    expect(h.statuses.map((s) => s.registration)).toEqual(['connecting', 'registered']);
    expect(h.phone.status()).toMatchObject({
      registration: 'registered',
      aor: 'sip:1001@127.0.0.1',
      error: null,
    });
    // Kamailio challenged (401) and accepted the digest: two REGISTERs (its log arrives
    // through a pipe, possibly after the 200 did).
    await vi.waitFor(() => expect(registerCount(k, '1001')).toBe(2));
  });

  it('a wrong password → failed/auth_failed, and it stops trying', async () => {
    const before = registerCount(k, '1002');
    const h = harness({ server: k.wsUrl, user: '1002', password: 'wrong' });
    await h.phone.start();
    const failed = await h.waitForStatus((s) => s.registration === 'failed');
    expect(failed.error?.code).toBe('auth_failed');
    expect(failed.error?.message).toMatch(/user name or password/);
    // Backoff here is 200 ms: a retry loop would show up within a second.
    await delay(1200);
    expect(h.phone.status().registration).toBe('failed');
    expect(h.statuses.filter((s) => s.registration === 'registered')).toHaveLength(0);
    // Challenge + one answered attempt: exactly two REGISTERs, no more.
    expect(registerCount(k, '1002') - before).toBe(2);
  });

  it('an unknown user is refused the same way (no account enumeration by status)', async () => {
    const h = harness({ server: k.wsUrl, user: '4242', password: 'pw4242' });
    await h.phone.start();
    const failed = await h.waitForStatus((s) => s.registration === 'failed');
    expect(failed.error?.code).toBe('auth_failed');
  });

  it('an unreachable server → unregistered/transport_error, retrying', async () => {
    const h = harness({ server: 'ws://127.0.0.1:1', user: '1001', connectTimeoutSec: 1 });
    await h.phone.start();
    const s = await h.waitForStatus((x) => x.registration === 'unregistered' && x.error !== null);
    expect(s.error?.code).toBe('transport_error');
    // ...and it tries again (connecting) on its own.
    await h.waitForStatus((x) => x.registration === 'connecting', 3000, h.statuses.indexOf(s) + 1);
  });

  it('invalid config → failed/config_invalid without touching the network', async () => {
    const h = harness({ server: 'http://nope', user: '1001' });
    await h.phone.start();
    expect(h.phone.status()).toMatchObject({
      registration: 'failed',
      error: { code: 'config_invalid' },
    });
  });
});

describe.skipIf(shouldSkip('kamailio'))('phone reconnect (Kamailio restarts)', () => {
  let k: KamailioHandle | null = null;
  let h: PhoneHarness | null = null;

  beforeAll(() => assertPeers('kamailio'));
  afterAll(async () => {
    await h?.stop();
    await k?.stop();
  });

  it('transport lost → unregistered (never registered while down) → reconnects → registered', async () => {
    k = await startKamailio({ auth: true });
    const { wsPort, udpPort } = k;
    h = startPhoneHarness({ server: k.wsUrl, user: '1003' });
    await h.phone.start();
    await h.waitForStatus((s) => s.registration === 'registered');

    await k.stop();
    k = null;
    const down = await h.waitForStatus((s) => s.registration === 'unregistered', 5000);
    expect(down.error?.code).toBe('transport_error');
    const downAt = h.statuses.indexOf(down);

    // While the server is gone: retries happen, and the status never claims 'registered'.
    await delay(800);
    expect(h.statuses.slice(downAt).map((s) => s.registration)).not.toContain('registered');
    expect(h.phone.status().registration).not.toBe('registered');

    k = await startKamailio({ auth: true, wsPort, udpPort });
    await h.waitForStatus((s) => s.registration === 'registered', 8000, downAt);
    expect(h.phone.status().error).toBeNull();
  });
});
