// A real rtpengine (WebRTC DTLS-SRTP/ICE ↔ plain RTP relay) for one test file: userspace
// only (--table=-1, no kernel module), its own NG control port and its own media port range
// so parallel runs never share ports. Ready when it answers an NG "ping".
import { createSocket } from 'node:dgram';
import { findBinary } from './peers';
import { freePort, freeUdpRange } from './ports';
import { spawnTracked, waitUntil } from './process';

export interface RtpengineHandle {
  ngPort: number;
  portRange: { min: number; max: number };
  pid: number;
  stop(): Promise<void>;
  logs(): string;
}

/** One NG-protocol request (bencode) over UDP; resolves with the raw reply or null. */
export function ngRequest(port: number, bencoded: string, timeoutMs = 500): Promise<string | null> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    const cookie = Math.random().toString(36).slice(2, 10);
    const done = (v: string | null) => {
      clearTimeout(timer);
      try {
        sock.close();
      } catch {
        /* closed */
      }
      resolve(v);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.once('error', () => done(null));
    sock.on('message', (msg) => {
      const text = msg.toString('latin1');
      if (text.startsWith(cookie + ' ')) done(text.slice(cookie.length + 1));
    });
    sock.send(`${cookie} ${bencoded}`, port, '127.0.0.1', (err) => {
      if (err) done(null);
    });
  });
}

export async function startRtpengine(): Promise<RtpengineHandle> {
  const bin = findBinary('rtpengine');
  if (!bin) throw new Error('rtpengine is not installed (see scripts/install-system-deps.sh)');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const ngPort = await freePort('udp');
    const portRange = await freeUdpRange(200);
    const proc = spawnTracked(bin, [
      '--config-file=none',
      '--foreground',
      '--log-stderr',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      `--port-min=${portRange.min}`,
      `--port-max=${portRange.max}`,
      '--log-level=5',
      '--delete-delay=0',
    ]);
    try {
      await waitUntil(async () => (await ngRequest(ngPort, 'd7:command4:pinge')) !== null, {
        timeoutMs: 10_000,
        what: 'rtpengine',
        abort: () => (proc.alive ? null : `exited early:\n${proc.output().slice(-4000)}`),
      });
    } catch (e) {
      lastError = e;
      await proc.stop();
      continue;
    }
    return {
      ngPort,
      portRange,
      pid: proc.pid,
      logs: () => proc.output(),
      stop: () => proc.stop(),
    };
  }
  throw lastError;
}
