// `npm run web`: browser mode. Builds the web bundle (out/web) when it is
// missing or older than its sources, then serves it on 127.0.0.1 and prints
// the URL. Ctrl+C stops. Options: --port N (default 5173, any free port if
// taken), --build (always rebuild).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = join(root, 'out', 'web');
const SOURCES = ['renderer', 'core', 'preload/api.ts', 'vite.web.config.ts', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), st.mtimeMs);
}

export function webBuildIsStale() {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(root, s)) > built);
}

function buildWeb() {
  console.log('foliolab: building browser mode (npm run build:web)...');
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('foliolab: the browser-mode build failed; see the messages above.');
    process.exit(r.status ?? 1);
  }
}

function portArg(argv) {
  const i = argv.indexOf('--port');
  const v = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--port='))?.slice(7);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`foliolab: --port needs a number from 0 to 65535, not ${v}`);
    process.exit(2);
  }
  return n;
}

export async function runBrowserMode(argv = process.argv.slice(2)) {
  if (argv.includes('--build') || webBuildIsStale()) buildWeb();
  const asked = portArg(argv);
  let served;
  try {
    served = await startStaticServer({ root: webRoot, port: asked ?? 5173 });
  } catch (e) {
    if (asked !== undefined || e.code !== 'EADDRINUSE') throw e;
    served = await startStaticServer({ root: webRoot, port: 0 });
  }
  console.log(`Folio Lab (browser mode) is at ${served.url}  (127.0.0.1 only; Ctrl+C stops)`);
  const stop = () => {
    void served.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return served;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runBrowserMode();
