// The supervisor's spawn adapter for tests: the engine host under
// child_process.fork (serialization 'advanced' = structured clone, like the
// utility process). Ports cannot cross a Node IPC channel, so each connection
// is a numbered channel whose messages travel wrapped over the process link;
// the host side speaks the same (host/link.ts, mode 'channel').
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { HostChild, SpawnHost } from '../../main/engine';
import type { FromHost, HostPort, ToHost } from '../../host/link';

class ChannelPort extends EventEmitter implements HostPort {
  closed = false;
  constructor(
    private readonly send: (msg: unknown) => void,
    private readonly onClose: () => void,
  ) {
    super();
  }
  postMessage(message: unknown) {
    if (!this.closed) this.send(message);
  }
  start() {}
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.emit('close');
  }
}

export const spawnNode: SpawnHost = (modulePath): HostChild => {
  const child = fork(modulePath, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = new Map<number, ChannelPort>();
  let channel = 0;
  const send = (msg: ToHost) => {
    if (child.connected) child.send(msg);
  };
  child.on('error', () => {}); // a send racing the child's death; the exit event reports it
  child.on('message', (m: FromHost) => {
    if (m.type === 'engine') ports.get(m.channel)?.emit('message', { data: m.msg });
  });
  return {
    pid: child.pid,
    openChannel() {
      const n = ++channel;
      send({ type: 'attach', channel: n });
      const port = new ChannelPort(
        (msg) => send({ type: 'engine', channel: n, msg }),
        () => {
          send({ type: 'detach', channel: n });
          ports.delete(n);
        },
      );
      ports.set(n, port);
      return port;
    },
    kill: () => void child.kill('SIGKILL'),
    onExit: (listener) => void child.on('exit', (code) => listener(code)),
  };
};
