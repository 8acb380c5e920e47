import { describe, expect, it, vi } from 'vitest';
import type { HidDeviceLike, SelectHidDeviceDetails } from '../../../main/electron/deps';
import {
  createHeadsetMemory,
  hasTelephonyCollection,
  headsetRank,
  hidDeviceFacts,
  installHidDeviceSelection,
  isGrantableHidDevice,
  MAX_REMEMBERED,
  pickHeadset,
  type HeadsetId,
  type HeadsetMemory,
} from '../../../main/electron/hid-devices';
import { fixtureCollections } from '../../infra/hid-fixtures';
import { FakeFrame, FakeSession, memoryLogger } from './fakes';

// Collections shaped as Electron hands them over (usagePage, usage, type, children).
const col = (usagePage: number, usage: number, children: unknown[] = []) => ({
  usagePage,
  usage,
  type: 1,
  children,
  inputReports: [],
  outputReports: [],
  featureReports: [],
});
const TELEPHONY_HEADSET = col(0x0b, 0x05);
const CONSUMER = col(0x0c, 0x01);
const KEYBOARD = col(0x01, 0x06);
const MOUSE = col(0x01, 0x02);
const VENDOR = col(0xff30, 0x01);

let nextId = 1;
function device(
  vendorId: number,
  productId: number,
  collections: unknown[],
  name = 'device',
): HidDeviceLike {
  return {
    deviceId: `dev-${nextId++}`,
    name,
    vendorId,
    productId,
    collections: collections as HidDeviceLike['collections'],
  };
}
const facts = (d: HidDeviceLike) => hidDeviceFacts(d)!;

const JABRA = 0x0b0e;
const LOGITECH = 0x046d;
const HP = 0x03f0;
const UNKNOWN = 0x1234;

describe('hasTelephonyCollection', () => {
  it('finds the Telephony page at the top or nested (EPOS-style)', () => {
    expect(hasTelephonyCollection([TELEPHONY_HEADSET])).toBe(true);
    expect(hasTelephonyCollection([col(0x0c, 0x01, [col(0x0b, 0x05)])])).toBe(true);
    expect(hasTelephonyCollection([CONSUMER, VENDOR])).toBe(false);
  });

  it('reads malformed collections as none, without throwing', () => {
    expect(hasTelephonyCollection(undefined)).toBe(false);
    expect(hasTelephonyCollection([null, 7, 'x', { usagePage: '11', usage: 5 }])).toBe(false);
    expect(hasTelephonyCollection([{ usagePage: 1, usage: 1, children: 'nope' }])).toBe(false);
  });

  it('gives up on absurd nesting', () => {
    let deep: unknown = TELEPHONY_HEADSET;
    for (let i = 0; i < 20; i++) deep = col(0x0c, 0x01, [deep]);
    expect(hasTelephonyCollection([deep])).toBe(false);
  });

  it('on real descriptors: the Jabra Link 380c has it, keyboard and mouse do not', () => {
    expect(hasTelephonyCollection(fixtureCollections('jabra-link-380c'))).toBe(true);
    expect(hasTelephonyCollection(fixtureCollections('keyboard'))).toBe(false);
    expect(hasTelephonyCollection(fixtureCollections('mouse'))).toBe(false);
  });
});

describe('headsetRank', () => {
  const rank = (d: HidDeviceLike, remembered: HeadsetId[] = []) =>
    headsetRank(facts(d), remembered);

  it('grants a telephony headset of any vendor', () => {
    expect(rank(device(JABRA, 1, [TELEPHONY_HEADSET]))).toBeGreaterThan(0);
    expect(rank(device(UNKNOWN, 1, [TELEPHONY_HEADSET]))).toBeGreaterThan(0);
    expect(rank(device(LOGITECH, 1, [TELEPHONY_HEADSET, CONSUMER]))).toBeGreaterThan(0);
  });

  it('grants any device of a headset-only vendor, even without collections', () => {
    expect(rank(device(JABRA, 1, [VENDOR]))).toBeGreaterThan(0);
    expect(rank(device(JABRA, 1, []))).toBeGreaterThan(0);
  });

  it('never grants a keyboard or mouse, whoever made it', () => {
    expect(rank(device(UNKNOWN, 1, fixtureCollections('keyboard')))).toBe(0);
    expect(rank(device(UNKNOWN, 1, fixtureCollections('mouse')))).toBe(0);
    expect(rank(device(JABRA, 1, [KEYBOARD]))).toBe(0);
    expect(rank(device(LOGITECH, 0xc52b, [KEYBOARD, MOUSE, CONSUMER]))).toBe(0);
  });

  it('needs a telephony collection for vendors that also make keyboards', () => {
    expect(rank(device(LOGITECH, 1, [CONSUMER]))).toBe(0);
    expect(rank(device(HP, 1, [VENDOR]))).toBe(0);
    // …even when remembered: the same product id may carry a keyboard's other interfaces.
    expect(rank(device(LOGITECH, 1, [VENDOR]), [{ vendorId: LOGITECH, productId: 1 }])).toBe(0);
  });

  it('refuses an unknown vendor without a telephony collection', () => {
    expect(rank(device(UNKNOWN, 1, [CONSUMER]))).toBe(0);
    expect(rank(device(UNKNOWN, 1, []))).toBe(0);
  });

  it('grants a remembered model, but never a remembered keyboard', () => {
    const remembered = [{ vendorId: UNKNOWN, productId: 7 }];
    expect(rank(device(UNKNOWN, 7, [CONSUMER]), remembered)).toBeGreaterThan(0);
    expect(rank(device(UNKNOWN, 8, [CONSUMER]), remembered)).toBe(0);
    expect(rank(device(UNKNOWN, 7, [KEYBOARD]), remembered)).toBe(0);
  });

  it('ranks telephony above remembered above vendor', () => {
    const remembered = [{ vendorId: UNKNOWN, productId: 7 }];
    const tel = rank(device(UNKNOWN, 1, [TELEPHONY_HEADSET]), remembered);
    const rem = rank(device(UNKNOWN, 7, [CONSUMER]), remembered);
    const ven = rank(device(JABRA, 1, [CONSUMER]), remembered);
    const remTel = rank(device(UNKNOWN, 7, [TELEPHONY_HEADSET]), remembered);
    expect(remTel).toBeGreaterThan(tel);
    expect(tel).toBeGreaterThan(rem);
    expect(rem).toBeGreaterThan(ven);
  });
});

describe('isGrantableHidDevice (the device permission handler)', () => {
  it('checks the shape before anything', () => {
    for (const bad of [undefined, null, 'hid', { vendorId: -1, productId: 1 }, { vendorId: 1 }]) {
      expect(isGrantableHidDevice(bad, [])).toBe(false);
    }
    expect(isGrantableHidDevice({ vendorId: JABRA, productId: 1 }, [])).toBe(true);
    expect(
      isGrantableHidDevice(
        { vendorId: UNKNOWN, productId: 1, collections: [TELEPHONY_HEADSET] },
        [],
      ),
    ).toBe(true);
  });
});

describe('pickHeadset', () => {
  it('takes the best, the first of equals, and skips malformed entries', () => {
    const a = device(JABRA, 1, [TELEPHONY_HEADSET]);
    const b = device(JABRA, 2, [TELEPHONY_HEADSET]);
    const broken = { deviceId: 'x' } as unknown as HidDeviceLike;
    expect(pickHeadset([broken, a, b], [])?.device).toBe(a);
    const remembered = [{ vendorId: JABRA, productId: 2 }];
    expect(pickHeadset([a, b], remembered)).toMatchObject({ device: b, reason: 'remembered' });
  });

  it('prefers the interface the renderer can drive over a known vendor without one', () => {
    const consumerOnly = device(JABRA, 1, [CONSUMER]);
    const telephony = device(UNKNOWN, 1, [TELEPHONY_HEADSET]);
    expect(pickHeadset([consumerOnly, telephony], [])).toMatchObject({
      device: telephony,
      reason: 'telephony',
    });
    expect(pickHeadset([consumerOnly], [])).toMatchObject({ reason: 'vendor' });
  });

  it('is null for an empty list, a keyboard only, or an unknown vendor', () => {
    expect(pickHeadset([], [])).toBeNull();
    expect(pickHeadset([device(UNKNOWN, 1, [KEYBOARD])], [])).toBeNull();
    expect(pickHeadset([device(UNKNOWN, 1, [CONSUMER])], [])).toBeNull();
  });
});

describe('createHeadsetMemory', () => {
  it('remembers each model once, newest first, and saves every change in order', async () => {
    const saved: HeadsetId[][] = [];
    const memory = createHeadsetMemory({
      initial: [{ vendorId: 1, productId: 1 }],
      save: async (list) => {
        await new Promise((r) => setTimeout(r, 1));
        saved.push(list);
      },
      log: memoryLogger(),
    });
    memory.remember({ vendorId: JABRA, productId: 2, name: 'Jabra Link 380' });
    memory.remember({ vendorId: JABRA, productId: 2, name: 'again' });
    memory.remember({ vendorId: JABRA, productId: 3 });
    await memory.saved();
    expect(memory.list()).toEqual([
      { vendorId: JABRA, productId: 3 },
      { vendorId: JABRA, productId: 2, name: 'Jabra Link 380' },
      { vendorId: 1, productId: 1 },
    ]);
    expect(saved).toHaveLength(2);
    expect(saved[1]).toEqual(memory.list());
  });

  it('keeps at most MAX_REMEMBERED', () => {
    const memory = createHeadsetMemory({ initial: [], save: async () => {}, log: memoryLogger() });
    for (let p = 0; p < MAX_REMEMBERED + 5; p++) memory.remember({ vendorId: JABRA, productId: p });
    expect(memory.list()).toHaveLength(MAX_REMEMBERED);
    expect(memory.list()[0]!.productId).toBe(MAX_REMEMBERED + 4);
  });

  it('logs a failed save and goes on', async () => {
    const log = memoryLogger();
    const save = vi
      .fn<(list: HeadsetId[]) => Promise<void>>()
      .mockRejectedValueOnce(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))
      .mockResolvedValue();
    const memory = createHeadsetMemory({ initial: [], save, log });
    memory.remember({ vendorId: JABRA, productId: 1 });
    memory.remember({ vendorId: JABRA, productId: 2 });
    await memory.saved();
    expect(save).toHaveBeenCalledTimes(2);
    expect(log.lines.join('\n')).toContain('could not remember the headset');
    expect(log.lines.join('\n')).toContain('ENOSPC');
  });
});

describe('select-hid-device', () => {
  const APP = 'app://agent/index.html';

  function setup(remembered: HeadsetId[] = []) {
    const session = new FakeSession();
    const log = memoryLogger();
    const save = vi.fn(async (_list: HeadsetId[]) => {});
    const headsets: HeadsetMemory = createHeadsetMemory({ initial: remembered, save, log });
    installHidDeviceSelection(session, { origin: 'app://agent', headsets, log });
    const select = (
      deviceList: HidDeviceLike[],
      frame: SelectHidDeviceDetails['frame'] = new FakeFrame(APP),
    ) => session.selectHidDevice({ deviceList, frame });
    return { session, log, save, headsets, select };
  }

  it('grants a known headset without a picker, and remembers it', async () => {
    const { select, headsets, save, log } = setup();
    const jabra = device(JABRA, 0x0412, fixtureCollections('jabra-link-380c'), 'Jabra Link 380');
    const result = select([device(UNKNOWN, 1, [KEYBOARD]), jabra]);
    expect(result).toEqual({ prevented: true, chosen: [jabra.deviceId] });
    expect(headsets.list()).toEqual([
      { vendorId: JABRA, productId: 0x0412, name: 'Jabra Link 380' },
    ]);
    await headsets.saved();
    expect(save).toHaveBeenCalledTimes(1);
    expect(log.lines.join('\n')).toMatch(/HID headset granted.*0b0e.*0412/);
  });

  it('picks the remembered headset over another known one', () => {
    const { select } = setup([{ vendorId: JABRA, productId: 9 }]);
    const other = device(JABRA, 1, [TELEPHONY_HEADSET]);
    const mine = device(JABRA, 9, [TELEPHONY_HEADSET]);
    expect(select([other, mine]).chosen).toEqual([mine.deviceId]);
  });

  it('grants nothing for a keyboard only, an unknown vendor, or an empty list', () => {
    const { select, headsets, log } = setup();
    for (const list of [
      [device(UNKNOWN, 1, fixtureCollections('keyboard'))],
      [device(UNKNOWN, 2, [CONSUMER]), device(LOGITECH, 3, [CONSUMER, MOUSE])],
      [],
    ]) {
      const result = select(list);
      expect(result.prevented).toBe(true);
      expect(result.chosen).toEqual([]); // no argument: Electron cancels the request
    }
    expect(headsets.list()).toEqual([]);
    expect(log.lines.join('\n')).toContain('none granted');
  });

  it('survives malformed entries in the list', () => {
    const { select } = setup();
    const broken = [
      { deviceId: 'a' },
      null,
      { vendorId: 'x', productId: 1 },
    ] as unknown as HidDeviceLike[];
    expect(select(broken).chosen).toEqual([]);
    // A headset without a device id cannot be chosen; the next one can.
    const noId = { ...device(JABRA, 1, [TELEPHONY_HEADSET]), deviceId: undefined };
    const next = device(JABRA, 2, [TELEPHONY_HEADSET]);
    expect(select([...broken, noId as unknown as HidDeviceLike, next]).chosen).toEqual([
      next.deviceId,
    ]);
  });

  it('answers only the app screen: not another origin, a subframe, or a gone frame', () => {
    const { select, headsets } = setup();
    const jabra = device(JABRA, 1, [TELEPHONY_HEADSET]);
    expect(select([jabra], new FakeFrame('https://evil.example/')).chosen).toEqual([]);
    expect(select([jabra], new FakeFrame(APP, new FakeFrame(APP))).chosen).toEqual([]);
    expect(select([jabra], null).chosen).toEqual([]);
    expect(headsets.list()).toEqual([]);
  });
});
