// Browser mode: the engine service in a Web Worker, so engine work never runs
// on the page's main thread. The worker itself is the engine "port".
import { createEngineService } from '../../../core/service/engine-service';
import { warmUpEngine } from '../../../core/service/warm-up';

const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
};
const service = createEngineService((message: unknown, transfer?: Transferable[]) => scope.postMessage(message, transfer ?? []));
scope.onmessage = (e) => service.handle(e.data);
// After the page has loaded (it needs the cores then); a Run before that waits one slice at most.
setTimeout(() => warmUpEngine(), 1000);
