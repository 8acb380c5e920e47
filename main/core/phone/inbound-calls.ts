// Inbound calls: one entry per INVITE, keyed by an id the app makes (SIP's Call-ID is
// foreign input and stays internal). The ringing call is emitted straight from the INVITE —
// no awaits, no media — because it starts the customer pop; 180 Ringing goes out after.
// Every change is emitted; 'ended' exactly once, then the call is dropped.
import { randomUUID } from 'node:crypto';
import type { Invitation, Session } from 'sip.js';
import type { Call, CallOutcome } from '../../../preload/contract';
import type { Logger } from '../log';
import { RpcFailure } from '../rpc/dispatcher';
import type { MediaHub } from '../rpc/media-port';
import { parseCallerId } from './caller-id';
import type { SipModule } from './sip-runtime';

export type PhoneCall = Omit<Call, 'pop'>;

/**
 * Rejecting sends 486 Busy Here, not 603 Decline: 486 lets an ACD/queue offer the call to
 * the next agent, while a 6xx tells every proxy to stop trying anyone else (RFC 3261 16.7).
 */
export const REJECT_STATUS = 486;

interface Entry {
  call: PhoneCall;
  invitation: Invitation;
  sipCallId: string;
  answering: boolean;
  canceled: boolean;
  remoteBye: boolean;
  acceptError: unknown;
  /** Set when we end the call ourselves: the outcome to record. */
  endHint: { outcome: CallOutcome; reason: string } | null;
}

export interface InboundCallsDeps {
  sip: SipModule;
  media: MediaHub;
  log: Logger;
  now: () => number;
  emit: (c: PhoneCall) => void;
  rendererWaitMs: number;
  onInviteReceived?: (callId: string, sipCallId: string, atMs: number) => void;
}

export interface InboundCalls {
  onInvite(invitation: Invitation): void;
  /** The app call id of a SIP.js session (for the media handler). */
  callIdFor(session: Session): string;
  list(): PhoneCall[];
  answer(callId: string): Promise<void>;
  reject(callId: string): Promise<void>;
  hangup(callId: string): Promise<void>;
  /** Ends every call (service stopping). */
  endAll(reason: string): void;
}

const RECENTLY_ENDED = 200;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createInboundCalls(d: InboundCallsDeps): InboundCalls {
  const { sip, log } = d;
  const S = sip.SessionState;
  const entries = new Map<string, Entry>();
  const ids = new WeakMap<Session, string>();
  const ended: string[] = []; // ids of recently ended calls: 'invalid_state', not 'not_found'

  const snapshot = (e: Entry): PhoneCall => ({ ...e.call, remote: { ...e.call.remote } });
  const publish = (e: Entry) => {
    try {
      d.emit(snapshot(e));
    } catch (err) {
      log.error('call listener failed', { err });
    }
  };

  const finalize = (e: Entry) => {
    if (e.call.state === 'ended') return;
    let outcome: CallOutcome;
    let reason: string;
    if (e.endHint) ({ outcome, reason } = e.endHint);
    else if (e.canceled) [outcome, reason] = ['missed', 'caller hung up before answer'];
    else if (e.remoteBye) [outcome, reason] = ['answered', 'remote hung up'];
    else if (e.call.answeredAt !== null) [outcome, reason] = ['answered', 'call dropped'];
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
    entries.delete(e.call.id);
    ended.push(e.call.id);
    if (ended.length > RECENTLY_ENDED) ended.shift();
    log.info('call ended', { callId: e.call.id, outcome, reason: e.call.endReason });
    publish(e);
  };

  const get = (callId: string): Entry => {
    const e = entries.get(callId);
    if (e) return e;
    if (ended.includes(callId)) throw new RpcFailure('invalid_state', 'the call has already ended');
    throw new RpcFailure('not_found', 'no such call');
  };

  const endRinging = (e: Entry, statusCode: number, hint: Entry['endHint']) => {
    e.endHint = hint;
    try {
      e.invitation
        .reject({ statusCode })
        .catch((err: unknown) => log.warn('reject failed', { callId: e.call.id, err }));
    } catch (err) {
      log.warn('reject failed', { callId: e.call.id, err });
    }
    finalize(e);
  };

  return {
    onInvite(invitation) {
      const atMs = performance.timeOrigin + performance.now();
      const req = invitation.request;
      const id = `c-${randomUUID()}`;
      const e: Entry = {
        call: {
          id,
          direction: 'inbound',
          state: 'ringing',
          remote: parseCallerId({
            fromUri: req.getHeader('From') ?? '',
            pAssertedIdentity: req.getHeader('P-Asserted-Identity'),
            privacy: req.getHeader('Privacy'),
          }),
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
        },
        invitation,
        sipCallId: req.callId,
        answering: false,
        canceled: false,
        remoteBye: false,
        acceptError: null,
        endHint: null,
      };
      ids.set(invitation, id);
      entries.set(id, e);
      invitation.delegate = {
        onCancel: () => {
          e.canceled = true;
        },
        onBye: (bye) => {
          e.remoteBye = true;
          bye.accept().catch((err: unknown) => log.debug('bye accept failed', { err }));
        },
      };
      invitation.stateChange.addListener((state) => {
        if (state === S.Established && e.call.state !== 'ended') {
          e.call.state = 'active';
          e.call.answeredAt = d.now();
          publish(e);
        } else if (state === S.Terminating || state === S.Terminated) {
          finalize(e);
        }
      });
      publish(e);
      try {
        d.onInviteReceived?.(id, req.callId, atMs);
      } catch (err) {
        log.warn('onInviteReceived hook failed', { err });
      }
      log.info('call ringing', { callId: id });
      invitation.progress().catch((err: unknown) => log.warn('180 not sent', { callId: id, err }));
    },

    callIdFor(session) {
      let id = ids.get(session);
      if (!id) {
        // Sessions this module did not create (outbound, later): give them an id too.
        id = `c-${randomUUID()}`;
        ids.set(session, id);
      }
      return id;
    },

    list: () => [...entries.values()].map(snapshot),

    async answer(callId) {
      const e = get(callId);
      if (e.call.state !== 'ringing' || e.answering) {
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
      e.call.state = 'connecting';
      publish(e);
      try {
        await e.invitation.accept();
      } catch (err) {
        // SIP.js has already rejected the INVITE (480) and terminated the session.
        if (!e.endHint) e.acceptError = err;
        finalize(e);
        if (e.endHint) throw new RpcFailure('invalid_state', 'the call was ended while connecting');
        if (err instanceof RpcFailure) throw err;
        throw new RpcFailure('internal', `could not answer the call: ${messageOf(err)}`);
      }
      // accept() resolves even when a CANCEL won the race (SIP.js swallows that error).
      const after: PhoneCall = e.call;
      if (after.state === 'ended' && after.outcome !== 'answered') {
        throw new RpcFailure('invalid_state', 'the caller hung up before the answer');
      }
    },

    async reject(callId) {
      const e = get(callId);
      if (e.call.state !== 'ringing') {
        throw new RpcFailure('invalid_state', `cannot reject a call that is ${e.call.state}`);
      }
      endRinging(e, REJECT_STATUS, { outcome: 'rejected', reason: 'declined by agent' });
    },

    async hangup(callId) {
      const e = get(callId);
      switch (e.call.state) {
        case 'ringing':
          endRinging(e, REJECT_STATUS, { outcome: 'rejected', reason: 'declined by agent' });
          return;
        case 'connecting':
          endRinging(e, REJECT_STATUS, {
            outcome: 'rejected',
            reason: 'agent hung up while connecting',
          });
          return;
        case 'active':
          e.endHint = { outcome: 'answered', reason: 'agent hung up' };
          // bye() resolves late when the ACK is still outstanding; the call is over for the
          // agent now, SIP.js finishes the dialog on its own.
          e.invitation.bye().catch((err: unknown) => log.warn('bye failed', { callId, err }));
          finalize(e);
          return;
        default:
          throw new RpcFailure('invalid_state', 'the call has already ended');
      }
    },

    endAll(reason) {
      for (const e of [...entries.values()]) {
        if (e.call.state === 'active') {
          e.endHint = { outcome: 'answered', reason };
          e.invitation.bye().catch((err: unknown) => log.debug('bye failed', { err }));
          finalize(e);
        } else {
          endRinging(e, 480, { outcome: 'missed', reason });
        }
      }
    },
  };
}
