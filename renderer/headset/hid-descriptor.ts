// A HID report descriptor (raw bytes) → the collections WebHID exposes for it, so tests and
// the fake E2E device start from a real device's bytes. In the app Chromium parses; this
// follows Chromium's parser (services/device/public/cpp/hid) wherever it shapes the result,
// so a fixture looks to our code exactly as the real device would:
//   - a Usage without a page takes the Usage Page in force when the Usage is read (the Jabra
//     Link 380c declares Usage 0x07 under the Telephony page, then switches to Button:
//     Chromium, and so we, report Telephony Programmable Button 0x000B0007);
//   - a Usage whose value exceeds 16 bits is an extended usage, page in the high half;
//   - a collection's usage is its first Usage; main items are listed in their collection
//     and in every ancestor (so a top-level collection holds its whole reports);
//   - Report ID is kept apart from the Push/Pop stack; reports are listed in the order
//     their IDs first appear.
// Unlike Chromium, which tolerates anything, malformed input throws a HidDescriptorError.

import {
  HidDescriptorError,
  ItemType,
  hex,
  readItems,
  signedData,
  type ShortItem,
} from './hid-descriptor-items';
import type { HidCollectionInfo, HidReportInfo, HidReportItem, HidUnitSystem } from './hid-types';

export { HidDescriptorError } from './hid-descriptor-items';

/** Chromium stops nesting at 50 levels; a deeper descriptor is refused. */
export const MAX_COLLECTION_DEPTH = 50;
/** Linux refuses fields wider than 256 bits; WebHID's reportSize is 16 bits anyway. */
export const MAX_REPORT_SIZE_BITS = 256;
/** WebHID's reportCount is an unsigned short. */
export const MAX_REPORT_COUNT = 0xffff;
/** Chromium's (and Windows') upper bound on a report's length. */
export const MAX_REPORT_BYTES = 0xffff;

const MainTag = { input: 0x8, output: 0x9, collection: 0xa, feature: 0xb, endCollection: 0xc };
const GlobalTag = {
  usagePage: 0x0,
  logicalMinimum: 0x1,
  logicalMaximum: 0x2,
  physicalMinimum: 0x3,
  physicalMaximum: 0x4,
  unitExponent: 0x5,
  unit: 0x6,
  reportSize: 0x7,
  reportId: 0x8,
  reportCount: 0x9,
  push: 0xa,
  pop: 0xb,
};
const LocalTag = { usage: 0x0, usageMinimum: 0x1, usageMaximum: 0x2 };

interface Globals {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unitExponent: number;
  unit: number;
  reportSize: number;
  reportCount: number;
}

interface Locals {
  usages: number[];
  usageMinimum: number;
  usageMaximum: number;
}

type ReportKind = 'inputReports' | 'outputReports' | 'featureReports';

interface Open {
  info: HidCollectionInfo;
  offset: number;
}

const freshGlobals = (): Globals => ({
  usagePage: 0,
  logicalMinimum: 0,
  logicalMaximum: 0,
  physicalMinimum: 0,
  physicalMaximum: 0,
  unitExponent: 0,
  unit: 0,
  reportSize: 0,
  reportCount: 0,
});
const freshLocals = (): Locals => ({ usages: [], usageMinimum: 0, usageMaximum: 0 });

/** Parses a report descriptor into its top-level collections, or throws HidDescriptorError. */
export function parseReportDescriptor(bytes: ArrayLike<number>): HidCollectionInfo[] {
  const top: HidCollectionInfo[] = [];
  const open: Open[] = [];
  const stack: Globals[] = [];
  let globals = freshGlobals();
  let locals = freshLocals();
  let reportId = 0;
  // Bits so far per report (kind + ID) across the descriptor, to refuse absurd lengths.
  const reportBits = new Map<string, number>();

  const addMainItem = (item: ShortItem, kind: ReportKind) => {
    const inner = open[open.length - 1];
    if (!inner)
      throw new HidDescriptorError(`${kindName(kind)} item outside any collection`, item.offset);
    const key = `${kind}:${reportId}`;
    const bits = (reportBits.get(key) ?? 0) + globals.reportSize * globals.reportCount;
    if (bits > MAX_REPORT_BYTES * 8)
      throw new HidDescriptorError(
        `${kindName(kind)} report ${reportId} grows to ${Math.ceil(bits / 8)} bytes (limit ${MAX_REPORT_BYTES})`,
        item.offset,
      );
    reportBits.set(key, bits);
    // One object per collection, as WebHID hands out distinct objects.
    for (const { info } of open)
      reportFor(info[kind], reportId).items.push(reportItem(item.data, globals, locals));
  };

  for (const item of readItems(bytes)) {
    switch (item.type) {
      case ItemType.main:
        switch (item.tag) {
          case MainTag.collection: {
            if (open.length >= MAX_COLLECTION_DEPTH)
              throw new HidDescriptorError(
                `collections nested deeper than ${MAX_COLLECTION_DEPTH}`,
                item.offset,
              );
            const info = newCollection(item.data & 0xff, globals, locals);
            const parent = open[open.length - 1];
            (parent ? parent.info.children : top).push(info);
            open.push({ info, offset: item.offset });
            break;
          }
          case MainTag.endCollection:
            if (!open.pop())
              throw new HidDescriptorError('End Collection without a Collection', item.offset);
            break;
          case MainTag.input:
            addMainItem(item, 'inputReports');
            break;
          case MainTag.output:
            addMainItem(item, 'outputReports');
            break;
          case MainTag.feature:
            addMainItem(item, 'featureReports');
            break;
          default:
            break; // reserved main tags carry nothing
        }
        locals = freshLocals(); // HID 1.11 §6.2.2.8: locals end at every main item
        break;
      case ItemType.global:
        if (item.tag === GlobalTag.push) stack.push({ ...globals });
        else if (item.tag === GlobalTag.pop) {
          const saved = stack.pop();
          if (!saved) throw new HidDescriptorError('Pop without a Push', item.offset);
          globals = saved;
        } else if (item.tag === GlobalTag.reportId) {
          if (item.data < 1 || item.data > 0xff)
            throw new HidDescriptorError(`Report ID ${item.data} is outside 1–255`, item.offset);
          reportId = item.data;
        } else setGlobal(globals, item);
        break;
      case ItemType.local:
        setLocal(locals, item, globals.usagePage);
        break;
      default:
        break; // reserved item type: nothing defined to read
    }
  }
  const unclosed = open[open.length - 1];
  if (unclosed)
    throw new HidDescriptorError(`${open.length} collection(s) never closed`, unclosed.offset);
  return top;
}

function setGlobal(g: Globals, item: ShortItem): void {
  switch (item.tag) {
    case GlobalTag.usagePage:
      if (item.data > 0xffff)
        throw new HidDescriptorError(
          `Usage Page 0x${hex(item.data, 8)} exceeds 16 bits`,
          item.offset,
        );
      g.usagePage = item.data;
      break;
    case GlobalTag.logicalMinimum:
      g.logicalMinimum = signedData(item);
      break;
    case GlobalTag.logicalMaximum:
      g.logicalMaximum = signedData(item);
      break;
    case GlobalTag.physicalMinimum:
      g.physicalMinimum = signedData(item);
      break;
    case GlobalTag.physicalMaximum:
      g.physicalMaximum = signedData(item);
      break;
    case GlobalTag.unitExponent:
      g.unitExponent = item.data;
      break;
    case GlobalTag.unit:
      g.unit = item.data;
      break;
    case GlobalTag.reportSize:
      if (item.data > MAX_REPORT_SIZE_BITS)
        throw new HidDescriptorError(
          `Report Size ${item.data} exceeds ${MAX_REPORT_SIZE_BITS} bits`,
          item.offset,
        );
      g.reportSize = item.data;
      break;
    case GlobalTag.reportCount:
      if (item.data > MAX_REPORT_COUNT)
        throw new HidDescriptorError(
          `Report Count ${item.data} exceeds ${MAX_REPORT_COUNT}`,
          item.offset,
        );
      g.reportCount = item.data;
      break;
    default:
      break; // reserved global tags
  }
}

function setLocal(l: Locals, item: ShortItem, usagePage: number): void {
  // Chromium's rule: a value above 16 bits already carries its page.
  const usage = item.data > 0xffff ? item.data : usagePage * 0x10000 + item.data;
  if (item.tag === LocalTag.usage) l.usages.push(usage);
  else if (item.tag === LocalTag.usageMinimum) l.usageMinimum = usage;
  else if (item.tag === LocalTag.usageMaximum) l.usageMaximum = usage;
  // Designators, strings and delimiters shape nothing WebHID shows.
}

function newCollection(type: number, g: Globals, l: Locals): HidCollectionInfo {
  const first = l.usages[0] ?? 0;
  const page = Math.floor(first / 0x10000) || g.usagePage;
  return {
    usagePage: page,
    usage: first & 0xffff,
    type,
    children: [],
    inputReports: [],
    outputReports: [],
    featureReports: [],
  };
}

function reportFor(reports: HidReportInfo[], reportId: number): HidReportInfo {
  let report = reports.find((r) => r.reportId === reportId);
  if (!report) {
    report = { reportId, items: [] };
    reports.push(report);
  }
  return report;
}

function reportItem(flags: number, g: Globals, l: Locals): HidReportItem {
  const bit = (n: number) => (flags & (1 << n)) !== 0;
  const unit = g.unit;
  return {
    isConstant: bit(0),
    isArray: !bit(1),
    isAbsolute: !bit(2),
    wrap: bit(3),
    isLinear: !bit(4),
    hasPreferredState: !bit(5),
    hasNull: bit(6),
    isVolatile: bit(7),
    isBufferedBytes: bit(8),
    usages: [...l.usages],
    usageMinimum: l.usageMinimum,
    usageMaximum: l.usageMaximum,
    // Chromium's test: a range is a Usage Minimum different from the Usage Maximum.
    isRange: l.usageMinimum !== l.usageMaximum,
    reportSize: g.reportSize,
    reportCount: g.reportCount,
    unitExponent: nibble(g.unitExponent & 0x0f),
    unitSystem: unitSystem(unit & 0x0f),
    unitFactorLengthExponent: nibble((unit >>> 4) & 0x0f),
    unitFactorMassExponent: nibble((unit >>> 8) & 0x0f),
    unitFactorTimeExponent: nibble((unit >>> 12) & 0x0f),
    unitFactorTemperatureExponent: nibble((unit >>> 16) & 0x0f),
    unitFactorCurrentExponent: nibble((unit >>> 20) & 0x0f),
    unitFactorLuminousIntensityExponent: nibble((unit >>> 24) & 0x0f),
    logicalMinimum: g.logicalMinimum,
    logicalMaximum: g.logicalMaximum,
    physicalMinimum: g.physicalMinimum,
    physicalMaximum: g.physicalMaximum,
    strings: [],
  };
}

/** A 4-bit unit exponent as Blink reads it: 0x9–0xF are −7…−1 (0x8 stays +8, as in Blink). */
const nibble = (n: number): number => (n > 0x08 ? n - 16 : n);

function unitSystem(n: number): HidUnitSystem {
  switch (n) {
    case 0x0:
      return 'none';
    case 0x1:
      return 'si-linear';
    case 0x2:
      return 'si-rotation';
    case 0x3:
      return 'english-linear';
    case 0x4:
      return 'english-rotation';
    case 0xf:
      return 'vendor-defined';
    default:
      return 'reserved';
  }
}

const kindName = (kind: ReportKind): string =>
  kind === 'inputReports' ? 'Input' : kind === 'outputReports' ? 'Output' : 'Feature';
