// From a device's WebHID collections to the telephony controls the headset machine drives:
// which report and bit carries the hook switch, phone mute, flash, redial and line busy tone,
// and which output bits are the off-hook, ring, mute, hold and microphone LEDs and the
// ringer. Only standard usages count (Telephony page 0x0B, LED page 0x08): a vendor "Teams"
// collection mirroring them on its own pages (Jabra's 0xFF30/0xFF40) is never taken. Real
// devices bend the rules, so:
//   - a control flagged Constant still counts when it carries a usage (the Jabra Link 380c
//     declares its hook switch Input (Const,Var,Abs));
//   - relative controls (a press is a 1, e.g. Jabra's Phone Mute (Const,Var,Rel)) are kept
//     apart from absolute ones (the value is the state);
//   - an application collection may sit inside another (EPOS-style): every telephony one is
//     found, and offsets come from the top-level collection's report, which holds every
//     field of that report whatever sub-collection declared it.

import {
  COLLECTION_APPLICATION,
  usageOf,
  type HidCollectionLike,
  type HidReportItemLike,
} from './hid-types';
import { indexOfUsage, layoutOf, type ReportLayout } from './hid-report-layout';

export const PAGE_LED = 0x08;
export const PAGE_TELEPHONY = 0x0b;
export const PAGE_CONSUMER = 0x0c;

/** Telephony application collections we drive: Headset, Handset, Phone. */
const TELEPHONY_APPLICATIONS: ReadonlySet<number> = new Set([0x05, 0x04, 0x01]);

export const TELEPHONY_INPUTS = {
  hookSwitch: usageOf(PAGE_TELEPHONY, 0x20),
  flash: usageOf(PAGE_TELEPHONY, 0x21),
  redial: usageOf(PAGE_TELEPHONY, 0x24),
  phoneMute: usageOf(PAGE_TELEPHONY, 0x2f),
  lineBusyTone: usageOf(PAGE_TELEPHONY, 0x97),
} as const;
export type TelephonyInput = keyof typeof TELEPHONY_INPUTS;

export const TELEPHONY_OUTPUTS = {
  offHook: usageOf(PAGE_LED, 0x17),
  ring: usageOf(PAGE_LED, 0x18),
  mute: usageOf(PAGE_LED, 0x09),
  hold: usageOf(PAGE_LED, 0x20),
  microphone: usageOf(PAGE_LED, 0x21),
  ringer: usageOf(PAGE_TELEPHONY, 0x9e),
} as const;
export type TelephonyOutput = keyof typeof TELEPHONY_OUTPUTS;

/** Consumer keys a headset without telephony HID may still send (media-key fallback). */
export const CONSUMER_INPUTS = {
  playPause: usageOf(PAGE_CONSUMER, 0xcd),
  play: usageOf(PAGE_CONSUMER, 0xb0),
  pause: usageOf(PAGE_CONSUMER, 0xb1),
  stop: usageOf(PAGE_CONSUMER, 0xb7),
  nextTrack: usageOf(PAGE_CONSUMER, 0xb5),
  previousTrack: usageOf(PAGE_CONSUMER, 0xb6),
  mute: usageOf(PAGE_CONSUMER, 0xe2),
  volumeUp: usageOf(PAGE_CONSUMER, 0xe9),
  volumeDown: usageOf(PAGE_CONSUMER, 0xea),
} as const;
export type ConsumerInput = keyof typeof CONSUMER_INPUTS;

export interface InputField {
  usage: number;
  reportId: number;
  /** From the first byte after the report ID. */
  bitOffset: number;
  bitSize: number;
  /** Relative (a press reads 1, then 0 again) rather than absolute (the value is the state). */
  relative: boolean;
  /** The device flagged it Constant; kept, since real devices carry controls there. */
  constant: boolean;
  /** For one usage of an array item: the fields to look in and the value meaning "on". */
  array: { count: number; value: number } | null;
}

export interface OutputField {
  usage: number;
  reportId: number;
  bitOffset: number;
  bitSize: number;
}

export interface ReportLength {
  reportId: number;
  /** The whole report without its ID byte: what sendReport must always carry. */
  byteLength: number;
}

export interface TelephonyControls {
  usagePage: number;
  usage: number;
  /** Child indexes from device.collections down to this collection. */
  path: number[];
  inputs: Partial<Record<TelephonyInput, InputField>>;
  outputs: Partial<Record<TelephonyOutput, OutputField>>;
  /** Input reports holding a telephony input. */
  inputReports: ReportLength[];
  /** Output reports holding a telephony output. */
  outputReports: ReportLength[];
}

export interface ApplicationSummary {
  usagePage: number;
  usage: number;
}

export type TelephonyDiscovery =
  | {
      kind: 'telephony';
      controls: TelephonyControls;
      /** Further telephony collections, in order of preference. */
      others: TelephonyControls[];
      consumer: Partial<Record<ConsumerInput, InputField>>;
    }
  | {
      kind: 'none';
      reason: string;
      applications: ApplicationSummary[];
      consumer: Partial<Record<ConsumerInput, InputField>>;
    };

type Kind = 'inputReports' | 'outputReports';

interface Found {
  collection: HidCollectionLike;
  root: HidCollectionLike;
  path: number[];
}

/** Finds the telephony controls of a device (its WebHID collections), or says why there are none. */
export function discoverTelephony(collections: readonly HidCollectionLike[]): TelephonyDiscovery {
  const consumer = findConsumerInputs(collections);
  const candidates: { controls: TelephonyControls; order: number }[] = [];
  findTelephonyCollections(collections).forEach((found, order) => {
    const controls = controlsOf(found);
    if (Object.keys(controls.inputs).length + Object.keys(controls.outputs).length > 0)
      candidates.push({ controls, order });
  });
  candidates.sort((a, b) => rank(b.controls) - rank(a.controls) || a.order - b.order);
  const [best, ...others] = candidates.map((c) => c.controls);
  if (best) return { kind: 'telephony', controls: best, others, consumer };
  const applications = collections.map((c) => ({
    usagePage: c.usagePage ?? 0,
    usage: c.usage ?? 0,
  }));
  const has = applications.map((a) => `0x${hex4(a.usagePage)}:0x${hex4(a.usage)}`).join(', ');
  return {
    kind: 'none',
    reason:
      `no telephony controls: no Phone, Handset or Headset application collection (usage page ` +
      `0x0B) with a hook switch, mute, flash, redial, line busy tone or telephony LED; ` +
      `the device has ${has || 'no collections'}`,
    applications,
    consumer,
  };
}

/** Preference: a hook switch first, then Headset over Handset over Phone, then more controls, then the innermost. */
function rank(c: TelephonyControls): number {
  const hook = c.inputs.hookSwitch ? 1_000_000 : 0;
  const kind = c.usage === 0x05 ? 30_000 : c.usage === 0x04 ? 20_000 : 10_000;
  const count = (Object.keys(c.inputs).length + Object.keys(c.outputs).length) * 100;
  return hook + kind + count + Math.min(c.path.length, 99);
}

function findTelephonyCollections(collections: readonly HidCollectionLike[]): Found[] {
  const found: Found[] = [];
  const walk = (c: HidCollectionLike, root: HidCollectionLike, path: number[]) => {
    if (
      c.type === COLLECTION_APPLICATION &&
      c.usagePage === PAGE_TELEPHONY &&
      TELEPHONY_APPLICATIONS.has(c.usage ?? -1)
    )
      found.push({ collection: c, root, path });
    (c.children ?? []).forEach((child, i) => walk(child, root, [...path, i]));
  };
  collections.forEach((c, i) => walk(c, c, [i]));
  return found;
}

function controlsOf({ collection, root, path }: Found): TelephonyControls {
  const inputs: Partial<Record<TelephonyInput, InputField>> = {};
  const outputs: Partial<Record<TelephonyOutput, OutputField>> = {};
  const inputReports = new Map<number, number>();
  const outputReports = new Map<number, number>();

  for (const layout of placedReports(collection, root, 'inputReports')) {
    for (const [name, usage] of entries(TELEPHONY_INPUTS)) {
      if (inputs[name]) continue;
      const field = inputFieldFor(layout, usage);
      if (!field) continue;
      inputs[name] = field;
      inputReports.set(layout.reportId, layout.byteLength);
    }
  }
  for (const layout of placedReports(collection, root, 'outputReports')) {
    for (const [name, usage] of entries(TELEPHONY_OUTPUTS)) {
      if (outputs[name]) continue;
      const field = outputFieldFor(layout, usage);
      if (!field) continue;
      outputs[name] = field;
      outputReports.set(layout.reportId, layout.byteLength);
    }
  }
  const lengths = (m: Map<number, number>) =>
    [...m].map(([reportId, byteLength]) => ({ reportId, byteLength }));
  return {
    usagePage: collection.usagePage ?? 0,
    usage: collection.usage ?? 0,
    path,
    inputs,
    outputs,
    inputReports: lengths(inputReports),
    outputReports: lengths(outputReports),
  };
}

/**
 * The collection's reports with wire offsets. Offsets come from the top-level collection's
 * report of the same ID (all its fields, in order); the collection's own items are then
 * matched in order within it, so fields of sibling collections shift offsets but are never
 * taken for ours.
 */
function placedReports(
  collection: HidCollectionLike,
  root: HidCollectionLike,
  kind: Kind,
): ReportLayout[] {
  return (collection[kind] ?? []).map((report) => {
    const own = layoutOf(report);
    if (collection === root) return own;
    const whole = (root[kind] ?? []).find((r) => (r.reportId ?? 0) === own.reportId);
    if (!whole) return own;
    const full = layoutOf(whole);
    const placed: ReportLayout['items'] = [];
    let at = 0;
    for (const { item } of own.items) {
      while (at < full.items.length && !sameItem(full.items[at]?.item, item)) at++;
      const match = full.items[at];
      if (!match) return own; // not a subsequence after all: keep the collection's own view
      placed.push({ item, bitOffset: match.bitOffset });
      at++;
    }
    return { reportId: own.reportId, items: placed, byteLength: full.byteLength };
  });
}

function inputFieldFor(layout: ReportLayout, usage: number): InputField | undefined {
  for (const { item, bitOffset } of layout.items) {
    const index = indexOfUsage(item, usage);
    if (index === undefined) continue;
    const size = item.reportSize ?? 0;
    const count = item.reportCount ?? 0;
    if (size === 0 || count === 0) continue;
    const common = {
      usage,
      reportId: layout.reportId,
      bitSize: size,
      relative: item.isAbsolute === false,
      constant: item.isConstant === true,
    };
    if (item.isArray) {
      const value = (item.logicalMinimum ?? 0) + index;
      if (value > (item.logicalMaximum ?? value)) continue;
      return { ...common, bitOffset, array: { count, value } };
    }
    if (index >= count) continue;
    return { ...common, bitOffset: bitOffset + index * size, array: null };
  }
  return undefined;
}

function outputFieldFor(layout: ReportLayout, usage: number): OutputField | undefined {
  for (const { item, bitOffset } of layout.items) {
    if (item.isArray) continue; // LEDs are on/off controls: one bit each in a variable item
    const index = indexOfUsage(item, usage);
    const size = item.reportSize ?? 0;
    if (index === undefined || size === 0 || index >= (item.reportCount ?? 0)) continue;
    return { usage, reportId: layout.reportId, bitOffset: bitOffset + index * size, bitSize: size };
  }
  return undefined;
}

/** Consumer-page keys of any top-level collection, for the media-key fallback. */
function findConsumerInputs(
  collections: readonly HidCollectionLike[],
): Partial<Record<ConsumerInput, InputField>> {
  const found: Partial<Record<ConsumerInput, InputField>> = {};
  for (const top of collections) {
    for (const report of top.inputReports ?? []) {
      const layout = layoutOf(report);
      for (const [name, usage] of entries(CONSUMER_INPUTS)) {
        if (found[name]) continue;
        const field = inputFieldFor(layout, usage);
        if (field) found[name] = field;
      }
    }
  }
  return found;
}

function sameItem(a: HidReportItemLike | undefined, b: HidReportItemLike): boolean {
  if (!a) return false;
  const au = a.usages ?? [];
  const bu = b.usages ?? [];
  return (
    a.reportSize === b.reportSize &&
    a.reportCount === b.reportCount &&
    a.isArray === b.isArray &&
    a.isAbsolute === b.isAbsolute &&
    a.isConstant === b.isConstant &&
    a.isRange === b.isRange &&
    a.usageMinimum === b.usageMinimum &&
    a.usageMaximum === b.usageMaximum &&
    a.logicalMinimum === b.logicalMinimum &&
    a.logicalMaximum === b.logicalMaximum &&
    au.length === bu.length &&
    au.every((u, i) => u === bu[i])
  );
}

const entries = <K extends string>(o: Record<K, number>): [K, number][] =>
  Object.entries(o) as [K, number][];

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
