// Where each field of a report sits. WebHID lists a report's items in wire order; a field's
// bit offset counts from the first byte after the report ID (WebHID's DataView starts there).
// Bits are little endian: bit n is bit n%8 of byte n/8 (HID 1.11 §5.8).

import type { HidReportInfoLike, HidReportItemLike } from './hid-types';

export interface PlacedItem {
  item: HidReportItemLike;
  bitOffset: number;
}

export interface ReportLayout {
  reportId: number;
  items: PlacedItem[];
  /** Whole report without the ID byte, rounded up to bytes. */
  byteLength: number;
}

export const itemBits = (item: HidReportItemLike): number =>
  (item.reportSize ?? 0) * (item.reportCount ?? 0);

export function layoutOf(report: HidReportInfoLike): ReportLayout {
  let at = 0;
  const items: PlacedItem[] = [];
  for (const item of report.items ?? []) {
    items.push({ item, bitOffset: at });
    at += itemBits(item);
  }
  return { reportId: report.reportId ?? 0, items, byteLength: Math.ceil(at / 8) };
}

/**
 * The usage of field `index` of an item: Usage Minimum + index for a range, else the index-th
 * Usage, the last one repeating when there are more fields than usages (HID 1.11 §6.2.2.8).
 */
export function usageOfField(item: HidReportItemLike, index: number): number | undefined {
  if (item.isRange) {
    const min = item.usageMinimum ?? 0;
    const max = item.usageMaximum ?? min;
    return Math.min(min + index, max);
  }
  const usages = item.usages ?? [];
  return usages[Math.min(index, usages.length - 1)];
}

/** The index (a variable item's field, an array item's usage index) that carries `usage`. */
export function indexOfUsage(item: HidReportItemLike, usage: number): number | undefined {
  if (item.isRange) {
    const min = item.usageMinimum ?? 0;
    const max = item.usageMaximum ?? min;
    return usage >= min && usage <= max ? usage - min : undefined;
  }
  const i = (item.usages ?? []).indexOf(usage);
  return i < 0 ? undefined : i;
}

/** Unsigned little-endian bits of a report; bits past its end read as 0. */
export function readBits(data: Uint8Array, bitOffset: number, bitSize: number): number {
  let value = 0;
  for (let i = bitSize - 1; i >= 0; i--) {
    const at = bitOffset + i;
    const byte = data[at >> 3] ?? 0;
    value = value * 2 + ((byte >> (at & 7)) & 1);
  }
  return value;
}

/** Writes `value`'s low `bitSize` bits into a report, little endian, in place. */
export function writeBits(
  data: Uint8Array,
  bitOffset: number,
  bitSize: number,
  value: number,
): void {
  let v = Math.max(0, Math.floor(value));
  for (let i = 0; i < bitSize; i++) {
    const at = bitOffset + i;
    const byteIndex = at >> 3;
    if (byteIndex >= data.length) return;
    const mask = 1 << (at & 7);
    const byte = data[byteIndex] ?? 0;
    data[byteIndex] = v % 2 === 1 ? byte | mask : byte & ~mask;
    v = Math.floor(v / 2);
  }
}
