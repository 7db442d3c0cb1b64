import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { installBridge } from './bridge/install-bridge';
import { applyTheme, savedTheme } from './theme';
import './styles.css';
import './receptacle.css';

applyTheme(savedTheme());
installBridge();
const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
