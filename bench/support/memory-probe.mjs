// Preloaded into the bench's `huashu serve` (`node --expose-gc --import <this> bin/huashu.js
// serve`, with an IPC channel): answers the bench's requests over that channel, so memory is
// read after a forced GC and a heap snapshot is written on demand without any route in the
// server. Nothing in src/ knows of it; a server started otherwise never loads it.
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

if (typeof process.send === 'function') {
  process.on('message', (request) => {
    if (!request || typeof request !== 'object' || typeof request.probe !== 'string') return;
    const reply = (body) => process.send?.({ probe: request.probe, id: request.id, ...body });
    try {
      if (request.probe === 'memory') {
        // Twice: the first pass may only queue finalizers (weak maps, ws buffers) the second frees.
        if (typeof globalThis.gc === 'function') {
          globalThis.gc();
          globalThis.gc();
        }
        const m = process.memoryUsage();
        const h = getHeapStatistics();
        reply({
          gc: typeof globalThis.gc === 'function',
          rss: m.rss,
          heapUsed: m.heapUsed,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
          mallocedMemory: h.malloced_memory,
        });
      } else if (request.probe === 'snapshot') {
        reply({ path: writeHeapSnapshot(request.path) });
      }
    } catch (err) {
      reply({ error: String(err) });
    }
  });
  // The channel must not keep a server that is told to stop alive.
  process.channel?.unref();
}
