// The engine processes of one window, supervised as one engine: a run's
// policies are spread over them by the page's engine pool
// (core/service/engine-pool.ts). Main only brokers ports: each connection is a
// MessageChannelMain per process whose one end goes to the engine host and the
// other to the window, so run data never passes through main. When any of them
// exits without being asked to, the supervisor says so, restarts them all and
// hands the window fresh ports; the page then re-submits its work.

import { MessageChannelMain, utilityProcess } from 'electron';
import type { EngineStatus } from '../core/contract/protocol';
import type { HostPort } from '../host/link';

/** A running engine host, however it was started (utility process, or child_process.fork in tests). */
export interface HostChild {
  readonly pid: number | undefined;
  /** Opens a new connection to the engine; returns the page's end. */
  openChannel(): HostPort;
  kill(): void;
  onExit(listener: (code: number | null) => void): void;
}

export type SpawnHost = (modulePath: string) => HostChild;

/** Electron: the engine host as a utility process, one MessageChannelMain per connection. */
export const spawnUtility: SpawnHost = (modulePath) => {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'Folio Lab engine', stdio: 'inherit' });
  let channel = 0;
  return {
    get pid() {
      return child.pid;
    },
    openChannel() {
      const { port1, port2 } = new MessageChannelMain();
      // Messages posted before the process has spawned are queued by Electron.
      child.postMessage({ type: 'attach', channel: ++channel }, [port1]);
      return port2;
    },
    kill: () => void child.kill(),
    onExit: (listener) => void child.on('exit', (code: number) => listener(code)),
  };
};

export interface SupervisorOptions {
  spawn: SpawnHost;
  modulePath: string;
  /** Engine processes (default 1). */
  hosts?: number;
  /** Hands the page its ends of a new connection, one per process; `generation` grows with every delivery. */
  deliverPorts(ports: HostPort[], generation: number): void;
  onStatus(status: EngineStatus): void;
  /** Crash-loop guard: stop restarting after this many crashes within `crashWindowMs`. */
  maxCrashes?: number;
  crashWindowMs?: number;
  now?: () => number;
}

export interface EngineSupervisor {
  /** Starts the process; the page's first port comes with its first requestPort() (its listener is up then). */
  start(): void;
  /** A fresh connection to the running engine (starting it if it is down). */
  requestPort(): void;
  /** Kill and restart (the page's Stop: a run inside a long step cannot read messages). */
  restart(): void;
  /** Window closed: kill without restarting. */
  dispose(): void;
  /** The first process's pid (tests kill it). */
  readonly pid: number | undefined;
}

export function createEngineSupervisor(opts: SupervisorOptions): EngineSupervisor {
  const maxCrashes = opts.maxCrashes ?? 3;
  const crashWindowMs = opts.crashWindowMs ?? 10_000;
  const hosts = Math.max(1, opts.hosts ?? 1);
  const now = opts.now ?? Date.now;
  let children: HostChild[] = [];
  let pagePorts: HostPort[] = [];
  let generation = 0;
  let disposed = false;
  let crashes: number[] = [];

  function closePagePorts() {
    for (const p of pagePorts) p.close();
    pagePorts = [];
  }

  function connect() {
    if (!children.length) return;
    closePagePorts();
    pagePorts = children.map((c) => c.openChannel());
    opts.deliverPorts(pagePorts, ++generation);
  }

  function launch() {
    const group = Array.from({ length: hosts }, () => opts.spawn(opts.modulePath));
    children = group;
    for (const current of group) {
      current.onExit((code) => {
        if (children !== group) return; // a group we killed on purpose
        // The others hold sessions the page can no longer reach whole: the group goes down together.
        stopChildren();
        if (disposed) return;
        const t = now();
        crashes = [...crashes.filter((c) => t - c < crashWindowMs), t];
        const how = code === null ? 'was killed' : `exited with code ${code}`;
        if (crashes.length >= maxCrashes) {
          opts.onStatus({
            state: 'crashed',
            message: `The engine ${how} and has stopped ${crashes.length} times in ${crashWindowMs / 1000} s, so it was not restarted; run again to start it.`,
          });
          return;
        }
        opts.onStatus({ state: 'crashed', message: `The engine ${how}; restarting it.` });
        launch();
        connect();
        opts.onStatus({ state: 'restarted', message: 'The engine was restarted after a crash; your editor and earlier results are kept.' });
      });
    }
  }

  function stopChildren() {
    const old = children;
    children = []; // before kill: their exits are then not taken for a crash
    closePagePorts();
    for (const c of old) c.kill();
  }

  return {
    start() {
      opts.onStatus({ state: 'starting' });
      launch();
      opts.onStatus({ state: 'ready' });
    },
    requestPort() {
      if (disposed) return;
      const wasDown = !children.length;
      if (wasDown) {
        crashes = [];
        launch();
      }
      connect();
      if (wasDown) opts.onStatus({ state: 'ready' });
    },
    restart() {
      if (disposed) return;
      stopChildren();
      crashes = [];
      launch();
      connect();
      opts.onStatus({ state: 'restarted', message: 'The engine was stopped and restarted.' });
    },
    dispose() {
      disposed = true;
      stopChildren();
    },
    get pid() {
      return children[0]?.pid;
    },
  };
}
