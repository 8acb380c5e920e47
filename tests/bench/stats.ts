// Percentiles and the one-line BENCH format of ARCHITECTURE.md.
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export interface BenchLine {
  name: string;
  unit: 'ms';
  p50: number;
  p95: number;
  p99: number;
  n: number;
  baseline: number;
  ratio: number;
  [extra: string]: unknown;
}

/** Summarizes samples against a baseline's samples (ratio of p95s; < 1 means faster). */
export function benchLine(
  name: string,
  samples: number[],
  baselineSamples: number[],
  extra: Record<string, unknown> = {},
): BenchLine {
  const s = [...samples].sort((a, b) => a - b);
  const b = [...baselineSamples].sort((a, b) => a - b);
  const p95 = percentile(s, 95);
  const base = percentile(b, 95);
  return {
    name,
    unit: 'ms',
    p50: r2(percentile(s, 50)),
    p95: r2(p95),
    p99: r2(percentile(s, 99)),
    n: s.length,
    baseline: r2(base),
    ratio: r2(p95 / base),
    ...extra,
  };
}

export function printBench(line: BenchLine): void {
  process.stdout.write(`BENCH ${JSON.stringify(line)}\n`);
}
