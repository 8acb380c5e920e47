// Keeps the agent registered: transport up → REGISTER (digest auth is SIP.js's) → refresh.
// The status it reports never claims 'registered' while the transport is down. Lost
// transport → 'unregistered' and reconnect with backoff; a refused REGISTER → retry with
// backoff; wrong credentials → 'failed' and stop (retrying a wrong password only locks the
// account on many PBXes).
import type { Registerer, UserAgent } from 'sip.js';
import type { PhoneStatus } from '../../../preload/contract';
import type { Logger } from '../log';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { SipModule } from './sip-runtime';

export interface RegistrationDeps {
  sip: SipModule;
  ua: UserAgent;
  aor: string;
  expiresSec: number;
  log: Logger;
  now: () => number;
  backoff: BackoffOptions;
  onStatus: (s: PhoneStatus) => void;
}

export interface Registration {
  status(): PhoneStatus;
  /** Connects and registers; resolves when the first attempt has an outcome (or after firstWaitMs). */
  start(firstWaitMs?: number): Promise<void>;
  /** Unregisters (bounded) and stops retrying; the caller then stops the UserAgent. */
  stop(timeoutMs?: number): Promise<void>;
  /** Wire to UserAgentDelegate.onConnect / onDisconnect. */
  onConnect(): void;
  onDisconnect(error?: Error): void;
  readonly transportUp: boolean;
}

type ErrorCode = NonNullable<PhoneStatus['error']>['code'];

/**
 * Registerer.waiting / waitingChange are public at run time but private in SIP.js 0.21's
 * typings; we need them to avoid RequestPendingError when re-registering after a reconnect.
 */
interface RegistererWaiting {
  readonly waiting: boolean;
  readonly waitingChange: {
    addListener(l: (waiting: boolean) => void, opts?: { once?: boolean }): void;
  };
}

const AUTH_FAILED =
  'The phone server did not accept the SIP user name or password. Check the account settings.';

function describeReject(code: number, reason: string): { code: ErrorCode; message: string } {
  if (code === 401 || code === 403 || code === 407)
    return { code: 'auth_failed', message: AUTH_FAILED };
  if (code === 408)
    return {
      code: 'timeout',
      message: 'The phone server did not answer the registration in time.',
    };
  if (code === 503)
    return { code: 'transport_error', message: 'The phone server is unreachable or unavailable.' };
  return {
    code: 'registration_rejected',
    message: `The phone server refused the registration (${code} ${reason}).`.slice(0, 200),
  };
}

export function createRegistration(d: RegistrationDeps): Registration {
  const { sip, ua, log } = d;
  let status: PhoneStatus = {
    registration: 'unregistered',
    aor: d.aor,
    error: null,
    since: d.now(),
  };
  let transportUp = false;
  let stopped = false;
  let authFailed = false;
  let attempt = 0; // consecutive failures, for backoff
  let timer: NodeJS.Timeout | undefined;
  let settleFirst: (() => void) | null = null;

  const registerer: Registerer = new sip.Registerer(ua, {
    expires: d.expiresSec,
    logConfiguration: false,
  });
  const pending = registerer as unknown as RegistererWaiting;

  const set = (registration: PhoneStatus['registration'], error: PhoneStatus['error'] = null) => {
    if (stopped) return;
    const same =
      status.registration === registration &&
      status.error?.code === error?.code &&
      status.error?.message === error?.message;
    if (same) return;
    status = { registration, aor: d.aor, error, since: d.now() };
    log.info('phone registration', { state: registration, error: error?.code ?? null });
    if (registration !== 'connecting') {
      settleFirst?.();
      settleFirst = null;
    }
    d.onStatus(status);
  };

  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  const schedule = (what: string, fn: () => void) => {
    if (stopped || authFailed || timer) return;
    const ms = backoffDelay(attempt++, d.backoff);
    log.info('phone retry scheduled', { what, inMs: ms, attempt });
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped && !authFailed) fn();
    }, ms);
  };

  const reconnect = () => {
    set('connecting', status.error);
    ua.reconnect().catch((err: unknown) => {
      // Not connected (onConnect never fired): try again later.
      log.warn('phone server unreachable', { err });
      set('unregistered', {
        code: 'transport_error',
        message: 'Cannot reach the phone server. Retrying…',
      });
      schedule('reconnect', reconnect);
    });
  };

  const register = () => {
    if (stopped || authFailed || !transportUp) return;
    if (pending.waiting) {
      // A REGISTER is still in flight (e.g. sent just before the transport dropped): let it
      // finish (or time out), then send ours.
      pending.waitingChange.addListener(() => register(), { once: true });
      return;
    }
    set('connecting', status.error);
    registerer
      .register({
        requestDelegate: {
          onAccept: () => {
            attempt = 0;
            if (transportUp) set('registered');
          },
          onReject: (res: { message: { statusCode?: number; reasonPhrase?: string } }) => {
            const code = res.message.statusCode ?? 0;
            const err = describeReject(code, res.message.reasonPhrase ?? '');
            if (err.code === 'auth_failed') {
              authFailed = true;
              clearTimer();
              set('failed', err);
              return;
            }
            set('unregistered', err);
            if (transportUp) schedule('register', register);
          },
        },
      })
      .catch((err: unknown) => {
        log.warn('phone register not sent', { err });
        if (transportUp) schedule('register', register);
      });
  };

  registerer.stateChange.addListener((state) => {
    if (stopped) return;
    if (state === sip.RegistererState.Registered) {
      if (transportUp && !authFailed) set('registered');
    } else if (state === sip.RegistererState.Unregistered) {
      // A refresh failed or the binding expired. Our own register() calls learn the reason
      // in onReject, which SIP.js calls right after this: decide on the next tick.
      setTimeout(() => {
        if (stopped || authFailed || status.registration === 'failed') return;
        if (status.registration === 'registered') set('unregistered', null);
        if (transportUp) schedule('register', register);
      }, 0);
    }
  });

  return {
    get transportUp() {
      return transportUp;
    },
    status: () => status,
    async start(firstWaitMs = 10_000) {
      const first = new Promise<void>((resolve) => {
        settleFirst = resolve;
      });
      set('connecting');
      ua.start().catch((err: unknown) => {
        log.warn('phone server unreachable', { err });
        set('unregistered', {
          code: 'transport_error',
          message: 'Cannot reach the phone server. Retrying…',
        });
        schedule('reconnect', reconnect);
      });
      let t: NodeJS.Timeout | undefined;
      await Promise.race([first, new Promise<void>((r) => (t = setTimeout(r, firstWaitMs)))]);
      clearTimeout(t);
    },
    onConnect() {
      if (stopped) return;
      transportUp = true;
      log.info('phone transport connected');
      register();
    },
    onDisconnect(error) {
      transportUp = false;
      if (stopped) return;
      log.warn('phone transport lost', { err: error ?? null });
      if (authFailed) return;
      set('unregistered', {
        code: 'transport_error',
        message: 'Lost the connection to the phone server. Reconnecting…',
      });
      clearTimer();
      schedule('reconnect', reconnect);
    },
    async stop(timeoutMs = 2000) {
      if (stopped) return;
      stopped = true;
      clearTimer();
      settleFirst?.();
      if (transportUp && registerer.state === sip.RegistererState.Registered && !pending.waiting) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve, reject) => {
            registerer
              .unregister({
                requestDelegate: { onAccept: () => resolve(), onReject: () => resolve() },
              })
              .catch(reject);
          }),
          new Promise<void>((r) => (t = setTimeout(r, timeoutMs))),
        ]).catch((err: unknown) => log.debug('unregister failed', { err }));
        clearTimeout(t);
      }
      status = { registration: 'unregistered', aor: d.aor, error: null, since: d.now() };
      d.onStatus(status);
    },
  };
}
