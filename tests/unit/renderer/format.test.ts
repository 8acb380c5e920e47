// Formatters are kept per locale and options (format.ts): interleaved calls with different
// options and locales must each get their own, never one cached for another.
import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatStamp } from '../../../renderer/app/format';

const NOW = new Date(2026, 10, 24, 15, 0).getTime();
const TODAY = new Date(2026, 10, 24, 9, 5).getTime();
const EARLIER = new Date(2026, 9, 3, 9, 5).getTime();
const LAST_YEAR = new Date(2025, 9, 3, 9, 5).getTime();

describe('format (cached Intl formatters)', () => {
  it('time only today, date this year, year otherwise — in either order and language', () => {
    const once = () => [
      formatStamp(TODAY, 'ja', NOW),
      formatStamp(EARLIER, 'en', NOW),
      formatStamp(LAST_YEAR, 'ja', NOW),
      formatStamp(TODAY, 'en', NOW),
      formatStamp(LAST_YEAR, 'en', NOW),
    ];
    const first = once();
    expect(first[0]).toBe('09:05');
    expect(first[0]).toBe(first[3]);
    expect(first[1]).toMatch(/3.*Oct|Oct.*3|03\/10/);
    expect(first[1]).not.toMatch(/2026/);
    expect(first[2]).toMatch(/2025/);
    expect(first[4]).toMatch(/2025/);
    expect(first[2]).not.toBe(first[4]);
    expect(once()).toEqual(first);
  });

  it('units and relative days keep their own language', () => {
    expect(formatDuration(252, 'ja')).toBe('4分12秒');
    expect(formatDuration(252, 'en')).toBe('4 min 12 sec');
    expect(formatDuration(252, 'ja')).toBe('4分12秒');
    expect(formatAgo(NOW - 86_400_000, 'ja', NOW)).toBe('昨日');
    expect(formatAgo(NOW - 86_400_000, 'en', NOW)).toBe('yesterday');
  });
});
