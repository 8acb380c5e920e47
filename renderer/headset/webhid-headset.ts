// The WebHID glue: finds a telephony headset among the HID devices the app may use, opens
// it, and feeds the headset state machine (headset-machine.ts) with its input reports and
// the calls from the store; carries out each step — output reports sent in order, commands
// through the call actions (the same path as the screen's buttons). Thin on purpose: every
// rule is in the machine, tested without a browser.
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
import type { HidCollectionLike } from './hid-types';
import { discoverTelephony, PAGE_TELEPHONY, type TelephonyControls } from './telephony-controls';

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

export interface HeadsetStatus {
  /** The open headset, or null. */
  device: { name: string; vendorId: number; productId: number } | null;
  /** Which telephony controls it has (what its buttons can do). */
  inputs: string[];
  outputs: string[];
}

export interface HeadsetGlue {
  /** Asks the user for a headset (a user gesture is needed the first time in a browser). */
  choose(): Promise<void>;
  status(): HeadsetStatus;
  stop(): void;
}

interface Log {
  warn(msg: string, fields?: Record<string, unknown>): void;
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
  let controls: TelephonyControls | null = null;
  let sending: Promise<void> = Promise.resolve();
  let stopped = false;

  const status = (): HeadsetStatus => ({
    device: device && {
      name: device.productName,
      vendorId: device.vendorId,
      productId: device.productId,
    },
    inputs: controls ? Object.keys(controls.inputs) : [],
    outputs: controls ? Object.keys(controls.outputs) : [],
  });

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
  }

  const onInput = (e: Event) => {
    const { reportId, data } = e as Event & { reportId: number; data: DataView };
    feed({ type: 'input', reportId, data, now: now() });
  };

  async function attach(d: HidDeviceLike): Promise<boolean> {
    const found = discoverTelephony(d.collections);
    if (found.kind !== 'telephony') return false;
    try {
      if (!d.opened) await d.open();
    } catch (err) {
      log.warn('cannot open the headset', { name: d.productName, err });
      return false;
    }
    if (stopped) return false;
    device?.removeEventListener('inputreport', onInput);
    device = d;
    controls = found.controls;
    d.addEventListener('inputreport', onInput);
    feed({ type: 'connected', controls: found.controls, now: now() });
    feed({
      type: 'calls',
      calls: headsetCallsFrom(Object.values(store.getState().calls)),
      now: now(),
    });
    opts.onStatus?.(status());
    return true;
  }

  async function attachFirst(devices: HidDeviceLike[]): Promise<void> {
    for (const d of devices) if (await attach(d)) return;
  }

  const onConnect = (e: Event) => {
    const d = (e as Event & { device: HidDeviceLike }).device;
    if (!device) void attach(d); // a replug: the same headset comes back as a new object
  };
  const onDisconnect = (e: Event) => {
    const d = (e as Event & { device: HidDeviceLike }).device;
    if (d !== device) return;
    d.removeEventListener('inputreport', onInput);
    device = null;
    controls = null;
    feed({ type: 'disconnected', now: now() });
    opts.onStatus?.(status());
  };

  let lastCalls = store.getState().calls;
  const unsubscribe = store.subscribe((s) => {
    if (s.calls === lastCalls) return;
    lastCalls = s.calls;
    if (device)
      feed({ type: 'calls', calls: headsetCallsFrom(Object.values(s.calls)), now: now() });
  });

  if (hid) {
    hid.addEventListener('connect', onConnect);
    hid.addEventListener('disconnect', onDisconnect);
    // Devices granted before (Electron grants known headsets; a browser remembers the choice).
    hid
      .getDevices()
      .then(attachFirst)
      .catch((err: unknown) => log.warn('cannot list HID devices', { err }));
  }

  return {
    async choose() {
      if (!hid) return;
      const picked = await hid.requestDevice({ filters: [{ usagePage: PAGE_TELEPHONY }] });
      await attachFirst(picked);
    },
    status,
    stop() {
      stopped = true;
      unsubscribe();
      hid?.removeEventListener('connect', onConnect);
      hid?.removeEventListener('disconnect', onDisconnect);
      device?.removeEventListener('inputreport', onInput);
    },
  };
}
