// The agent's phone: one SIP.js UserAgent in main (so registration and calls survive a
// renderer reload), registered over WebSocket with digest auth, taking inbound calls whose
// media the renderer provides through the MediaPort (proxy-sdh.ts).
import type { PhoneStatus } from '../../../preload/contract';
import type { Logger } from '../log';
import { RpcFailure } from '../rpc/dispatcher';
import type { MediaHub } from '../rpc/media-port';
import type { BackoffOptions } from './backoff';
import { parseCallerId } from './caller-id';
import { createInboundCalls, type InboundCalls, type PhoneCall } from './inbound-calls';
import { PhoneConfig } from './phone-config';
import { createProxySdhFactory } from './proxy-sdh';
import { createRegistration, type Registration } from './registration';
import { loadSip, sipLogOptions, type SipLogLevel } from './sip-runtime';

export type { PhoneCall };
export { REJECT_STATUS } from './inbound-calls';

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
  /** Unanswered inbound calls get 480 after this many seconds. Default 60. */
  noAnswerTimeoutSec?: number;
}

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
  let calls: InboundCalls | null = null;
  let stopUa: (() => Promise<void>) | null = null;
  let lifecycle: 'idle' | 'started' | 'stopped' = 'idle';

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
      const inbound = createInboundCalls({
        sip,
        media: opts.media,
        log,
        now,
        emit: emitCall,
        rendererWaitMs: opts.rendererWaitMs ?? 10_000,
        onInviteReceived: opts.onInviteReceived,
      });
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
        noAnswerTimeout: opts.noAnswerTimeoutSec ?? 60,
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
          onConnect: () => reg?.onConnect(),
          onDisconnect: (err) => reg?.onDisconnect(err),
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
      registration = reg;
      calls = inbound;
      stopUa = () => ua.stop();
      await reg.start();
    },

    async stop() {
      if (lifecycle === 'stopped') return;
      const wasStarted = lifecycle === 'started';
      lifecycle = 'stopped';
      if (!wasStarted) return;
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
  };
  return service;
}
