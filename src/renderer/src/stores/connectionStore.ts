// Whether the window can reach the Lifeboat core: always "open" in Electron, the socket's state in browser mode.
import { create } from 'zustand';

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  | { status: 'closed'; reason: 'host-stopped' | 'no-token' };

export const useConnectionStore = create<ConnectionState>(() => ({ status: 'connecting' }));
