// The build and packaging configs, checked without the Electron binary: electron-builder's
// own schema validation of electron-builder.yml, and the electron-vite outputs the shell's
// paths (main.ts) and package.json rely on.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import electronViteConfig from '../../../electron.vite.config';
import rendererConfig from '../../../vite.renderer.config';

const root = resolve(import.meta.dirname, '../../..');
// electron-builder's validator (app-builder-lib is electron-builder's own engine).
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, path: string | null, opts: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger') as {
  DebugLogger: new (enabled: boolean) => unknown;
};

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', { timeout: 20_000 }, async () => {
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.appId).toBeTruthy();
    // getConfig normalizes files to [{ filter: [...] }].
    expect(JSON.stringify(config.files)).toContain('"out/**/*"');
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true });
    expect(config.linux?.category).toBe('Office');
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.extendInfo).toHaveProperty('NSMicrophoneUsageDescription');
  });

  it('grants the macOS app the microphone and nothing it does not need', async () => {
    const plist = await readFile(resolve(root, 'build/entitlements.mac.plist'), 'utf8');
    expect(plist).toContain('<key>com.apple.security.device.audio-input</key>');
    expect(plist).not.toContain('com.apple.security.device.camera');
    expect(plist).not.toContain('disable-library-validation');
  });
});

describe('electron.vite.config.ts', () => {
  const cfg = electronViteConfig as {
    main: { build: { outDir: string; rolldownOptions: { input: Record<string, string> } } };
    preload: {
      build: {
        outDir: string;
        rolldownOptions: {
          input: Record<string, string>;
          output: { format: string; entryFileNames: string };
        };
      };
    };
    renderer: { build: { outDir: string } };
  };

  it("builds main to out/main/index.js, package.json's main", async () => {
    const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as {
      main: string;
    };
    expect(pkg.main).toBe('out/main/index.js');
    expect(cfg.main.build.outDir).toBe(resolve(root, 'out/main'));
    expect(cfg.main.build.rolldownOptions.input).toEqual({
      index: resolve(root, 'main/electron/main.ts'),
    });
  });

  it('builds the sandboxed preload as one CJS file, out/preload/index.cjs', () => {
    expect(cfg.preload.build.outDir).toBe(resolve(root, 'out/preload'));
    expect(cfg.preload.build.rolldownOptions.input).toEqual({
      index: resolve(root, 'preload/index.ts'),
    });
    expect(cfg.preload.build.rolldownOptions.output).toMatchObject({
      format: 'cjs',
      entryFileNames: '[name].cjs',
    });
  });

  it('builds the renderer where browser mode and the app:// protocol read it', () => {
    expect(cfg.renderer.build.outDir).toBe(resolve(root, 'out/renderer'));
    expect(rendererConfig.build?.outDir).toBe(cfg.renderer.build.outDir);
  });
});
