// Browser mode's web server: serves one build folder (out/web) on 127.0.0.1
// only, GET/HEAD only, with the app's CSP, refusing anything outside the
// folder (checks in static-files.mjs).
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import { CSP, lookupStatic } from './static-files.mjs';

export const LOOPBACK = '127.0.0.1';

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-cache',
};

function refuse(res, status, text) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Starts the server; resolves once it listens. `port` 0 = any free port. */
export function startStaticServer({ root, port = 0 }) {
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    const raw = req.url ?? '/';
    // The path as sent (still encoded); the query string is ignored.
    const rawPath = raw.split('?')[0].split('#')[0];
    if (!rawPath.startsWith('/')) return refuse(res, 400, 'Bad request');
    const found = await lookupStatic(root, rawPath);
    if (!found) return refuse(res, 404, 'Not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': found.type });
    if (req.method === 'HEAD') return res.end();
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      const { port: actual } = server.address();
      resolve({
        server,
        url: `http://${LOOPBACK}:${actual}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
