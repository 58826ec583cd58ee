// Browser mode's LifeboatBridge: the same messages as the preload's IPC bridge, over the host's WebSocket.
import type { LifeboatBridge } from '../../../shared/bridge';
import { TOKEN_PARAM, WS_PATH } from '../../../shared/bridge';
import type { ClientMessage, ServerMessage } from '../../../shared/contract';

export type TransportStatus = 'connecting' | 'open' | 'closed';

export interface WebSocketBridge extends LifeboatBridge {
  onStatus(listener: (status: TransportStatus) => void): () => void;
}

/** The socket URL for the page we were served from: same host, token from ?token=. */
export function hostSocketUrl(location: Location): string | undefined {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM);
  if (!token) return undefined;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

export function createWebSocketBridge(url: string): WebSocketBridge {
  const socket = new WebSocket(url);
  // Messages sent before the socket opens wait here, in order.
  const queue: string[] = [];
  const messageListeners = new Set<(message: ServerMessage) => void>();
  const statusListeners = new Set<(status: TransportStatus) => void>();
  let status: TransportStatus = 'connecting';

  const setStatus = (next: TransportStatus) => {
    if (status === next || status === 'closed') return;
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  socket.addEventListener('open', () => {
    for (const data of queue.splice(0)) socket.send(data);
    setStatus('open');
  });
  socket.addEventListener('close', () => setStatus('closed'));
  socket.addEventListener('error', () => setStatus('closed'));
  socket.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(event.data) as ServerMessage;
    } catch {
      return; // not ours; the protocol is JSON text frames only
    }
    for (const listener of messageListeners) listener(message);
  });

  return {
    send(message: ClientMessage) {
      const data = JSON.stringify(message);
      if (status === 'open') socket.send(data);
      else if (status === 'connecting') queue.push(data);
      // closed: dropped; the client fails pending calls when it hears the socket closed.
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => {
        messageListeners.delete(listener);
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => {
        statusListeners.delete(listener);
      };
    },
  };
}
