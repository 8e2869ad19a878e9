// Process-wide hardening, installed once at `ready`: the CSP on every
// response, no request leaves the app:// origin, every permission denied, and
// every web contents (windows, the PDF renderer, anything else) refuses
// navigation, new windows and <webview>.

import type { App, Session, WebContents } from 'electron';
import { CSP } from '../scripts/static-files.mjs';
import { isAppUrl } from './protocol';

export { CSP };

// data: and blob: never reach the network; devtools: is Chromium's own UI.
const LOCAL_SCHEMES = ['data:', 'blob:', 'devtools:'];

export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || LOCAL_SCHEMES.some((s) => url.startsWith(s));
}

export function hardenSession(ses: Session): void {
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function installAppSecurity(app: App, ses: Session): void {
  hardenSession(ses);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
