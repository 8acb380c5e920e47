// Real peers (kamailio, sipp, rtpengine, chromium) are required. Locally a missing peer
// skips its tests with a reason; under CI=true it fails them, so CI can never go green
// by silently skipping.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Peer = 'kamailio' | 'sipp' | 'rtpengine' | 'chromium';

const binaries: Record<Peer, string[]> = {
  kamailio: ['kamailio'],
  sipp: ['sipp'],
  rtpengine: ['rtpengine'],
  chromium: ['chromium', 'chromium-browser'],
};

export function findBinary(peer: Peer): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/bin']);
  for (const name of binaries[peer]) {
    for (const dir of dirs) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        /* keep looking */
      }
    }
  }
  return null;
}

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Returns the missing peers. Test files use `describe.skipIf(shouldSkip(...peers))` and call
 * `assertPeers(...peers)` in beforeAll, so CI fails loudly instead of skipping.
 */
export function missingPeers(...peers: Peer[]): Peer[] {
  return peers.filter((p) => findBinary(p) === null);
}

export function assertPeers(...peers: Peer[]): void {
  const missing = missingPeers(...peers);
  if (missing.length) {
    throw new Error(
      `required test peer(s) missing: ${missing.join(', ')} — install them (see .ci/run)`,
    );
  }
}

/** describe-level switch: skip locally when peers are missing, never in CI. */
export function shouldSkip(...peers: Peer[]): boolean {
  return !inCI && missingPeers(...peers).length > 0;
}
