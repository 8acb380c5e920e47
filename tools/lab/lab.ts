// `npm run lab`: a whole call centre on loopback for newcomers. Starts rtpengine and
// Kamailio (demo agent 1001 / pw1001), the app in browser mode with demo customers, and —
// once a browser has opened the printed URL and registered — places test calls with sipp
// from demo customers (山田 太郎 first), echoing your audio back once you answer.
//   npm run lab -- --calls 3 --interval 20   three calls, 20 s apart
//   npm run lab -- --no-call                 no test call
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../main/core/log';
import { startApp, repoRoot } from '../../tests/infra/app';
import { startKamailio } from '../../tests/infra/kamailio';
import { assertPeers } from '../../tests/infra/peers';
import { startRtpengine } from '../../tests/infra/rtpengine';
import { callerKeys, runSipp } from '../../tests/infra/sipp';

// Demo callers: numbers of customers in assets/demo/customers.json, plus one unknown.
const CALLERS = [
  // The IVR's reason picks the talk track (X-Call-Reason).
  { user: '0355550101', display: 'Yamada', header: 'X-Call-Reason: inquiry' },
  { user: '09012345678', display: null, header: 'X-Call-Reason: repeat_order' },
  { user: '0120444555', display: 'Unknown Co.', header: 'X-Call-Reason: order' },
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '1' },
      interval: { type: 'string', default: '30' },
      'no-call': { type: 'boolean', default: false },
    },
  });
  assertPeers('kamailio', 'sipp', 'rtpengine');
  const log = createLogger({ level: 'warn', scope: 'lab' });
  const rtp = await startRtpengine();
  const kam = await startKamailio({ auth: true, rtpengine: { ngPort: rtp.ngPort } });
  const app = await startApp({
    dataDir: join(repoRoot, '.lab/data'),
    keepData: true,
    log,
    sip: { server: kam.wsUrl, aor: `sip:1001@${kam.domain}`, password: 'pw1001' },
  });
  const out = (s: string) => process.stdout.write(s + '\n');
  out('');
  out('Lab is up:');
  out(`  Kamailio   udp 127.0.0.1:${kam.udpPort}, ws ${kam.wsUrl} (agent 1001 / pw1001)`);
  out(`  rtpengine  ng 127.0.0.1:${rtp.ngPort}`);
  out(`  Open in Chromium or Chrome:  ${app.server.url}`);
  out('  Ctrl+C stops everything.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await kam.stop();
    await rtp.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  if (values['no-call']) return;
  out('  Waiting for the browser to register before placing a test call…');
  await new Promise<void>((resolve) => {
    const off = app.core.on('phone.status', (s) => {
      if (s.registration === 'registered' && app.core.media.available) {
        off();
        resolve();
      }
    });
  });
  const count = Math.max(1, Number(values.calls));
  for (let i = 0; i < count && !stopping; i++) {
    const caller = CALLERS[i % CALLERS.length]!;
    out(`  Calling the agent from ${caller.user}… answer it in the browser.`);
    const sipp = runSipp({
      scenario: 'uac_call_wait',
      target: `127.0.0.1:${kam.udpPort}`,
      service: '1001',
      keys: callerKeys(caller),
      rtpEcho: true,
      timeoutSec: 600,
    });
    const res = await sipp.done;
    out(`  Test call ended (sipp exit ${res.code}).`);
    if (i + 1 < count) await new Promise((r) => setTimeout(r, Number(values.interval) * 1000));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`lab failed: ${(err as Error).message}\n`);
  process.exit(1);
});
