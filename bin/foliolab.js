#!/usr/bin/env node
// Launcher of the `foliolab` command: runs the bundled command line, building
// it first (scripts/build-cli.mjs) when out/cli is missing, e.g. in a fresh checkout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/cli/foliolab.mjs', import.meta.url));
if (!existsSync(cli)) {
  const build = fileURLToPath(new URL('../scripts/build-cli.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [build], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(cli)) {
    process.stderr.write('foliolab: error: could not build the command line (node scripts/build-cli.mjs failed)\n');
    process.exit(2);
  }
}
await import(pathToFileURL(cli).href);
