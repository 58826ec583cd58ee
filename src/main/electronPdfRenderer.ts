// Runbook PDFs in the desktop app: Electron's own Chromium prints the self-contained HTML (printToPDF) in a
// hidden, sandboxed window with JavaScript off and its own in-memory session that refuses every request but
// the document itself, so printing never reaches the network.
import { BrowserWindow, session } from 'electron';
import type { PdfRenderer } from '../core/runbooks/pdfRenderer';

export function electronPdfRenderer(): PdfRenderer {
  return {
    name: 'Electron printToPDF',
    async render(html, { signal, onPhase }) {
      signal?.throwIfAborted();
      onPhase?.('printing');
      const printSession = session.fromPartition('lifeboat-pdf', { cache: false });
      printSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
      printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
      const window = new BrowserWindow({
        show: false,
        // Spelled out, as in createMainWindow: electronegativity (electronSecurity.test.ts) reads each
        // BrowserWindow's literal and counts a spread constant as a missing setting.
        webPreferences: {
          session: printSession,
          javascript: false,
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          webviewTag: false,
          spellcheck: false,
          disableBlinkFeatures: 'Auxclick',
        },
      });
      // A cancel destroys the hidden window: loading or printing fails at once.
      const abort = () => window.destroy();
      signal?.addEventListener('abort', abort, { once: true });
      try {
        await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
        const pdf = await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4', margins: { top: 0.6, bottom: 0.6, left: 0.55, right: 0.55 } });
        signal?.throwIfAborted();
        return new Uint8Array(pdf);
      } finally {
        signal?.removeEventListener('abort', abort);
        if (!window.isDestroyed()) window.destroy();
      }
    },
  };
}
