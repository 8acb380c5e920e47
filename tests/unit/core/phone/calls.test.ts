// The pure parts of the call controls: dial targets, hold detection in a remote SDP, NOTIFY
// sipfrag parsing, and the media requests the contract does not carry yet.
import { describe, expect, it } from 'vitest';
import {
  callReasonOf,
  parseSipfrag,
  resolveDialTarget,
  sdpIsHold,
  sdpOffersAudio,
} from '../../../../main/core/phone/calls';

const sdp = (...lines: string[]) =>
  ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', ...lines, ''].join(
    '\r\n',
  );

describe('resolveDialTarget', () => {
  it.each([
    ['03-1234-5678', 'sip:+81312345678@pbx', '+81312345678'],
    ['０３（１２３４）５６７８', 'sip:+81312345678@pbx', '+81312345678'],
    ['090 1234 5678', 'sip:+819012345678@pbx', '+819012345678'],
    ['+81 3-1234-5678', 'sip:+81312345678@pbx', '+81312345678'],
    ['＋８１９０１２３４５６７８', 'sip:+819012345678@pbx', '+819012345678'],
  ])('%s → E.164', (input, uri, e164) => {
    expect(resolveDialTarget(input, 'pbx')).toMatchObject({ uri, remote: { e164 } });
  });

  it('extensions and service codes are dialled as typed', () => {
    expect(resolveDialTarget('1002', 'pbx')).toMatchObject({
      uri: 'sip:1002@pbx',
      remote: { raw: '1002', e164: null },
    });
    expect(resolveDialTarget('*67', 'pbx')?.uri).toBe('sip:*67@pbx');
  });

  it('takes a SIP URI as it is', () => {
    expect(resolveDialTarget('sip:support@example.org', 'pbx')).toMatchObject({
      uri: 'sip:support@example.org',
      remote: { raw: 'support', e164: null },
    });
    expect(resolveDialTarget('sip:0312345678@example.org', 'pbx')?.remote.e164).toBe(
      '+81312345678',
    );
  });

  it.each(['', 'hello', '+1', 'sip:nohost', 'sip:a b@x', '12-34-ab', 'sip:<a>@x', '1'.repeat(40)])(
    'refuses %j',
    (input) => {
      expect(resolveDialTarget(input, 'pbx')).toBeNull();
    },
  );
});

describe('sdpIsHold', () => {
  it('sendonly or inactive on the audio line is hold; sendrecv/recvonly/none are not', () => {
    expect(sdpIsHold(sdp('m=audio 4000 RTP/AVP 0', 'a=sendonly'))).toBe(true);
    expect(sdpIsHold(sdp('m=audio 4000 RTP/AVP 0', 'a=inactive'))).toBe(true);
    expect(sdpIsHold(sdp('m=audio 4000 RTP/AVP 0', 'a=sendrecv'))).toBe(false);
    expect(sdpIsHold(sdp('m=audio 4000 RTP/AVP 0', 'a=recvonly'))).toBe(false);
    expect(sdpIsHold(sdp('m=audio 4000 RTP/AVP 0'))).toBe(false);
  });
  it('a session-level direction applies when the media has none; media-level wins', () => {
    expect(sdpIsHold(sdp('a=sendonly', 'm=audio 4000 RTP/AVP 0'))).toBe(true);
    expect(sdpIsHold(sdp('a=sendonly', 'm=audio 4000 RTP/AVP 0', 'a=sendrecv'))).toBe(false);
  });
  it('the old RFC 2543 hold (c=0.0.0.0) is hold', () => {
    expect(sdpIsHold(sdp('m=audio 4000 RTP/AVP 0', 'c=IN IP4 0.0.0.0'))).toBe(true);
  });
  it('a video line after audio does not leak its direction', () => {
    expect(
      sdpIsHold(
        sdp('m=audio 4000 RTP/AVP 0', 'a=sendrecv', 'm=video 4002 RTP/AVP 96', 'a=inactive'),
      ),
    ).toBe(false);
  });
  it('garbage is not hold and does not throw', () => {
    expect(sdpIsHold('')).toBe(false);
    expect(sdpIsHold('x'.repeat(100_000))).toBe(false);
  });
});

describe('parseSipfrag', () => {
  it('reads the status line', () => {
    expect(parseSipfrag('SIP/2.0 180 Ringing\r\n')).toEqual({
      code: 180,
      line: 'SIP/2.0 180 Ringing',
    });
    expect(parseSipfrag('SIP/2.0 200 OK')).toMatchObject({ code: 200 });
    expect(parseSipfrag('SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n')).toMatchObject({
      code: 486,
    });
  });
  it('sanitizes the detail and refuses what is not a status line', () => {
    expect(parseSipfrag('SIP/2.0 603 De\u202Ecline')?.line).toBe('SIP/2.0 603 Decline');
    expect(parseSipfrag('INVITE sip:x SIP/2.0')).toBeNull();
    expect(parseSipfrag('SIP/2.0 99 Low')).toBeNull();
    expect(parseSipfrag('')).toBeNull();
  });
});

describe('callReasonOf', () => {
  it.each([
    ['order', 'order'],
    ['repeat_order', 'repeat_order'],
    ['inquiry', 'inquiry'],
    ['consultation', 'consultation'],
    ['ORDER', 'order'],
    ['Repeat_Order', 'repeat_order'],
    ['  inquiry\t', 'inquiry'],
    ['\r\nConsultation ', 'consultation'],
  ] as const)('reads %j as %s', (header, reason) => {
    expect(callReasonOf(header)).toBe(reason);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['blanks', '   '],
    ['an unknown reason', 'complaint'],
    ['a reason with a dash', 'repeat-order'],
    ['a reason inside other text', 'order please'],
    ['a reason with a prefix', 'x-order'],
    ['long junk', 'x'.repeat(10_000)],
    ['a reason followed by long junk', `order${'x'.repeat(100)}`],
    ['a reason followed by blanks and junk', `inquiry${' '.repeat(40)}junk`],
    ['a full-width reason', 'ｏｒｄｅｒ'],
  ])('gives no reason for %s', (_, header) => {
    expect(callReasonOf(header)).toBeNull();
  });
});

describe('sdpOffersAudio', () => {
  const sdp = (m: string) =>
    `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n${m}`;
  it('accepts an offer with an audio stream on a real port', () => {
    expect(sdpOffersAudio(sdp('m=audio 41000 RTP/AVP 0\r\n'))).toBe(true);
    expect(sdpOffersAudio(sdp('m=video 5000 RTP/AVP 96\r\nm=audio 41000 RTP/SAVPF 111\r\n'))).toBe(
      true,
    );
  });
  it.each([
    ['garbage', 'this is not SDP'],
    ['no m= line', sdp('')],
    ['video only', sdp('m=video 41000 RTP/AVP 96\r\n')],
    ['audio rejected (port 0)', sdp('m=audio 0 RTP/AVP 0\r\n')],
    ['no v=0 first', 'o=- 1 1 IN IP4 x\r\nm=audio 41000 RTP/AVP 0\r\n'],
  ])('refuses %s', (_, body) => {
    expect(sdpOffersAudio(body)).toBe(false);
  });
});
