import { describe, expect, it } from 'vitest';
import { CallerNumber } from '../../../../preload/contract';
import { parseCallerId, sanitizeText } from '../../../../main/core/phone/caller-id';

const anonymous = {
  raw: 'anonymous',
  e164: null,
  display: 'Anonymous',
  anonymous: true,
  displayName: null,
};

describe('parseCallerId: numbers', () => {
  it.each([
    ['<sip:0312345678@pbx.example.com>;tag=a', '+81312345678', '03-1234-5678'],
    ['sip:09012345678@pbx.example.com', '+819012345678', '090-1234-5678'],
    ['<sip:+81312345678@carrier.example;user=phone>;tag=1', '+81312345678', '03-1234-5678'],
    [
      '<sip:+81312345678;npdi;rn=+81300000000@carrier.example;user=phone>',
      '+81312345678',
      '03-1234-5678',
    ],
    ['<sips:+819012345678@secure.example:5061;transport=tls>', '+819012345678', '090-1234-5678'],
    ['<tel:+81-3-1234-5678>', '+81312345678', '03-1234-5678'],
    ['<tel:03-1234-5678;phone-context=+81>', '+81312345678', '03-1234-5678'],
    ['<tel:312345678;phone-context=+81>', '+81312345678', '03-1234-5678'],
    ['<sip:(03)1234.5678@x>', '+81312345678', '03-1234-5678'],
    ['<sip:０３１２３４５６７８@x>', '+81312345678', '03-1234-5678'],
    ['<sip:%2B81312345678@x>', '+81312345678', '03-1234-5678'],
    ['<sip:0081312345678@x>', '+81312345678', '03-1234-5678'],
    ['<sip:+12125551234@x>', '+12125551234', '+1 212 555 1234'],
    ['0312345678', '+81312345678', '03-1234-5678'],
  ])('%s → %s', (fromUri, e164, display) => {
    const c = parseCallerId({ fromUri });
    expect(c).toMatchObject({ e164, display, anonymous: false });
    expect(CallerNumber.safeParse(c).success).toBe(true);
  });

  it('keeps the user part as raw (params stripped, percent-decoded)', () => {
    expect(parseCallerId({ fromUri: '<sip:+81312345678;npdi@x;user=phone>' }).raw).toBe(
      '+81312345678',
    );
    expect(parseCallerId({ fromUri: '<sip:%2B81312345678@x>' }).raw).toBe('+81312345678');
  });

  it('extensions and names are not phone numbers', () => {
    expect(parseCallerId({ fromUri: '<sip:1001@pbx>' })).toEqual({
      raw: '1001',
      e164: null,
      display: '1001',
      anonymous: false,
      displayName: null,
    });
    expect(parseCallerId({ fromUri: 'sip:alice@example.com' })).toMatchObject({
      raw: 'alice',
      e164: null,
      display: 'alice',
      anonymous: false,
    });
  });
});

describe('parseCallerId: P-Asserted-Identity', () => {
  it('is preferred over From', () => {
    const c = parseCallerId({
      fromUri: '"Spoofed" <sip:0120000000@x>',
      pAssertedIdentity: '<sip:+819012345678@carrier;user=phone>',
    });
    expect(c.e164).toBe('+819012345678');
  });

  it('takes the first of several values and its display name', () => {
    const c = parseCallerId({
      fromUri: '<sip:alice@example.com>',
      pAssertedIdentity:
        '"Taro, Yamada" <sip:+81312345678@carrier;user=phone>, <tel:+819099999999>',
    });
    expect(c).toMatchObject({ e164: '+81312345678', displayName: 'Taro, Yamada' });
  });

  it('accepts a bare tel: URI and keeps From’s display name', () => {
    const c = parseCallerId({
      fromUri: '"山田 太郎" <sip:alice@example.com>',
      pAssertedIdentity: 'tel:+81312345678',
    });
    expect(c).toMatchObject({ e164: '+81312345678', displayName: '山田 太郎' });
  });

  it('falls back to From when PAI is garbage', () => {
    const c = parseCallerId({ fromUri: '<sip:0312345678@x>', pAssertedIdentity: '<<<>>>' });
    expect(c.e164).toBe('+81312345678');
  });
});

describe('parseCallerId: anonymous callers', () => {
  it.each([
    [{ fromUri: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1' }],
    [{ fromUri: '<sip:anonymous@pbx.example.com>' }],
    [{ fromUri: '<sip:Anonymous@x>' }],
    [{ fromUri: '<sip:restricted@x>' }],
    [{ fromUri: '<sip:0312345678@anonymous.invalid>' }],
    [{ fromUri: '"非通知" <sip:0312345678@x>' }],
    [{ fromUri: '"anonymous" <sip:0312345678@x>' }],
    [{ fromUri: '<sip:0312345678@x>', privacy: 'id' }],
    [{ fromUri: '<sip:0312345678@x>', privacy: 'user; id' }],
    [{ fromUri: '<sip:0312345678@x>', privacy: 'header;critical' }],
    [{ fromUri: '<sip:x.example>' }],
    [{ fromUri: '<sip:@x>' }],
    [{ fromUri: '' }],
    [{ fromUri: '   ' }],
    [{ fromUri: '<sip:alice@x>', pAssertedIdentity: '<sip:anonymous@anonymous.invalid>' }],
    [{ fromUri: 'sip:anonymous@anonymous.invalid', pAssertedIdentity: '<tel:+81312345678>' }],
  ])('%j', (input) => {
    expect(parseCallerId(input)).toEqual(anonymous);
  });

  it('Privacy: none does not hide the caller', () => {
    expect(parseCallerId({ fromUri: '<sip:0312345678@x>', privacy: 'none' }).anonymous).toBe(false);
  });
});

describe('parseCallerId: display names', () => {
  it('decodes quoted strings with escapes', () => {
    expect(parseCallerId({ fromUri: '"A \\"quoted\\" name" <sip:1001@x>' }).displayName).toBe(
      'A "quoted" name',
    );
    expect(
      parseCallerId({ fromUri: 'sip:1001@x', fromDisplayName: '"back\\\\slash"' }).displayName,
    ).toBe('back\\slash');
  });

  it('keeps Japanese names and unquoted token names', () => {
    expect(parseCallerId({ fromUri: '"山田　太郎" <sip:0312345678@x>' }).displayName).toBe(
      '山田 太郎',
    );
    expect(parseCallerId({ fromUri: 'Taro  Yamada <sip:0312345678@x>' }).displayName).toBe(
      'Taro Yamada',
    );
  });

  it('removes control characters and bidi overrides, collapses whitespace', () => {
    const c = parseCallerId({
      fromUri: '"\u202Eevil\u0007 \t name\u0000\u200B\u2066x\u2069\r\n" <sip:+12125551234@x>',
    });
    expect(c.displayName).toBe('evil namex');
  });

  it('caps a 10 KB display name at 64 characters, fast', () => {
    const huge = '山'.repeat(10_000);
    const t0 = performance.now();
    const c = parseCallerId({ fromUri: `"${huge}" <sip:+819012345678@x>` });
    expect(performance.now() - t0).toBeLessThan(50);
    expect(Array.from(c.displayName ?? '')).toHaveLength(64);
    expect(c.e164).toBe('+819012345678');
  });

  it('does not split a surrogate pair when truncating', () => {
    const name = 'a'.repeat(63) + '😀😀';
    const out = sanitizeText(name);
    expect(Array.from(out)).toHaveLength(64);
    expect(out.endsWith('😀')).toBe(true);
  });

  it('empty or whitespace-only names become null', () => {
    expect(parseCallerId({ fromUri: '"" <sip:1001@x>' }).displayName).toBeNull();
    expect(parseCallerId({ fromUri: '"\u0001 \u202E" <sip:1001@x>' }).displayName).toBeNull();
  });
});

describe('parseCallerId: garbage never throws', () => {
  it.each([
    'garbage<<<',
    '"unterminated <sip:0312345678@x>',
    '<>',
    '<',
    ':::',
    'http://example.com/',
    'sip:',
    'tel:',
    '\u0000\u0001\u0002',
    '"\\',
    'x'.repeat(100_000),
    '<sip:' + '9'.repeat(10_000) + '@x>',
    '<sip:%E0%A4%A@x>',
    '\uD800<sip:1001@x>',
  ])('%#', (fromUri) => {
    const c = parseCallerId({ fromUri, pAssertedIdentity: fromUri, privacy: fromUri });
    expect(CallerNumber.safeParse(c).success).toBe(true);
    expect(c.raw.length).toBeLessThanOrEqual(64);
    expect([...c.raw].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\x7f')).toBe(false);
  });

  it('keeps a printable trace of a non-address as raw and display', () => {
    expect(parseCallerId({ fromUri: '  garbage<<<\u0007 ' })).toEqual({
      raw: 'garbage<<<',
      e164: null,
      display: 'garbage<<<',
      anonymous: false,
      displayName: null,
    });
  });

  it('survives non-string input', () => {
    const c = parseCallerId({ fromUri: undefined as unknown as string });
    expect(CallerNumber.safeParse(c).success).toBe(true);
  });
});
