// The shapes WebHID exposes as HIDDevice.collections (WICG WebHID, as Chromium fills them).
// TypeScript's DOM library has no WebHID types, so they are declared here. Two flavours:
// the full shape our descriptor parser produces, and a "like" shape with every member
// optional and read-only, which is what the spec's dictionaries promise at run time; the
// telephony code reads the latter so it takes a real HIDDevice's collections as they are.

export type HidUnitSystem =
  | 'none'
  | 'si-linear'
  | 'si-rotation'
  | 'english-linear'
  | 'english-rotation'
  | 'vendor-defined'
  | 'reserved';

export interface HidReportItem {
  isAbsolute: boolean;
  isArray: boolean;
  isBufferedBytes: boolean;
  isConstant: boolean;
  isLinear: boolean;
  isRange: boolean;
  isVolatile: boolean;
  hasNull: boolean;
  hasPreferredState: boolean;
  wrap: boolean;
  /** 32-bit usages, usage page in the high 16 bits. Used when isRange is false. */
  usages: number[];
  usageMinimum: number;
  usageMaximum: number;
  reportSize: number;
  reportCount: number;
  unitExponent: number;
  unitSystem: HidUnitSystem;
  unitFactorLengthExponent: number;
  unitFactorMassExponent: number;
  unitFactorTimeExponent: number;
  unitFactorTemperatureExponent: number;
  unitFactorCurrentExponent: number;
  unitFactorLuminousIntensityExponent: number;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  strings: string[];
}

export interface HidReportInfo {
  /** 0 when the device uses no report IDs. */
  reportId: number;
  items: HidReportItem[];
}

export interface HidCollectionInfo {
  usagePage: number;
  usage: number;
  /** 0 physical, 1 application, 2 logical, … (HID 1.11 §6.2.2.6). */
  type: number;
  children: HidCollectionInfo[];
  inputReports: HidReportInfo[];
  outputReports: HidReportInfo[];
  featureReports: HidReportInfo[];
}

/** What the telephony code needs from a report item; a WebHID HIDReportItem fits. */
export interface HidReportItemLike {
  readonly isAbsolute?: boolean;
  readonly isArray?: boolean;
  readonly isConstant?: boolean;
  readonly isRange?: boolean;
  readonly usages?: readonly number[];
  readonly usageMinimum?: number;
  readonly usageMaximum?: number;
  readonly reportSize?: number;
  readonly reportCount?: number;
  readonly logicalMinimum?: number;
  readonly logicalMaximum?: number;
}

export interface HidReportInfoLike {
  readonly reportId?: number;
  readonly items?: readonly HidReportItemLike[];
}

/** A WebHID HIDCollectionInfo (or our parser's HidCollectionInfo). */
export interface HidCollectionLike {
  readonly usagePage?: number;
  readonly usage?: number;
  readonly type?: number;
  readonly children?: readonly HidCollectionLike[];
  readonly inputReports?: readonly HidReportInfoLike[];
  readonly outputReports?: readonly HidReportInfoLike[];
  readonly featureReports?: readonly HidReportInfoLike[];
}

export const COLLECTION_APPLICATION = 1;

/** A 32-bit usage from its page and id, as WebHID reports usages. */
export const usageOf = (page: number, id: number): number =>
  (page & 0xffff) * 0x10000 + (id & 0xffff);
export const pageOf = (usage: number): number => Math.floor(usage / 0x10000) & 0xffff;
export const idOf = (usage: number): number => usage & 0xffff;
