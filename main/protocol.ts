// The renderer is served from `app://foliolab/` (not file://): a standard,
// secure scheme registered before `ready`, answering only files under
// out/renderer (path checks in scripts/static-files.mjs) plus short-lived
// in-memory documents (report HTML being printed to PDF). Every response
// carries the CSP.

import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { protocol } from 'electron';
import { CSP, lookupStatic } from '../scripts/static-files.mjs';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://foliolab';
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
const TRANSIENT_PREFIX = '/__transient/';

/** Must run before app `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** True for URLs of our own origin (the IPC sender check and the request filter use it). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'foliolab';
  } catch {
    return false;
  }
}

const transient = new Map<string, string>();

/** Serves `html` at a one-off app:// URL until `release()` (the PDF renderer loads it from there). */
export function transientDocument(html: string): { url: string; release(): void } {
  const token = randomUUID();
  transient.set(token, html);
  return { url: `${APP_ORIGIN}${TRANSIENT_PREFIX}${token}.html`, release: () => void transient.delete(token) };
}

const headers = (type: string) => ({ 'content-type': type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' });
const notFound = () => new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });

export function createAppHandler(root: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'foliolab' || request.method !== 'GET') return notFound();
    if (url.pathname.startsWith(TRANSIENT_PREFIX)) {
      const html = transient.get(url.pathname.slice(TRANSIENT_PREFIX.length).replace(/\.html$/, ''));
      return html === undefined ? notFound() : new Response(html, { headers: headers('text/html; charset=utf-8') });
    }
    const found = await lookupStatic(root, url.pathname);
    if (!found) return notFound();
    return new Response(new Uint8Array(await readFile(found.file)), { headers: headers(found.type) });
  };
}

/** After `ready`: answer app:// from `root` (out/renderer). */
export function registerAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, createAppHandler(root));
}
