import pc from 'picocolors';

/** Where a command writes, and whether it may use colour (only on a terminal). */
export interface Io {
  out(text: string): void;
  /**
   * Standard output as UTF-8 bytes, where it can take them: a batch encoded as it is gathered
   * costs less than a batch of text encoded at the end. The bytes are not reused after.
   */
  outBytes?(bytes: Uint8Array): void;
  /**
   * While standard output holds more than it takes at once (a pipe to a slower reader: the
   * writes queue in memory), a promise of when it has room; else undefined. A command that
   * writes without end waits on it, so that its memory stays flat however slow the reader.
   */
  outRoom?(): Promise<void> | undefined;
  err(text: string): void;
  color: boolean;
  isErrTTY: boolean;
}

export function createIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    outBytes: (b) => process.stdout.write(b),
    outRoom: () => (process.stdout.writableNeedDrain ? room(process.stdout) : undefined),
    err: (t) => process.stderr.write(t),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    isErrTTY: Boolean(process.stderr.isTTY),
  };
}

/** When a stream that needs draining has drained, or has ended (then nothing more waits). */
function room(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** An Io that collects output, for tests and for embedding. */
export function memoryIo(color = false): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color,
    isErrTTY: false,
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
  };
  return io;
}

export type Paint = (s: string) => string;
export interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  magenta: Paint;
}

const plain: Paint = (s) => s;

export function palette(io: Io): Palette {
  if (!io.color)
    return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, magenta: plain };
  const c = pc.createColors(true);
  return {
    bold: c.bold,
    dim: c.dim,
    red: c.red,
    green: c.green,
    yellow: c.yellow,
    cyan: c.cyan,
    magenta: c.magenta,
  };
}

/** Output kept until this many UTF-16 units (as text) or bytes (as UTF-8) are pending, or this many ms have passed. */
const BATCH_UNITS = 64 * 1024;
const BATCH_MS = 200;

/**
 * An Io whose standard output is written in batches (`huashu qa`): one write per call (a system
 * call each on a file or pipe) cost more than writing the call's JSON. Standard error flushes
 * what is pending first, so messages stay in order with the results before them; a reader
 * still sees results at least every BATCH_MS while calls come. Where the Io takes bytes, each
 * text is encoded into the batch as it comes, instead of the batch's text joined then encoded.
 */
export function batchedIo(io: Io): Io & { flush(): void } {
  const outBytes = io.outBytes?.bind(io);
  let pending = '';
  // The batch as bytes: a new buffer for each, since the one written may still be in use.
  let bytes: Buffer | undefined;
  let used = 0;
  let last = Date.now();
  const flush = () => {
    if (pending.length > 0) io.out(pending);
    if (bytes !== undefined && used > 0 && outBytes) outBytes(bytes.subarray(0, used));
    pending = '';
    bytes = undefined;
    used = 0;
    last = Date.now();
  };
  const due = () => pending.length >= BATCH_UNITS || used >= BATCH_UNITS || Date.now() - last >= BATCH_MS;
  const outRoom = io.outRoom?.bind(io);
  return {
    color: io.color,
    isErrTTY: io.isErrTTY,
    ...(outRoom ? { outRoom } : {}),
    out(t) {
      // A text ending inside a surrogate pair would be encoded apart from the rest of its
      // character: such a text (never a whole line) goes with the text of the batch.
      const tail = t.charCodeAt(t.length - 1);
      if (
        !outBytes ||
        pending.length > 0 ||
        (tail >= 0xd800 && tail <= 0xdbff) ||
        3 * t.length > BATCH_UNITS
      ) {
        if (used > 0) flush();
        pending += t;
      } else {
        if (bytes !== undefined && used + 3 * t.length > bytes.length) flush();
        bytes ??= Buffer.allocUnsafeSlow(2 * BATCH_UNITS);
        used += bytes.write(t, used);
      }
      if (due()) flush();
    },
    err(t) {
      flush();
      io.err(t);
    },
    flush,
  };
}
