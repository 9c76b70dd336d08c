// Writing what the CLI prints: every write's outcome is awaited, so a reader that went away (`| head -1`) ends
// the run quietly and a full disk (`> /dev/full`) is an error instead of output silently lost; dataset strings
// shown on a terminal have their control characters escaped, so a label cannot clear the screen or retitle it.
import { errnoCode, fileSystemReason } from '../core/fsErrors';
import { TextcatError } from '../core/types';

/** The reader of standard output closed it (EPIPE): stop writing and exit 0, as `head` expects. */
export class OutputClosed extends Error {
  constructor() {
    super('standard output was closed');
    this.name = 'OutputClosed';
  }
}

/** C0 (except tab and line feed), DEL, C1, and the invisible marks that reorder or hide text (bidi controls). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Escaped when standard output is a terminal; raw into a pipe or a file, where the bytes are data. */
export function forStdout(text: string): string {
  return process.stdout.isTTY ? escapeControls(text) : text;
}

export function writeOut(text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(outputError(error)) : resolve()));
  });
}

/** Messages always go out escaped; a failing standard error has nowhere left to report to, so it is ignored. */
export function writeErr(text: string): void {
  process.stderr.write(escapeControls(text));
}

/** Without listeners a failed write is an uncaught 'error' event (a stack trace); the write callbacks report it. */
export function guardStandardStreams(): void {
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
}

function outputError(error: Error): Error {
  if (errnoCode(error) === 'EPIPE') return new OutputClosed();
  const reason = fileSystemReason(error, 'write') ?? `cannot be written (${error.message})`;
  return new TextcatError(`${reason}; the output is incomplete`, 'standard output');
}
