// `npm start`: install what is missing, build, and run the app — the Electron app where its
// binary is installed, otherwise browser mode (the Electron binary cannot be downloaded on
// every machine; browser mode serves the same renderer and core on 127.0.0.1).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(join(root, 'node_modules/.package-lock.json'))) {
  run('npm', ['install', '--no-audit', '--no-fund']);
}

function electronBinary() {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const args = process.argv.slice(2);
if (electronBinary() && !args.includes('--browser')) {
  run('npx', ['electron-vite', 'build']);
  run('npx', ['electron', '.']);
} else {
  console.log('Electron binary not installed: starting browser mode.');
  run('npm', ['run', 'build:renderer']);
  run('npx', ['tsx', 'main/web/cli.ts', ...args.filter((a) => a !== '--browser')]);
}
