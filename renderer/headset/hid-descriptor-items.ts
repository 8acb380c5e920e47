// HID 1.11 §6.2.2: a report descriptor is a run of items. A short item is one prefix byte
// (bTag:4 bType:2 bSize:2, bSize 3 meaning 4 bytes) and 0, 1, 2 or 4 data bytes, little
// endian; a long item is 0xFE, its data length, its tag and that many bytes (no long item
// tags are defined, so they are skipped). Every item takes at least one byte, so the walk
// always ends.

export class HidDescriptorError extends Error {
  constructor(
    message: string,
    /** Byte offset of the item at fault in the descriptor. */
    readonly offset: number,
  ) {
    super(`HID report descriptor, byte ${offset}: ${message}`);
    this.name = 'HidDescriptorError';
  }
}

export const ItemType = { main: 0, global: 1, local: 2, reserved: 3 } as const;

export interface ShortItem {
  offset: number;
  type: number;
  tag: number;
  /** Number of data bytes: 0, 1, 2 or 4. */
  size: number;
  /** The data as an unsigned little-endian number. */
  data: number;
}

const LONG_ITEM_PREFIX = 0xfe;
/** wDescriptorLength is 16 bits: nothing longer can come from a device. */
export const MAX_DESCRIPTOR_BYTES = 0xffff;

/** Splits a descriptor into its short items (long items are skipped) or throws. */
export function readItems(bytes: ArrayLike<number>): ShortItem[] {
  if (bytes.length > MAX_DESCRIPTOR_BYTES)
    throw new HidDescriptorError(`descriptor of ${bytes.length} bytes exceeds 65535`, 0);
  const items: ShortItem[] = [];
  let at = 0;
  while (at < bytes.length) {
    const prefix = byteAt(bytes, at);
    if (prefix === LONG_ITEM_PREFIX) {
      if (at + 3 > bytes.length) throw new HidDescriptorError('truncated long item header', at);
      const length = byteAt(bytes, at + 1);
      if (at + 3 + length > bytes.length)
        throw new HidDescriptorError(`long item needs ${length} data bytes`, at);
      at += 3 + length;
      continue;
    }
    const sizeCode = prefix & 0x03;
    const size = sizeCode === 3 ? 4 : sizeCode;
    if (at + 1 + size > bytes.length)
      throw new HidDescriptorError(
        `truncated item 0x${hex(prefix)}: needs ${size} data bytes, ${bytes.length - at - 1} left`,
        at,
      );
    let data = 0;
    for (let i = size - 1; i >= 0; i--) data = data * 256 + byteAt(bytes, at + 1 + i);
    items.push({ offset: at, type: (prefix >> 2) & 0x03, tag: prefix >> 4, size, data });
    at += 1 + size;
  }
  return items;
}

/** The data read as a two's complement number of its own width (HID 1.11 §6.2.2.7). */
export function signedData(item: ShortItem): number {
  if (item.size === 0) return 0;
  const bits = item.size * 8;
  const half = 2 ** (bits - 1);
  return item.data >= half ? item.data - 2 ** bits : item.data;
}

function byteAt(bytes: ArrayLike<number>, i: number): number {
  const b = bytes[i];
  if (b === undefined || !Number.isInteger(b) || b < 0 || b > 255)
    throw new HidDescriptorError(`not a byte: ${String(b)}`, i);
  return b;
}

export const hex = (n: number, width = 2): string =>
  n.toString(16).toUpperCase().padStart(width, '0');
