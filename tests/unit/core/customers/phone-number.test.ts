import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone, toE164, toHalfWidth } from '../../../../main/core/customers/phone-number';

// [as written by an agent, a CRM or a SIP header, expected E.164, expected display]
const VALID: [string, string, string][] = [
  // Landlines
  ['03-1234-5678', '+81312345678', '03-1234-5678'],
  ['06-1234-5678', '+81612345678', '06-1234-5678'],
  ['(03)1234-5678', '+81312345678', '03-1234-5678'],
  ['03 1234 5678', '+81312345678', '03-1234-5678'],
  ['0312345678', '+81312345678', '03-1234-5678'],
  ['045-123-4567', '+81451234567', '045-123-4567'],
  ['011-211-2100', '+81112112100', '011-211-2100'],
  ['0466-12-3456', '+81466123456', '0466-12-3456'],
  ['03.5555.0101', '+81355550101', '03-5555-0101'],
  ['03-5555-0101 ', '+81355550101', '03-5555-0101'],
  // Mobiles
  ['070-1234-5678', '+817012345678', '070-1234-5678'],
  ['080-1234-5678', '+818012345678', '080-1234-5678'],
  ['090-1234-5678', '+819012345678', '090-1234-5678'],
  ['09012345678', '+819012345678', '090-1234-5678'],
  // Free dial, navi dial, IP phones
  ['0120-123-456', '+81120123456', '0120-123-456'],
  ['(0120) 12-3456', '+81120123456', '0120-123-456'],
  ['0800-123-4567', '+818001234567', '0800-123-4567'],
  ['0570-064-123', '+81570064123', '0570-064-123'],
  ['050-1234-5678', '+815012345678', '050-1234-5678'],
  ['05012345678', '+815012345678', '050-1234-5678'],
  // +81 in every spacing
  ['+81355550101', '+81355550101', '03-5555-0101'],
  ['+81 3 5555 0101', '+81355550101', '03-5555-0101'],
  ['+81-3-5555-0101', '+81355550101', '03-5555-0101'],
  ['+81 (0)3 5555 0101', '+81355550101', '03-5555-0101'],
  ['+81 90 1234 5678', '+819012345678', '090-1234-5678'],
  ['+8190-1234-5678', '+819012345678', '090-1234-5678'],
  ['+81-50-1234-5678', '+815012345678', '050-1234-5678'],
  // International prefixes: 00 (SIP, abroad) and 010 (dialled from Japan)
  ['0081355550101', '+81355550101', '03-5555-0101'],
  ['0081-3-5555-0101', '+81355550101', '03-5555-0101'],
  ['010-81-3-5555-0101', '+81355550101', '03-5555-0101'],
  ['01081355550101', '+81355550101', '03-5555-0101'],
  // Full width (全角) digits, hyphens, parentheses, spaces, plus
  ['０９０－１２３４－５６７８', '+819012345678', '090-1234-5678'],
  ['０３－５５５５－０１０１', '+81355550101', '03-5555-0101'],
  ['０３（５５５５）０１０１', '+81355550101', '03-5555-0101'],
  ['０１２０ー１２３ー４５６', '+81120123456', '0120-123-456'],
  ['090ー1234ー5678', '+819012345678', '090-1234-5678'],
  ['090‐1234‐5678', '+819012345678', '090-1234-5678'],
  ['090﹣1234﹣5678', '+819012345678', '090-1234-5678'],
  ['＋８１　３　５５５５　０１０１', '+81355550101', '03-5555-0101'],
  ['＋８１９０１２３４５６７８', '+819012345678', '090-1234-5678'],
  ['+81９０1234５６７８', '+819012345678', '090-1234-5678'],
  // Extensions: the number is the main line
  ['03-5555-0101（内線12）', '+81355550101', '03-5555-0101 ext. 12'],
  ['03-5555-0101 ext. 12', '+81355550101', '03-5555-0101 ext. 12'],
  // SIP user parts
  ['tel:+81355550101', '+81355550101', '03-5555-0101'],
  ['sip:0355550101@pbx.example', '+81355550101', '03-5555-0101'],
  // Foreign numbers show in international format
  ['+1 212-555-0123', '+12125550123', '+1 212 555 0123'],
  ['+1 (650) 253-0000', '+16502530000', '+1 650 253 0000'],
  ['＋１　２１２　５５５　０１２３', '+12125550123', '+1 212 555 0123'],
  ['010-1-212-555-0123', '+12125550123', '+1 212 555 0123'],
  ['+44 20 7946 0958', '+442079460958', '+44 20 7946 0958'],
  ['+44 7911 123456', '+447911123456', '+44 7911 123456'],
  ['010 44 20 7946 0958', '+442079460958', '+44 20 7946 0958'],
  ['+86 10 1234 5678', '+861012345678', '+86 10 1234 5678'],
];

const NOT_NUMBERS: string[] = [
  '',
  ' ',
  'anonymous',
  'Anonymous',
  'unknown',
  'abc',
  '内線12',
  '123',
  '0',
  '0000000000',
  '03-1234-567', // one digit short
  '0900-123-4567', // 090-0… is not allocated
  '++81',
  '+0 123',
  'sip:anonymous@anonymous.invalid',
  '<sip:user@host>',
  '1'.repeat(30),
  '9'.repeat(200),
  'x'.repeat(200),
  '💩',
];

describe('normalizePhone', () => {
  it.each(VALID)('%s → %s', (raw, e164, display) => {
    expect(normalizePhone(raw)).toEqual({ e164, display });
  });

  it.each(NOT_NUMBERS.map((s) => [s]))('%j is not a number', (raw) => {
    const r = normalizePhone(raw);
    expect(r.e164).toBeNull();
    expect(r.display.length).toBeLessThanOrEqual(64);
  });

  it('keeps the text of a non-number as its display (trimmed, half-width)', () => {
    expect(normalizePhone('  ａｎｏｎｙｍｏｕｓ ')).toEqual({
      e164: null,
      display: 'ａｎｏｎｙｍｏｕｓ',
    });
    expect(normalizePhone('内線12').display).toBe('内線12');
  });

  it('reads national numbers of another default country', () => {
    expect(normalizePhone('(212) 555-0123', 'US')).toEqual({
      e164: '+12125550123',
      display: '(212) 555-0123',
    });
  });

  it('toHalfWidth converts full-width digits and punctuation only', () => {
    expect(toHalfWidth('＋８１（０３）５５５５－０１０１　山田')).toBe('+81(03)5555-0101 山田');
  });

  const E164 = /^\+[1-9]\d{6,14}$/;
  const property = (raw: string) => {
    const r = normalizePhone(raw);
    if (r.e164 === null) return;
    expect(r.e164).toMatch(E164);
    // The display form is what agents copy back into the CRM: it must mean the same number.
    expect(normalizePhone(r.display).e164).toBe(r.e164);
  };

  it('never throws, and any E.164 it returns is well formed and round-trips (any string)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), property), {
      numRuns: 2000,
    });
  });

  it('never throws, and any E.164 it returns is well formed and round-trips (phone-like)', () => {
    const chars = [...'0123456789０１２３４５６７８９+＋-－ー ()（）　.'];
    const prefix = fc.constantFrom('', '0', '+81', '0081', '010', '+1', '+44', '＋８１', '0120');
    const phoneLike = fc
      .tuple(prefix, fc.array(fc.constantFrom(...chars), { maxLength: 20 }))
      .map(([p, cs]) => p + cs.join(''));
    fc.assert(fc.property(phoneLike, property), { numRuns: 5000 });
  }, 60_000);
});

describe('toE164 (the bulk-load path)', () => {
  it('agrees with normalizePhone on any 10/11-digit national number, with or without separators', () => {
    const digit = fc.constantFrom(...'0123456789'.split(''));
    const number = fc
      .tuple(fc.integer({ min: 9, max: 10 }), fc.array(digit, { minLength: 10, maxLength: 10 }))
      .map(([len, ds]) => `0${ds.slice(0, len).join('')}`);
    const written = fc
      .tuple(number, fc.constantFrom('', '-', ' ', '.'), fc.integer({ min: 2, max: 5 }))
      .map(([n, sep, cut]) => (sep ? `${n.slice(0, cut)}${sep}${n.slice(cut)}` : n));
    fc.assert(
      fc.property(written, (raw) => {
        expect(toE164(raw)).toBe(normalizePhone(raw).e164);
      }),
      { numRuns: 20_000 },
    );
    // 20,000 libphonenumber parses: ~3 s alone, twice that beside other suites on 2 cores.
  }, 60_000);

  it('leaves international and unusual input to libphonenumber', () => {
    for (const raw of [
      '00 1 212 555 0101',
      '010 44 20 7946 0958',
      '+81 90 1234 5678',
      '０３－１２３４－５６７８',
      '03-1234-5678（内線12）',
      'abc',
      '',
    ]) {
      expect(toE164(raw)).toBe(normalizePhone(raw).e164);
    }
  });
});
