// PhoneService without a network: config validation, lifecycle and typed errors. Calls and
// registration against a real Kamailio are in tests/integration/phone.
import { describe, expect, it } from 'vitest';
import { PhoneStatus } from '../../../../preload/contract';
import { silentLogger } from '../../../../main/core/log';
import { createPhoneService } from '../../../../main/core/phone/phone-service';
import { createMediaHub } from '../../../../main/core/rpc/media-port';

const base = { media: createMediaHub(), log: silentLogger, now: () => 1_000 };

describe('createPhoneService (offline)', () => {
  it('starts unregistered with the configured AoR and no calls', () => {
    const phone = createPhoneService({
      ...base,
      config: { server: 'ws://127.0.0.1:1', aor: 'sip:1001@pbx.example', password: 'x' },
    });
    expect(phone.status()).toEqual({
      registration: 'unregistered',
      aor: 'sip:1001@pbx.example',
      error: null,
      since: 1_000,
    });
    expect(phone.calls()).toEqual([]);
  });

  it('an invalid config fails with config_invalid and a readable message', async () => {
    const phone = createPhoneService({
      ...base,
      config: { server: 'http://pbx', aor: '1001', password: 'x' },
    });
    const seen: unknown[] = [];
    phone.on('status', (s) => seen.push(s));
    await phone.start();
    const s = phone.status();
    expect(PhoneStatus.safeParse(s).success).toBe(true);
    expect(s).toMatchObject({
      registration: 'failed',
      aor: null,
      error: { code: 'config_invalid' },
    });
    expect(s.error?.message).toMatch(/settings are invalid/);
    expect(seen).toHaveLength(1);
    await phone.stop();
  });

  it('call actions before start are not_found; start twice throws; stop is idempotent', async () => {
    const phone = createPhoneService({
      ...base,
      config: { server: 'http://pbx', aor: 'sip:1@x', password: '' },
    });
    await expect(phone.answer('c-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.reject('c-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.hangup('c-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.dial('1002')).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.hold('c-1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.setMute('c-1', true)).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.sendDtmf('c-1', '1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(phone.conference(['c-1', 'c-2'])).rejects.toMatchObject({ code: 'not_found' });
    expect(() =>
      phone.updateQuality('c-1', { mos: 4, lossPct: 0, jitterMs: 0, rttMs: null }),
    ).toThrow(expect.objectContaining({ code: 'not_found' }));
    await phone.start();
    await expect(phone.start()).rejects.toThrow(/already/);
    await phone.stop();
    await phone.stop();
  });

  it('listeners can unsubscribe and a throwing listener does not break others', async () => {
    const phone = createPhoneService({
      ...base,
      config: { server: 'nope', aor: 'sip:1@x', password: '' },
    });
    const got: string[] = [];
    const off = phone.on('status', () => got.push('removed'));
    off();
    phone.on('status', () => {
      throw new Error('boom');
    });
    phone.on('status', (s) => got.push(s.registration));
    await phone.start();
    expect(got).toEqual(['failed']);
  });
});
