// Run as soon as it arrives (index.html: an async script of its own, before the app's scripts
// have loaded): who is signed in, GET /api/auth/me. The app's first question otherwise waited
// for all its scripts to load and run and for React's first render; now its answer is there,
// or on its way, when the app asks (web/src/auth.tsx takes it once). Plain JS from public/:
// Vite leaves it as it is, so it is not made part of the app's bundle.
try {
  globalThis.huashuEarlyMe = fetch('/api/auth/me', {
    headers: { 'accept-language': localStorage.getItem('huashu.language') === 'en' ? 'en' : 'zh-CN' },
  });
  globalThis.huashuEarlyMe.catch(() => {}); // a failure is the app's to report, when it takes the answer
} catch {
  // no fetch or no storage: the app asks itself
}
