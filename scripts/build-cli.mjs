// Bundles the command line (cli/ + core/) into one ESM file with esbuild so
// `foliolab` starts fast: no TypeScript at run time, no Electron, no renderer.
import { join } from 'node:path';
import { bundleForNode, root } from './bundle.mjs';

await bundleForNode({
  entryPoints: {
    foliolab: join(root, 'cli/main.ts'),
    'run-worker': join(root, 'cli/run-worker.ts'),
  },
  outdir: join(root, 'out/cli'),
  outExtension: { '.js': '.mjs' },
});
