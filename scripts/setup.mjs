// `npm run setup`: the Debian packages the lab and tests use, then the npm packages.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('bash', ['scripts/install-system-deps.sh']);
run('npm', ['install', '--no-audit', '--no-fund']);
