// Electron's main process: app lifecycle, the window, and the contract over IPC. No business logic here.
import { app, BrowserWindow } from 'electron';
import { createCore, type Core } from '../core/api';
import { createMainWindow } from './createMainWindow';
import { serveContractOverIpc } from './ipcBridge';
import { applySecurityPolicy } from './securityPolicy';
import { showDesktopNotifications } from './desktopNotifications';
import { electronPdfRenderer } from './electronPdfRenderer';
import { askBeforeQuittingWhileJobsRun } from './askBeforeQuitting';

app.enableSandbox();
let core: Core | undefined;

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  applySecurityPolicy();
  core = await createCore({ configPath: process.env.LIFEBOAT_CONFIG, dataDir: process.env.LIFEBOAT_DATA_DIR, resumeWalStreams: true, runSchedules: true, pdfRenderer: electronPdfRenderer() });
  serveContractOverIpc(core, () => BrowserWindow.getAllWindows());
  showDesktopNotifications(core, () => BrowserWindow.getAllWindows());
  askBeforeQuittingWhileJobsRun(core);
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for the core to cancel its jobs (pg_receivewal, a backup's tools) rather than orphaning them;
// with jobs running, askBeforeQuitting has already had the user agree to cancel them.
let closing = false;
app.on('will-quit', (event) => {
  if (!core || closing) return;
  closing = true;
  event.preventDefault();
  void core.close({ graceMs: 10_000 }).finally(() => app.exit(0));
});
