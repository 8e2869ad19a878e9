// `npm run bench [-- --quick]`: bundles bench/run.ts (engine + language from
// core/) with esbuild and runs it under plain Node with the default heap, then
// the browser-side cases (bench/browser.mjs) in Debian's chromium.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleForNode, root } from './bundle.mjs';

const out = join(root, 'out/bench/run.mjs');
await bundleForNode({ entryPoints: [join(root, 'bench/run.ts')], outfile: out });
const args = process.argv.slice(2);
let r = spawnSync(process.execPath, ['--expose-gc', out, ...args], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
r = spawnSync(process.execPath, [join(root, 'bench/browser.mjs'), ...args], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
if (!args.includes('--quick')) await import('./bench-readme.mjs');
