// The build and packaging configs, checked without the Electron binary: electron-builder's
// own schema validation of electron-builder.yml, the electron-vite outputs the shell's
// paths (main.ts) and package.json rely on, and the Linux headset udev rule and the deb
// scripts that install it.
import { execFileSync } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import electronViteConfig from '../../../electron.vite.config';
import { HEADSET_VENDORS, hex4 } from '../../../main/electron/headset-vendors';
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

describe('Linux headset udev rule (build/linux)', () => {
  const RULE = 'build/linux/70-agent-desktop-headsets.rules';
  const USB =
    /^KERNEL=="hidraw\*", SUBSYSTEM=="hidraw", ATTRS\{idVendor\}=="([0-9a-f]{4})", TAG\+="uaccess"$/;
  const BLUETOOTH =
    /^KERNEL=="hidraw\*", SUBSYSTEM=="hidraw", KERNELS=="0005:([0-9A-F]{4}):\*", TAG\+="uaccess"$/;
  const read = (path: string) => readFile(resolve(root, path), 'utf8');

  it('is comments and well-formed rules for exactly the headset-only vendors of the one list', async () => {
    const usb: string[] = [];
    const bluetooth: string[] = [];
    for (const [i, line] of (await read(RULE)).split('\n').entries()) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      const m = USB.exec(line) ?? BLUETOOTH.exec(line);
      if (!m) throw new Error(`${RULE}:${i + 1}: not a headset rule: ${line}`);
      (m.input.includes('KERNELS') ? bluetooth : usb).push(m[1]!.toLowerCase());
    }
    const expected = HEADSET_VENDORS.filter((v) => v.trust === 'any-device')
      .map((v) => hex4(v.vendorId))
      .sort();
    expect(usb.sort()).toEqual(expected);
    expect(bluetooth.sort()).toEqual(expected);
    // Makers of keyboards too are never granted vendor-wide.
    for (const v of HEADSET_VENDORS.filter((v) => v.trust === 'telephony-only')) {
      expect(usb).not.toContain(hex4(v.vendorId));
    }
  });

  it('sorts before 73-seat-late.rules, where uaccess is applied', () => {
    expect(RULE.split('/').pop()! < '73-seat-late.rules').toBe(true);
  });

  it(
    'is shipped beside the app and installed by the deb scripts',
    { timeout: 20_000 },
    async () => {
      const config = await getConfig(root, null, null);
      expect(JSON.stringify(config.linux?.extraResources)).toContain(
        '"from":"build/linux/70-agent-desktop-headsets.rules","to":"udev/70-agent-desktop-headsets.rules"',
      );
      expect(config.deb?.afterInstall).toBe('build/linux/after-install.sh');
      expect(config.deb?.afterRemove).toBe('build/linux/after-remove.sh');
      await access(resolve(root, config.deb!.afterInstall!));
      await access(resolve(root, config.deb!.afterRemove!));
    },
  );

  // electron-builder expands ${name} macros in these scripts and stops on unknown ones
  // (app-builder-lib's FpmTarget writeConfigFile); the values are its bash-escaped names.
  const MACROS: Record<string, string> = {
    executable: 'agent-desktop',
    sanitizedProductName: 'Agent Desktop',
    productFilename: 'Agent Desktop',
  };
  const expand = (text: string) =>
    text.replace(/\$\{([a-zA-Z]+)\}/g, (_m, name: string) => {
      if (!(name in MACROS)) throw new Error(`electron-builder has no macro \${${name}}`);
      return MACROS[name]!;
    });

  it.each(['after-install.sh', 'after-remove.sh'])(
    '%s uses only electron-builder macros and is valid bash',
    async (name) => {
      const script = expand(await read(`build/linux/${name}`));
      execFileSync('bash', ['-n'], { input: script });
    },
  );

  it('after-install installs the rule from resources/udev and reloads udev, tolerant of failure', async () => {
    const script = await read('build/linux/after-install.sh');
    expect(script).toContain(
      "'/opt/${sanitizedProductName}/resources/udev/70-agent-desktop-headsets.rules'",
    );
    expect(script).toContain('/usr/lib/udev/rules.d');
    expect(script).toContain('/lib/udev/rules.d');
    expect(script).toContain('udevadm control --reload-rules && udevadm trigger');
    // Still does what electron-builder's own after-install did (a custom one replaces it).
    for (const step of [
      "update-alternatives --install '/usr/bin/${executable}'",
      "chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox'",
      'update-desktop-database /usr/share/applications',
      'apparmor_parser --replace --write-cache --skip-read-cache',
    ]) {
      expect(script).toContain(step);
    }
  });

  it('after-remove removes the rule (not on upgrade) and what electron-builder removes', async () => {
    const script = await read('build/linux/after-remove.sh');
    expect(script).toContain('rm -f /usr/lib/udev/rules.d/70-agent-desktop-headsets.rules');
    expect(script).toMatch(/upgrade \| failed-upgrade \| abort-upgrade\) ;;/);
    expect(script).toContain("update-alternatives --remove '${executable}'");
    expect(script).toContain('apparmor_parser --remove');
  });
});
