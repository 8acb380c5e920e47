// The WebHID glue with a navigator.hid stand-in (the one part that cannot run here) around
// the real store, the real machine and the Jabra Link 380c's real collections: it opens a
// granted telephony headset (and ignores a keyboard), sends the LEDs, turns the hook into the
// call actions, and tells a replugged headset the state again.
import { describe, expect, it, vi } from 'vitest';
import { createAgentStore } from '../../../../renderer/app/store/agent-store';
import { startHeadset, type HidDeviceLike } from '../../../../renderer/headset/webhid-headset';
import { buildInputReport } from '../../../../renderer/headset/telephony-reports';
import { fixtureCollections, fixtureControls } from '../../../infra/hid-fixtures';
import { ringingCall } from '../fixtures';

class Device extends EventTarget implements HidDeviceLike {
  opened = false;
  readonly vendorId = 0x0b0e;
  readonly productId = 0x0412;
  sent: [number, number[]][] = [];
  constructor(
    readonly productName: string,
    readonly collections: HidDeviceLike['collections'],
  ) {
    super();
  }
  async open() {
    this.opened = true;
  }
  async sendReport(reportId: number, data: BufferSource) {
    this.sent.push([reportId, [...new Uint8Array(data as ArrayBuffer)]]);
  }
  input(bytes: Uint8Array) {
    this.dispatchEvent(
      Object.assign(new Event('inputreport'), { reportId: 2, data: new DataView(bytes.buffer) }),
    );
  }
}

function setup(devices: Device[]) {
  const hid = Object.assign(new EventTarget(), {
    getDevices: async () => devices,
    requestDevice: async () => devices,
  });
  const store = createAgentStore();
  const actions = {
    answer: vi.fn(async () => {}),
    hangup: vi.fn(async () => {}),
    reject: vi.fn(async () => {}),
    setMute: vi.fn(async () => {}),
  };
  let t = 0;
  const glue = startHeadset({ hid, store, actions, now: () => t, log: { warn: () => {} } });
  return { hid, store, actions, glue, tick: (ms: number) => (t += ms) };
}

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

  it('without WebHID it does nothing and choosing is a no-op', async () => {
    const store = createAgentStore();
    const glue = startHeadset({
      hid: undefined,
      store,
      actions: { answer: vi.fn(), hangup: vi.fn(), reject: vi.fn(), setMute: vi.fn() },
    });
    await glue.choose();
    expect(glue.status()).toEqual({ device: null, inputs: [], outputs: [] });
    glue.stop();
  });
});
