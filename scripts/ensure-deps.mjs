// Installs dependencies when node_modules is missing or stale, so `npm start`
// and `npm test` work as the very first command on a fresh clone.
// "Stale" = package-lock.json changed since the last install we did or saw.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.foliolab-lock-hash');
const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');

if (process.argv.includes('--stamp')) {
  // Called from npm's postinstall: record what was just installed.
  writeFileSync(stamp, hash + '\n');
  process.exit(0);
}

const fresh =
  existsSync(join(root, 'node_modules', '.bin', 'vitest')) &&
  existsSync(stamp) &&
  readFileSync(stamp, 'utf8').trim() === hash;

if (!fresh) {
  console.log('foliolab: installing dependencies (npm ci)...');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (r.status !== 0) {
    console.error('foliolab: npm ci failed; see the messages above.');
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, hash + '\n');
}
