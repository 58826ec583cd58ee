// The message transport the renderer sees, identical in both doors: the preload exposes it as
// window.lifeboat (Electron IPC); in browser mode the renderer builds the same thing over a WebSocket.
import type { ClientMessage, ServerMessage } from './contract';

export interface LifeboatBridge {
  send(message: ClientMessage): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: ServerMessage) => void): () => void;
}

/** Browser mode: the page is served at http://127.0.0.1:PORT/?token=T and the socket lives at /ws?token=T. */
export const WS_PATH = '/ws';
export const TOKEN_PARAM = 'token';

/** Electron IPC channels: calls from the renderer on one, results and events to it on the other. */
export const IPC_CHANNEL = { call: 'lifeboat:call', message: 'lifeboat:message' } as const;
