// Child processes for test peers (kamailio, rtpengine, sipp). Each is tracked by PID so a
// failing test never leaves one running: stop() ends it (TERM, then KILL after a grace
// period) and a process-end hook ends whatever is still alive. Only PIDs we spawned are
// ever signalled.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Tracked {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True until the process has exited. */
  readonly alive: boolean;
  /** Combined stdout+stderr, the most recent `maxOutput` characters. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** TERM, wait up to graceMs, then KILL; resolves once exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Map<number, Tracked>();
const atEnd: (() => void)[] = [];
let hooksInstalled = false;

/**
 * Runs `fn` (synchronously) when this process ends — normally, or by SIGTERM/SIGINT/SIGHUP:
 * vitest ends its workers with SIGTERM, which skips 'exit' hooks unless a handler exists.
 */
export function atProcessEnd(fn: () => void): void {
  installHooks();
  atEnd.push(fn);
}

function runEndHooks(): void {
  // TERM lets kamailio/rtpengine take their worker processes down with them.
  for (const pid of live.keys()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  live.clear();
  for (const fn of atEnd.splice(0)) {
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', runEndHooks);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      runEndHooks();
      // Then die of the same signal as we would have without this handler.
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

function tail(buf: string, max: number): string {
  return buf.length > max ? buf.slice(buf.length - max) : buf;
}

export function spawnTracked(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; maxOutput?: number } = {},
): Tracked {
  installHooks();
  const max = opts.maxOutput ?? 256 * 1024;
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let all = '';
  let alive = true;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out = tail(out + d, max);
    all = tail(all + d, max);
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err = tail(err + d, max);
    all = tail(all + d, max);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (e) => {
      all += `\n[spawn error] ${e.message}\n`;
      alive = false;
      resolve({ code: -1, signal: null });
    });
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
  });
  const pid = child.pid ?? -1;
  let stopping: Promise<void> | null = null;
  const tracked: Tracked = {
    pid,
    child,
    exited,
    get alive() {
      return alive;
    },
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (alive && pid > 0) {
          try {
            child.kill('SIGTERM');
          } catch {
            /* gone */
          }
          const timer = setTimeout(() => {
            if (alive) child.kill('SIGKILL');
          }, graceMs);
          await exited;
          clearTimeout(timer);
        }
        live.delete(pid);
      })();
      return stopping;
    },
  };
  if (pid > 0) {
    live.set(pid, tracked);
    void exited.then(() => live.delete(pid));
  }
  return tracked;
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns true, the deadline passes, or `abort` says to give up. */
export async function waitUntil(
  probe: () => Promise<boolean> | boolean,
  opts: { timeoutMs: number; intervalMs?: number; what: string; abort?: () => string | null },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const why = opts.abort?.();
    if (why) throw new Error(`${opts.what}: ${why}`);
    if (await probe()) return;
    if (Date.now() > deadline)
      throw new Error(`${opts.what}: not ready after ${opts.timeoutMs} ms`);
    await delay(opts.intervalMs ?? 50);
  }
}
