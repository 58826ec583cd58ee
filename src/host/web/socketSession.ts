// One browser tab's session over the WebSocket: calls in, results and the core's events out.
import type { WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../../shared/contract';
import type { Core } from '../../core/api';
import { dispatchCall } from '../../core/doorDispatch';

export function serveSocket(core: Core, ws: WebSocket): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = core.events.subscribe((name, payload) => send({ t: 'event', name, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    let message: ClientMessage;
    try {
      message = JSON.parse(data.toString()) as ClientMessage;
    } catch {
      return ws.close(1007, 'invalid JSON');
    }
    if (message?.t !== 'call' || typeof message.id !== 'number') return; // cancel: calls are not cancellable yet
    void dispatchCall(core, message.method, message.input).then((outcome) => send({ t: 'result', id: message.id, ...outcome } as ServerMessage));
  });
}
