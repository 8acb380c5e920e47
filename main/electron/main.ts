// Electron main entry (bundled to out/main/index.js). The only file that imports the real
// 'electron' and core's composition root; everything else receives them, so it is testable
// in plain Node.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import { createCore } from '../core/core';
import { createLogger } from '../core/log';
import { startShell } from './shell';

const here = dirname(fileURLToPath(import.meta.url));
const log = createLogger({ scope: 'shell' });

process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err }));

startShell(electron, {
  createCore,
  log,
  paths: {
    preload: join(here, '../preload/index.cjs'),
    renderer: join(here, '../renderer'),
    // Packaged: copied beside the asar (electron-builder extraResources); else the sources.
    scripts: electron.app.isPackaged
      ? join(process.resourcesPath, 'scripts')
      : join(here, '../../assets/scripts'),
  },
});
