import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HuashuApp } from './app';
import 'antd/dist/antd.css';
import './index.css';

// The page's CSP nonce (the server writes a fresh one into every index.html; Vite's
// <meta property="csp-nonce">): antd's <style> elements must carry it.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

// rc-table measures the scroll bar of every antd Table with a <style> of its own (rc-util's
// updateCSS), given no nonce: without one the CSP refuses it. Every <style> the page's own
// scripts create gets the nonce.
if (nonce) {
  const create = document.createElement.bind(document);
  document.createElement = ((tag: string, options?: ElementCreationOptions) => {
    const el = create(tag, options);
    if (el instanceof HTMLStyleElement && !el.nonce) el.nonce = nonce;
    return el;
  }) as typeof document.createElement;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <HuashuApp nonce={nonce} />
  </StrictMode>,
);
