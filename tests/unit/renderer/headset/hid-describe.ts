// One-line summaries of parsed collections and items, so a whole descriptor's parse can be
// asserted exactly and still be read: "1x3 Const,Var,Abs,NoPref 000B0020 000B0097 000B002A".
import type {
  HidCollectionInfo,
  HidReportInfo,
  HidReportItem,
} from '../../../../renderer/headset/hid-types';

const u32 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

export function describeItem(item: HidReportItem): string {
  const flags = [
    item.isConstant ? 'Const' : 'Data',
    item.isArray ? 'Array' : 'Var',
    item.isAbsolute ? 'Abs' : 'Rel',
    ...(item.wrap ? ['Wrap'] : []),
    ...(item.isLinear ? [] : ['NonLin']),
    ...(item.hasPreferredState ? [] : ['NoPref']),
    ...(item.hasNull ? ['Null'] : []),
    ...(item.isVolatile ? ['Vol'] : []),
    ...(item.isBufferedBytes ? ['Buf'] : []),
  ].join(',');
  const usages = item.isRange
    ? [`${u32(item.usageMinimum)}-${u32(item.usageMaximum)}`]
    : item.usages.map(u32);
  return [`${item.reportSize}x${item.reportCount}`, flags, ...usages].join(' ');
}

export interface CollectionSummary {
  usage: string;
  type: number;
  input: Record<number, string[]>;
  output: Record<number, string[]>;
  feature: Record<number, string[]>;
  children: CollectionSummary[];
}

const reports = (list: HidReportInfo[]) =>
  Object.fromEntries(list.map((r) => [r.reportId, r.items.map(describeItem)]));

export function describeCollection(c: HidCollectionInfo): CollectionSummary {
  return {
    usage: `${c.usagePage.toString(16).toUpperCase().padStart(4, '0')}:${c.usage.toString(16).toUpperCase().padStart(4, '0')}`,
    type: c.type,
    input: reports(c.inputReports),
    output: reports(c.outputReports),
    feature: reports(c.featureReports),
    children: c.children.map(describeCollection),
  };
}

/** Report IDs in the order the collection lists them, per kind. */
export const reportIds = (c: HidCollectionInfo) => ({
  input: c.inputReports.map((r) => r.reportId),
  output: c.outputReports.map((r) => r.reportId),
  feature: c.featureReports.map((r) => r.reportId),
});
