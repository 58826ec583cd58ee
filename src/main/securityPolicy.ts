// Electron hardening applied to every web contents: no navigation away from the app, no new windows, no
// permissions, no webviews. See Electron's security checklist.
import { app, session, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** True for the app's own pages: the packaged file or, in development, electron-vite's dev server. */
export function isAppUrl(url: string): boolean {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) return url === devUrl || url.startsWith(devUrl.endsWith('/') ? devUrl : devUrl + '/');
  const page = pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
  return url.split(/[?#]/)[0] === page;
}

export function applySecurityPolicy(): void {
  // Deny every permission (camera, notifications via the web API, geolocation...): the app asks for none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // No new windows, and no hand-off to the system browser either: openExternal with a URL the page
    // chose is a classic escalation path.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
