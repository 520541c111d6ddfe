import pc from 'picocolors';

/** Where a command writes, and whether it may use colour (only on a terminal). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  isErrTTY: boolean;
}

export function createIo(): Io {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    isErrTTY: Boolean(process.stderr.isTTY),
  };
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
