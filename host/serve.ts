// Attaches one engine service per connection the parent opens: a MessagePort
// handed over by main (Electron), or a numbered channel over the process link
// (child_process.fork in tests). Same service code either way.

import { createEngineService, type EngineService } from '../core/service/engine-service';
import type { HostPort, ParentLink, ToHost } from './link';

function isToHost(msg: unknown): msg is ToHost {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  return (m.type === 'attach' || m.type === 'detach' || m.type === 'engine') && Number.isSafeInteger(m.channel);
}

export function serveEngineHost(link: ParentLink, pid: number): void {
  const services = new Map<number, EngineService>();

  function attachPort(channel: number, port: HostPort) {
    const service = createEngineService((msg) => port.postMessage(msg));
    services.set(channel, service);
    port.on('message', (e) => service.handle(e.data));
    port.on('close', () => services.delete(channel));
    port.start();
  }

  function attachChannel(channel: number) {
    services.set(
      channel,
      createEngineService((msg) => link.send({ type: 'engine', channel, msg })),
    );
  }

  link.onMessage((msg, ports) => {
    if (!isToHost(msg)) return; // not ours: a control message from an unknown sender is ignored
    switch (msg.type) {
      case 'attach':
        if (link.mode === 'port' && ports[0]) attachPort(msg.channel, ports[0]);
        else attachChannel(msg.channel);
        return;
      case 'detach':
        services.delete(msg.channel);
        return;
      case 'engine':
        services.get(msg.channel)?.handle(msg.msg);
        return;
    }
  });
  link.send({ type: 'ready', pid });
}
