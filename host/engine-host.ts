// Entry of the engine process: an Electron utility process forked by
// main/engine.ts (bundled by electron-vite through `?modulePath`), or a Node
// child under child_process.fork in tests.

import { parentLink } from './link';
import { serveEngineHost } from './serve';
import { warmUpEngine } from '../core/service/warm-up';

serveEngineHost(parentLink(process as unknown as Parameters<typeof parentLink>[0]), process.pid);
// After the window has loaded (it needs the cores then); a Run before that waits one slice at most.
setTimeout(() => warmUpEngine(), 1000);
