// `npm start`: Folio Lab in Electron with an example scenario loaded; where the
// Electron binary is not installed (this offline machine), browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import { runBrowserMode } from './web.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The first example scenario: top-level examples/*.mms first, then the sub-folders, by name. */
function exampleScenario(dir = join(root, 'examples')) {
  if (!existsSync(dir)) return null;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const file = entries.find((e) => e.isFile() && e.name.endsWith('.mms'));
  if (file) return join(dir, file.name);
  for (const sub of entries.filter((e) => e.isDirectory())) {
    const found = exampleScenario(join(dir, sub.name));
    if (found) return found;
  }
  return null;
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
