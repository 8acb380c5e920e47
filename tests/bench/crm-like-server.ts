// The baseline's CRM: an HTTP endpoint answering the same pop from the same data, after a
// delay like a cloud CRM's REST API seen from a call centre (kintone-like: ~90 ms floor plus
// a long tail). The data lookup itself is the same SQLite query the app uses.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pop } from '../../preload/contract';
import { createPopLookup } from '../../main/core/customers/pop';
import { silentLogger } from '../../main/core/log';
import { openDatabase } from '../../main/core/store/db';

const FLOOR_MS = 90;
const TAIL_MEAN_MS = 40;
const CAP_MS = 350;

export async function startCrmLikeServer(dbFile: string) {
  const db = openDatabase(dbFile, { log: silentLogger });
  const popFor = createPopLookup(db);
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const latency = () => Math.min(CAP_MS, FLOOR_MS - TAIL_MEAN_MS * Math.log(1 - random()));

  const server = createServer((req, res) => {
    const phone = new URL(req.url ?? '/', 'http://x').searchParams.get('phone');
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(popFor(phone || null)));
    }, latency());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    latencyDescription: `${FLOOR_MS} ms + exp(mean ${TAIL_MEAN_MS} ms), cap ${CAP_MS} ms`,
    async lookup(e164: string | null): Promise<Pop> {
      const res = await fetch(`${base}/pop?phone=${encodeURIComponent(e164 ?? '')}`);
      return (await res.json()) as Pop;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      db.close();
    },
  };
}
