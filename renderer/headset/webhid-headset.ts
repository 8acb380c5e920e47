// The WebHID glue: finds a headset among the HID devices the app may use (a telephony one
// first, else one with media keys), opens it, and feeds the headset state machine
// (headset-machine.ts) with its input reports, the calls from the store, the window's media
// keys and the test ring; carries out each step — output reports sent in order, commands
// through the call actions (the same path as the screen's buttons), a timer for the test
// ring's end. Thin on purpose: every rule is in the machine, tested without a browser.
import type { AgentStore } from '../app/store/agent-store';
import type { CallActions } from '../app/call-actions';
import { headsetCallsFrom } from './headset-calls';
import {
  DEFAULT_HEADSET_CONFIG,
  headsetStep,
  initialHeadsetState,
  type HeadsetCommand,
  type HeadsetConfig,
  type HeadsetEvent,
  type HeadsetState,
} from './headset-machine';
import type { ChooseResult, HeadsetControls, HeadsetStatus } from './headset-status';
import type { HidCollectionLike } from './hid-types';
import { mediaKeysOf, type MediaKey, type MediaKeyFields } from './media-keys';
import {
  discoverTelephony,
  PAGE_CONSUMER,
  PAGE_TELEPHONY,
  type TelephonyControls,
} from './telephony-controls';

export type { HeadsetStatus } from './headset-status';

/** The part of a WebHID HIDDevice the glue uses. */
export interface HidDeviceLike extends EventTarget {
  readonly opened: boolean;
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly collections: readonly HidCollectionLike[];
  open(): Promise<void>;
  sendReport(reportId: number, data: BufferSource): Promise<void>;
}

/** The part of navigator.hid the glue uses. */
export interface HidLike extends EventTarget {
  getDevices(): Promise<HidDeviceLike[]>;
  requestDevice(options: { filters: { usagePage?: number }[] }): Promise<HidDeviceLike[]>;
}

export interface HeadsetGlue extends HeadsetControls {
  status(): HeadsetStatus;
  stop(): void;
}

interface Log {
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** What a device can be to us. */
type Usable =
  { kind: 'telephony'; controls: TelephonyControls } | { kind: 'mediaKeys'; keys: MediaKeyFields };

function usableAs(d: HidDeviceLike): Usable | null {
  const found = discoverTelephony(d.collections);
  if (found.kind === 'telephony') return { kind: 'telephony', controls: found.controls };
  const keys = mediaKeysOf(found);
  return keys ? { kind: 'mediaKeys', keys } : null;
}

export function startHeadset(opts: {
  hid: HidLike | undefined;
  store: AgentStore;
  actions: Pick<CallActions, 'answer' | 'hangup' | 'reject' | 'setMute'>;
  now?: () => number;
  config?: HeadsetConfig;
  onStatus?: (status: HeadsetStatus) => void;
  log?: Log;
}): HeadsetGlue {
  const { hid, store, actions } = opts;
  const now = opts.now ?? (() => performance.now());
  const log: Log = opts.log ?? { warn: (msg, fields) => console.warn(msg, fields) };
  let state: HeadsetState = initialHeadsetState();
  let device: HidDeviceLike | null = null;
  let sending: Promise<void> = Promise.resolve();
  let stopped = false;
  let wake: { at: number; timer: ReturnType<typeof setTimeout> } | null = null;
  let published = '';

  const status = (): HeadsetStatus => ({
    supported: hid !== undefined,
    device: device && {
      name: device.productName,
      vendorId: device.vendorId,
      productId: device.productId,
    },
    kind: !device ? null : state.controls ? 'telephony' : state.mediaKeys ? 'mediaKeys' : null,
    inputs: state.controls ? keysOf(state.controls.inputs) : [],
    outputs: state.controls ? keysOf(state.controls.outputs) : [],
    mediaKeys: state.mediaKeys ? keysOf(state.mediaKeys.fields) : [],
    testing: state.testRingUntil !== null,
  });

  function publish(): void {
    const next = status();
    const text = JSON.stringify(next);
    if (text === published) return;
    published = text;
    opts.onStatus?.(next);
  }

  function run(command: HeadsetCommand): void {
    const done =
      command.type === 'answer'
        ? actions.answer(command.callId)
        : command.type === 'hangup'
          ? actions.hangup(command.callId)
          : command.type === 'reject'
            ? actions.reject(command.callId)
            : actions.setMute(command.callId, command.muted);
    // A refusal is shown by the action itself (the call card's error line).
    done.catch((err: unknown) => log.warn('headset command failed', { command, err }));
  }

  function feed(event: HeadsetEvent): void {
    if (stopped) return;
    const step = headsetStep(state, event, opts.config ?? DEFAULT_HEADSET_CONFIG);
    state = step.state;
    const target = device;
    for (const r of step.reports) {
      // In order, one at a time: a headset takes the last report it got as its LED state.
      sending = sending
        .then(() => target?.sendReport(r.reportId, new Uint8Array(r.data)))
        .catch((err: unknown) =>
          log.warn('headset report not sent', { reportId: r.reportId, err }),
        );
    }
    for (const c of step.commands) run(c);
    wakeForTestRing();
    publish();
  }

  /** The machine keeps time only as events bring it: wake it when the test ring is due to end. */
  function wakeForTestRing(): void {
    const at = state.testRingUntil;
    if (wake?.at === at) return;
    if (wake) clearTimeout(wake.timer);
    wake = null;
    if (at === null) return;
    const timer = setTimeout(
      () => {
        wake = null;
        feed({ type: 'tick', now: now() });
      },
      Math.max(0, at - now()),
    );
    wake = { at, timer };
  }

  const feedCalls = () =>
    feed({
      type: 'calls',
      calls: headsetCallsFrom(Object.values(store.getState().calls)),
      now: now(),
    });

  const onInput = (e: Event) => {
    const { reportId, data } = e as Event & { reportId: number; data: DataView };
    feed({ type: 'input', reportId, data, now: now() });
  };

  async function attach(d: HidDeviceLike, usable: Usable): Promise<ChooseResult> {
    try {
      if (!d.opened) await d.open();
    } catch (err) {
      log.warn('cannot open the headset', { name: d.productName, err });
      return { kind: 'failed', message: messageOf(err) };
    }
    if (stopped) return { kind: 'cancelled' };
    device?.removeEventListener('inputreport', onInput);
    device = d;
    d.addEventListener('inputreport', onInput);
    feed(
      usable.kind === 'telephony'
        ? { type: 'connected', controls: usable.controls, now: now() }
        : { type: 'connectedMediaKeys', keys: usable.keys, now: now() },
    );
    feedCalls();
    return { kind: 'connected', name: d.productName };
  }

  /** Opens the best of the devices: a telephony headset before a media-key one. */
  async function attachBest(devices: readonly HidDeviceLike[]): Promise<ChooseResult> {
    const first = devices[0];
    if (!first) return { kind: 'cancelled' };
    const ranked = devices
      .map((d) => ({ d, usable: usableAs(d) }))
      .filter((x): x is { d: HidDeviceLike; usable: Usable } => x.usable !== null)
      .sort((a, b) => rankOf(a.usable) - rankOf(b.usable));
    let failure: ChooseResult | null = null;
    for (const { d, usable } of ranked) {
      const result = await attach(d, usable);
      if (result.kind === 'connected') return result;
      failure = result;
    }
    return failure ?? { kind: 'unusable', name: first.productName };
  }

  const onConnect = (e: Event) => {
    const d = (e as Event & { device: HidDeviceLike }).device;
    // A replug (the same headset comes back as a new object), or a telephony headset
    // plugged in while only a media-key one is open.
    const better = state.mediaKeys !== null && usableAs(d)?.kind === 'telephony';
    if (!device || better) void attachBest([d]);
  };
  const onDisconnect = (e: Event) => {
    const d = (e as Event & { device: HidDeviceLike }).device;
    if (d !== device) return;
    d.removeEventListener('inputreport', onInput);
    device = null;
    feed({ type: 'disconnected', now: now() });
    // Another granted headset still plugged in (a second one on the desk) takes over.
    hid
      ?.getDevices()
      .then((left) => (device ? undefined : attachBest(left.filter((x) => x !== d))))
      .catch((err: unknown) => log.warn('cannot list HID devices', { err }));
  };

  // The calls are followed with or without a device: the keyboard's media keys need them too.
  let lastCalls = store.getState().calls;
  const unsubscribe = store.subscribe((s) => {
    if (s.calls === lastCalls) return;
    lastCalls = s.calls;
    feedCalls();
  });
  feedCalls();

  if (hid) {
    hid.addEventListener('connect', onConnect);
    hid.addEventListener('disconnect', onDisconnect);
    // Devices granted before (Electron grants known headsets; a browser remembers the choice).
    hid
      .getDevices()
      .then(attachBest)
      .catch((err: unknown) => log.warn('cannot list HID devices', { err }));
  }

  return {
    async choose() {
      if (!hid) return { kind: 'unsupported' };
      let picked: HidDeviceLike[];
      try {
        picked = await hid.requestDevice({
          filters: [{ usagePage: PAGE_TELEPHONY }, { usagePage: PAGE_CONSUMER }],
        });
      } catch (err) {
        // In a browser: no user gesture, or the picker refused.
        return { kind: 'failed', message: messageOf(err) };
      }
      return attachBest(picked);
    },
    testRing() {
      feed({ type: 'testRing', now: now() });
      return state.testRingUntil !== null;
    },
    mediaKey(key: MediaKey) {
      feed({ type: 'mediaKey', key, now: now() });
    },
    status,
    stop() {
      stopped = true;
      if (wake) clearTimeout(wake.timer);
      wake = null;
      unsubscribe();
      hid?.removeEventListener('connect', onConnect);
      hid?.removeEventListener('disconnect', onDisconnect);
      device?.removeEventListener('inputreport', onInput);
    },
  };
}

/** A DOMException (what WebHID throws) is not an Error everywhere. */
const messageOf = (err: unknown): string =>
  typeof (err as { message?: unknown } | null)?.message === 'string'
    ? (err as { message: string }).message
    : String(err);

const rankOf = (u: Usable): number => (u.kind === 'telephony' ? 0 : 1);

const keysOf = <K extends string>(o: Partial<Record<K, unknown>>): K[] => Object.keys(o) as K[];
