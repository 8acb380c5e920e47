// The headset slice: nothing known until the glue reports; its reports replace the state whole.
import { describe, expect, it } from 'vitest';
import { createAgentStore } from '../../../../renderer/app/store/agent-store';
import { NO_HEADSET, type HeadsetStatus } from '../../../../renderer/headset/headset-status';

const jabra: HeadsetStatus = {
  supported: true,
  device: { name: 'Jabra Link 380', vendorId: 0x0b0e, productId: 0x0412 },
  kind: 'telephony',
  inputs: ['hookSwitch', 'phoneMute'],
  outputs: ['offHook', 'ring'],
  mediaKeys: [],
  testing: false,
};

describe('headset slice', () => {
  it('starts with no headset and WebHID not known to be there', () => {
    expect(createAgentStore().getState().headset).toEqual(NO_HEADSET);
    expect(NO_HEADSET).toMatchObject({ supported: false, device: null, testing: false });
  });

  it('takes each status from the glue as it is', () => {
    const store = createAgentStore();
    store.getState().setHeadset(jabra);
    expect(store.getState().headset).toBe(jabra);
    const unplugged = { ...NO_HEADSET, supported: true };
    store.getState().setHeadset(unplugged);
    expect(store.getState().headset).toBe(unplugged);
  });

  it('leaves the rest of the store alone', () => {
    const store = createAgentStore();
    const before = store.getState();
    store.getState().setHeadset(jabra);
    const after = store.getState();
    expect(after.calls).toBe(before.calls);
    expect(after.devices).toBe(before.devices);
    expect(after.settings).toBe(before.settings);
  });
});
