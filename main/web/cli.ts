// `npm run start:browser`: core in Node + the built renderer over HTTP on 127.0.0.1.
//   --data-dir DIR   where the SQLite cache lives (default ~/.local/share/agent-desktop/browser)
//   --config FILE    settings JSON ({ "locale": "ja", "sip": { "server", "aor", … },
//                    "crm": { "kind": "kintone", "config": { "baseUrl", "apps": { … } } } })
//   --port N         fixed port (default: any free one)
//   --no-demo        do not load demo customers into an empty database
// The SIP password is read from AGENT_SIP_PASSWORD, the kintone API token(s) from
// AGENT_CRM_TOKEN (never from the settings file).
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { createLogger } from '../core/log';
import { browserCrmAdapter, loadBrowserSettings } from './settings';
import { startWebServer } from './server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      port: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
    },
  });
  const log = createLogger({ scope: 'browser-mode', level: 'info' });
  const settings = loadBrowserSettings(values.config);
  const dataDir = values['data-dir'] ?? join(homedir(), '.local/share/agent-desktop/browser');
  const version = process.env.npm_package_version ?? '0.0.0';
  // A CRM named in the file replaces the one saved through the app's settings.
  const crm = browserCrmAdapter(settings.crm, process.env, log);
  const core = await createCore({
    dataDir,
    version,
    locale: settings.locale,
    sip: settings.sip ? { ...settings.sip, password: process.env.AGENT_SIP_PASSWORD ?? '' } : null,
    seedDemo: !values['no-demo'],
    // The shipped talk tracks, then the centre's own (same id: theirs wins).
    scriptFolders: [join(root, 'assets/scripts'), join(dataDir, 'scripts')],
    log,
    crm,
  });
  const server = await startWebServer({
    core,
    staticDir: join(root, 'out/renderer'),
    port: values.port ? Number(values.port) : 0,
    log,
  });
  // The URL carries the token: print it for the agent/developer, never log it.
  process.stdout.write(`Agent desktop (browser mode): ${server.url}\n`);
  const stop = async () => {
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`agent desktop failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
