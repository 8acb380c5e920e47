// A stand-in renderer for tests without Chromium: answers the MediaPort with a static
// plain-RTP SDP (fine against sipp through a Kamailio without rtpengine) and records every
// request, so a test can assert what main asked of the renderer.
import type { MediaMethod } from '../../preload/contract';
import type { MediaSender } from '../../main/core/rpc/media-port';

export interface FakeRenderer {
  sender: MediaSender;
  requests: { method: MediaMethod; args: Record<string, unknown> }[];
  /** Make the next requests of `method` fail (or hang with 'hang'). */
  failNext(method: MediaMethod, how?: Error | 'hang'): void;
}

export function staticRtpSdp(
  opts: { port?: number; hold?: boolean; version?: number } = {},
): string {
  return [
    'v=0',
    `o=- 4242 ${opts.version ?? 1} IN IP4 127.0.0.1`,
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${opts.port ?? 40000} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    opts.hold ? 'a=sendonly' : 'a=sendrecv',
    '',
  ].join('\r\n');
}

export function createFakeRenderer(): FakeRenderer {
  const requests: FakeRenderer['requests'] = [];
  const failures = new Map<MediaMethod, Error | 'hang'>();
  let version = 1;
  const sender: MediaSender = async (method, rawArgs) => {
    const args = (rawArgs ?? {}) as Record<string, unknown>;
    requests.push({ method, args });
    const fail = failures.get(method);
    if (fail) {
      failures.delete(method);
      if (fail === 'hang') return new Promise(() => {});
      throw fail;
    }
    switch (method) {
      case 'getDescription':
        return { sdp: staticRtpSdp({ hold: args.hold === true, version: version++ }) };
      case 'sendDtmf':
        return { sent: true };
      default:
        return { ok: true };
    }
  };
  return {
    sender,
    requests,
    failNext: (method, how = new Error(`fake ${method} failure`)) => failures.set(method, how),
  };
}
