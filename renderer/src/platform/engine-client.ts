// Request/reply by id over a MessagePort-like link to the engine (Electron:
// the window's MessagePort to the utility process; browser mode: the Web
// Worker itself). The engine may vanish at any time (crash, Stop restarts it):
// `detach()` parks what is in flight, `attach(newPort)` sends it again, once.
import type {
  EngineErrorCode,
  EngineEvent,
  EngineMessage,
  EngineReplyBodies,
  EngineRequest,
  EngineRequestType,
} from '../../../core/contract/protocol';
import type { EnginePortLike as PortLike } from '../../../core/service/engine-pool';

/** The client's end of an engine: a MessagePort, a Worker or a pool of either. */
export type { PortLike };

export type ClientErrorCode = EngineErrorCode | 'timeout' | 'engine-lost';

export class EngineClientError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineClientError';
  }
}

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;
/** A request as the caller writes it; the client adds the id. */
export type AnyRequestBody = WithoutId<EngineRequest>;
export type RequestBody<T extends EngineRequestType> = Extract<AnyRequestBody, { type: T }>;

export interface ProgressEvent {
  policy: string;
  step: number;
  steps: number;
}

export interface RequestOptions {
  /** Default: the client's timeout. 0 = none. */
  timeoutMs?: number;
  /** Progress events of a `run` request. */
  onProgress?: (p: ProgressEvent) => void;
}

interface Pending {
  message: EngineRequest;
  resolve(body: unknown): void;
  reject(err: EngineClientError): void;
  timer?: ReturnType<typeof setTimeout>;
  onProgress?: (p: ProgressEvent) => void;
  /** How many times it was sent; a request is re-sent to a new engine at most once. */
  sent: number;
}

export interface EngineClientOptions {
  timeoutMs?: number;
  onEvent?: (event: EngineEvent) => void;
}

const MAX_SENDS = 2;

export class EngineClient {
  private port: PortLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;

  constructor(private readonly options: EngineClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  get connected(): boolean {
    return this.port !== null;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Uses `port` from now on and re-sends every request still waiting for a reply. */
  attach(port: PortLike): void {
    this.port = port;
    port.onmessage = (e) => this.receive(e.data);
    port.start?.();
    for (const p of [...this.pending.values()]) this.send(p);
  }

  /** The engine is gone (crash, restart): keep requests for the next `attach`. */
  detach(): void {
    if (this.port) this.port.onmessage = null;
    this.port = null;
  }

  /** Rejects the in-flight requests that `match` (e.g. the run Stop cancelled). */
  abort(match: (req: EngineRequest) => boolean, code: ClientErrorCode, message: string): void {
    for (const [id, p] of this.pending) {
      if (match(p.message)) this.settle(id)?.reject(new EngineClientError(code, message));
    }
  }

  request<B extends AnyRequestBody>(body: B, opts: RequestOptions = {}): Promise<EngineReplyBodies[B['type']]> {
    const id = this.nextId++;
    const message = { ...body, id } as unknown as EngineRequest;
    return new Promise<EngineReplyBodies[B['type']]>((resolve, reject) => {
      const p: Pending = {
        message,
        resolve: resolve as (b: unknown) => void,
        reject,
        onProgress: opts.onProgress,
        sent: 0,
      };
      const timeout = opts.timeoutMs ?? this.timeoutMs;
      if (timeout > 0) {
        p.timer = setTimeout(() => {
          this.settle(id)?.reject(
            new EngineClientError('timeout', `The engine did not answer "${body.type}" within ${Math.round(timeout / 1000)} s.`),
          );
        }, timeout);
      }
      this.pending.set(id, p);
      this.send(p);
    });
  }

  private send(p: Pending): void {
    if (!this.port) return; // waits for attach()
    if (p.sent >= MAX_SENDS) {
      this.settle(p.message.id)?.reject(
        new EngineClientError('engine-lost', `The engine stopped twice while handling "${p.message.type}".`),
      );
      return;
    }
    p.sent++;
    try {
      this.port.postMessage(p.message);
    } catch (err) {
      this.settle(p.message.id)?.reject(new EngineClientError('protocol', `Could not send to the engine: ${String(err)}`));
    }
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    if (p.timer) clearTimeout(p.timer);
    return p;
  }

  private receive(data: unknown): void {
    const msg = data as EngineMessage;
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
    if (msg.type === 'reply') {
      const p = this.settle(msg.id);
      if (!p) return; // late reply to a request that timed out or was aborted
      if (msg.ok) p.resolve(msg.body);
      else p.reject(new EngineClientError(msg.error.code, msg.error.message));
      return;
    }
    if (msg.type === 'progress') {
      for (const p of this.pending.values()) {
        if (p.message.type === 'run' && p.message.runId === msg.runId) {
          p.onProgress?.({ policy: msg.policy, step: msg.step, steps: msg.steps });
        }
      }
    }
    this.options.onEvent?.(msg);
  }
}
