// WAL checkpoints of the SQLite file on a thread of their own. In WAL mode a commit appends
// pages to the -wal file; a checkpoint copies them back into the database file and syncs
// both. SQLite runs one on the committing connection whenever the log passes 1000 pages,
// which under a steady stream of writes means the event loop stops for a copy and two fsyncs
// every few dozen commits (a good part of the time of a write). Here a worker thread
// with its own connection runs a PASSIVE checkpoint (it never waits for, nor blocks, the
// writer) every few milliseconds, and the server's connection keeps its own automatic
// checkpoint only as a backstop, at a much larger log.
//
// Durability does not change: a transaction is durable when its commit is in the log, as
// before; checkpoints only move pages that are already there.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The server connection still checkpoints itself past this many log pages (~40 MB). */
export const BACKSTOP_PAGES = 10_000;

// Plain JavaScript: an eval'd worker is not run through the TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
let stopped = false;
const tick = () => {
  if (stopped) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY (another checkpoint is running) or a transient error: try again next time.
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
let timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', () => {
  stopped = true;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` (a SQLite database in WAL mode) on a worker thread. Should the
 * worker fail, `onFailure` is called: give the checkpoints back to the server's connection.
 */
export function startCheckpointer(file: string, onFailure: () => void, intervalMs = 20): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref(); // never keeps the process alive
  worker.on('error', () => onFailure());
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Keep the process alive until the worker has closed its connection: with nothing else
      // left to wait for (a start that failed), Node would otherwise exit mid-await.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
