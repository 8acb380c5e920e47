// The core process of the sync benchmarks (spawned by sync-bench.ts, bundled so that no
// TypeScript loader sits in its memory): a real core (createCore: its real sync engine and
// repositories) on a fresh database in <dataDir>, syncing from a CRM:
//   {"crm":"generated","n":…}                   n generated customers, in process
//   {"crm":"kintone","config":…,"tokens":…}     the real kintone adapter over HTTP
// The first pull waits until the RSS of the idle core on its empty database is taken; then
// the initial sync runs to the end. Prints one line: SYNC_CHILD {json}.
//
//   node sync-child.mjs <dataDir> '<spec json>'
import { createCore } from '../../main/core/core';
import { silentLogger } from '../../main/core/log';
import type { CrmAdapter } from '../../main/core/sync/crm/adapter';
import { createKintoneAdapter } from '../../main/core/sync/crm/kintone/adapter';
import type { KintoneConfigInput, KintoneTokens } from '../../main/core/sync/crm/kintone/config';
import type { SyncStatus } from '../../preload/contract';
import { createGeneratedCrm } from './crm-generator';

export type ChildSpec =
  | { crm: 'generated'; n: number }
  | { crm: 'kintone'; config: KintoneConfigInput; tokens: KintoneTokens };

export interface ChildResult {
  /** Customers pulled (records in the pages served). */
  records: number;
  ms: number;
  pages: number;
  state: SyncStatus['state'];
  error: string | null;
  rssEmptyMb: number;
  /** One sample every `sampleEveryRecords` records pulled. */
  rssDuringMb: number[];
  sampleEveryRecords: number;
  rssAfterMb: number;
  /** Where the memory is after the sync: V8's heap, and memory outside it (buffers). */
  heapAfterMb: number;
  externalAfterMb: number;
  /** Time between two pulls: applying one page in its transaction (and fetching the next). */
  pageMs: number[];
}

/** The engine's default page; RSS is sampled every SAMPLE_EVERY_PAGES pages. */
const PAGE_SIZE = 500;
const SAMPLE_EVERY_PAGES = 20;

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

async function main(): Promise<void> {
  const [dataDir, specJson] = process.argv.slice(2);
  if (!dataDir || !specJson) throw new Error('usage: <dataDir> <spec json>');
  const spec = JSON.parse(specJson) as ChildSpec;
  const inner: CrmAdapter =
    spec.crm === 'generated'
      ? createGeneratedCrm(spec.n)
      : createKintoneAdapter({ config: spec.config, tokens: spec.tokens, logger: silentLogger });

  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  let atGate!: () => void;
  const reachedGate = new Promise<void>((resolve) => (atGate = resolve));
  const rssDuring: number[] = [];
  const pageMs: number[] = [];
  let pages = 0;
  let records = 0;
  let lastPullAt = 0;

  // The CRM as the engine sees it, with the gate and the samples around its customer pulls.
  const crm: CrmAdapter = {
    kind: inner.kind,
    check: () => inner.check(),
    push: (item) => inner.push(item),
    pullActivities: (since, limit) => inner.pullActivities(since, limit),
    async pullCustomers(since, limit) {
      if (pages === 0) {
        atGate();
        await gate;
      } else {
        pageMs.push(performance.now() - lastPullAt);
        if (pages % SAMPLE_EVERY_PAGES === 0) rssDuring.push(process.memoryUsage.rss());
      }
      pages++;
      const page = await inner.pullCustomers(since, limit);
      records += page.records.length;
      lastPullAt = performance.now();
      return page;
    },
  };

  const core = await createCore({
    dataDir,
    version: 'bench',
    log: silentLogger,
    crm,
    sync: { pageSize: PAGE_SIZE },
  });
  await reachedGate;
  // Let start-up settle (the round is parked in the first pull), then take the baseline.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const rssEmpty = process.memoryUsage.rss();

  const finished = new Promise<SyncStatus>((resolve) => {
    core.on('sync.status', (s) => {
      if (s.state !== 'syncing') resolve(s);
    });
  });
  const t0 = performance.now();
  openGate();
  const status = await finished;
  const ms = performance.now() - t0;
  const after = process.memoryUsage();
  await core.close();

  const result: ChildResult = {
    records,
    ms,
    pages,
    state: status.state,
    error: status.lastError?.message ?? null,
    rssEmptyMb: mb(rssEmpty),
    rssDuringMb: rssDuring.map(mb),
    sampleEveryRecords: SAMPLE_EVERY_PAGES * PAGE_SIZE,
    rssAfterMb: mb(after.rss),
    heapAfterMb: mb(after.heapUsed),
    externalAfterMb: mb(after.external),
    pageMs,
  };
  process.stdout.write(`SYNC_CHILD ${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`sync child failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
