// Packaging smoke test, offline: electron-vite build, then electron-builder
// --linux dir against a stand-in Electron dist (the real zip cannot be
// downloaded here). Checks what goes into app.asar, that the fuses were
// flipped in the (fake) binary, and that the bundled engine-host chunk answers
// over a real child process.
import { execFileSync, fork } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../core/contract/protocol';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(archive: string, options: object): string[] };
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped wire: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
// asar integrity off, only-from-asar off, browser V8 snapshot off, file:// privileges on.
const SHIPPED_WIRE = '10110001';

const root = resolve('.');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
let outputDir: string;
let builderMs = 0;

function fakeElectronDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'foliolab-fake-electron-'));
  mkdirSync(join(dist, 'resources'));
  mkdirSync(join(dist, 'locales'));
  writeFileSync(join(dist, 'locales', 'en-US.pak'), '');
  writeFileSync(join(dist, 'LICENSE'), 'stand-in');
  // A shell script carrying a fuse wire where a real binary has it.
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from(SHIPPED_WIRE)]));
  chmodSync(join(dist, 'electron'), 0o755);
  return dist;
}

beforeAll(() => {
  execFileSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'pipe' });
  outputDir = mkdtempSync(join(tmpdir(), 'foliolab-pack-'));
  const t0 = performance.now();
  execFileSync(bin('electron-builder'), ['--linux', 'dir', `-c.electronDist=${fakeElectronDist()}`, `-c.directories.output=${outputDir}`, '--publish', 'never'], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, CI: '1' },
  });
  builderMs = performance.now() - t0;
  console.log(`electron-builder --linux dir (fake dist): ${builderMs.toFixed(0)} ms`);
}, 300_000);

describe('packaged app (linux dir, stand-in Electron)', () => {
  it('app.asar holds out/** and package.json, and no node_modules or browser-mode/CLI builds', () => {
    const archive = join(outputDir, 'linux-unpacked', 'resources', 'app.asar');
    expect(existsSync(archive)).toBe(true);
    const files = asar.listPackage(archive, {}).map((f) => f.replaceAll('\\', '/'));
    expect(files).toContain('/package.json');
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/preload/index.cjs');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.some((f) => /^\/out\/main\/chunks\/engine-host-[\w-]+\.js$/.test(f))).toBe(true);
    const tops = new Set(files.map((f) => f.split('/')[1]));
    expect([...tops].sort()).toEqual(['out', 'package.json']);
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    expect(files.some((f) => f.startsWith('/out/web') || f.startsWith('/out/cli'))).toBe(false);
  });

  it('the fuses are flipped in the packaged binary as electron-builder.yml says', () => {
    const exe = readFileSync(join(outputDir, 'linux-unpacked', 'foliolab'));
    const at = exe.indexOf(SENTINEL) + SENTINEL.length;
    expect(exe[at]).toBe(1);
    expect(exe.subarray(at + 2, at + 2 + 8).toString('latin1')).toBe('01001100');
  });

  it('the electron-vite engine-host chunk answers hello over a forked child', async () => {
    const chunks = join(root, 'out', 'main', 'chunks');
    const host = readdirSync(chunks).find((f) => f.startsWith('engine-host-'));
    expect(host).toBeDefined();
    const child = fork(join(chunks, host!), [], { serialization: 'advanced', stdio: 'ignore' });
    const t0 = performance.now();
    const answer = await new Promise<unknown>((resolve, reject) => {
      child.on('error', reject);
      child.on('message', (m: { type: string; msg?: unknown }) => {
        if (m.type === 'ready') child.send({ type: 'attach', channel: 1 });
        if (m.type === 'ready') child.send({ type: 'engine', channel: 1, msg: { type: 'hello', id: 1, protocol: PROTOCOL_VERSION } });
        if (m.type === 'engine') resolve(m.msg);
      });
    });
    console.log(`built engine-host chunk: spawn + hello ${(performance.now() - t0).toFixed(0)} ms`);
    child.kill();
    expect(answer).toMatchObject({ type: 'reply', id: 1, ok: true, body: { protocol: PROTOCOL_VERSION } });
  });
});
