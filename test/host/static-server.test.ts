// Browser mode's server: 127.0.0.1 only, serves the build folder and nothing
// outside it (traversal attempts of every kind refused), CSP on responses.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { CSP } from '../../scripts/static-files.mjs';

let root: string;
let served: Awaited<ReturnType<typeof startStaticServer>>;
let port: number;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'foliolab-web-'));
  root = join(base, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Folio Lab</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(root, 'assets', 'a b.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'SECRET');
  symlinkSync(join(base, 'secret.txt'), join(root, 'leak.txt'));
  served = await startStaticServer({ root, port: 0 });
  port = Number(new URL(served.url).port);
});
afterAll(() => served.close());

/** Raw GET with the path sent exactly as given (no client-side normalisation). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(served.url).toBe(`http://127.0.0.1:${port}/`);
    expect(served.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: external.address, port }, () => {
          s.destroy();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
      expect(refused, `reachable on ${external.address}`).toBe(true);
    }
  });

  it('serves index.html at / with the right type and the CSP', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toBe(CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).toContain('<title>Folio Lab</title>');
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/a%20b.css')).status).toBe(200);
    expect((await get('/index.html?x=1')).status).toBe(200);
  });

  it('answers 404 for missing files and 405 for other methods', async () => {
    expect((await get('/nope.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
    expect((await get('/', 'POST')).status).toBe(405);
    expect((await get('/', 'HEAD')).status).toBe(200);
  });

  it('refuses every traversal attempt', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/.%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/..\\secret.txt',
      '//etc/passwd',
      '/etc/passwd',
      `/${root.replace(/^\//, '')}/../secret.txt`,
      '/index.html%00.js',
      '/%c0%ae%c0%ae/secret.txt',
      '/leak.txt',
      'http://127.0.0.1/../secret.txt',
    ];
    for (const path of attempts) {
      const r = await get(path);
      expect([400, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('SECRET');
    }
  });
});
