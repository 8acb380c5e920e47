// The app under test in browser mode: the real core (real SQLite in a temp folder, real
// SIP.js) and the real browser-mode server serving the built renderer.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core, type CoreOptions } from '../../main/core/core';
import { createLogger, type Logger } from '../../main/core/log';
import { startWebServer, type WebServer } from '../../main/web/server';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDir = join(repoRoot, 'out/renderer');

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
  const core = await createCore({ version: 'test', seedDemo: true, ...opts, dataDir, log });
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
