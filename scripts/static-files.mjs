// Safe static file lookup shared by browser mode's server (scripts/static-server.mjs)
// and Electron's app:// protocol (main/protocol.ts): one implementation of the
// path checks, the content types and the Content-Security-Policy.
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/** The policy every response carries (browser mode and Electron). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.mms': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content type from the resolved file's extension (not from the request). */
export function contentType(file) {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path (still percent-encoded) to a file under `root`, or null when
 * the path tries to leave it: encoded dots, slashes, backslashes or NUL are
 * refused outright, `..` segments too, and the result must stay under root.
 */
export function resolveStaticPath(root, rawPath) {
  if (typeof rawPath !== 'string' || rawPath.includes('\0')) return null;
  if (/%(2e|2f|5c|00)/i.test(rawPath)) return null;
  let decoded;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((s) => s === '..' || s === '.')) return null;
  let rel = decoded.replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const base = resolve(root);
  const full = resolve(base, rel);
  return full.startsWith(base + sep) ? full : null;
}

/**
 * Finds the file to serve: { file, type } or null (404). Follows symlinks only
 * when their target is still inside root.
 */
export async function lookupStatic(root, rawPath) {
  const full = resolveStaticPath(root, rawPath);
  if (!full) return null;
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(full)]);
    if (!real.startsWith(realRoot + sep)) return null;
    if (!(await stat(real)).isFile()) return null;
    return { file: real, type: contentType(real) };
  } catch {
    return null;
  }
}
