// The window's one client: window.lifeboat under Electron, otherwise the browser host's WebSocket.
import type { LifeboatBridge } from '../../../shared/bridge';
import type { ServerMessage } from '../../../shared/contract';
import { useConnectionStore } from '../stores/connectionStore';
import { createLifeboatClient } from './lifeboatClient';
import type { LifeboatClient } from './lifeboatClient';
import { createWebSocketBridge, hostSocketUrl } from './webSocketBridge';

let client: LifeboatClient | undefined;

const HOST_STOPPED = {
  code: 'UNREACHABLE',
  message: 'Disconnected — the Lifeboat host stopped.',
  hint: 'Start the host again (npm run web) and open the address it prints.',
} as const;

const NO_TOKEN = {
  code: 'UNREACHABLE',
  message: 'This page was opened without its access token.',
  hint: 'Open the full address the Lifeboat host printed, including ?token=.',
} as const;

/** For a page opened without a token: every call fails at once with a hint, nothing waits forever. */
function refusingBridge(): LifeboatBridge {
  const listeners = new Set<(message: ServerMessage) => void>();
  return {
    send(message) {
      if (message.t !== 'call') return;
      const answer: ServerMessage = { t: 'result', id: message.id, ok: false, error: NO_TOKEN };
      queueMicrotask(() => listeners.forEach((listener) => listener(answer)));
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export function startClient(): LifeboatClient {
  if (client) return client;
  const preload = (window as Window & { lifeboat?: LifeboatBridge }).lifeboat;
  if (preload) {
    client = createLifeboatClient(preload);
    useConnectionStore.setState({ status: 'open' });
    return client;
  }
  const url = hostSocketUrl(window.location);
  if (!url) {
    client = createLifeboatClient(refusingBridge());
    useConnectionStore.setState({ status: 'closed', reason: 'no-token' });
    return client;
  }
  const bridge = createWebSocketBridge(url);
  const created = createLifeboatClient(bridge);
  bridge.onStatus((status) => {
    if (status === 'closed') {
      useConnectionStore.setState({ status: 'closed', reason: 'host-stopped' });
      created.markClosed(HOST_STOPPED);
    } else {
      useConnectionStore.setState({ status });
    }
  });
  client = created;
  return client;
}

/** The client started by main.tsx; stores and pages call through it. */
export function appClient(): LifeboatClient {
  return client ?? startClient();
}
