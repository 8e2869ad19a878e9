// `npm start`: Folio Lab in Electron with an example scenario loaded; where the
// Electron binary is not installed (this offline machine), browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBrowserMode } from './web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable the npm package would run, if its binary was downloaded. */
export function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function exampleScenario() {
  const dir = join(root, 'examples');
  const first = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mms')).sort()[0] : undefined;
  return first ? join(dir, first) : null;
}

const binary = electronBinary();
if (!binary) {
  console.log('The Electron binary is not installed (offline machine?): starting Folio Lab in browser mode instead.');
  await runBrowserMode(process.argv.slice(2));
} else {
  const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const example = exampleScenario();
  const child = spawn(binary, ['.', ...(example ? [`--open=${example}`] : [])], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
