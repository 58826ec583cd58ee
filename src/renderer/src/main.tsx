// The renderer's entry: styles, the client (IPC or WebSocket), the theme, then React.
import './zodJitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startClient } from './client/appClient';
import { useThemeStore } from './stores/themeStore';
import { App } from './App';
import { startBrowserNotifications } from './notifications/browserNotifications';
import './styles/tokens.css';
import './styles/base.css';

startClient();
startBrowserNotifications(); // browser mode only; the desktop app notifies from the main process
useThemeStore.getState(); // applies the saved theme before the first paint

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
