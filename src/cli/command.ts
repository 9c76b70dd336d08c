// One entry of the CLI's command table: what `textcat --help` lists, what `textcat <name> --help` prints, and
// the run itself, which returns the exit status (or throws: a UsageError, a TextcatError, or a bug).
import { prose } from './usage';

export interface Command {
  name: string;
  /** One line for `textcat --help`. */
  summary: string;
  /** The usage line, without the leading `textcat `. */
  usage: string;
  /** The whole of `textcat <name> --help`. */
  help(): string;
  run(args: readonly string[]): Promise<number>;
}

const EXIT_STATUS =
  'Exit status: 0 success (also when a reader such as `head` closes the output), 1 a data, model or file problem, 2 bad usage, 130/143 interrupted (Ctrl-C / SIGTERM).';

/** The exit statuses, with what a command adds to them, wrapped as help text. */
export function exitStatusHelp(extra = ''): string {
  return prose(`${EXIT_STATUS}${extra ? ` ${extra}` : ''}`);
}
