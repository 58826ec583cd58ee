// Quitting (or closing the last window) while jobs run asks first, in a native dialog whose words come from
// the shared quitWarning: which jobs run and what cancelling each means. "Keep running" is the default;
// only "Cancel jobs and quit" lets the quit go on, and will-quit then has the core cancel them.
import { app, BrowserWindow, dialog } from 'electron';
import type { Core } from '../core/api';
import { quitWarning, type QuitWarning } from '../shared/quitWarning';

export function askBeforeQuittingWhileJobsRun(core: Core): void {
  let confirmed = false;
  let asking = false;

  const confirm = async (warning: QuitWarning, parent: BrowserWindow | undefined) => {
    if (asking) return;
    asking = true;
    try {
      const options = { type: 'warning' as const, title: warning.title, message: warning.message, detail: warning.detail, buttons: [...warning.buttons], defaultId: warning.defaultId, cancelId: warning.cancelId, noLink: true };
      const { response } = parent && !parent.isDestroyed() ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      if (response !== 1) return;
      confirmed = true;
      app.quit();
    } finally {
      asking = false;
    }
  };

  /** True when the quit must wait for the answer. */
  const mustAsk = (parent: BrowserWindow | undefined): boolean => {
    if (confirmed) return false;
    const warning = quitWarning(core.jobs.list());
    if (!warning) return false;
    void confirm(warning, parent);
    return true;
  };

  app.on('before-quit', (event) => {
    if (mustAsk(BrowserWindow.getFocusedWindow() ?? undefined)) event.preventDefault();
  });
  // Closing the last window quits on Linux and Windows: ask while the window is still there to answer "keep".
  app.on('browser-window-created', (_event, window) => {
    window.on('close', (event) => {
      if (process.platform === 'darwin' || BrowserWindow.getAllWindows().length > 1) return;
      if (mustAsk(window)) event.preventDefault();
    });
  });
}
