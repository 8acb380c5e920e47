// Drives the headset machine step by step, as the WebHID glue will.
import type { HeadsetCall } from '../../../../renderer/headset/headset-calls';
import {
  headsetStep,
  initialHeadsetState,
  type HeadsetConfig,
  type HeadsetEvent,
  type HeadsetStep,
} from '../../../../renderer/headset/headset-machine';

export function headsetDriver(config?: HeadsetConfig) {
  let state = initialHeadsetState();
  const step = (event: HeadsetEvent): HeadsetStep => {
    const result = config ? headsetStep(state, event, config) : headsetStep(state, event);
    state = result.state;
    return result;
  };
  return {
    step,
    get state() {
      return state;
    },
  };
}

/** A step's output reports as [reportId, ...bytes], easy to compare exactly. */
export const sentBytes = (r: HeadsetStep): number[][] =>
  r.reports.map((x) => [x.reportId, ...x.data]);

/** An input report as WebHID delivers it: a DataView over the bytes after the report ID. */
export const asDataView = (bytes: Uint8Array): DataView =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const call = (
  id: string,
  state: HeadsetCall['state'],
  extra: Partial<HeadsetCall> = {},
): HeadsetCall => ({ id, state, muted: false, startedAt: 0, ...extra });
