// The engine host's link to its parent, and the control messages on it.
// Electron utility process: `process.parentPort` (structured clone; main hands
// over one MessagePortMain per window with an `attach`). Node
// `child_process.fork` (tests): `process.send` / `message` with
// `serialization: 'advanced'`; ports cannot cross that channel, so each
// connection is a numbered `channel` and engine messages travel wrapped in
// `{ type: 'engine' }` over the process channel itself.

/** The subset of Electron's MessagePortMain the host uses. */
export interface HostPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export type ToHost =
  | { type: 'attach'; channel: number }
  | { type: 'detach'; channel: number }
  | { type: 'engine'; channel: number; msg: unknown };

export type FromHost = { type: 'ready'; pid: number } | { type: 'engine'; channel: number; msg: unknown };

export interface ParentLink {
  /** 'port': attach hands over a HostPort; 'channel': engine messages come wrapped over the link. */
  readonly mode: 'port' | 'channel';
  send(msg: FromHost): void;
  onMessage(listener: (msg: unknown, ports: HostPort[]) => void): void;
}

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports?: HostPort[] }) => void): unknown;
  postMessage(message: unknown): void;
}

/** What parentLink reads from `process` (a fake one in tests). */
export interface ProcessLike {
  parentPort?: ParentPortLike;
  send?: (msg: unknown) => boolean;
  on(event: 'message', listener: (msg: unknown) => void): unknown;
}

export function parentLink(proc: ProcessLike): ParentLink {
  const port = proc.parentPort;
  if (port) {
    return {
      mode: 'port',
      send: (msg) => port.postMessage(msg),
      onMessage: (listener) => port.on('message', (e) => listener(e.data, e.ports ?? [])),
    };
  }
  const send = proc.send?.bind(proc);
  if (send) {
    return {
      mode: 'channel',
      send: (msg) => void send(msg),
      onMessage: (listener) => proc.on('message', (msg) => listener(msg, [])),
    };
  }
  throw new Error('the engine host must run as an Electron utility process or a forked Node child');
}
