// SIP.js runs in main, but audio needs Chromium: the renderer owns one RTCPeerConnection per
// call. This SessionDescriptionHandler turns each SDH operation into a MediaPort request
// keyed by the app's call id (never SIP's Call-ID, which is foreign input). Whether the SDP
// is an offer or an answer is the renderer's call, from its peer connection's signaling
// state, so main never needs to track offer/answer itself.
import type {
  BodyAndContentType,
  Session,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerOptions,
} from 'sip.js';
import { Id } from '../../../preload/contract';
import type { Logger } from '../log';
import type { MediaPort } from '../rpc/media-port';

const SDP = 'application/sdp';
const MAX_SDP = 65536; // the contract's limit for setDescription
const DTMF = /^[0-9A-D#*,]{1,64}$/;

/**
 * SIP.js passes these through session.invite({ sessionDescriptionHandlerOptions }): hold
 * (a=sendonly offer) and iceRestart (a fresh offer with new ICE credentials).
 */
export type ProxySdhOptions = SessionDescriptionHandlerOptions & {
  hold?: boolean;
  iceRestart?: boolean;
};

export class ProxySessionDescriptionHandler implements SessionDescriptionHandler {
  private closed = false;

  constructor(
    private readonly media: MediaPort,
    /** The app's call id (contract Id). */
    readonly callId: string,
    private readonly log: Logger,
  ) {
    if (!Id.safeParse(callId).success) throw new TypeError('invalid call id for media');
  }

  async getDescription(options?: ProxySdhOptions): Promise<BodyAndContentType> {
    const hold = options?.hold === true;
    const { sdp } = await this.media.request(
      'getDescription',
      options?.iceRestart === true
        ? { callId: this.callId, hold, iceRestart: true }
        : { callId: this.callId, hold },
    );
    return { body: sdp, contentType: SDP };
  }

  hasDescription(contentType: string): boolean {
    return contentType.split(';')[0]?.trim().toLowerCase() === SDP;
  }

  async setDescription(sdp: string): Promise<void> {
    if (typeof sdp !== 'string' || sdp.length === 0 || sdp.length > MAX_SDP) {
      throw new Error(`remote SDP rejected: ${sdp ? sdp.length : 0} bytes`);
    }
    await this.media.request('setDescription', { callId: this.callId, sdp });
  }

  /** SIP.js wants a synchronous answer: true = handed to the renderer (delivery is async). */
  sendDtmf(tones: string): boolean {
    if (this.closed || !DTMF.test(tones) || !this.media.available) return false;
    void this.sendDtmfAsync(tones);
    return true;
  }

  /** The same, awaitable: resolves with whether the renderer sent the tones. */
  async sendDtmfAsync(tones: string): Promise<boolean> {
    if (this.closed || !DTMF.test(tones)) return false;
    try {
      const { sent } = await this.media.request('sendDtmf', { callId: this.callId, tones });
      return sent;
    } catch (err) {
      this.log.warn('dtmf not sent', { callId: this.callId, err });
      return false;
    }
  }

  /** Fire-and-forget: SIP.js calls this on dispose; a missing renderer is not an error here. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.media.request('close', { callId: this.callId }).catch((err: unknown) => {
      this.log.debug('media close not delivered', { callId: this.callId, err });
    });
  }
}

/**
 * The factory SIP.js calls (lazily, on the first offer/answer) for each session.
 * `callIdFor` maps a SIP.js session to the app's call id.
 */
export function createProxySdhFactory(opts: {
  media: MediaPort;
  callIdFor: (session: Session) => string;
  log: Logger;
}): SessionDescriptionHandlerFactory {
  return (session) =>
    new ProxySessionDescriptionHandler(opts.media, opts.callIdFor(session), opts.log);
}
