// The host's parent link in its Electron shape (process.parentPort with
// MessagePorts handed over by main), in-process with a fake process: the same
// service answers over the port.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../core/contract/protocol';
import { parentLink } from '../../host/link';
import { serveEngineHost } from '../../host/serve';
import { MessageChannelMain } from '../stubs/electron';

describe('parentLink', () => {
  it('uses process.parentPort in a utility process and serves each attached port', async () => {
    const parentPort = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void; sent: unknown[] };
    parentPort.sent = [];
    parentPort.postMessage = (m) => parentPort.sent.push(m);
    const proc = { parentPort, on: () => {} };
    const link = parentLink(proc as never);
    expect(link.mode).toBe('port');
    serveEngineHost(link, 4242);
    expect(parentPort.sent).toEqual([{ type: 'ready', pid: 4242 }]);

    const { port1, port2 } = new MessageChannelMain();
    parentPort.emit('message', { data: { type: 'attach', channel: 1 }, ports: [port1] });
    expect(port1.started).toBe(true);
    const replies: unknown[] = [];
    port2.on('message', (e: { data: unknown }) => replies.push(e.data));
    port2.postMessage({ type: 'hello', id: 7, protocol: PROTOCOL_VERSION });
    port2.postMessage({ type: 'bogus', id: 8 });
    await new Promise((r) => setTimeout(r, 20));
    expect(replies).toEqual([
      { type: 'reply', id: 8, ok: false, error: { code: 'bad-request', message: expect.stringContaining('bogus') } },
      { type: 'reply', id: 7, ok: true, body: { protocol: PROTOCOL_VERSION, engine: expect.any(String) } },
    ]);
    // foreign control messages are ignored
    expect(() => parentPort.emit('message', { data: { type: 'evil', channel: 'x' }, ports: [] })).not.toThrow();
  });

  it('uses process.send under child_process.fork, and refuses to run otherwise', () => {
    const sent: unknown[] = [];
    const link = parentLink({ send: (m: unknown) => sent.push(m) > 0, on: () => {} });
    expect(link.mode).toBe('channel');
    link.send({ type: 'ready', pid: 1 });
    expect(sent).toEqual([{ type: 'ready', pid: 1 }]);
    expect(() => parentLink({ on: () => {} })).toThrow(/utility process or a forked Node child/);
  });
});
