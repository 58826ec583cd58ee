// The preload exposes exactly one thing: the message bridge (window.lifeboat). No ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL, type LifeboatBridge } from '../shared/bridge';
import type { ClientMessage, ServerMessage } from '../shared/contract';

const bridge: LifeboatBridge = {
  send(message: ClientMessage) {
    ipcRenderer.send(IPC_CHANNEL.call, message);
  },
  onMessage(listener: (message: ServerMessage) => void) {
    const wrapped = (_event: IpcRendererEvent, message: ServerMessage) => listener(message);
    ipcRenderer.on(IPC_CHANNEL.message, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_CHANNEL.message, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('lifeboat', bridge);
