// The command-line bundle (out/cli) for tests that spawn it. `npm test`
// bundles first; a test rebuilds only when the bundle is older than its
// sources, so one test file never rewrites it under another's feet.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
export const CLI_BUNDLE = join(root, 'out/cli/foliolab.mjs');

function newestSource(): number {
  const walk = (d: string): number[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [statSync(join(d, e.name)).mtimeMs]));
  return Math.max(...walk(join(root, 'cli')), ...walk(join(root, 'core')), statSync(join(root, 'package.json')).mtimeMs);
}

export function ensureCliBundle(): void {
  if (existsSync(CLI_BUNDLE) && statSync(CLI_BUNDLE).mtimeMs >= newestSource()) return;
  const b = spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build-cli failed: ${b.stderr}`);
}
