// Crashing the SIP server for survival tests and benchmarks. SIGKILL on Kamailio's main
// process alone is not a crash: its worker processes outlive it and keep the ports (and
// keep answering). So we SIGKILL the main process and every descendant, each by the PID we
// read from /proc (all of them processes this test started), and wait until they are gone.
import { readdirSync, readFileSync } from 'node:fs';
import { startKamailio, type KamailioHandle, type KamailioOptions } from './kamailio';
import { delay } from './process';

function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..." — comm may hold spaces: split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** PIDs of `root`'s descendants (children, grandchildren, …). */
export function descendants(root: number): number[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const p = frontier.pop()!;
    for (const c of all) {
      if (parentOf(c) === p && !out.includes(c)) {
        out.push(c);
        frontier.push(c);
      }
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return parentOf(pid) !== null;
  } catch {
    return false;
  }
};

/**
 * SIGKILLs Kamailio (main + workers, by PID) and waits until none is left. Resolves with the
 * instant the signals went out (performance.now()). The handle's stop() is then only cleanup.
 */
export async function crashKamailio(k: KamailioHandle): Promise<number> {
  const pids = [k.pid, ...descendants(k.pid)];
  const at = performance.now();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some(alive)) {
    if (Date.now() > deadline) throw new Error(`kamailio pids still alive: ${pids.filter(alive)}`);
    await delay(5);
  }
  await k.stop(); // removes its run dir; the process is already gone
  return at;
}

/** Starts "the same server" again: same UDP, WebSocket and gateway ports. */
export function restartKamailio(
  k: KamailioHandle,
  opts: Omit<KamailioOptions, 'udpPort' | 'wsPort' | 'gatewayPort'> = {},
): Promise<KamailioHandle> {
  return startKamailio({
    auth: true,
    ...opts,
    udpPort: k.udpPort,
    wsPort: k.wsPort,
    gatewayPort: k.gatewayPort,
  });
}
