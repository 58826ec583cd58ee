// The renderer's entry: styles, the client (IPC or WebSocket), the theme, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startClient } from './client/appClient';
import { useThemeStore } from './stores/themeStore';
import { App } from './App';
import './styles/tokens.css';
import './styles/base.css';

startClient();
useThemeStore.getState(); // applies the saved theme before the first paint

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
