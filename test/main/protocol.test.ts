// app:// serves out/renderer and nothing else, with the CSP on every response.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recorded, resetStub } from '../stubs/electron';
import { createAppHandler, registerAppProtocol, registerAppScheme, transientDocument } from '../../main/protocol';
import { CSP } from '../../main/security';

let root: string;
let outside: string;
beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'foliolab-proto-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
  outside = join(base, 'secret.txt');
  writeFileSync(outside, 'SECRET');
  symlinkSync(outside, join(root, 'assets', 'link.txt'));
});

const get = (url: string) => createAppHandler(root)(new Request(url));

describe('app:// protocol', () => {
  it('is registered privileged (standard, secure) before ready, and handled after', () => {
    resetStub();
    registerAppScheme();
    expect(recorded.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    registerAppProtocol(root);
    expect(recorded.protocolHandlers.has('app')).toBe(true);
  });

  it('serves files with the content type of the file and the CSP', async () => {
    const index = await get('app://foliolab/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    expect(await index.text()).toContain('<title>app</title>');
    const js = await get('app://foliolab/assets/index.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await get('app://foliolab/')).status).toBe(200);
  });

  it('refuses paths outside out/renderer, other hosts, and symlinks leading out', async () => {
    for (const url of [
      'app://foliolab/%2e%2e/secret.txt',
      'app://foliolab/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      'app://foliolab/..%2fsecret.txt',
      'app://foliolab/assets/link.txt',
      'app://foliolab/nope.html',
      'app://other/index.html',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('SECRET');
    }
  });

  it('serves a transient document until released (PDF rendering)', async () => {
    const doc = transientDocument('<p>report</p>');
    expect(doc.url).toMatch(/^app:\/\/foliolab\/__transient\/[0-9a-f-]+\.html$/);
    expect(await (await get(doc.url)).text()).toBe('<p>report</p>');
    doc.release();
    expect((await get(doc.url)).status).toBe(404);
  });
});
