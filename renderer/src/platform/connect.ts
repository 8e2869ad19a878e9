// Wires the engine's ports and status to the client and the run store: every
// new port (first start, crash, Stop) is attached, in-flight requests follow it.
import { PROTOCOL_VERSION } from '../../../core/contract/protocol';
import { useRunStore } from '../stores/run';
import type { Platform } from './bridge';
import type { EngineClient } from './engine-client';

export function connectEngine(platform: Platform, client: EngineClient): () => void {
  const run = useRunStore();
  const offStatus = platform.onEngineStatus((s) => {
    if (s.state === 'crashed') {
      client.detach();
      run.engineState = 'crashed';
      run.message = `${s.message} It is being restarted; your scenario and earlier results are kept.`;
    } else if (s.state === 'restarted') {
      run.engineState = 'restarting';
    }
  });
  const offPort = platform.onEnginePort((port) => {
    client.attach(port);
    client
      .request({ type: 'hello', protocol: PROTOCOL_VERSION }, { timeoutMs: 10_000 })
      .then((h) => {
        run.engineState = 'ready';
        if (h.protocol !== PROTOCOL_VERSION) run.message = `The engine speaks protocol ${h.protocol}, this window ${PROTOCOL_VERSION}.`;
      })
      .catch((e: Error) => {
        run.engineState = 'crashed';
        run.message = e.message;
      });
  });
  return () => {
    offStatus();
    offPort();
  };
}
