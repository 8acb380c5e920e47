// The app under test in browser mode: the real core (real SQLite in a temp folder, real
// SIP.js) and the real browser-mode server serving the built renderer.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { createCore, type Core, type CoreOptions } from '../../main/core/core';
import { createLogger, type Logger } from '../../main/core/log';
import { startWebServer, type WebServer } from '../../main/web/server';
import type { BrowserSettings } from '../../main/web/settings';
import { atProcessEnd, spawnTracked, waitUntil, type Tracked } from './process';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDir = join(repoRoot, 'out/renderer');
/** The talk tracks shipped with the app. */
export const bundledScripts = join(repoRoot, 'assets/scripts');

export interface AppUnderTest {
  core: Core;
  server: WebServer;
  dataDir: string;
  close(): Promise<void>;
}

export async function startApp(
  opts: Partial<CoreOptions> & { log?: Logger; keepData?: boolean } = {},
): Promise<AppUnderTest> {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error('renderer not built: run `npm run build:renderer` first');
  }
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'agent-app-'));
  const log = opts.log ?? createLogger({ level: 'warn', scope: 'app-under-test' });
  const core = await createCore({
    version: 'test',
    seedDemo: true,
    scriptFolders: [bundledScripts],
    ...opts,
    dataDir,
    log,
  });
  const server = await startWebServer({ core, staticDir: rendererDir, log });
  return {
    core,
    server,
    dataDir,
    async close() {
      await server.close().catch(() => {});
      await core.close().catch(() => {});
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---- the app as its own process --------------------------------------------------------
// For tests that must kill core (SIGKILL) and start it again on the same data: the real
// browser-mode CLI (main/web/cli.ts) as a child process, reached over its WebSocket (see
// contract-client.ts). The child's PID is core itself, never a wrapper, so a signal sent to
// it lands on core.

/** Browser-mode settings as written to the --config file (main/web/settings.ts). */
export type AppSettingsFile = z.input<typeof BrowserSettings>;

export interface AppProcessOptions {
  /** The agent's data folder (SQLite). Reused across starts: that is the point. */
  dataDir: string;
  /** Written to a settings file for --config (secrets go in `env`, never here). */
  settings?: AppSettingsFile;
  /** Added to the child's environment (AGENT_CRM_TOKEN, AGENT_SIP_PASSWORD…). */
  env?: Record<string, string>;
  /** Load the demo customers into an empty database (default true). */
  demo?: boolean;
  /**
   * 'bundle' (default): cli.ts bundled once per test process with esbuild and run by plain
   * node, about twice as fast to start as 'tsx' (node --import tsx), whose TypeScript loader
   * alone costs most of a second. Same sources either way.
   */
  runner?: 'bundle' | 'tsx';
  startTimeoutMs?: number;
}

export interface AppProcess {
  readonly pid: number;
  /** http://127.0.0.1:PORT/#token=… as the CLI printed it. */
  readonly url: string;
  readonly port: number;
  /** Spawn → URL printed (the app is serving), ms. */
  readonly startMs: number;
  readonly proc: Tracked;
  /** Sends `signal` (default SIGKILL) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Graceful: SIGTERM (the CLI closes its server and core), SIGKILL after a grace period. */
  stop(graceMs?: number): Promise<void>;
}

const cliEntry = join(repoRoot, 'main/web/cli.ts');
let cliBundle: Promise<string> | null = null;

/** cli.ts bundled (once per test process) into a temp folder removed when the process ends. */
export function bundleCli(): Promise<string> {
  cliBundle ??= (async () => {
    const { build } = await import('esbuild');
    const dir = mkdtempSync(join(tmpdir(), 'agent-cli-bundle-'));
    atProcessEnd(() => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'cli.mjs');
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    await build({
      entryPoints: [cliEntry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      // The bundle finds what cli.ts finds from its own folder (the renderer, demo data).
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(cliEntry).href) },
      // CommonJS dependencies inside an ES module bundle need a require().
      banner: {
        js: "import { createRequire as __appRequire } from 'node:module'; const require = __appRequire(import.meta.url);",
      },
      plugins: [
        {
          name: 'native-outside',
          setup(b) {
            b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true }));
          },
        },
      ],
    });
    return outfile;
  })();
  return cliBundle;
}

export async function startAppProcess(opts: AppProcessOptions): Promise<AppProcess> {
  const args = ['--data-dir', opts.dataDir];
  if (opts.demo === false) args.push('--no-demo');
  if (opts.settings) {
    mkdirSync(opts.dataDir, { recursive: true });
    const file = join(opts.dataDir, 'browser-settings.json');
    writeFileSync(file, JSON.stringify(opts.settings, null, 2));
    args.push('--config', file);
  }
  const runner = opts.runner ?? 'bundle';
  const cmd =
    runner === 'bundle' ? [await bundleCli(), ...args] : ['--import', 'tsx', cliEntry, ...args];
  const t0 = performance.now();
  const proc = spawnTracked(process.execPath, cmd, {
    cwd: repoRoot,
    env: { ...process.env, ...opts.env },
  });
  const printed = /Agent desktop \(browser mode\): (http:\/\/127\.0\.0\.1:(\d+)\/#token=\S+)/;
  let match: RegExpExecArray | null = null;
  try {
    await waitUntil(() => (match = printed.exec(proc.stdout())) !== null, {
      timeoutMs: opts.startTimeoutMs ?? 20_000,
      intervalMs: 5,
      what: 'browser-mode app start',
      abort: () => (proc.alive ? null : `exited early:\n${proc.output().slice(-2000)}`),
    });
  } catch (err) {
    await proc.stop(500);
    throw err;
  }
  const m = match as unknown as RegExpExecArray;
  const startMs = performance.now() - t0;
  return {
    pid: proc.pid,
    url: m[1]!,
    port: Number(m[2]),
    startMs,
    proc,
    async kill(signal = 'SIGKILL') {
      if (proc.alive) process.kill(proc.pid, signal);
      const exit = await proc.exited;
      await proc.stop(); // forgets the PID
      return exit;
    },
    stop: (graceMs = 3_000) => proc.stop(graceMs),
  };
}
