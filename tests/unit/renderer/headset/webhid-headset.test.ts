// The WebHID glue with a navigator.hid stand-in (the one part that cannot run here) around
// the real store, the real machine and the Jabra Link 380c's real collections: it opens a
// granted telephony headset (and ignores a keyboard), sends the LEDs, turns the hook into the
// call actions, and tells a replugged headset the state again; a consumer-only headset's
// Play/Pause and the keyboard's; the test ring and its timer; what choosing a device came to;
// the status it reports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAgentStore } from '../../../../renderer/app/store/agent-store';
import type { HeadsetStatus } from '../../../../renderer/headset/headset-status';
import { startHeadset } from '../../../../renderer/headset/webhid-headset';
import { buildInputReport } from '../../../../renderer/headset/telephony-reports';
import { fixtureCollections, fixtureControls } from '../../../infra/hid-fixtures';
import { ringingCall } from '../fixtures';
import { FakeHidDevice as Device, fakeHid } from './fake-hid';

function setup(devices: Device[], picked: Device[] = devices) {
  const hid = fakeHid(devices, picked);
  const store = createAgentStore();
  const actions = {
    answer: vi.fn(async () => {}),
    hangup: vi.fn(async () => {}),
    reject: vi.fn(async () => {}),
    setMute: vi.fn(async () => {}),
  };
  let t = 0;
  const statuses: HeadsetStatus[] = [];
  const glue = startHeadset({
    hid,
    store,
    actions,
    now: () => t,
    log: { warn: () => {} },
    onStatus: (s) => statuses.push(s),
  });
  return { hid, store, actions, glue, statuses, tick: (ms: number) => (t += ms) };
}

afterEach(() => {
  vi.useRealTimers();
});

const flush = () => new Promise((r) => setTimeout(r, 0));
const controls = fixtureControls('jabra-link-380c');

describe('WebHID headset glue', () => {
  it('opens the granted telephony headset, not the keyboard, and follows the calls', async () => {
    const keyboard = new Device('Keyboard', fixtureCollections('keyboard'));
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const { store, actions, glue, tick } = setup([keyboard, jabra]);
    await flush();
    expect(keyboard.opened).toBe(false);
    expect(jabra.opened).toBe(true);
    expect(glue.status().device?.name).toBe('Jabra Link 380');
    expect(glue.status().inputs).toContain('hookSwitch');

    store.getState().upsertCall(ringingCall({ id: 'call-1' }));
    await flush();
    expect(jabra.sent.at(-1)).toEqual([2, [0x88, 0x00]]);

    tick(1000);
    jabra.input(buildInputReport(controls, 2, { hookSwitch: 1 }));
    expect(actions.answer).toHaveBeenCalledWith('call-1');
    glue.stop();
  });

  it('tells a replugged headset the state again, and forgets an unplugged one', async () => {
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const { hid, store, glue } = setup([jabra]);
    await flush();
    store.getState().upsertCall(ringingCall({ id: 'call-1' }));
    await flush();
    hid.dispatchEvent(Object.assign(new Event('disconnect'), { device: jabra }));
    expect(glue.status().device).toBeNull();
    const again = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    hid.dispatchEvent(Object.assign(new Event('connect'), { device: again }));
    await flush();
    expect(again.opened).toBe(true);
    expect(again.sent.at(-1)).toEqual([2, [0x88, 0x00]]);
    glue.stop();
  });

  it('unplugged, the open headset gives way to another granted one still plugged in', async () => {
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const sp325 = new Device('Dell SP325', fixtureCollections('dell-sp325'));
    const devices = [jabra, sp325];
    const { hid, store, glue } = setup(devices);
    await flush();
    expect(glue.status().device?.name).toBe('Jabra Link 380');
    store.getState().upsertCall(ringingCall({ id: 'call-1' }));
    await flush();
    devices.splice(0, 1); // gone from getDevices() too
    hid.dispatchEvent(Object.assign(new Event('disconnect'), { device: jabra }));
    await flush();
    expect(glue.status().device?.name).toBe('Dell SP325');
    // Told the state at once: its ring LED (output report 5, bit 2).
    expect(sp325.sent.at(-1)).toEqual([5, [0x04]]);
    glue.stop();
  });

  it('without WebHID it does nothing and choosing is a no-op', async () => {
    const store = createAgentStore();
    const glue = startHeadset({
      hid: undefined,
      store,
      actions: { answer: vi.fn(), hangup: vi.fn(), reject: vi.fn(), setMute: vi.fn() },
    });
    expect(await glue.choose()).toEqual({ kind: 'unsupported' });
    expect(glue.status()).toEqual({
      supported: false,
      device: null,
      kind: null,
      inputs: [],
      outputs: [],
      mediaKeys: [],
      testing: false,
    });
    glue.stop();
  });

  it('reports what it opened: device, buttons, lights', async () => {
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const { statuses, glue } = setup([jabra]);
    expect(statuses[0]).toMatchObject({ supported: true, device: null, kind: null });
    await flush();
    expect(statuses.at(-1)).toEqual({
      supported: true,
      device: { name: 'Jabra Link 380', vendorId: 0x0b0e, productId: 0x0412 },
      kind: 'telephony',
      inputs: ['hookSwitch', 'flash', 'redial', 'phoneMute', 'lineBusyTone'],
      outputs: ['offHook', 'ring', 'mute', 'hold', 'microphone', 'ringer'],
      mediaKeys: [],
      testing: false,
    });
    glue.stop();
  });
});

describe('choosing a headset', () => {
  it('asks for telephony and consumer devices; the picked headset is opened', async () => {
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const { hid, glue } = setup([], [jabra]);
    await flush();
    expect(await glue.choose()).toEqual({ kind: 'connected', name: 'Jabra Link 380' });
    expect(hid.requestDevice).toHaveBeenCalledWith({
      filters: [{ usagePage: 0x0b }, { usagePage: 0x0c }],
    });
    expect(jabra.opened).toBe(true);
    glue.stop();
  });

  it('nothing picked, a device it cannot use, a refused picker', async () => {
    const keyboard = new Device('Keyboard', fixtureCollections('keyboard'));
    const { hid, glue } = setup([], []);
    expect(await glue.choose()).toEqual({ kind: 'cancelled' });
    hid.requestDevice.mockResolvedValueOnce([keyboard]);
    expect(await glue.choose()).toEqual({ kind: 'unusable', name: 'Keyboard' });
    expect(keyboard.opened).toBe(false);
    hid.requestDevice.mockRejectedValueOnce(
      new DOMException('Must be handling a user gesture to show a permission request.'),
    );
    expect(await glue.choose()).toEqual({
      kind: 'failed',
      message: 'Must be handling a user gesture to show a permission request.',
    });
    glue.stop();
  });

  it('a device that will not open is a failure, and the next one is tried', async () => {
    const broken = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    broken.open = async () => {
      throw new Error('NotAllowedError: Failed to open the device.');
    };
    const { glue } = setup([], [broken]);
    expect(await glue.choose()).toEqual({
      kind: 'failed',
      message: 'NotAllowedError: Failed to open the device.',
    });
    expect(glue.status().device).toBeNull();
    glue.stop();
  });
});

describe('media keys', () => {
  const consumerOnly = () =>
    new Device('USB Headset', fixtureCollections('synthetic-consumer-only-headset'));

  it('a consumer-only headset: Play/Pause answers, hangs up; nothing is sent to it', async () => {
    const headset = consumerOnly();
    const { store, actions, glue, statuses, tick } = setup([headset]);
    await flush();
    expect(statuses.at(-1)).toMatchObject({ kind: 'mediaKeys', mediaKeys: ['playPause'] });
    store.getState().upsertCall(ringingCall({ id: 'call-1' }));
    tick(1000);
    headset.input(Uint8Array.of(0xcd, 0x00), 2);
    expect(actions.answer).toHaveBeenCalledWith('call-1');
    headset.input(Uint8Array.of(0x00, 0x00), 2);
    store.getState().upsertCall(ringingCall({ id: 'call-1', state: 'active' }));
    tick(1000);
    headset.input(Uint8Array.of(0xcd, 0x00), 2);
    expect(actions.hangup).toHaveBeenCalledWith('call-1');
    expect(headset.sent).toEqual([]);
    glue.stop();
  });

  it('a telephony headset is preferred to a consumer-only one', async () => {
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const { glue } = setup([consumerOnly(), jabra]);
    await flush();
    expect(glue.status()).toMatchObject({ kind: 'telephony', device: { name: 'Jabra Link 380' } });
    glue.stop();
  });

  it('a telephony headset plugged in replaces an open consumer-only one', async () => {
    const { hid, glue } = setup([consumerOnly()]);
    await flush();
    expect(glue.status().kind).toBe('mediaKeys');
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    hid.dispatchEvent(Object.assign(new Event('connect'), { device: jabra }));
    await flush();
    expect(glue.status()).toMatchObject({ kind: 'telephony', device: { name: 'Jabra Link 380' } });
    glue.stop();
  });

  it('the keyboard’s Play/Pause answers with no headset at all', async () => {
    const { store, actions, glue, tick } = setup([]);
    await flush();
    store.getState().upsertCall(ringingCall({ id: 'call-1' }));
    tick(1000);
    glue.mediaKey('playPause');
    expect(actions.answer).toHaveBeenCalledWith('call-1');
    glue.stop();
  });
});

describe('test ring', () => {
  it('lights ring and ringer, says so, and after 3 s restores the LEDs', async () => {
    vi.useFakeTimers();
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const hid = Object.assign(new EventTarget(), {
      getDevices: async () => [jabra],
      requestDevice: async () => [jabra],
    });
    const store = createAgentStore();
    const actions = { answer: vi.fn(), hangup: vi.fn(), reject: vi.fn(), setMute: vi.fn() };
    const glue = startHeadset({
      hid,
      store,
      actions,
      now: () => Date.now(),
      onStatus: (s) => store.getState().setHeadset(s),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(jabra.sent).toEqual([[2, [0x00, 0x00]]]);

    expect(glue.testRing()).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(jabra.sent.at(-1)).toEqual([2, [0x88, 0x00]]);
    expect(store.getState().headset.testing).toBe(true);

    await vi.advanceTimersByTimeAsync(2_999);
    expect(jabra.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(jabra.sent.at(-1)).toEqual([2, [0x00, 0x00]]);
    expect(store.getState().headset.testing).toBe(false);
    glue.stop();
  });

  it('not during a call', async () => {
    const jabra = new Device('Jabra Link 380', fixtureCollections('jabra-link-380c'));
    const { store, glue } = setup([jabra]);
    await flush();
    store.getState().upsertCall(ringingCall({ id: 'call-1', state: 'active' }));
    await flush();
    const before = jabra.sent.length;
    expect(glue.testRing()).toBe(false);
    await flush();
    expect(jabra.sent).toHaveLength(before);
    glue.stop();
  });
});
