import { displayLayout } from '../engine/text/displayText';

/** Where the CLI writes: real streams in production, buffers in tests. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

let closedPipeWatched = false;

/** `kube-pki inspect big.pem | head` closes the pipe early: stop quietly, as Unix tools do, instead of an EPIPE stack trace. */
function watchClosedPipe(): void {
  if (closedPipeWatched) return;
  closedPipeWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
}

export const processIO: CliIO = {
  out: (text) => {
    watchClosedPipe();
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err: (text) => {
    watchClosedPipe();
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
};

/**
 * What every command writes goes through here: the layout's newlines and tabs stay, any other
 * control, bidi or invisible character is escaped. Untrusted pieces are escaped with displayText
 * where they enter the layout; this is the backstop for any that was missed.
 */
export function displayingIO(io: CliIO): CliIO {
  return { out: (text) => io.out(displayLayout(text)), err: (text) => io.err(displayLayout(text)) };
}

/** Exit codes shared by every command: 0 fine, 1 findings/rejected, 2 usage or input error. */
export const EXIT_OK = 0;
export const EXIT_REJECTED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export function parseFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--format must be text or json, not "${value}"`);
}

export function parseInstant(value: string | undefined): Date {
  if (value === undefined) return new Date();
  // Accept full ISO-8601 instants and plain dates; reject what Date would guess at.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    throw new UsageError(`--at needs an ISO-8601 instant such as 2026-01-31T12:00:00Z, not "${value}"`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--at "${value}" is not a valid date`);
  return date;
}
