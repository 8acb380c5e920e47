// Keeps the agent registered: transport up → REGISTER (digest auth is SIP.js's) → refresh.
// The status it reports never claims 'registered' while the transport is down. Lost
// transport → 'unregistered' and reconnect with backoff; a refused REGISTER → retry with
// backoff; wrong credentials → 'failed' and stop (retrying a wrong password only locks the
// account on many PBXes).
//
// Survival (issue 3):
// - Reconnect delays: 4 tries at `backoff.initialMs` (equal jitter: 0.5–1 s by default), then
//   ×1.5 up to the cap, so a server back after a 1–3 s restart is found again within ~1 s of
//   being back, and a floor of agents does not come back in lockstep (see backoff.ts). A
//   refused REGISTER (5xx) backs off ×1.5 from its first retry.
// - Keep-alive = an OPTIONS probe to the registrar every ~keepAliveMs (jittered). Chosen over
//   SIP.js's CRLF keep-alive (it never notices a missing pong) and WebSocket pings (the
//   browser-style WebSocket of Node 22 / Electron cannot send them): any SIP response proves
//   the whole path — TCP, WebSocket and the SIP server's workers — is alive; no answer within
//   probeTimeoutMs means a half-open connection or a hung server, so the transport is
//   dropped and the phone reconnects instead of claiming 'registered' for minutes.
// - A REGISTER unanswered for registerTimeoutMs is treated the same way (SIP.js alone would
//   wait 32 s for its transaction timer).
// - Refresh at 75–85 % of the granted expiry (SIP.js's default is 99 %: one lost refresh and
//   the binding lapses while the status still says 'registered'); the spread keeps agents
//   that registered together from refreshing together.
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
  /** OPTIONS liveness probe interval while connected, ms (jittered −20 %); 0 = off. Default 30 s. */
  keepAliveMs?: number;
  /** A probe unanswered this long means the server is gone. Default 5 s. */
  probeTimeoutMs?: number;
  /** A REGISTER unanswered this long means the server is gone. Default 10 s. */
  registerTimeoutMs?: number;
  /** 0..1 source for jitter; injectable for tests. */
  random?: () => number;
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

/** Reconnect attempts made at the first backoff step before it starts to grow. */
const FLAT_RECONNECTS = 3;

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
  let probeTimer: NodeJS.Timeout | undefined;
  let probeDeadline: NodeJS.Timeout | undefined;
  let registerDeadline: NodeJS.Timeout | undefined;
  let registerSeq = 0; // ignores answers to REGISTERs given up on
  const random = d.random ?? Math.random;
  const backoff: BackoffOptions = { factor: 1.5, random, ...d.backoff };
  const keepAliveMs = d.keepAliveMs ?? 30_000;
  const probeTimeoutMs = d.probeTimeoutMs ?? 5_000;
  const registerTimeoutMs = d.registerTimeoutMs ?? 10_000;

  const makeRegisterer = (): Registerer =>
    new sip.Registerer(ua, {
      expires: d.expiresSec,
      refreshFrequency: Math.round(75 + 10 * random()),
      logConfiguration: false,
    });
  let registerer = makeRegisterer();
  const pendingOf = (r: Registerer) => r as unknown as RegistererWaiting;

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
    // Reconnects stay at the first step for FLAT_RECONNECTS tries (~3 s at 1 s: a restarting
    // server is found within a second of being back), then grow. A refused REGISTER (5xx:
    // the server is up but struggling) backs off from the first retry.
    const n = attempt++;
    const ms = backoffDelay(what === 'reconnect' ? Math.max(0, n - FLAT_RECONNECTS) : n, backoff);
    log.info('phone retry scheduled', { what, inMs: ms, attempt });
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped && !authFailed) fn();
    }, ms);
  };

  const clearLiveness = () => {
    for (const t of [probeTimer, probeDeadline, registerDeadline]) if (t) clearTimeout(t);
    probeTimer = probeDeadline = registerDeadline = undefined;
  };

  /** The server stopped answering over a connection that looks open: close it, reconnect. */
  const serverSilent = (what: string) => {
    if (stopped || !transportUp) return;
    log.warn('phone server not answering; dropping the connection', { what });
    clearLiveness();
    set('unregistered', {
      code: 'timeout',
      message: 'The phone server stopped answering. Reconnecting…',
    });
    // onDisconnect (from SIP.js's transport) schedules the reconnect. With `ws` a half-open
    // socket would take its 30 s close handshake timeout: terminate it outright.
    const t = ua.transport as unknown as { _ws?: { terminate?: () => void } };
    ua.transport.disconnect().catch((err: unknown) => log.debug('disconnect failed', { err }));
    try {
      t._ws?.terminate?.();
    } catch {
      /* already closed */
    }
  };

  const scheduleProbe = () => {
    if (probeTimer || stopped || !transportUp || keepAliveMs <= 0) return;
    probeTimer = setTimeout(probe, Math.round(keepAliveMs * (0.8 + 0.2 * random())));
  };

  const probe = () => {
    probeTimer = undefined;
    if (stopped || !transportUp) return;
    const core = ua.userAgentCore;
    const self = ua.configuration.uri;
    const target = sip.UserAgent.makeURI(`sip:${self.host}${self.port ? `:${self.port}` : ''}`);
    if (!target) return;
    const answered = () => {
      if (probeDeadline) clearTimeout(probeDeadline);
      probeDeadline = undefined;
      scheduleProbe();
    };
    probeDeadline = setTimeout(() => {
      probeDeadline = undefined;
      serverSilent('OPTIONS keep-alive');
    }, probeTimeoutMs);
    try {
      const msg = core.makeOutgoingRequestMessage('OPTIONS', target, self, target, {});
      // Any final response — even 4xx/5xx — proves the path and the server are alive.
      core.request(msg, { onAccept: answered, onReject: answered, onRedirect: answered });
    } catch (err) {
      log.debug('keep-alive not sent', { err });
    }
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

  /**
   * A REGISTER sent over a connection that is gone can only end by SIP.js's 32 s transaction
   * timer, and the Registerer refuses another one until then. Rather than wait, retire it
   * (dispose: it unregisters nothing while waiting, then terminates) and start a new one.
   */
  const replaceStaleRegisterer = () => {
    const old = registerer;
    log.info('phone: replacing a registerer stuck on a lost connection');
    registerer = makeRegisterer();
    watch(registerer);
    old.dispose().catch((err: unknown) => log.debug('registerer dispose failed', { err }));
  };

  const register = (afterReconnect = false) => {
    if (stopped || authFailed || !transportUp) return;
    if (pendingOf(registerer).waiting) {
      if (afterReconnect) {
        replaceStaleRegisterer();
      } else {
        // A REGISTER (e.g. a refresh) is in flight on this connection: let it finish, then
        // send ours.
        pendingOf(registerer).waitingChange.addListener(() => register(), { once: true });
        return;
      }
    }
    set('connecting', status.error);
    const seq = ++registerSeq;
    if (registerDeadline) clearTimeout(registerDeadline);
    registerDeadline = setTimeout(() => {
      registerDeadline = undefined;
      if (seq === registerSeq) serverSilent('REGISTER');
    }, registerTimeoutMs);
    const answered = () => {
      if (seq !== registerSeq) return false;
      if (registerDeadline) clearTimeout(registerDeadline);
      registerDeadline = undefined;
      return true;
    };
    registerer
      .register({
        requestDelegate: {
          onAccept: () => {
            answered();
            attempt = 0;
            if (transportUp) set('registered');
          },
          onReject: (res: { message: { statusCode?: number; reasonPhrase?: string } }) => {
            // The 401/407 challenge is answered by SIP.js itself and never lands here.
            if (!answered()) return;
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
        if (!answered()) return;
        if (transportUp) schedule('register', register);
      });
  };

  function watch(r: Registerer): void {
    r.stateChange.addListener((state) => {
      if (stopped || r !== registerer) return;
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
  }
  watch(registerer);

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
      register(true);
      scheduleProbe();
    },
    onDisconnect(error) {
      transportUp = false;
      clearLiveness();
      registerSeq++; // an answer to a REGISTER on the old connection cannot come any more
      if (stopped) return;
      log.warn('phone transport lost', { err: error ?? null });
      if (authFailed) return;
      // (We dropped it ourselves when the server went silent: keep saying so.)
      if (!(status.registration === 'unregistered' && status.error?.code === 'timeout'))
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
      clearLiveness();
      settleFirst?.();
      if (
        transportUp &&
        registerer.state === sip.RegistererState.Registered &&
        !pendingOf(registerer).waiting
      ) {
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
