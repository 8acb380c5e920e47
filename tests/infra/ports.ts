// Free loopback ports for test peers. The OS picks (bind to port 0), we read and close.
// Ports handed out by this process are never handed out twice, and a port is only returned
// when it is free for both TCP and UDP when asked — kamailio, sipp and rtpengine each bind
// by number moments later, so a collision is possible but rare; callers retry on failure.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

const HOST = '127.0.0.1';
const handedOut = new Set<number>();

function bindTcp(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(null));
    srv.listen({ host: HOST, port, exclusive: true }, () => {
      const addr = srv.address();
      const got = addr && typeof addr === 'object' ? addr.port : null;
      srv.close(() => resolve(got));
    });
  });
}

function bindUdp(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    sock.unref();
    sock.once('error', () => {
      sock.close();
      resolve(null);
    });
    sock.bind({ address: HOST, port, exclusive: true }, () => {
      const got = sock.address().port;
      sock.close(() => resolve(got));
    });
  });
}

export type PortKind = 'tcp' | 'udp' | 'both';

/** One free port (free for TCP and/or UDP as asked). */
export async function freePort(kind: PortKind = 'both'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = kind === 'udp' ? await bindUdp(0) : await bindTcp(0);
    if (port === null || handedOut.has(port)) continue;
    if (kind === 'both' && (await bindUdp(port)) === null) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free ${kind} port on ${HOST} after 50 attempts`);
}

/** Several distinct free ports. */
export async function freePorts(n: number, kind: PortKind = 'both'): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await freePort(kind));
  return out;
}

/**
 * A block of `size` UDP ports, all currently free, for a media relay's own range. Taken
 * below the kernel's ephemeral range (32768+) so OS-picked ports do not land inside it.
 */
export async function freeUdpRange(
  size = 200,
  bounds: { min: number; max: number } = { min: 20000, max: 32000 },
): Promise<{ min: number; max: number }> {
  const blocks = Math.floor((bounds.max - bounds.min) / size);
  for (let attempt = 0; attempt < 30; attempt++) {
    const min = bounds.min + size * Math.floor(Math.random() * blocks);
    const max = min + size - 1;
    let ok = true;
    for (let p = min; p <= max && ok; p++) {
      if (handedOut.has(p) || (await bindUdp(p)) === null) ok = false;
    }
    if (!ok) continue;
    for (let p = min; p <= max; p++) handedOut.add(p);
    return { min, max };
  }
  throw new Error(`no free block of ${size} UDP ports`);
}
