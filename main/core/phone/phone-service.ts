// The agent's phone: one SIP.js UserAgent in main (so registration and calls survive a
// renderer reload), registered over WebSocket with digest auth, taking inbound calls whose
// media the renderer provides through the MediaPort (proxy-sdh.ts).
import type { CallQuality, PhoneSettings, PhoneStatus } from '../../../preload/contract';
import type { Logger } from '../log';
import { RpcFailure } from '../rpc/dispatcher';
import type { MediaHub } from '../rpc/media-port';
import type { BackoffOptions } from './backoff';
import { parseCallerId } from './caller-id';
import { createCalls, type Calls, type PhoneCall } from './calls';
import { PhoneConfig } from './phone-config';
import { createProxySdhFactory } from './proxy-sdh';
import { createRegistration, type Registration } from './registration';
import { loadSip, sipLogOptions, type SipLogLevel } from './sip-runtime';

export type { PhoneCall };
export { REJECT_STATUS } from './calls';

export interface PhoneService {
  /** Connects and registers; resolves once the first attempt has an outcome (see status()). */
  start(): Promise<void>;
  /** Ends calls, unregisters (bounded) and disconnects. */
  stop(): Promise<void>;
  status(): PhoneStatus;
  /** Calls that have not ended. */
  calls(): PhoneCall[];
  on(ev: 'status', l: (s: PhoneStatus) => void): () => void;
  on(ev: 'call', l: (c: PhoneCall) => void): () => void;
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  /**
   * Places an outbound call: digits in any Japanese format (dialled as E.164 when valid, an
   * extension as typed) or a sip: URI. Resolves with the call id once the call exists
   * ('connecting'); its progress and end come as 'call' events. `callerId` (E.164) is the
   * number presented for this call instead of the account's (a campaign's rotated number).
   */
  dial(target: string, opts?: { callerId?: string }): Promise<string>;
  hold(callId: string): Promise<void>;
  resume(callId: string): Promise<void>;
  /** Resumes this call and holds every other established one. */
  switchLine(callId: string): Promise<void>;
  /** Mutes the microphone in the renderer (no re-INVITE). */
  setMute(callId: string, muted: boolean): Promise<void>;
  /** RFC 4733 through the renderer, or SIP INFO, per settings().dtmfMode. */
  sendDtmf(callId: string, tones: string): Promise<void>;
  /** REFER to target; progress on call.transfer; the call ends on success. */
  blindTransfer(callId: string, target: string): Promise<void>;
  /** Holds the call and dials target; resolves with the consult call's id. */
  startConsult(callId: string, target: string): Promise<string>;
  /** REFER the original far end to the consult party (Replaces); both legs end on success. */
  completeTransfer(callId: string, consultCallId: string): Promise<void>;
  /** Resumes both calls and mixes them in the renderer; resolves with the conference id. */
  conference(callIds: string[]): Promise<string>;
  /** The renderer's latest quality sample; the ended call carries the mean of all of them. */
  updateQuality(callId: string, quality: CallQuality): void;
}

export interface PhoneServiceOptions {
  config: PhoneConfig;
  media: MediaHub;
  log: Logger;
  now?: () => number;
  /**
   * Called the instant core sees each INVITE (before the 'ringing' emit returns), with
   * wall-clock ms at sub-ms precision (performance.timeOrigin + performance.now()).
   */
  onInviteReceived?: (callId: string, sipCallId: string, atMs: number) => void;
  /** How long answer() waits for a renderer to serve media. Default 10 s. */
  rendererWaitMs?: number;
  /** Reconnect / re-register delays. Default 1 s doubling to 30 s, jittered. */
  backoff?: Partial<BackoffOptions>;
  /** SIP.js's own log threshold (its output goes to log.debug). Default 'warn'. */
  sipLogLevel?: SipLogLevel;
  /** WebSocket connect timeout, seconds. Default 5. */
  connectTimeoutSec?: number;
  /**
   * Unanswered inbound calls get 480 after this many seconds; outbound calls not answered
   * within it are CANCELed (outcome no_answer). Default 60.
   */
  noAnswerTimeoutSec?: number;
  /** The agent's phone settings (DTMF mode, auto-answer), read when needed. */
  settings?: () => PhoneSettings;
  /**
   * Every established call sends an in-dialog OPTIONS this often, ms, so a call whose far end
   * is gone (its BYE lost, or it crashed) ends instead of staying 'active' (call-probe.ts);
   * 0 = off. Default 30 s.
   */
  callProbeIntervalMs?: number;
  /** A probe with no final response within this is a miss (two in a row end the call). Default 8 s. */
  callProbeTimeoutMs?: number;
}

const DEFAULT_SETTINGS: PhoneSettings = {
  dtmfMode: 'rfc4733',
  autoAnswer: false,
  audio: { microphoneId: null, speakerId: null, ringerId: null },
};

function userOf(aor: string): string {
  return aor.replace(/^sips?:/, '').split('@')[0] ?? '';
}

export function createPhoneService(opts: PhoneServiceOptions): PhoneService {
  const log = opts.log;
  const now = opts.now ?? Date.now;
  const statusListeners = new Set<(s: PhoneStatus) => void>();
  const callListeners = new Set<(c: PhoneCall) => void>();
  const parsed = PhoneConfig.safeParse(opts.config);
  const aor = parsed.success ? parsed.data.aor : null;

  let status: PhoneStatus = { registration: 'unregistered', aor, error: null, since: now() };
  let registration: Registration | null = null;
  let calls: Calls | null = null;
  let stopUa: (() => Promise<void>) | null = null;
  let lifecycle: 'idle' | 'started' | 'stopped' = 'idle';
  let detachMedia: (() => void) | null = null;

  const setStatus = (s: PhoneStatus) => {
    status = s;
    for (const l of [...statusListeners]) {
      try {
        l(s);
      } catch (err) {
        log.error('status listener failed', { err });
      }
    }
  };
  const emitCall = (c: PhoneCall) => {
    for (const l of [...callListeners]) {
      try {
        l(c);
      } catch (err) {
        log.error('call listener failed', { err });
      }
    }
  };
  const noCalls = (): never => {
    throw new RpcFailure('not_found', 'no such call (phone not started)');
  };

  const service: PhoneService = {
    async start() {
      if (lifecycle !== 'idle') throw new Error(`phone service already ${lifecycle}`);
      lifecycle = 'started';
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        setStatus({
          registration: 'failed',
          aor,
          error: {
            code: 'config_invalid',
            message: `The SIP account settings are invalid: ${issue?.path.join('.') || 'config'}: ${issue?.message ?? ''}`,
          },
          since: now(),
        });
        return;
      }
      const cfg = parsed.data;
      const sip = await loadSip();
      if (lifecycle !== 'started') return; // stop() won the race
      // Warm libphonenumber's caches so the first INVITE's pop is not the slow one.
      parseCallerId({ fromUri: '<sip:0312345678@warm.invalid>' });
      const uri = sip.UserAgent.makeURI(cfg.aor);
      if (!uri) {
        setStatus({
          registration: 'failed',
          aor,
          error: {
            code: 'config_invalid',
            message: 'The SIP address (AoR) is not a valid SIP URI.',
          },
          since: now(),
        });
        return;
      }
      const backoff: BackoffOptions = { initialMs: 1000, maxMs: 30_000, ...opts.backoff };
      // Built before the UA so the UA's delegate can reach them; wired right after.
      let reg: Registration | null = null;
      let uaRef: InstanceType<typeof sip.UserAgent> | null = null;
      const noAnswerSec = opts.noAnswerTimeoutSec ?? 60;
      const inbound = createCalls({
        sip,
        ua: () => {
          if (!uaRef) throw new RpcFailure('unavailable', 'the phone is not started');
          return uaRef;
        },
        domain: uri.host,
        media: opts.media,
        log,
        now,
        emit: emitCall,
        rendererWaitMs: opts.rendererWaitMs ?? 10_000,
        outboundNoAnswerMs: noAnswerSec * 1000,
        settings: opts.settings ?? (() => DEFAULT_SETTINGS),
        callerId: cfg.callerId,
        onInviteReceived: opts.onInviteReceived,
        probeIntervalMs: opts.callProbeIntervalMs,
        probeTimeoutMs: opts.callProbeTimeoutMs,
      });
      // Transport back after a drop (the server restarted, the network changed): established
      // calls re-INVITE with an ICE restart. registration.ts keeps the registration; this is
      // the media side of the same event.
      let transportWasLost = false;
      const ua = new sip.UserAgent({
        uri,
        transportOptions: {
          server: cfg.server,
          connectionTimeout: opts.connectTimeoutSec ?? 5,
        },
        authorizationUsername: cfg.authUser ?? userOf(cfg.aor),
        authorizationPassword: cfg.password,
        displayName: cfg.displayName ?? '',
        // We emit the ringing call first, then send 180 ourselves (inbound-calls.ts).
        sendInitialProvisionalResponse: false,
        noAnswerTimeout: noAnswerSec,
        // Reconnects are ours (registration.ts): backoff with jitter, status kept honest.
        reconnectionAttempts: 0,
        // stop() ends calls and unregisters itself, bounded; SIP.js's graceful path can wait
        // 32 s per request on a dead server.
        gracefulShutdown: false,
        sessionDescriptionHandlerFactory: createProxySdhFactory({
          media: opts.media,
          callIdFor: (s) => inbound.callIdFor(s),
          log,
        }),
        delegate: {
          onConnect: () => {
            reg?.onConnect();
            // Liveness probes resume; the re-INVITE below is the first of them.
            inbound.setTransportUp(true);
            if (transportWasLost && lifecycle === 'started') {
              transportWasLost = false;
              void inbound.refreshMedia({ iceRestart: true, reason: 'transport reconnected' });
            }
          },
          onDisconnect: (err) => {
            transportWasLost = true;
            inbound.setTransportUp(false);
            reg?.onDisconnect(err);
          },
          onInvite: (inv) => {
            if (lifecycle !== 'started') {
              inv.reject({ statusCode: 480 }).catch(() => {});
              return;
            }
            inbound.onInvite(inv);
          },
        },
        ...sipLogOptions(log, opts.sipLogLevel ?? 'warn'),
      });
      reg = createRegistration({
        sip,
        ua,
        aor: cfg.aor,
        expiresSec: cfg.registerExpiresSec ?? 300,
        log,
        now,
        backoff,
        onStatus: setStatus,
      });
      uaRef = ua;
      registration = reg;
      calls = inbound;
      // A renderer (re)attached — a reload or a crashed window came back: its peer connections
      // are new, so every established call re-INVITEs for fresh media.
      detachMedia = opts.media.onAttach(() => {
        if (lifecycle !== 'started') return;
        void inbound.refreshMedia({ iceRestart: false, reason: 'renderer attached' });
      });
      stopUa = () => ua.stop();
      await reg.start();
    },

    async stop() {
      if (lifecycle === 'stopped') return;
      const wasStarted = lifecycle === 'started';
      lifecycle = 'stopped';
      if (!wasStarted) return;
      detachMedia?.();
      calls?.endAll('phone stopped');
      await registration?.stop();
      await stopUa?.().catch((err: unknown) => log.warn('phone stop failed', { err }));
    },

    status: () => status,
    calls: () => calls?.list() ?? [],

    on(ev: 'status' | 'call', l: ((s: PhoneStatus) => void) | ((c: PhoneCall) => void)) {
      if (ev === 'status') {
        const fn = l as (s: PhoneStatus) => void;
        statusListeners.add(fn);
        return () => statusListeners.delete(fn);
      }
      const fn = l as (c: PhoneCall) => void;
      callListeners.add(fn);
      return () => callListeners.delete(fn);
    },

    answer: async (callId) => (calls ?? noCalls()).answer(callId),
    reject: async (callId) => (calls ?? noCalls()).reject(callId),
    hangup: async (callId) => (calls ?? noCalls()).hangup(callId),
    dial: async (target, opts) => (calls ?? noCalls()).dial(target, opts),
    hold: async (callId) => (calls ?? noCalls()).hold(callId),
    resume: async (callId) => (calls ?? noCalls()).resume(callId),
    switchLine: async (callId) => (calls ?? noCalls()).switchLine(callId),
    setMute: async (callId, muted) => (calls ?? noCalls()).setMute(callId, muted),
    sendDtmf: async (callId, tones) => (calls ?? noCalls()).sendDtmf(callId, tones),
    blindTransfer: async (callId, target) => (calls ?? noCalls()).blindTransfer(callId, target),
    startConsult: async (callId, target) => (calls ?? noCalls()).startConsult(callId, target),
    completeTransfer: async (callId, consultCallId) =>
      (calls ?? noCalls()).completeTransfer(callId, consultCallId),
    conference: async (callIds) => (calls ?? noCalls()).conference(callIds),
    updateQuality: (callId, quality) => (calls ?? noCalls()).updateQuality(callId, quality),
  };
  return service;
}
