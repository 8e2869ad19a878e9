// Bundles the command line (cli/ + core/) into one ESM file with esbuild so
// `foliolab` starts fast: no TypeScript at run time, no Electron, no renderer.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: {
    foliolab: join(root, 'cli/main.ts'),
    'run-worker': join(root, 'cli/run-worker.ts'),
  },
  outdir: join(root, 'out/cli'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning',
});
