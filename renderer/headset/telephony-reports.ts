// Reading telephony inputs out of an input report and writing whole LED output reports,
// with the fields telephony-controls found. Reports are WebHID's: the bytes after the
// report ID (inputreport's DataView, sendReport's data).

import { readBits, writeBits } from './hid-report-layout';
import type {
  InputField,
  TelephonyControls,
  TelephonyInput,
  TelephonyOutput,
} from './telephony-controls';

export type TelephonyInputValues = Partial<Record<TelephonyInput, number>>;
export type LedState = Record<TelephonyOutput, boolean>;

export interface OutputReport {
  reportId: number;
  data: Uint8Array;
}

export const LEDS_OFF: LedState = {
  offHook: false,
  ring: false,
  mute: false,
  hold: false,
  microphone: false,
  ringer: false,
};

/** A field's value: the raw number, or for one usage of an array 1 when it is listed, else 0. */
export function readInputField(field: InputField, data: Uint8Array): number {
  if (!field.array) return readBits(data, field.bitOffset, field.bitSize);
  for (let i = 0; i < field.array.count; i++)
    if (readBits(data, field.bitOffset + i * field.bitSize, field.bitSize) === field.array.value)
      return 1;
  return 0;
}

/** The telephony inputs an input report carries; null when none are in this report. */
export function readTelephonyInputs(
  controls: TelephonyControls,
  reportId: number,
  data: Uint8Array,
): TelephonyInputValues | null {
  const values: TelephonyInputValues = {};
  let any = false;
  for (const [name, field] of fields(controls.inputs)) {
    if (field.reportId !== reportId) continue;
    values[name] = readInputField(field, data);
    any = true;
  }
  return any ? values : null;
}

/**
 * Every telephony output report, whole, with each LED bit as `leds` says; bits that are not
 * ours (padding, Speaker, On-Line…) are 0. One report per ID, as the device declared it.
 */
export function buildOutputReports(controls: TelephonyControls, leds: LedState): OutputReport[] {
  return controls.outputReports.map(({ reportId, byteLength }) => {
    const data = new Uint8Array(byteLength);
    for (const [name, field] of fields(controls.outputs))
      if (field.reportId === reportId)
        writeBits(data, field.bitOffset, field.bitSize, leds[name] ? 1 : 0);
    return { reportId, data };
  });
}

/**
 * An input report as the device would send it (for tests and the fake device): the whole
 * report of that ID, zeros but for the given inputs. Array inputs fill the array's fields in
 * turn.
 */
export function buildInputReport(
  controls: TelephonyControls,
  reportId: number,
  values: TelephonyInputValues,
): Uint8Array {
  const length = controls.inputReports.find((r) => r.reportId === reportId)?.byteLength;
  if (length === undefined) throw new Error(`report ${reportId} holds no telephony input`);
  const data = new Uint8Array(length);
  const arraySlotsUsed = new Map<number, number>(); // array start bit → fields filled
  for (const [name, field] of fields(controls.inputs)) {
    const value = values[name];
    if (field.reportId !== reportId || value === undefined || value === 0) continue;
    if (!field.array) {
      writeBits(data, field.bitOffset, field.bitSize, value);
      continue;
    }
    const slot = arraySlotsUsed.get(field.bitOffset) ?? 0;
    if (slot >= field.array.count) continue; // more keys than the array can list at once
    arraySlotsUsed.set(field.bitOffset, slot + 1);
    writeBits(data, field.bitOffset + slot * field.bitSize, field.bitSize, field.array.value);
  }
  return data;
}

const fields = <K extends string, F>(o: Partial<Record<K, F>>): [K, F][] =>
  Object.entries(o) as [K, F][];
