// The agent's calls, inbound and outbound: one entry per SIP.js session, keyed by an id the
// app makes (SIP's Call-ID is foreign input and stays internal). Every change is emitted;
// 'ended' exactly once, then the call is dropped.
//
// Inbound: the ringing call is emitted straight from the INVITE — no awaits, no media —
// because it starts the customer pop; 180 Ringing goes out after.
// Outbound: 'connecting' (INVITE sent) → 'ringing' (18x) → 'active' → 'ended', failures
// mapped to clear outcomes with the SIP status.
// Controls on established calls: hold/resume (re-INVITE sendonly/sendrecv), mute (renderer
// only), DTMF (RFC 4733 in the renderer or SIP INFO), call waiting and line switching, blind
// and attended transfer (REFER, NOTIFY progress), a local 3-way conference, quality samples,
// auto-answer (Call-Info answer-after) and media recovery (re-INVITE with fresh media).
// Liveness: every established call is probed with an in-dialog OPTIONS (call-probe.ts); a far
// end that is gone ends the call ('answered', 'call lost: …') instead of leaving it stuck.
import { randomUUID } from 'node:crypto';
import type { Core, Invitation, Inviter, Notification, Session, UserAgent } from 'sip.js';
import type {
  Call,
  CallOutcome,
  CallQuality,
  CallerNumber,
  PhoneSettings,
  TransferState,
} from '../../../preload/contract';
import { CallReason } from '../../../preload/contract';
import { normalizePhone, toHalfWidth } from '../customers/phone-number';
import type { Logger } from '../log';
import { RpcFailure } from '../rpc/dispatcher';
import type { MediaHub } from '../rpc/media-port';
import {
  CALL_LOST_REASON,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_PROBE_TIMEOUT_MS,
  classifyProbe,
  probeStep,
} from './call-probe';
import { parseCallerId, sanitizeText } from './caller-id';
import type { ProxySdhOptions } from './proxy-sdh';
import type { SipModule } from './sip-runtime';

export type PhoneCall = Omit<Call, 'pop'>;

/**
 * Rejecting sends 486 Busy Here, not 603 Decline: 486 lets an ACD/queue offer the call to
 * the next agent, while a 6xx tells every proxy to stop trying anyone else (RFC 3261 16.7).
 */
export const REJECT_STATUS = 486;

/** SIP INFO DTMF (application/dtmf-relay): tone length and the gap before the next one. */
const INFO_DTMF_MS = 160;
const INFO_GAP_MS = 80;
/** ',' in a DTMF string is a 2 s pause (as RTCDTMFSender does it). */
const DTMF_PAUSE_MS = 2000;
/** Quality samples kept per call for the end-of-call summary (~2 h at one every 2 s). */
const MAX_QUALITY_SAMPLES = 3600;
/** Longest auto-answer delay honoured (a server asking for more is ignored). */
const MAX_AUTO_ANSWER_SEC = 60;
/** Longest wait for the caller's ACK before a re-INVITE (SIP's own limit is 64*T1 = 32 s). */
const ACK_WAIT_MS = 5000;
/** The contract's limit for an SDP (mediaRequests.setDescription). */
const MAX_SDP = 65536;

interface Entry {
  call: PhoneCall;
  session: Invitation | Inviter;
  inbound: boolean;
  sipCallId: string;
  answering: boolean;
  canceled: boolean;
  remoteBye: boolean;
  acceptError: unknown;
  /** Set when we end the call ourselves: the outcome to record. */
  endHint: { outcome: CallOutcome; reason: string } | null;
  /** Outbound: the final non-2xx response. */
  finalResponse: { code: number; reason: string } | null;
  /** Outbound: the no-answer timer fired and we CANCELed. */
  timedOut: boolean;
  timers: NodeJS.Timeout[];
  /** Inbound: the ACK for our 200 arrived (outbound: we send it, resolved from the start). */
  acked: { promise: Promise<void>; resolve: () => void };
  /** re-INVITEs one at a time (SIP.js refuses a second while one is pending). */
  reinvites: Promise<unknown>;
  quality: CallQuality[];
  /** Liveness (call-probe.ts): the next OPTIONS, the one in flight, misses in a row. */
  probeTimer: NodeJS.Timeout | null;
  probe: { gen: number; deadline: NodeJS.Timeout } | null;
  probeGen: number;
  probeMisses: number;
}

export interface CallsDeps {
  sip: SipModule;
  /** The UserAgent (made after this module; only used once calls are placed). */
  ua: () => UserAgent;
  /** host of the agent's AoR: dialled numbers become sip:<number>@<domain>. */
  domain: string;
  media: MediaHub;
  log: Logger;
  now: () => number;
  emit: (c: PhoneCall) => void;
  rendererWaitMs: number;
  /** Outbound calls not answered within this are CANCELed (outcome no_answer). */
  outboundNoAnswerMs: number;
  settings: () => PhoneSettings;
  callerId?: { number?: string; displayName?: string };
  onInviteReceived?: (callId: string, sipCallId: string, atMs: number) => void;
  /** In-dialog OPTIONS liveness probe of established calls, ms; 0 = off. Default 30 s. */
  probeIntervalMs?: number;
  /** A probe with no final response within this is a miss. Default 8 s. */
  probeTimeoutMs?: number;
}

export interface Calls {
  onInvite(invitation: Invitation): void;
  /** The app call id of a SIP.js session (for the media handler). */
  callIdFor(session: Session): string;
  list(): PhoneCall[];
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  dial(target: string, opts?: { consultFor?: string; callerId?: string }): Promise<string>;
  hold(callId: string): Promise<void>;
  resume(callId: string): Promise<void>;
  switchLine(callId: string): Promise<void>;
  setMute(callId: string, muted: boolean): Promise<void>;
  sendDtmf(callId: string, tones: string): Promise<void>;
  blindTransfer(callId: string, target: string): Promise<void>;
  startConsult(callId: string, target: string): Promise<string>;
  completeTransfer(callId: string, consultCallId: string): Promise<void>;
  conference(callIds: string[]): Promise<string>;
  updateQuality(callId: string, q: CallQuality): void;
  /** re-INVITEs every established call so the renderer offers fresh media. */
  refreshMedia(opts: { iceRestart: boolean; reason: string }): Promise<void>;
  /** Ends every call (service stopping). */
  endAll(reason: string): void;
  /**
   * Our connection to the SIP server: no liveness probes while it is down (a probe in flight
   * when it drops does not count); probing starts over when it is back.
   */
  setTransportUp(up: boolean): void;
}

const RECENTLY_ENDED = 200;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An offer we could answer: an SDP (v=0 first) with an audio stream on a real port. */
export function sdpOffersAudio(sdp: string): boolean {
  return /^v=0\r?$/m.test(sdp.split('\n', 1)[0] ?? '') && /^m=audio [1-9]\d* /m.test(sdp);
}

/** The direction an SDP (offer) asks for: sendonly/inactive (or c=0.0.0.0) mean hold. */
export function sdpIsHold(sdp: string): boolean {
  const text = sdp.slice(0, 65536);
  const audio = text.search(/^m=audio /m);
  // Media-level attributes win over session-level ones: look at the audio section first.
  const section = audio >= 0 ? (text.slice(audio).split(/\r?\n(?=m=)/)[0] ?? '') : text;
  const dir =
    /^a=(sendonly|recvonly|inactive|sendrecv)\s*$/m.exec(section)?.[1] ??
    /^a=(sendonly|recvonly|inactive|sendrecv)\s*$/m.exec(
      audio >= 0 ? text.slice(0, audio) : '',
    )?.[1];
  if (dir === 'sendonly' || dir === 'inactive') return true;
  return /^c=IN IP4 0\.0\.0\.0\s*$/m.test(section);
}

/** First status line of a message/sipfrag body: 'SIP/2.0 180 Ringing' → 180. */
export function parseSipfrag(body: string): { code: number; line: string } | null {
  const line = body.slice(0, 1024).split(/\r?\n/)[0]?.trim() ?? '';
  const m = /^SIP\/2\.0 ([1-6]\d\d)(?: .*)?$/.exec(line);
  return m ? { code: Number(m[1]), line: sanitizeText(line, 128) } : null;
}

/**
 * The IVR's reason for an inbound call (X-Call-Reason: order | repeat_order | inquiry |
 * consultation, any case); anything else is no reason rather than an error.
 */
export function callReasonOf(header: string | undefined): CallReason | null {
  const parsed = CallReason.safeParse((header ?? '').trim().toLowerCase().slice(0, 32));
  return parsed.success ? parsed.data : null;
}

export interface DialTarget {
  /** sip:… URI to INVITE. */
  uri: string;
  remote: CallerNumber;
}

const SEPARATORS = /[\s\-.()\u00A0\u3000]/g;

/**
 * What the agent typed (any Japanese format, full-width too) or clicked: a phone number
 * dialled as E.164 when it is a valid one, an extension (e.g. 1002) as typed, or a SIP URI.
 */
export function resolveDialTarget(target: string, domain: string): DialTarget | null {
  const t = target.trim().slice(0, 256);
  if (/^sips?:/i.test(t)) {
    if (/[\s<>"]/.test(t) || !/^sips?:[^@]+@[^@]+$/i.test(t)) return null;
    return { uri: t, remote: parseCallerId({ fromUri: `<${t}>` }) };
  }
  const half = toHalfWidth(t);
  const digits = half.replace(SEPARATORS, '');
  if (!/^\+?[0-9*#]{1,32}$/.test(digits)) return null;
  const n = normalizePhone(half);
  const user = n.e164 ?? digits;
  if (user.startsWith('+') && !n.e164) return null; // '+' with a number that is not valid
  const uri = `sip:${user}@${domain}`;
  return { uri, remote: parseCallerId({ fromUri: `<${uri}>` }) };
}

export function createCalls(d: CallsDeps): Calls {
  const { sip, log } = d;
  const S = sip.SessionState;
  const entries = new Map<string, Entry>();
  const ids = new WeakMap<Session, string>();
  const probeIntervalMs = d.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
  const probeTimeoutMs = d.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  let transportUp = true;
  /** Bumped when the transport drops: a request sent before proves nothing after. */
  let transportEpoch = 0;
  const ended: string[] = []; // ids of recently ended calls: 'invalid_state', not 'not_found'

  const snapshot = (e: Entry): PhoneCall => ({
    ...e.call,
    remote: { ...e.call.remote },
    transfer: e.call.transfer ? { ...e.call.transfer } : null,
    quality: e.call.quality ? { ...e.call.quality } : null,
  });
  const publish = (e: Entry) => {
    try {
      d.emit(snapshot(e));
    } catch (err) {
      log.error('call listener failed', { err });
    }
  };

  const qualitySummary = (e: Entry): CallQuality | null => {
    const qs = e.quality;
    if (qs.length === 0) return e.call.quality;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rtts = qs.map((q) => q.rttMs).filter((x): x is number => x !== null);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      mos: r2(Math.min(5, Math.max(1, mean(qs.map((q) => q.mos))))),
      lossPct: r2(mean(qs.map((q) => q.lossPct))),
      jitterMs: r2(mean(qs.map((q) => q.jitterMs))),
      rttMs: rtts.length ? r2(mean(rtts)) : null,
    };
  };

  const outboundEnd = (e: Entry): { outcome: CallOutcome; reason: string } => {
    const fr = e.finalResponse;
    if (fr) {
      e.call.sipStatus = fr.code;
      const reason = `SIP ${fr.code} ${sanitizeText(fr.reason, 64)}`.trim();
      if (fr.code === 486 || fr.code === 600) return { outcome: 'busy', reason };
      if (fr.code === 408 || fr.code === 480 || (fr.code === 487 && e.timedOut))
        return { outcome: 'no_answer', reason };
      return { outcome: 'failed', reason };
    }
    if (e.timedOut) return { outcome: 'no_answer', reason: 'no answer' };
    return { outcome: 'failed', reason: 'the call could not be placed' };
  };

  const finalize = (e: Entry) => {
    if (e.call.state === 'ended') return;
    for (const t of e.timers) clearTimeout(t);
    e.timers = [];
    stopProbing(e);
    let outcome: CallOutcome;
    let reason: string;
    if (e.endHint) ({ outcome, reason } = e.endHint);
    else if (e.call.answeredAt !== null)
      [outcome, reason] = ['answered', e.remoteBye ? 'remote hung up' : 'call dropped'];
    else if (!e.inbound) ({ outcome, reason } = outboundEnd(e));
    else if (e.canceled) [outcome, reason] = ['missed', 'caller hung up before answer'];
    else if (e.acceptError)
      [outcome, reason] = ['failed', `could not answer: ${messageOf(e.acceptError)}`];
    // accept() failed (SIP.js terminates before the rejection reaches answer()).
    else if (e.call.state === 'connecting')
      [outcome, reason] = ['failed', 'could not answer the call'];
    else [outcome, reason] = ['missed', 'not answered in time'];
    e.call.state = 'ended';
    e.call.endedAt = d.now();
    e.call.outcome = outcome;
    e.call.endReason = reason.slice(0, 200);
    e.call.quality = qualitySummary(e);
    entries.delete(e.call.id);
    ended.push(e.call.id);
    if (ended.length > RECENTLY_ENDED) ended.shift();
    log.info('call ended', {
      callId: e.call.id,
      direction: e.call.direction,
      outcome,
      reason: e.call.endReason,
      sipStatus: e.call.sipStatus,
      quality: e.call.quality,
    });
    publish(e);
    // A conference partner goes back to a plain call.
    if (e.call.conferenceId) {
      const partners = [...entries.values()].filter(
        (o) => o.call.conferenceId === e.call.conferenceId,
      );
      for (const o of partners) {
        o.call.conferenceId = null;
        publish(o);
      }
      d.media
        .request('conference', { callIds: [] })
        .catch((err: unknown) => log.warn('conference end not delivered', { err }));
    }
  };

  const get = (callId: string): Entry => {
    const e = entries.get(callId);
    if (e) return e;
    if (ended.includes(callId)) throw new RpcFailure('invalid_state', 'the call has already ended');
    throw new RpcFailure('not_found', 'no such call');
  };
  const established = (callId: string, what: string): Entry => {
    const e = get(callId);
    if (e.call.state !== 'active' || e.session.state !== S.Established) {
      throw new RpcFailure('invalid_state', `cannot ${what} a call that is ${e.call.state}`);
    }
    return e;
  };
  /** Rethrows RpcFailure, wraps anything else: nothing untyped leaves the service. */
  const typed = (err: unknown, what: string): RpcFailure =>
    err instanceof RpcFailure ? err : new RpcFailure('internal', `${what}: ${messageOf(err)}`);

  /** One re-INVITE, resolved on 2xx, rejected with the status otherwise. Serialized per call. */
  const reinvite = (e: Entry, sdh: ProxySdhOptions): Promise<void> => {
    const run = async () => {
      // An answered call is Established when our 200 goes out; an offer of ours before the
      // caller's ACK breaks SIP.js's offer/answer state (it hangs up): wait for the ACK.
      await Promise.race([e.acked.promise, delay(ACK_WAIT_MS)]);
      if (e.call.state === 'ended' || e.session.state !== S.Established) {
        throw new RpcFailure('invalid_state', 'the call is not established');
      }
      const epoch = transportEpoch;
      await new Promise<void>((resolve, reject) => {
        e.session
          .invite({
            sessionDescriptionHandlerOptions: sdh as object,
            requestDelegate: {
              onAccept: () => {
                resolve();
                if (epoch === transportEpoch) probeResult(e, 200, 're-INVITE');
              },
              onReject: (res: Core.IncomingResponse) => {
                reject(
                  new RpcFailure(
                    'internal',
                    `the far end refused the re-INVITE: ${res.message.statusCode} ${res.message.reasonPhrase}`,
                  ),
                );
                // A re-INVITE is a liveness probe too (481: the far end is gone).
                // (Sent over a connection since lost: SIP.js's own timeout says nothing.)
                if (epoch === transportEpoch)
                  probeResult(e, res.message.statusCode ?? 0, 're-INVITE');
              },
            },
          })
          .catch(reject);
      });
      // Later re-INVITEs from the far end are answered with our current hold state only.
      e.session.sessionDescriptionHandlerOptionsReInvite = { hold: sdh.hold === true } as object;
    };
    const p = e.reinvites.then(run, run);
    e.reinvites = p.catch(() => {});
    return p;
  };

  const setHold = async (e: Entry, hold: boolean) => {
    if (e.call.onHold === hold) return;
    await reinvite(e, { hold });
    e.call.onHold = hold;
    publish(e);
  };

  /** Holds every established call but `except` (call waiting, switching lines). */
  const holdOthers = async (except: string) => {
    const others = [...entries.values()].filter(
      (o) => o.call.id !== except && o.call.state === 'active' && !o.call.onHold,
    );
    await Promise.all(
      others.map((o) =>
        setHold(o, true).catch((err: unknown) =>
          log.warn('could not hold the other line', { callId: o.call.id, err }),
        ),
      ),
    );
  };

  const newCall = (
    id: string,
    direction: PhoneCall['direction'],
    state: PhoneCall['state'],
    remote: CallerNumber,
  ): PhoneCall => ({
    id,
    direction,
    state,
    remote,
    reason: null,
    startedAt: d.now(),
    answeredAt: null,
    endedAt: null,
    outcome: null,
    endReason: null,
    onHold: false,
    remoteHold: false,
    muted: false,
    consultFor: null,
    conferenceId: null,
    transfer: null,
    quality: null,
    sipStatus: null,
  });

  const newEntry = (call: PhoneCall, session: Invitation | Inviter, inbound: boolean): Entry => ({
    call,
    session,
    inbound,
    sipCallId: inbound ? (session as Invitation).request.callId : '',
    answering: false,
    canceled: false,
    remoteBye: false,
    acceptError: null,
    endHint: null,
    finalResponse: null,
    timedOut: false,
    timers: [],
    acked: (() => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      if (!inbound) resolve();
      return { promise, resolve };
    })(),
    reinvites: Promise.resolve(),
    quality: [],
    probeTimer: null,
    probe: null,
    probeGen: 0,
    probeMisses: 0,
  });

  /** The session delegate both directions share: BYE, remote hold, INFO, stray NOTIFY. */
  const wireSession = (e: Entry) => {
    e.session.delegate = {
      onAck: () => e.acked.resolve(),
      onCancel: () => {
        e.canceled = true;
      },
      onBye: (bye) => {
        e.remoteBye = true;
        bye.accept().catch((err: unknown) => log.debug('bye accept failed', { err }));
      },
      onInvite: (request: Core.IncomingRequestMessage, _response: string, statusCode: number) => {
        if (statusCode !== 200 || e.call.state === 'ended') return;
        const body = typeof request.body === 'string' ? request.body : '';
        if (!body) return; // an offerless re-INVITE says nothing about hold
        const remoteHold = sdpIsHold(body);
        if (remoteHold !== e.call.remoteHold) {
          e.call.remoteHold = remoteHold;
          log.info(remoteHold ? 'remote hold' : 'remote resume', { callId: e.call.id });
          publish(e);
        }
      },
      onInfo: (info) => {
        info.accept().catch((err: unknown) => log.debug('info accept failed', { err }));
      },
      onNotify: (n) => {
        n.accept().catch((err: unknown) => log.debug('notify accept failed', { err }));
      },
      onRefer: (referral) => {
        // Being transferred by the far end is not supported: say so instead of hanging.
        referral.reject({ statusCode: 603 }).catch(() => {});
      },
    };
    e.session.stateChange.addListener((state) => {
      if (state === S.Established && e.call.state !== 'ended') {
        e.call.state = 'active';
        e.call.answeredAt = d.now();
        for (const t of e.timers) clearTimeout(t);
        e.timers = [];
        if (!e.inbound) e.sipCallId = e.session.dialog?.callId ?? e.sipCallId;
        publish(e);
        scheduleProbe(e);
      } else if (state === S.Terminating || state === S.Terminated) {
        if (!e.inbound && e.call.answeredAt === null && !e.endHint && !e.timedOut) {
          // A refused INVITE terminates the session just before SIP.js hands us the response
          // (requestDelegate.onReject): let it arrive, for the outcome and the SIP status.
          setImmediate(() => finalize(e));
        } else finalize(e);
      }
    });
  };

  const endRinging = (e: Entry, statusCode: number, hint: Entry['endHint']) => {
    e.endHint = hint;
    try {
      const inv = e.session as Invitation;
      inv
        .reject({ statusCode })
        .catch((err: unknown) => log.warn('reject failed', { callId: e.call.id, err }));
    } catch (err) {
      log.warn('reject failed', { callId: e.call.id, err });
    }
    finalize(e);
  };

  const byeAndEnd = (e: Entry, hint: NonNullable<Entry['endHint']>) => {
    e.endHint = hint;
    // bye() resolves late when the ACK is still outstanding; the call is over for the agent
    // now, SIP.js finishes the dialog on its own.
    try {
      e.session.bye().catch((err: unknown) => log.warn('bye failed', { callId: e.call.id, err }));
    } catch (err) {
      log.warn('bye failed', { callId: e.call.id, err });
    }
    finalize(e);
  };

  /** Stops the call's probing: no next probe, the one in flight (if any) no longer counts. */
  const stopProbing = (e: Entry) => {
    if (e.probeTimer) clearTimeout(e.probeTimer);
    e.probeTimer = null;
    if (e.probe) clearTimeout(e.probe.deadline);
    e.probe = null;
    e.probeGen++;
    e.probeMisses = 0;
  };

  const probing = (e: Entry) =>
    probeIntervalMs > 0 &&
    transportUp &&
    e.call.state === 'active' &&
    e.session.state === S.Established;

  /** The next probe in `ms` (one timer per call; a probe in flight reschedules when done). */
  const scheduleProbe = (e: Entry, ms = probeIntervalMs) => {
    if (!probing(e)) return;
    if (e.probeTimer) clearTimeout(e.probeTimer);
    e.probeTimer = setTimeout(() => {
      e.probeTimer = null;
      sendProbe(e);
    }, ms);
  };

  /** An in-dialog OPTIONS (the dialog's route set, remote target, tags and next CSeq). */
  const sendProbe = (e: Entry) => {
    if (!probing(e) || e.probe) return;
    // SIP.js's Session API has no OPTIONS: build it from the dialog like its INFO client does.
    const dialog = e.session.dialog as Core.SessionDialog | undefined;
    if (!dialog) return scheduleProbe(e);
    const gen = ++e.probeGen;
    const settle = (result: number | 'timeout') => {
      if (e.probe?.gen !== gen) return; // superseded: transport dropped, call ended, timed out
      clearTimeout(e.probe.deadline);
      e.probe = null;
      probeResult(e, result, 'OPTIONS');
    };
    e.probe = { gen, deadline: setTimeout(() => settle('timeout'), probeTimeoutMs) };
    const onFinal = (res: Core.IncomingResponse) => settle(res.message.statusCode ?? 0);
    try {
      const msg = dialog.createOutgoingRequestMessage(sip.Core.C.OPTIONS, {
        extraHeaders: ['Accept: application/sdp'],
      });
      new sip.Core.UserAgentClient(sip.Core.NonInviteClientTransaction, dialog.userAgentCore, msg, {
        onAccept: onFinal,
        onReject: onFinal,
        onRedirect: onFinal,
      });
    } catch (err) {
      // Not sent (the dialog is going away): nothing was learnt about the far end.
      log.warn('liveness probe not sent', { callId: e.call.id, err });
      if (e.probe?.gen === gen) clearTimeout(e.probe.deadline);
      e.probe = null;
      scheduleProbe(e);
    }
  };

  /** The outcome of an in-dialog request (a probe or a re-INVITE) for the call's liveness. */
  const probeResult = (e: Entry, result: number | 'timeout', what: string) => {
    if (!probing(e)) return; // ended, or our transport is down: proves nothing either way
    const verdict = classifyProbe(result);
    const step = probeStep(e.probeMisses, verdict);
    e.probeMisses = step.misses;
    switch (step.action) {
      case 'schedule':
        if (!e.probe) scheduleProbe(e);
        return;
      case 'retry':
        log.info('liveness probe missed; probing again', {
          callId: e.call.id,
          what,
          result,
          misses: step.misses,
        });
        if (e.probeTimer) clearTimeout(e.probeTimer);
        e.probeTimer = null;
        if (!e.probe) sendProbe(e);
        return;
      case 'end':
        log.warn('far end gone: ending the call', {
          callId: e.call.id,
          what,
          result,
          misses: step.misses,
        });
        // Best effort: the BYE may well go unanswered; the call is over for the agent now.
        byeAndEnd(e, { outcome: 'answered', reason: CALL_LOST_REASON });
        return;
    }
  };

  const cancelOutbound = (e: Entry, hint: Entry['endHint']) => {
    e.endHint = hint;
    (e.session as Inviter)
      .cancel()
      .catch((err: unknown) => log.warn('cancel failed', { callId: e.call.id, err }));
    finalize(e);
  };

  const answer = async (callId: string) => {
    const e = get(callId);
    if (!e.inbound || e.call.state !== 'ringing' || e.answering) {
      throw new RpcFailure(
        'invalid_state',
        `cannot answer a call that is ${e.answering ? 'being answered' : e.call.state}`,
      );
    }
    e.answering = true;
    try {
      await d.media.waitForRenderer(d.rendererWaitMs);
    } catch {
      e.answering = false;
      throw new RpcFailure('unavailable', 'no audio window is ready to take the call');
    }
    if (e.call.state !== 'ringing') {
      throw new RpcFailure('invalid_state', 'the call ended before it could be answered');
    }
    // Call waiting: the call the agent was talking on goes on hold first.
    await holdOthers(callId);
    if (e.call.state !== 'ringing') {
      throw new RpcFailure('invalid_state', 'the call ended before it could be answered');
    }
    e.call.state = 'connecting';
    publish(e);
    try {
      await (e.session as Invitation).accept();
    } catch (err) {
      // SIP.js has already rejected the INVITE (480) and terminated the session.
      if (!e.endHint) e.acceptError = err;
      finalize(e);
      if (e.endHint) throw new RpcFailure('invalid_state', 'the call was ended while connecting');
      throw typed(err, 'could not answer the call');
    }
    // accept() resolves even when a CANCEL won the race (SIP.js swallows that error).
    const after: PhoneCall = e.call;
    if (after.state === 'ended' && after.outcome !== 'answered') {
      throw new RpcFailure('invalid_state', 'the caller hung up before the answer');
    }
  };

  const dial = async (
    target: string,
    opts: { consultFor?: string; callerId?: string } = {},
  ): Promise<string> => {
    const resolved = resolveDialTarget(String(target ?? ''), d.domain);
    if (!resolved) throw new RpcFailure('invalid_argument', 'not a phone number or SIP URI');
    const uri = sip.UserAgent.makeURI(resolved.uri);
    if (!uri) throw new RpcFailure('invalid_argument', 'not a dialable SIP URI');
    try {
      await d.media.waitForRenderer(d.rendererWaitMs);
    } catch {
      throw new RpcFailure('unavailable', 'no audio window is ready to place the call');
    }
    const cid = d.callerId;
    const extraHeaders: string[] = [];
    const displayName = cid?.displayName ? sanitizeText(cid.displayName) : undefined;
    // A quoted-string body: SIP.js puts fromDisplayName between quotes without escaping it.
    const escapedName = displayName?.replace(/(["\\])/g, '\\$1');
    const quotedName = escapedName ? `"${escapedName}" ` : '';
    // A campaign's own number (rotated per call) replaces the account's for this call only.
    const presented =
      opts.callerId && /^\+[1-9]\d{6,14}$/.test(opts.callerId) ? opts.callerId : cid?.number;
    if (presented) {
      extraHeaders.push(`P-Asserted-Identity: ${quotedName}<sip:${presented}@${d.domain}>`);
    }
    let inviter: Inviter;
    try {
      inviter = new sip.Inviter(d.ua(), uri, {
        extraHeaders,
        params: escapedName ? { fromDisplayName: escapedName } : {},
        sessionDescriptionHandlerOptions: { hold: false } as object,
      });
    } catch (err) {
      throw typed(err, 'could not place the call');
    }
    const id = `c-${randomUUID()}`;
    ids.set(inviter, id);
    const call = newCall(id, 'outbound', 'connecting', resolved.remote);
    call.consultFor = opts.consultFor ?? null;
    const e = newEntry(call, inviter, false);
    entries.set(id, e);
    wireSession(e);
    e.timers.push(
      setTimeout(() => {
        if (e.call.state !== 'connecting' && e.call.state !== 'ringing') return;
        log.info('outbound call not answered in time', { callId: id });
        e.timedOut = true;
        cancelOutbound(e, null);
      }, d.outboundNoAnswerMs),
    );
    publish(e);
    log.info('call dialing', { callId: id, consultFor: call.consultFor });
    inviter
      .invite({
        requestDelegate: {
          onProgress: (res: Core.IncomingResponse) => {
            const code = res.message.statusCode ?? 0;
            if (code > 100 && e.call.state === 'connecting') {
              e.call.state = 'ringing';
              e.sipCallId = res.message.callId;
              publish(e);
            }
          },
          onReject: (res: Core.IncomingResponse) => {
            e.finalResponse = {
              code: res.message.statusCode ?? 0,
              reason: res.message.reasonPhrase ?? '',
            };
          },
        },
      })
      .catch((err: unknown) => {
        // The renderer could not make an offer, or the transport is down.
        log.warn('INVITE not sent', { callId: id, err });
        if (!e.endHint)
          e.endHint = { outcome: 'failed', reason: `could not place the call: ${messageOf(err)}` };
        finalize(e);
      });
    return id;
  };

  const transferTarget = (raw: string): { uri: string; shown: string } => {
    const resolved = resolveDialTarget(String(raw ?? ''), d.domain);
    if (!resolved) throw new RpcFailure('invalid_argument', 'not a phone number or SIP URI');
    return { uri: resolved.uri, shown: sanitizeText(raw, 128) };
  };

  /** Sends the REFER and follows its NOTIFYs; on failure the call is resumed. */
  const refer = async (
    e: Entry,
    to: ReturnType<typeof sip.UserAgent.makeURI> | Session,
    transfer: TransferState,
    onSuccess: () => void,
  ) => {
    e.call.transfer = transfer;
    publish(e);
    let settled = false;
    const fail = (detail: string | null) => {
      if (settled || e.call.state === 'ended') return;
      settled = true;
      e.call.transfer = { ...transfer, state: 'failed', detail };
      publish(e);
      setHold(e, false).catch((err: unknown) =>
        log.warn('could not resume after a failed transfer', { callId: e.call.id, err }),
      );
    };
    const onNotify = (n: Notification) => {
      n.accept().catch(() => {});
      if (settled || e.call.state === 'ended') return;
      const frag = parseSipfrag(typeof n.request.body === 'string' ? n.request.body : '');
      if (!frag) return;
      if (frag.code < 200) {
        e.call.transfer = { ...transfer, state: 'progress', detail: frag.line };
        publish(e);
      } else if (frag.code < 300) {
        settled = true;
        e.call.transfer = { ...transfer, state: 'succeeded', detail: frag.line };
        publish(e);
        onSuccess();
      } else {
        fail(frag.line);
      }
    };
    try {
      await e.session.refer(to as never, {
        onNotify,
        requestDelegate: {
          onAccept: (res: Core.IncomingResponse) => {
            if (settled || e.call.state === 'ended') return;
            e.call.transfer = {
              ...transfer,
              state: 'accepted',
              detail: sanitizeText(`SIP/2.0 ${res.message.statusCode} ${res.message.reasonPhrase}`),
            };
            publish(e);
          },
          onReject: (res: Core.IncomingResponse) =>
            fail(sanitizeText(`SIP/2.0 ${res.message.statusCode} ${res.message.reasonPhrase}`)),
        },
      });
    } catch (err) {
      fail(sanitizeText(messageOf(err), 128));
      throw typed(err, 'could not send the transfer');
    }
  };

  const calls: Calls = {
    onInvite(invitation) {
      const atMs = performance.timeOrigin + performance.now();
      const req = invitation.request;
      // A body we cannot use is refused before any pop (the agent never sees a call that
      // cannot be answered): 400 for a body shorter than its Content-Length or an SDP
      // Content-Type with no body (cut short or dropped on the way), 415 for a type other than SDP (RFC 3261 21.4.13), 488 for an SDP over the
      // contract's 64 KB or without audio we could answer. No body = an offer-less INVITE,
      // which is fine (our answer carries the offer).
      const body = typeof req.body === 'string' ? req.body : '';
      const declared = Number(req.getHeader('Content-Length') ?? NaN);
      const type = (req.getHeader('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
      const refuse =
        Number.isFinite(declared) && declared > Buffer.byteLength(body)
          ? { statusCode: 400, reasonPhrase: 'Truncated Body' }
          : body.length === 0
            ? // Says it carries an SDP offer but has none: a body dropped on the way (a proxy
              // does this to an oversized message), not an offer-less INVITE.
              type === 'application/sdp'
              ? { statusCode: 400, reasonPhrase: 'Empty SDP' }
              : null
            : type !== 'application/sdp'
              ? { statusCode: 415, extraHeaders: ['Accept: application/sdp'] }
              : body.length > MAX_SDP || !sdpOffersAudio(body)
                ? { statusCode: 488, extraHeaders: ['Warning: 304 - "no usable audio offer"'] }
                : null;
      if (refuse) {
        log.warn('INVITE refused', { status: refuse.statusCode, contentType: type?.slice(0, 64) });
        try {
          invitation.reject(refuse).catch(() => {});
        } catch (err) {
          log.warn('reject failed', { err });
        }
        return;
      }
      const id = `c-${randomUUID()}`;
      const call = newCall(
        id,
        'inbound',
        'ringing',
        parseCallerId({
          fromUri: req.getHeader('From') ?? '',
          pAssertedIdentity: req.getHeader('P-Asserted-Identity'),
          privacy: req.getHeader('Privacy'),
        }),
      );
      call.reason = callReasonOf(req.getHeader('X-Call-Reason'));
      const e = newEntry(call, invitation, true);
      ids.set(invitation, id);
      entries.set(id, e);
      wireSession(e);
      publish(e);
      try {
        d.onInviteReceived?.(id, req.callId, atMs);
      } catch (err) {
        log.warn('onInviteReceived hook failed', { err });
      }
      log.info('call ringing', { callId: id });
      invitation.progress().catch((err: unknown) => log.warn('180 not sent', { callId: id, err }));
      // Auto-answer when the server asks for it (Call-Info: <…>;answer-after=N) and the agent
      // allows it.
      const after = /;\s*answer-after\s*=\s*(\d{1,3})\b/i.exec(
        (req.getHeader('Call-Info') ?? '').slice(0, 1024),
      );
      let auto = false;
      try {
        auto = d.settings().autoAnswer;
      } catch (err) {
        log.warn('settings unavailable', { err });
      }
      if (after && auto) {
        const sec = Number(after[1]);
        if (sec <= MAX_AUTO_ANSWER_SEC) {
          log.info('auto-answer scheduled', { callId: id, afterSec: sec });
          e.timers.push(
            setTimeout(() => {
              if (e.call.state !== 'ringing' || e.answering) return;
              answer(id).catch((err: unknown) =>
                log.warn('auto-answer failed', { callId: id, err }),
              );
            }, sec * 1000),
          );
        }
      }
    },

    callIdFor(session) {
      let id = ids.get(session);
      if (!id) {
        // Sessions this module did not create: give them an id too.
        id = `c-${randomUUID()}`;
        ids.set(session, id);
      }
      return id;
    },

    list: () => [...entries.values()].map(snapshot),

    answer,

    async reject(callId) {
      const e = get(callId);
      if (!e.inbound || e.call.state !== 'ringing') {
        throw new RpcFailure('invalid_state', `cannot reject a call that is ${e.call.state}`);
      }
      endRinging(e, REJECT_STATUS, { outcome: 'rejected', reason: 'declined by agent' });
    },

    async hangup(callId) {
      const e = get(callId);
      switch (e.call.state) {
        case 'ringing':
        case 'connecting':
          if (!e.inbound) {
            cancelOutbound(e, { outcome: 'no_answer', reason: 'agent hung up before answer' });
          } else if (e.call.state === 'ringing') {
            endRinging(e, REJECT_STATUS, { outcome: 'rejected', reason: 'declined by agent' });
          } else {
            endRinging(e, REJECT_STATUS, {
              outcome: 'rejected',
              reason: 'agent hung up while connecting',
            });
          }
          return;
        case 'active':
          byeAndEnd(e, { outcome: 'answered', reason: 'agent hung up' });
          return;
        default:
          throw new RpcFailure('invalid_state', 'the call has already ended');
      }
    },

    dial,

    async hold(callId) {
      const e = established(callId, 'hold');
      try {
        await setHold(e, true);
      } catch (err) {
        throw typed(err, 'could not hold the call');
      }
    },

    async resume(callId) {
      const e = established(callId, 'resume');
      try {
        await setHold(e, false);
      } catch (err) {
        throw typed(err, 'could not resume the call');
      }
    },

    async switchLine(callId) {
      const e = established(callId, 'switch to');
      await holdOthers(callId);
      try {
        await setHold(e, false);
      } catch (err) {
        throw typed(err, 'could not resume the call');
      }
    },

    async setMute(callId, muted) {
      const e = get(callId);
      if (e.call.state === 'ended') throw new RpcFailure('invalid_state', 'the call has ended');
      if (e.call.state === 'active' || e.session.state === S.Established) {
        try {
          await d.media.request('setMute', { callId, muted });
        } catch (err) {
          throw typed(err, 'could not mute the microphone');
        }
      }
      // Before media exists the flag is enough: the renderer reads it when it makes the PC.
      if (e.call.muted !== muted) {
        e.call.muted = muted;
        publish(e);
      }
    },

    async sendDtmf(callId, tones) {
      const e = established(callId, 'send DTMF on');
      if (!/^[0-9A-D#*,]{1,64}$/.test(tones)) {
        throw new RpcFailure('invalid_argument', 'DTMF tones are 0-9, A-D, *, # and ,');
      }
      let mode: PhoneSettings['dtmfMode'] = 'rfc4733';
      try {
        mode = d.settings().dtmfMode;
      } catch (err) {
        log.warn('settings unavailable', { err });
      }
      if (mode === 'rfc4733') {
        let sent = false;
        try {
          ({ sent } = await d.media.request('sendDtmf', { callId, tones }));
        } catch (err) {
          throw typed(err, 'could not send DTMF');
        }
        if (!sent) throw new RpcFailure('unavailable', 'the audio window could not send DTMF');
        return;
      }
      for (const tone of tones) {
        if (tone === ',') {
          await delay(DTMF_PAUSE_MS);
          continue;
        }
        if (e.session.state !== S.Established) {
          throw new RpcFailure('invalid_state', 'the call ended while sending DTMF');
        }
        await new Promise<void>((resolve, reject) => {
          e.session
            .info({
              requestDelegate: {
                onAccept: () => resolve(),
                onReject: (res: Core.IncomingResponse) =>
                  reject(
                    new RpcFailure(
                      'internal',
                      `DTMF INFO refused: ${res.message.statusCode} ${res.message.reasonPhrase}`,
                    ),
                  ),
              },
              requestOptions: {
                body: {
                  contentDisposition: 'render',
                  contentType: 'application/dtmf-relay',
                  content: `Signal=${tone}\r\nDuration=${INFO_DTMF_MS}\r\n`,
                },
              },
            })
            .catch((err: unknown) => reject(typed(err, 'could not send DTMF')));
        });
        await delay(INFO_GAP_MS);
      }
    },

    async blindTransfer(callId, target) {
      const e = established(callId, 'transfer');
      if (e.call.transfer && ['trying', 'accepted', 'progress'].includes(e.call.transfer.state)) {
        throw new RpcFailure('invalid_state', 'a transfer of this call is already under way');
      }
      const to = transferTarget(target);
      const uri = sip.UserAgent.makeURI(to.uri);
      if (!uri) throw new RpcFailure('invalid_argument', 'not a dialable SIP URI');
      try {
        await setHold(e, true);
      } catch (err) {
        log.warn('could not hold before transfer', { callId, err });
      }
      await refer(
        e,
        uri,
        { kind: 'blind', target: to.shown, state: 'trying', detail: null, consultCallId: null },
        () => byeAndEnd(e, { outcome: 'answered', reason: 'transferred' }),
      );
    },

    async startConsult(callId, target) {
      const e = established(callId, 'consult on');
      transferTarget(target); // validate before holding anything
      try {
        await setHold(e, true);
      } catch (err) {
        throw typed(err, 'could not hold the call');
      }
      try {
        return await dial(target, { consultFor: callId });
      } catch (err) {
        // No consult call: the customer is not left on hold.
        setHold(e, false).catch((e2: unknown) =>
          log.warn('could not resume after a failed consult', { callId, err: e2 }),
        );
        throw typed(err, 'could not place the consult call');
      }
    },

    async completeTransfer(callId, consultCallId) {
      if (callId === consultCallId) {
        throw new RpcFailure('invalid_argument', 'a call cannot be transferred to itself');
      }
      const e = established(callId, 'transfer');
      const c = established(consultCallId, 'transfer to');
      if (e.call.transfer && ['trying', 'accepted', 'progress'].includes(e.call.transfer.state)) {
        throw new RpcFailure('invalid_state', 'a transfer of this call is already under way');
      }
      try {
        await setHold(e, true);
      } catch (err) {
        log.warn('could not hold before transfer', { callId, err });
      }
      await refer(
        e,
        c.session,
        {
          kind: 'attended',
          target: sanitizeText(c.call.remote.e164 ?? c.call.remote.raw, 128),
          state: 'trying',
          detail: null,
          consultCallId,
        },
        () => {
          byeAndEnd(e, { outcome: 'answered', reason: 'transferred' });
          if (c.call.state !== 'ended')
            byeAndEnd(c, { outcome: 'answered', reason: 'transferred' });
        },
      );
    },

    async conference(callIds) {
      if (callIds.length !== 2 || callIds[0] === callIds[1]) {
        throw new RpcFailure('invalid_argument', 'a conference joins two different calls');
      }
      const legs = callIds.map((id) => established(id, 'conference'));
      try {
        await Promise.all(legs.map((l) => setHold(l, false)));
      } catch (err) {
        throw typed(err, 'could not resume both calls');
      }
      const conferenceId = `conf-${randomUUID()}`;
      try {
        await d.media.request('conference', { callIds });
      } catch (err) {
        throw typed(err, 'could not mix the calls');
      }
      for (const l of legs) {
        l.call.conferenceId = conferenceId;
        publish(l);
      }
      return conferenceId;
    },

    updateQuality(callId, q) {
      const e = get(callId);
      if (e.call.state === 'ended') throw new RpcFailure('invalid_state', 'the call has ended');
      e.quality.push({ ...q });
      if (e.quality.length > MAX_QUALITY_SAMPLES) e.quality.shift();
      e.call.quality = { ...q };
      publish(e);
    },

    async refreshMedia({ iceRestart, reason }) {
      const live = [...entries.values()].filter(
        (e) => e.call.state === 'active' && e.session.state === S.Established,
      );
      if (live.length === 0) return;
      log.info('re-INVITE for fresh media', { reason, iceRestart, calls: live.length });
      await Promise.all(
        live.map((e) =>
          reinvite(e, iceRestart ? { hold: e.call.onHold, iceRestart } : { hold: e.call.onHold })
            .then(() => log.info('media restored', { callId: e.call.id, reason }))
            .catch((err: unknown) =>
              log.warn('media re-INVITE failed', { callId: e.call.id, reason, err }),
            ),
        ),
      );
    },

    setTransportUp(up) {
      if (transportUp === up) return;
      transportUp = up;
      if (!up) transportEpoch++;
      for (const e of entries.values()) {
        if (up) scheduleProbe(e);
        else stopProbing(e);
      }
    },

    endAll(reason) {
      for (const e of [...entries.values()]) {
        if (e.call.state === 'active') byeAndEnd(e, { outcome: 'answered', reason });
        else if (!e.inbound) cancelOutbound(e, { outcome: 'failed', reason });
        else endRinging(e, 480, { outcome: 'missed', reason });
      }
    },
  };
  return calls;
}
