// A task run every `intervalMs` in this process: never two runs at once (the next is scheduled
// only when the previous one has finished), a failed run is logged and the next goes on, and
// stop() waits for a run in progress. The single-process default for periodic jobs.
export interface Repeating<T> {
  /** Runs now (or joins the run in progress). */
  runNow(): Promise<T | null>;
  stop(): Promise<void>;
}

export function startRepeating<T>(
  task: () => Promise<T>,
  intervalMs: number,
  onError: (err: unknown) => void,
): Repeating<T> {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<T | null> | null = null;
  let stopped = false;

  const run = (): Promise<T | null> => {
    if (running) return running;
    running = (async () => {
      try {
        return await task();
      } catch (err) {
        onError(err);
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      timer = null;
      await run();
      schedule();
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runNow: run,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}
