import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  CENTRE_ZONE,
  customerZones,
  isValidZone,
  knownZones,
  offsetSegment,
  zonesForNumber,
} from '../../../../main/core/outbound/time-zones';

const US = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
];

describe('zonesForNumber', () => {
  it.each([
    ['+81312345678', ['Asia/Tokyo']],
    ['+819012345678', ['Asia/Tokyo']],
    ['+82212345678', ['Asia/Seoul']],
    ['+8613800138000', ['Asia/Shanghai']],
    ['+886212345678', ['Asia/Taipei']],
    ['+85221234567', ['Asia/Hong_Kong']],
    ['+6561234567', ['Asia/Singapore']],
    ['+6328123456', ['Asia/Manila']],
    ['+6621234567', ['Asia/Bangkok']],
    ['+842438123456', ['Asia/Ho_Chi_Minh']],
    ['+911123456789', ['Asia/Kolkata']],
    ['+442079460000', ['Europe/London']],
    ['+4930123456', ['Europe/Berlin']],
    ['+33123456789', ['Europe/Paris']],
    ['+390612345678', ['Europe/Rome']],
    ['+34912345678', ['Europe/Madrid']],
    ['+31201234567', ['Europe/Amsterdam']],
  ])('%s → %j', (e164, zones) => {
    expect(zonesForNumber(e164)).toEqual(zones);
  });

  it('gives every populated US zone for a US number, wherever its area code is', () => {
    expect(zonesForNumber('+12125550100')).toEqual(US);
    expect(zonesForNumber('+14155550123')).toEqual(US);
  });

  it('lists the zones of the other multi-zone countries', () => {
    expect(zonesForNumber('+14165550123')).toContain('America/Toronto'); // Canada
    expect(zonesForNumber('+14165550123')).toContain('America/Vancouver');
    expect(zonesForNumber('+61212345678')).toContain('Australia/Perth');
    expect(zonesForNumber('+61212345678')).toContain('Australia/Sydney');
    expect(zonesForNumber('+5511912345678')).toContain('America/Manaus');
    expect(zonesForNumber('+79161234567')).toEqual(
      expect.arrayContaining(['Europe/Moscow', 'Asia/Vladivostok']),
    );
    expect(zonesForNumber('+525512345678')).toEqual(
      expect.arrayContaining(['America/Mexico_City', 'America/Tijuana']),
    );
    expect(zonesForNumber('+62215551234')).toEqual([
      'Asia/Jakarta',
      'Asia/Makassar',
      'Asia/Jayapura',
    ]);
  });

  it('falls back to the main country of a shared calling code', () => {
    // +1 555 is not in any NANP country; it is still a +1 number.
    expect(zonesForNumber('+15555550100')).toEqual(US);
  });

  it('gives [] when the country is unknown', () => {
    expect(zonesForNumber('+999123456')).toEqual([]);
    expect(zonesForNumber('not a number')).toEqual([]);
    expect(zonesForNumber('')).toEqual([]);
  });

  it('only ever names zones the runtime knows', () => {
    const bad = knownZones().filter((z) => !isValidZone(z));
    expect(bad).toEqual([]);
  });
});

describe('customerZones', () => {
  it('prefers a valid zone from the CRM', () => {
    expect(customerZones('America/Chicago', '+12125550100')).toEqual(['America/Chicago']);
  });

  it('falls back to the number, then to the centre', () => {
    expect(customerZones(null, '+12125550100')).toEqual(US);
    expect(customerZones('Not/AZone', '+442079460000')).toEqual(['Europe/London']);
    expect(customerZones(null, '+999123456')).toEqual([CENTRE_ZONE]);
    expect(CENTRE_ZONE).toBe('Asia/Tokyo');
  });
});

describe('isValidZone', () => {
  it('accepts IANA names and refuses others', () => {
    expect(isValidZone('Asia/Tokyo')).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Asia/Osaka')).toBe(false);
    expect(isValidZone('')).toBe(false);
  });
});

describe('offsetSegment', () => {
  it('matches luxon’s offset at and around each 2026 transition', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe']) {
      const iana = IANAZone.create(zone);
      let at = Date.UTC(2026, 0, 1);
      for (let i = 0; i < 4 && at < Date.UTC(2027, 0, 1); i++) {
        const { offsetMs, until } = offsetSegment(zone, at);
        expect(offsetMs).toBe(iana.offset(at) * 60_000);
        expect(iana.offset(until - 1) * 60_000).toBe(offsetMs);
        at = until;
      }
    }
  });

  it('finds New York’s 2026 changes to the millisecond', () => {
    const spring = Date.UTC(2026, 2, 8, 7);
    expect(offsetSegment('America/New_York', spring - 1)).toEqual({
      offsetMs: -5 * 3_600_000,
      until: spring,
    });
    expect(offsetSegment('America/New_York', spring)).toEqual({
      offsetMs: -4 * 3_600_000,
      until: Date.UTC(2026, 10, 1, 6),
    });
  });

  it('holds one offset for the whole year where there is no DST', () => {
    expect(offsetSegment('Asia/Tokyo', Date.UTC(2026, 5, 1))).toEqual({
      offsetMs: 9 * 3_600_000,
      until: Date.UTC(2027, 0, 1),
    });
  });

  it('refuses an unknown zone', () => {
    expect(() => offsetSegment('Mars/Olympus', 0)).toThrow(/unknown time zone/);
  });
});
