// Proves the room rules of eslint.config.js fire (ARCHITECTURE.md "Processes and rooms"):
// each forbidden import is an error in its room, and the imports a room needs still pass.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ overrideConfigFile: 'eslint.config.js' });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result!.messages;
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${filePath}: ${fatal.message}`);
  return messages
    .filter((m) => m.severity === 2 && /restricted/.test(m.ruleId ?? ''))
    .map((m) => m.ruleId!);
}

const forbidden: Array<[room: string, file: string, code: string]> = [
  // core: Electron-free, never the shell, the renderer or browser mode
  ['core', 'main/core/x.ts', "import { app } from 'electron';"],
  ['core', 'main/core/x.ts', "import { app } from 'electron/main';"],
  ['core', 'main/core/x.ts', "import type { App } from 'electron';"],
  ['core', 'main/core/x.ts', "export { app } from 'electron';"],
  ['core', 'main/core/x.ts', "import e = require('electron');"],
  ['core', 'main/core/x.ts', "export const e = await import('electron');"],
  ['core', 'main/core/phone/x.ts', "import { a } from '../../../renderer/x';"],
  ['core', 'main/core/x.ts', "import { a } from '../../renderer/app/App';"],
  ['core', 'main/core/x.ts', "import { startShell } from '../electron/shell';"],
  ['core', 'main/core/x.ts', "import { a } from '../web/server';"],
  // browser mode: no electron, no shell, no renderer
  ['web', 'main/web/x.ts', "import { app } from 'electron';"],
  ['web', 'main/web/x.ts', "import { ipcMain } from 'electron/main';"],
  ['web', 'main/web/x.ts', "import { a } from '../electron/ipc';"],
  ['web', 'main/web/x.ts', "import { a } from '../../renderer/bridge';"],
  // the shell: never the renderer or browser mode
  ['shell', 'main/electron/x.ts', "import { a } from '../../renderer/x';"],
  ['shell', 'main/electron/x.ts', "import { a } from '../web/server';"],
  // renderer: a web page — no main, no electron, no Node
  ['renderer', 'renderer/x.ts', "import { a } from '../main/core/x';"],
  ['renderer', 'renderer/app/App.tsx', "import { a } from '../../main/core/core';"],
  ['renderer', 'renderer/x.ts', "import type { Core } from '../main/core/core-api';"],
  ['renderer', 'renderer/x.ts', "export const m = await import('../main/core/x');"],
  ['renderer', 'renderer/x.ts', "import fs from 'node:fs';"],
  ['renderer', 'renderer/x.ts', "import fs from 'fs';"],
  ['renderer', 'renderer/x.ts', "import { readFile } from 'fs/promises';"],
  ['renderer', 'renderer/x.ts', "import { Worker } from 'worker_threads';"],
  ['renderer', 'renderer/x.ts', "import { EventEmitter } from 'events';"],
  ['renderer', 'renderer/x.ts', "import util from 'util';"],
  ['renderer', 'renderer/x.ts', "import { test } from 'node:test';"],
  ['renderer', 'renderer/x.ts', "export const fs = await import('node:fs');"],
  ['renderer', 'renderer/x.ts', "import { ipcRenderer } from 'electron';"],
  ['renderer', 'renderer/x.ts', "import { ipcRenderer } from 'electron/renderer';"],
  ['renderer', 'renderer/x.ts', "export const e = await import('electron');"],
  // preload/index.ts: sandboxed — electron, ./channels and contract types only
  ['preload', 'preload/index.ts', "import { a } from '../main/core/x';"],
  ['preload', 'preload/index.ts', "import type { Core } from '../main/core/core-api';"],
  ['preload', 'preload/index.ts', "import { a } from '../renderer/bridge';"],
  ['preload', 'preload/index.ts', "import { methods } from './contract';"],
  ['preload', 'preload/index.ts', "import { z } from 'zod';"],
  ['preload', 'preload/index.ts', "import fs from 'node:fs';"],
  ['preload', 'preload/index.ts', "export const m = await import('./contract');"],
  // the rest of preload (the contract): no electron, no main, no Node
  ['contract', 'preload/contract.ts', "import { ipcRenderer } from 'electron';"],
  ['contract', 'preload/contract.ts', "import { a } from '../main/core/x';"],
  ['contract', 'preload/contract.ts', "import fs from 'node:fs';"],
];

const allowed: Array<[room: string, file: string, code: string]> = [
  ['core', 'main/core/x.ts', "import { z } from 'zod';\nimport { join } from 'node:path';"],
  ['core', 'main/core/x.ts', "import type { Call } from '../../preload/contract';"],
  ['core', 'main/core/phone/x.ts', "import { createLogger } from '../log';"],
  [
    'web',
    'main/web/x.ts',
    "import { createServer } from 'node:http';\nimport { buildCsp } from '../core/csp';",
  ],
  [
    'shell',
    'main/electron/x.ts',
    "import { app } from 'electron';\nimport { createCore } from '../core/core';",
  ],
  ['shell', 'main/electron/x.ts', "import { CHANNELS } from '../../preload/channels';"],
  ['renderer', 'renderer/x.ts', "import type { AgentBridge } from '../preload/contract';"],
  ['renderer', 'renderer/x.ts', "import { methods } from '../preload/contract';"],
  [
    'renderer',
    'renderer/app/x.ts',
    "import { useState } from 'react';\nimport { create } from 'zustand';",
  ],
  [
    'renderer',
    'renderer/media/x.ts',
    "import { a } from './events';\nimport { b } from '../util';",
  ],
  ['preload', 'preload/index.ts', "import { contextBridge, ipcRenderer } from 'electron';"],
  ['preload', 'preload/index.ts', "import { CHANNELS } from './channels';"],
  ['preload', 'preload/index.ts', "import type { AgentBridge, EventName } from './contract';"],
  ['preload', 'preload/index.ts', "import { type AgentBridge } from './contract';"],
  ['contract', 'preload/contract.ts', "import { z } from 'zod';"],
];

describe('room rules fire', () => {
  it.each(forbidden)('%s: %s rejects %s', async (_room, file, code) => {
    expect(await restricted(file, code)).not.toEqual([]);
  });
});

describe('rooms still allow what they need', () => {
  it.each(allowed)('%s: %s accepts %s', async (_room, file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});

describe('the real preload', () => {
  it('passes its room rules', async () => {
    const [result] = await eslint.lintFiles(['preload/index.ts']);
    expect(result!.messages).toEqual([]);
  });
});
