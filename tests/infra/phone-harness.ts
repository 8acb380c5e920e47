// The real PhoneService (real SIP.js) against a test Kamailio, with a fake renderer on the
// MediaPort and every status / call event recorded, plus waiters with clear timeouts.
import type { PhoneStatus } from '../../preload/contract';
import { createLogger, silentLogger, type Logger } from '../../main/core/log';
import {
  createPhoneService,
  type PhoneCall,
  type PhoneService,
  type PhoneServiceOptions,
} from '../../main/core/phone/phone-service';
import type { SipLogLevel } from '../../main/core/phone/sip-runtime';
import { createMediaHub, type MediaHub } from '../../main/core/rpc/media-port';
import { createFakeRenderer, type FakeRenderer } from './fake-renderer';

export interface PhoneHarness {
  phone: PhoneService;
  media: MediaHub;
  renderer: FakeRenderer;
  /** Detaches the fake renderer (answer() then waits for one). */
  detachRenderer(): void;
  attachRenderer(): void;
  statuses: PhoneStatus[];
  callEvents: PhoneCall[];
  /** INVITE instants from onInviteReceived. */
  invites: { callId: string; sipCallId: string; atMs: number }[];
  /** Resolves with the first status (recorded from index `from` on, or future) matching pred. */
  waitForStatus(
    pred: (s: PhoneStatus) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<PhoneStatus>;
  /** Resolves with the first call event (recorded from index `from` on, or future) matching pred. */
  waitForCall(
    pred: (c: PhoneCall) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<PhoneCall>;
  stop(): Promise<void>;
}

export interface PhoneHarnessOptions extends Partial<Omit<PhoneServiceOptions, 'config'>> {
  server: string;
  user?: string;
  password?: string;
  domain?: string;
  /** Outbound caller ID (PhoneConfig.callerId). */
  callerId?: { number?: string; displayName?: string };
  /** Log to stderr at this level (default: silent; PHONE_LOG=debug in the env turns it on). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

function waiter<T>(
  list: T[],
  subscribe: (fn: (v: T) => void) => () => void,
  pred: (v: T) => boolean,
  timeoutMs: number,
  what: string,
  from = 0,
): Promise<T> {
  const hit = list.slice(from).find(pred);
  if (hit !== undefined) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; saw ${JSON.stringify(list.slice(-5))}`,
        ),
      );
    }, timeoutMs);
    const off = subscribe((v) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

export function startPhoneHarness(opts: PhoneHarnessOptions): PhoneHarness {
  const level = opts.logLevel ?? (process.env.PHONE_LOG as PhoneHarnessOptions['logLevel']);
  const log: Logger = opts.log ?? (level ? createLogger({ level, scope: 'phone' }) : silentLogger);
  const media = opts.media ?? createMediaHub({ timeoutMs: 2000 });
  const renderer = createFakeRenderer();
  let detach: (() => void) | null = media.attach(renderer.sender);
  const user = opts.user ?? '1001';
  const statuses: PhoneStatus[] = [];
  const callEvents: PhoneCall[] = [];
  const invites: PhoneHarness['invites'] = [];
  const phone = createPhoneService({
    rendererWaitMs: 1000,
    backoff: { initialMs: 200, maxMs: 1000 },
    // SIP_LOG=log (with PHONE_LOG=debug) shows every SIP message.
    ...(process.env.SIP_LOG ? { sipLogLevel: process.env.SIP_LOG as SipLogLevel } : {}),
    ...opts,
    config: {
      server: opts.server,
      aor: `sip:${user}@${opts.domain ?? '127.0.0.1'}`,
      password: opts.password ?? `pw${user}`,
      registerExpiresSec: 60,
      ...(opts.callerId ? { callerId: opts.callerId } : {}),
    },
    media,
    log,
    onInviteReceived: (callId, sipCallId, atMs) => {
      invites.push({ callId, sipCallId, atMs });
      opts.onInviteReceived?.(callId, sipCallId, atMs);
    },
  });
  phone.on('status', (s) => statuses.push(s));
  phone.on('call', (c) => callEvents.push(c));
  return {
    phone,
    media,
    renderer,
    statuses,
    callEvents,
    invites,
    detachRenderer() {
      detach?.();
      detach = null;
    },
    attachRenderer() {
      detach ??= media.attach(renderer.sender);
    },
    waitForStatus: (pred, timeoutMs = 5000, from = 0) =>
      waiter(statuses, (fn) => phone.on('status', fn), pred, timeoutMs, 'phone status', from),
    waitForCall: (pred, timeoutMs = 5000, from = 0) =>
      waiter(callEvents, (fn) => phone.on('call', fn), pred, timeoutMs, 'call event', from),
    async stop() {
      await phone.stop();
      detach?.();
    },
  };
}
