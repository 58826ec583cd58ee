// Serves the contract over Electron IPC. Every message is checked: it must come from the app's own main
// frame in a window we created; the input is validated by the shared dispatcher before the core sees it.
import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import { IPC_CHANNEL } from '../shared/bridge';
import type { ClientMessage, ServerMessage } from '../shared/contract';
import type { Core } from '../core/api';
import { dispatchCall } from '../core/doorDispatch';
import { isAppUrl } from './securityPolicy';

export function serveContractOverIpc(core: Core, windows: () => BrowserWindow[]): () => void {
  const trustedSender = (event: IpcMainEvent) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) return false;
    return windows().some((w) => !w.isDestroyed() && w.webContents.id === event.sender.id);
  };

  const onCall = (event: IpcMainEvent, message: ClientMessage) => {
    if (!trustedSender(event)) return;
    if (typeof message !== 'object' || message === null || message.t !== 'call' || typeof message.id !== 'number') return;
    void dispatchCall(core, message.method, message.input).then((outcome) => {
      if (!event.sender.isDestroyed()) event.sender.send(IPC_CHANNEL.message, { t: 'result', id: message.id, ...outcome } as ServerMessage);
    });
  };
  ipcMain.on(IPC_CHANNEL.call, onCall);

  const unsubscribe = core.events.subscribe((name, payload) => {
    for (const w of windows()) if (!w.isDestroyed()) w.webContents.send(IPC_CHANNEL.message, { t: 'event', name, payload } satisfies ServerMessage);
  });

  return () => {
    ipcMain.removeListener(IPC_CHANNEL.call, onCall);
    unsubscribe();
  };
}
