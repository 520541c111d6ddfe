import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HuashuApp } from './app';
import 'antd/dist/antd.css';
import './index.css';

// The page's CSP nonce (the server writes a fresh one into every index.html; Vite's
// <meta property="csp-nonce">): antd's <style> elements must carry it.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <HuashuApp nonce={nonce} />
  </StrictMode>,
);
