// Properties of the descriptor parser: any descriptor built from valid items (nested
// collections, Push/Pop, report ID changes, long items, 1/2/4-byte data) parses, and every
// report's length is the sum of its items' size × count; arbitrary bytes either parse or
// give a HidDescriptorError, never anything else and never a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HidDescriptorError,
  parseReportDescriptor,
} from '../../../../renderer/headset/hid-descriptor';
import type { HidCollectionInfo } from '../../../../renderer/headset/hid-types';

const RUNS = Number(process.env.FC_RUNS ?? 1_000);
/** About 1 ms a case here; room for slow CI machines and large FC_RUNS. */
const TIMEOUT = Math.max(30_000, RUNS * 10);

type Kind = 'input' | 'output' | 'feature';
type Op =
  | { op: 'global'; tag: number; value: number; width: number }
  | { op: 'usage'; value: number; width: number }
  | { op: 'main'; kind: Kind; flags: number }
  | { op: 'long'; length: number }
  | { op: 'collection'; type: number; body: Op[] }
  | { op: 'pushed'; body: Op[] };

const GLOBAL = { usagePage: 0, logMin: 1, logMax: 2, size: 7, reportId: 8, count: 9 };

/** Data bytes for a value: the smallest width that holds it, or wider when asked. */
const widthFor = (value: number, wider: boolean) =>
  value < 0x100 && !wider ? 1 : value < 0x10000 && !wider ? 2 : 4;

const global = (tag: number, value: fc.Arbitrary<number>) =>
  fc
    .record({ value, wider: fc.boolean() })
    .map(({ value, wider }): Op => ({ op: 'global', tag, value, width: widthFor(value, wider) }));

const leaf: fc.Arbitrary<Op> = fc.oneof(
  global(GLOBAL.usagePage, fc.integer({ min: 0, max: 0xffff })),
  global(GLOBAL.logMin, fc.integer({ min: 0, max: 0xff })),
  global(GLOBAL.logMax, fc.integer({ min: 0, max: 0xffff })),
  global(GLOBAL.size, fc.integer({ min: 0, max: 32 })),
  global(GLOBAL.count, fc.integer({ min: 0, max: 64 })),
  global(GLOBAL.reportId, fc.integer({ min: 1, max: 255 })),
  fc
    .record({ value: fc.integer({ min: 0, max: 0xffffffff }), wider: fc.boolean() })
    .map(({ value, wider }): Op => ({ op: 'usage', value, width: widthFor(value, wider) })),
  fc.record({
    op: fc.constant('main' as const),
    kind: fc.constantFrom<Kind>('input', 'output', 'feature'),
    flags: fc.integer({ min: 0, max: 0x1ff }),
  }),
  fc.record({ op: fc.constant('long' as const), length: fc.integer({ min: 0, max: 6 }) }),
);

const { body } = fc.letrec<{ body: Op[]; collection: Op; pushed: Op }>((tie) => ({
  body: fc.array(fc.oneof({ maxDepth: 3 }, leaf, tie('collection'), tie('pushed')), {
    maxLength: 10,
  }),
  collection: fc.record({
    op: fc.constant('collection' as const),
    type: fc.integer({ min: 0, max: 6 }),
    body: tie('body'),
  }),
  pushed: fc.record({ op: fc.constant('pushed' as const), body: tie('body') }),
}));

/** Before and between top-level collections: globals and usages only (no main items). */
const topLevel: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    leaf.filter((o) => o.op !== 'main'),
    fc.record({
      op: fc.constant('collection' as const),
      type: fc.integer({ min: 0, max: 6 }),
      body,
    }),
  ),
  { maxLength: 6 },
);

function encode(ops: Op[], out: number[] = []): number[] {
  const short = (type: number, tag: number, value: number, width: number) => {
    out.push((tag << 4) | (type << 2) | (width === 4 ? 3 : width));
    for (let i = 0; i < width; i++) out.push(Math.floor(value / 256 ** i) & 0xff);
  };
  for (const o of ops) {
    switch (o.op) {
      case 'global':
        short(1, o.tag, o.value, o.width);
        break;
      case 'usage':
        short(2, 0, o.value, o.width);
        break;
      case 'main':
        short(0, { input: 8, output: 9, feature: 11 }[o.kind], o.flags, o.flags > 0xff ? 2 : 1);
        break;
      case 'long':
        out.push(0xfe, o.length, 0xf0, ...new Array<number>(o.length).fill(0x5a));
        break;
      case 'collection':
        short(0, 10, o.type, 1);
        encode(o.body, out);
        out.push(0xc0);
        break;
      case 'pushed':
        out.push(0xa4);
        encode(o.body, out);
        out.push(0xb4);
        break;
    }
  }
  return out;
}

interface Expected {
  collections: number;
  /** Per "kind:reportId": total bits and number of items. */
  reports: Map<string, { bits: number; items: number }>;
}

/** What the descriptor describes, worked out from the ops (Report ID outside Push/Pop). */
function expected(ops: Op[]): Expected {
  const reports = new Map<string, { bits: number; items: number }>();
  let g = { size: 0, count: 0 };
  let reportId = 0;
  let collections = 0;
  const walk = (list: Op[], depth: number) => {
    for (const o of list) {
      if (o.op === 'global') {
        if (o.tag === GLOBAL.size) g = { ...g, size: o.value };
        if (o.tag === GLOBAL.count) g = { ...g, count: o.value };
        if (o.tag === GLOBAL.reportId) reportId = o.value;
      } else if (o.op === 'main') {
        const key = `${o.kind}:${reportId}`;
        const r = reports.get(key) ?? { bits: 0, items: 0 };
        reports.set(key, { bits: r.bits + g.size * g.count, items: r.items + 1 });
      } else if (o.op === 'collection') {
        if (depth === 0) collections++;
        walk(o.body, depth + 1);
      } else if (o.op === 'pushed') {
        const saved = g;
        walk(o.body, depth);
        g = saved;
      }
    }
  };
  walk(ops, 0);
  return { collections, reports };
}

/** The same figures read from the parse: a top-level collection holds all its reports. */
function measured(top: HidCollectionInfo[]): Expected {
  const reports = new Map<string, { bits: number; items: number }>();
  for (const c of top) {
    for (const [kind, list] of [
      ['input', c.inputReports],
      ['output', c.outputReports],
      ['feature', c.featureReports],
    ] as const) {
      for (const report of list) {
        const key = `${kind}:${report.reportId}`;
        const r = reports.get(key) ?? { bits: 0, items: 0 };
        const bits = report.items.reduce((sum, i) => sum + i.reportSize * i.reportCount, 0);
        reports.set(key, { bits: r.bits + bits, items: r.items + report.items.length });
      }
    }
  }
  return { collections: top.length, reports };
}

describe('descriptor parser properties', () => {
  it(
    'any descriptor of valid items parses and keeps every report length',
    () => {
      fc.assert(
        fc.property(topLevel, (ops) => {
          const top = parseReportDescriptor(encode(ops));
          const want = expected(ops);
          const got = measured(top);
          expect(got.collections).toBe(want.collections);
          expect(Object.fromEntries(got.reports)).toEqual(Object.fromEntries(want.reports));
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'arbitrary bytes parse or give a HidDescriptorError',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          try {
            parseReportDescriptor(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(HidDescriptorError);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
