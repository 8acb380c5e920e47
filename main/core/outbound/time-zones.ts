// The customer's time zone(s). The CRM may know the customer's zone; when it does not, the
// number's country gives the candidates, and a country spanning several zones yields them
// all: the calling window must then be open in every one (the conservative dialer rule).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { IANAZone } from 'luxon';

export const CENTRE_ZONE = 'Asia/Tokyo';

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

// One zone per distinct set of clock rules in each populated region; zones that always
// agree with one listed (Chicago and Indiana/Knox, Sydney and Hobart) are left out, since
// they cannot change where the windows overlap. Mainland only for ES and PT.
const MULTI_ZONE: Partial<Record<CountryCode, readonly string[]>> = {
  US: [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/Anchorage',
    'Pacific/Honolulu',
  ],
  CA: [
    'America/St_Johns',
    'America/Halifax',
    'America/Toronto',
    'America/Winnipeg',
    'America/Regina',
    'America/Edmonton',
    'America/Vancouver',
  ],
  MX: [
    'America/Cancun',
    'America/Matamoros',
    'America/Mexico_City',
    'America/Ciudad_Juarez',
    'America/Mazatlan',
    'America/Tijuana',
  ],
  BR: ['America/Noronha', 'America/Sao_Paulo', 'America/Manaus', 'America/Rio_Branco'],
  RU: [
    'Europe/Kaliningrad',
    'Europe/Moscow',
    'Europe/Samara',
    'Asia/Yekaterinburg',
    'Asia/Omsk',
    'Asia/Novosibirsk',
    'Asia/Irkutsk',
    'Asia/Yakutsk',
    'Asia/Vladivostok',
    'Asia/Magadan',
    'Asia/Kamchatka',
  ],
  AU: [
    'Australia/Perth',
    'Australia/Darwin',
    'Australia/Adelaide',
    'Australia/Brisbane',
    'Australia/Sydney',
  ],
  ID: ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'],
  CL: ['America/Santiago', 'America/Punta_Arenas'],
  CD: ['Africa/Kinshasa', 'Africa/Lubumbashi'],
  MN: ['Asia/Ulaanbaatar', 'Asia/Hovd'],
  PS: ['Asia/Hebron', 'Asia/Gaza'],
  PF: ['Pacific/Tahiti', 'Pacific/Marquesas', 'Pacific/Gambier'],
};

const SINGLE_ZONE: Partial<Record<CountryCode, string>> = {
  // East and South-East Asia
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  KP: 'Asia/Pyongyang',
  CN: 'Asia/Shanghai',
  TW: 'Asia/Taipei',
  HK: 'Asia/Hong_Kong',
  MO: 'Asia/Macau',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  BN: 'Asia/Brunei',
  PH: 'Asia/Manila',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  KH: 'Asia/Phnom_Penh',
  LA: 'Asia/Vientiane',
  MM: 'Asia/Yangon',
  TL: 'Asia/Dili',
  // South and Central Asia, Middle East
  IN: 'Asia/Kolkata',
  LK: 'Asia/Colombo',
  NP: 'Asia/Kathmandu',
  BD: 'Asia/Dhaka',
  BT: 'Asia/Thimphu',
  MV: 'Indian/Maldives',
  PK: 'Asia/Karachi',
  AF: 'Asia/Kabul',
  KZ: 'Asia/Almaty',
  UZ: 'Asia/Tashkent',
  TM: 'Asia/Ashgabat',
  TJ: 'Asia/Dushanbe',
  KG: 'Asia/Bishkek',
  IR: 'Asia/Tehran',
  IQ: 'Asia/Baghdad',
  SA: 'Asia/Riyadh',
  AE: 'Asia/Dubai',
  QA: 'Asia/Qatar',
  BH: 'Asia/Bahrain',
  KW: 'Asia/Kuwait',
  OM: 'Asia/Muscat',
  YE: 'Asia/Aden',
  JO: 'Asia/Amman',
  SY: 'Asia/Damascus',
  LB: 'Asia/Beirut',
  IL: 'Asia/Jerusalem',
  CY: 'Asia/Nicosia',
  TR: 'Europe/Istanbul',
  GE: 'Asia/Tbilisi',
  AM: 'Asia/Yerevan',
  AZ: 'Asia/Baku',
  // Europe
  GB: 'Europe/London',
  IE: 'Europe/Dublin',
  IM: 'Europe/Isle_of_Man',
  JE: 'Europe/Jersey',
  GG: 'Europe/Guernsey',
  IS: 'Atlantic/Reykjavik',
  FO: 'Atlantic/Faroe',
  PT: 'Europe/Lisbon',
  ES: 'Europe/Madrid',
  AD: 'Europe/Andorra',
  GI: 'Europe/Gibraltar',
  FR: 'Europe/Paris',
  MC: 'Europe/Monaco',
  BE: 'Europe/Brussels',
  NL: 'Europe/Amsterdam',
  LU: 'Europe/Luxembourg',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  LI: 'Europe/Vaduz',
  IT: 'Europe/Rome',
  SM: 'Europe/San_Marino',
  VA: 'Europe/Vatican',
  MT: 'Europe/Malta',
  DK: 'Europe/Copenhagen',
  NO: 'Europe/Oslo',
  SE: 'Europe/Stockholm',
  FI: 'Europe/Helsinki',
  AX: 'Europe/Mariehamn',
  EE: 'Europe/Tallinn',
  LV: 'Europe/Riga',
  LT: 'Europe/Vilnius',
  PL: 'Europe/Warsaw',
  CZ: 'Europe/Prague',
  SK: 'Europe/Bratislava',
  HU: 'Europe/Budapest',
  SI: 'Europe/Ljubljana',
  HR: 'Europe/Zagreb',
  BA: 'Europe/Sarajevo',
  RS: 'Europe/Belgrade',
  XK: 'Europe/Belgrade',
  ME: 'Europe/Podgorica',
  MK: 'Europe/Skopje',
  AL: 'Europe/Tirane',
  GR: 'Europe/Athens',
  BG: 'Europe/Sofia',
  RO: 'Europe/Bucharest',
  MD: 'Europe/Chisinau',
  UA: 'Europe/Kyiv',
  BY: 'Europe/Minsk',
  // Africa
  EG: 'Africa/Cairo',
  LY: 'Africa/Tripoli',
  TN: 'Africa/Tunis',
  DZ: 'Africa/Algiers',
  MA: 'Africa/Casablanca',
  SN: 'Africa/Dakar',
  CI: 'Africa/Abidjan',
  GH: 'Africa/Accra',
  NG: 'Africa/Lagos',
  CM: 'Africa/Douala',
  SD: 'Africa/Khartoum',
  ET: 'Africa/Addis_Ababa',
  KE: 'Africa/Nairobi',
  UG: 'Africa/Kampala',
  RW: 'Africa/Kigali',
  TZ: 'Africa/Dar_es_Salaam',
  AO: 'Africa/Luanda',
  ZM: 'Africa/Lusaka',
  ZW: 'Africa/Harare',
  MZ: 'Africa/Maputo',
  ZA: 'Africa/Johannesburg',
  MG: 'Indian/Antananarivo',
  MU: 'Indian/Mauritius',
  // Oceania
  NZ: 'Pacific/Auckland',
  PG: 'Pacific/Port_Moresby',
  FJ: 'Pacific/Fiji',
  NC: 'Pacific/Noumea',
  GU: 'Pacific/Guam',
  WS: 'Pacific/Apia',
  TO: 'Pacific/Tongatapu',
  // The Americas
  GL: 'America/Nuuk',
  PR: 'America/Puerto_Rico',
  DO: 'America/Santo_Domingo',
  CU: 'America/Havana',
  JM: 'America/Jamaica',
  HT: 'America/Port-au-Prince',
  BS: 'America/Nassau',
  BB: 'America/Barbados',
  TT: 'America/Port_of_Spain',
  BZ: 'America/Belize',
  GT: 'America/Guatemala',
  SV: 'America/El_Salvador',
  HN: 'America/Tegucigalpa',
  NI: 'America/Managua',
  CR: 'America/Costa_Rica',
  PA: 'America/Panama',
  CO: 'America/Bogota',
  VE: 'America/Caracas',
  GY: 'America/Guyana',
  SR: 'America/Paramaribo',
  EC: 'America/Guayaquil',
  PE: 'America/Lima',
  BO: 'America/La_Paz',
  PY: 'America/Asuncion',
  UY: 'America/Montevideo',
  AR: 'America/Argentina/Buenos_Aires',
};

// A calling code shared by several countries (+1, +7, +44…) leaves the country unknown for
// a number libphonenumber cannot place (+1 555…); assume the code's main country.
const MAIN_COUNTRY: Readonly<Record<string, CountryCode>> = {
  '1': 'US',
  '7': 'RU',
  '39': 'IT',
  '44': 'GB',
  '47': 'NO',
  '61': 'AU',
  '212': 'MA',
  '358': 'FI',
};

/** Every zone this module can answer with (for tests and diagnostics). */
export function knownZones(): string[] {
  const all = [...Object.values(SINGLE_ZONE), ...Object.values(MULTI_ZONE).flat()];
  return [...new Set(all)];
}

export function zonesForCountry(country: CountryCode): string[] {
  const many = MULTI_ZONE[country];
  if (many) return [...many];
  const one = SINGLE_ZONE[country];
  return one ? [one] : [];
}

/** Candidate zones for the number's country; [] when the country is unknown. */
export function zonesForNumber(e164: string): string[] {
  // Nearly every customer of a Japanese centre: +81 is Japan alone, no parse needed (~15 µs).
  if (e164.startsWith('+81')) return zonesForCountry('JP');
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return [];
  const country = parsed.country ?? MAIN_COUNTRY[parsed.countryCallingCode];
  return country ? zonesForCountry(country) : [];
}

/** The zones whose clocks decide when this customer may be called. Never empty. */
export function customerZones(customerZone: string | null, e164: string): string[] {
  if (customerZone !== null && isValidZone(customerZone)) return [customerZone];
  const byNumber = zonesForNumber(e164);
  return byNumber.length > 0 ? byNumber : [CENTRE_ZONE];
}

// ---------- UTC offsets, fast ----------
// Asking Intl for an offset costs ~10 µs, too slow for the queue and the property tests.
// Offsets change only at DST transitions, so each zone's offsets are worked out once per
// UTC year: probe once a day, and where two probes differ, binary-search the exact
// millisecond of the change. This assumes no zone changes its offset twice within a day,
// which holds for all modern tz data.

const DAY_MS = 86_400_000;

interface YearOffsets {
  /** Instants at which a new offset begins; the first is the year's start. */
  starts: number[];
  /** Offset (ms, local minus UTC) from each start until the next. */
  offsets: number[];
  end: number;
}

const timelines = new Map<string, Map<number, YearOffsets>>();

function yearOffsets(zone: string, year: number): YearOffsets {
  let byYear = timelines.get(zone);
  if (!byYear) {
    if (!isValidZone(zone)) throw new RangeError(`unknown time zone: ${JSON.stringify(zone)}`);
    byYear = new Map();
    timelines.set(zone, byYear);
  }
  const cached = byYear.get(year);
  if (cached) return cached;

  const iana = IANAZone.create(zone);
  const offsetAt = (t: number): number => iana.offset(t) * 60_000;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const starts = [start];
  const offsets = [offsetAt(start)];
  let before = start;
  let beforeOffset = offsets[0]!;
  while (before < end - 1) {
    const probe = Math.min(before + DAY_MS, end - 1);
    const probeOffset = offsetAt(probe);
    if (probeOffset !== beforeOffset) {
      let lo = before;
      let hi = probe;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === beforeOffset) lo = mid;
        else hi = mid;
      }
      starts.push(hi);
      offsets.push(probeOffset);
      beforeOffset = probeOffset;
    }
    before = probe;
  }
  const result = { starts, offsets, end };
  byYear.set(year, result);
  return result;
}

/**
 * The zone's UTC offset at `at` (ms, local minus UTC) and the instant until which it holds
 * (exclusive: the next transition, or the end of the UTC year). Throws a RangeError for an
 * unknown zone.
 */
export function offsetSegment(zone: string, at: number): { offsetMs: number; until: number } {
  const year = yearOffsets(zone, new Date(at).getUTCFullYear());
  let i = year.starts.length - 1;
  while (year.starts[i]! > at) i--;
  return { offsetMs: year.offsets[i]!, until: year.starts[i + 1] ?? year.end };
}
