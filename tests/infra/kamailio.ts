// A real Kamailio on loopback for one test file: its own config (kamailio.cfg beside this
// file, ports filled in per run), its own run dir, started in the foreground and stopped by
// PID. Ready means it really answers: the WebSocket port accepts a connection and a SIP
// OPTIONS over UDP gets its 200.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBinary } from './peers';
import { freePort } from './ports';
import { atProcessEnd, delay, spawnTracked, waitUntil } from './process';

const here = dirname(fileURLToPath(import.meta.url));
export const kamailioTemplate = join(here, 'kamailio.cfg');

/** The accounts every test Kamailio knows unless told otherwise. */
export const defaultSipUsers: Readonly<Record<string, string>> = {
  '1001': 'pw1001',
  '1002': 'pw1002',
  '1003': 'pw1003',
};

export interface KamailioOptions {
  /** Digest auth for REGISTER and for INVITEs from WebSocket clients. Default true. */
  auth?: boolean;
  /** Relay media through this rtpengine (WebRTC ↔ plain RTP); null/absent = no relay. */
  rtpengine?: { ngPort: number } | null;
  /** user → password. Default: defaultSipUsers. */
  users?: Record<string, string>;
  /** Where calls to unregistered users go (a sipp UAS). Default: a free port picked here. */
  gatewayPort?: number;
  /** Reuse ports (e.g. restart "the same server" to test reconnects). Default: free ones. */
  udpPort?: number;
  wsPort?: number;
}

export interface KamailioHandle {
  wsUrl: string;
  wsPort: number;
  udpPort: number;
  host: '127.0.0.1';
  /** Port of the default gateway: run a sipp UAS here to take the agent's outbound calls. */
  gatewayPort: number;
  /** The SIP domain users register in (the host part of their AoR). */
  domain: string;
  pid: number;
  stop(): Promise<void>;
  logs(): string;
}

const SAFE = /^[A-Za-z0-9._~!$&'()*+,;=:@-]+$/;

export function renderKamailioCfg(p: {
  udpPort: number;
  wsPort: number;
  gatewayPort: number;
  ngPort: number;
  users: Record<string, string>;
}): string {
  const creds = Object.entries(p.users)
    .map(([user, pw]) => {
      // The values land inside a cfg string literal: keep them simple rather than escape.
      if (!SAFE.test(user) || !SAFE.test(pw) || pw.includes('"') || user.includes('"')) {
        throw new Error(`test SIP user/password must match ${SAFE}: ${user}`);
      }
      return `    $sht(creds=>${user}) = "${pw}";`;
    })
    .join('\n');
  return readFileSync(kamailioTemplate, 'utf8')
    .replaceAll('%%UDP_PORT%%', String(p.udpPort))
    .replaceAll('%%WS_PORT%%', String(p.wsPort))
    .replaceAll('%%GW_PORT%%', String(p.gatewayPort))
    .replaceAll('%%NG_PORT%%', String(p.ngPort))
    .replace('%%CREDENTIALS%%', creds);
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Sends one SIP OPTIONS over UDP; true when any SIP response comes back within timeoutMs. */
export function sipOptionsPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const done = (ok: boolean) => {
      clearTimeout(timer);
      try {
        sock.close();
      } catch {
        /* closed */
      }
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('error', () => done(false));
    sock.once('message', (msg) => done(msg.toString('latin1').startsWith('SIP/2.0 ')));
    sock.bind(0, '127.0.0.1', () => {
      const lp = sock.address().port;
      const tag = Math.random().toString(36).slice(2);
      const msg = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${lp};branch=z9hG4bK${tag};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=${tag}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: probe-${tag}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(msg, port, '127.0.0.1', (err) => {
        if (err) done(false);
      });
    });
  });
}

export async function startKamailio(opts: KamailioOptions = {}): Promise<KamailioHandle> {
  const bin = findBinary('kamailio');
  if (!bin) throw new Error('kamailio is not installed (see scripts/install-system-deps.sh)');
  const users = opts.users ?? defaultSipUsers;
  // A port can be taken between picking and binding (other runs share the machine): retry.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin, opts, users);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

async function startOnce(
  bin: string,
  opts: KamailioOptions,
  users: Record<string, string>,
): Promise<KamailioHandle> {
  const udpPort = opts.udpPort ?? (await freePort('both'));
  const wsPort = opts.wsPort ?? (await freePort('tcp'));
  const gatewayPort = opts.gatewayPort ?? (await freePort('udp'));
  const rundir = mkdtempSync(join(tmpdir(), 'kamailio-'));
  const cfg = join(rundir, 'kamailio.cfg');
  writeFileSync(
    cfg,
    renderKamailioCfg({
      udpPort,
      wsPort,
      gatewayPort,
      ngPort: opts.rtpengine?.ngPort ?? 0,
      users,
    }),
  );
  const args = ['-DD', '-E', '-f', cfg, '-Y', rundir, '-P', join(rundir, 'kamailio.pid')];
  if (opts.auth ?? true) args.push('-A', 'WITH_AUTH');
  if (opts.rtpengine) args.push('-A', 'WITH_RTPENGINE');
  const proc = spawnTracked(bin, args);
  atProcessEnd(() => rmSync(rundir, { recursive: true, force: true }));
  const cleanup = async () => {
    await proc.stop();
    rmSync(rundir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => (await tcpOpen(wsPort)) && (await sipOptionsPing(udpPort)), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: 'kamailio',
      abort: () => (proc.alive ? null : `exited early:\n${proc.output().slice(-4000)}`),
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return {
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    wsPort,
    udpPort,
    host: '127.0.0.1',
    gatewayPort,
    domain: '127.0.0.1',
    pid: proc.pid,
    logs: () => proc.output(),
    async stop() {
      await cleanup();
      // Kamailio's workers can outlive the main process by a moment; let the ports drain.
      await delay(20);
    },
  };
}
