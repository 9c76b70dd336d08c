// textcat: the command-line front end over src/core (train, eval, predict, export, check-labels, relabel,
// learning-curve) for scripts, CI and benchmarks. Exit status: 0 success (or standard output closed by its reader),
// 1 a data, model or file-system problem, 2 bad usage (including a refused --out), 130/143 interrupted (killed by SIGINT/SIGTERM, as
// shells report it), 70 a bug.
import { exitStatusHelp, type Command } from './cli/command';
import { checkLabelsCommand } from './cli/checkLabelsCommand';
import { evalCommand } from './cli/evalCommand';
import { exportCommand } from './cli/exportCommand';
import { learningCurveCommand } from './cli/learningCurveCommand';
import { escapeControls, guardStandardStreams, OutputClosed, writeErr, writeOut } from './cli/output';
import { predictCommand } from './cli/predictCommand';
import { relabelCommand } from './cli/relabelCommand';
import { trainCommand } from './cli/trainCommand';
import { didYouMean, helpPointer, UsageError, wantsHelp } from './cli/usage';
import { fileSystemError } from './core/fsErrors';
import { DestinationError, TextcatError } from './core/types';
import { TEXTCAT_VERSION } from './core/version';
import { keepYoungGenerationSmall } from './cli/youngGeneration';

const COMMANDS: ReadonlyMap<string, Command> = new Map(
  [trainCommand, evalCommand, predictCommand, exportCommand, checkLabelsCommand, relabelCommand, learningCurveCommand].map((command) => [
    command.name,
    command,
  ]),
);

/** What `textcat` alone prints (to stderr: it is bad usage), and the head of `textcat --help`. */
const SHORT_USAGE = `Usage: textcat <command> [options]

Commands:
${[...COMMANDS.values()].map((c) => `  ${c.name.padEnd(16)}${c.summary}`).join('\n')}

Run 'textcat <command> --help' for a command's options, 'textcat --version' for the version.`;

const OVERVIEW = `${SHORT_USAGE}

Usage of each command:
${[...COMMANDS.values()].map((c) => `  textcat ${c.usage}`).join('\n')}
  textcat help <command>     Same as textcat <command> --help
  textcat --version, -v      The version

Every command takes --help (-h). Progress, warnings and notes go to stderr; results to stdout.

${exitStatusHelp()}`;

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    return report(error);
  }
}

async function dispatch([first, ...rest]: readonly string[]): Promise<number> {
  switch (first) {
    case undefined:
      process.stderr.write(`${SHORT_USAGE}\n`);
      return 2;
    case '--help':
    case '-h':
      await writeOut(`${OVERVIEW}\n`);
      return 0;
    case '--version':
    case '-v':
      await writeOut(`${TEXTCAT_VERSION}\n`);
      return 0;
    case 'help':
      await writeOut(`${rest.length && rest[0] !== 'help' ? commandNamed(rest[0]).help() : OVERVIEW}\n`);
      return 0;
  }
  const command = commandNamed(first);
  if (wantsHelp(rest)) {
    await writeOut(`${command.help()}\n`);
    return 0;
  }
  keepYoungGenerationSmall();
  return command.run(rest);
}

function commandNamed(name: string): Command {
  const command = COMMANDS.get(name);
  if (command) return command;
  if (name.startsWith('-')) throw new UsageError(`unknown option '${name}'${didYouMean(name, ['--help', '--version'])}`);
  throw new UsageError(`unknown command '${name}'${didYouMean(name, [...COMMANDS.keys()])}`);
}

/** The exit status for an error a user can cause, after saying what it was; anything else is a bug. */
function report(error: unknown): number {
  if (error instanceof OutputClosed) return 0;
  if (error instanceof UsageError) {
    writeErr(`textcat: ${error.message}\n${helpPointer(error.command)}\n`);
    return 2;
  }
  // A file-system error no layer below converted still names its path.
  const problem = fileSystemError(error, (error as NodeJS.ErrnoException).path ?? 'a file');
  if (problem instanceof TextcatError) {
    writeErr(`textcat: ${problem.message}\n`);
    return problem instanceof DestinationError ? 2 : 1;
  }
  throw error;
}

/**
 * SIGINT/SIGTERM end the run: the handler says so on a terminal, then raises the signal again with its default
 * action, so the process dies by it (shells report 130/143, and a calling shell script stops as after Ctrl-C).
 * Not process.exit(): it waits for libuv's threads, and one stuck in open() on a FIFO with no writer never returns.
 * A model save is synchronous (modelFolder.ts), so this runs before or after it, never in the middle.
 */
function exitOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (process.stderr.isTTY) process.stderr.write('\n');
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      process.exit(code); // only if the signal did not end the process (never seen)
    });
  }
}

if (require.main === module) {
  guardStandardStreams();
  exitOnSignals();
  main(process.argv.slice(2)).then(
    // Through one more poll phase of the event loop first (the second immediate runs after it): a Ctrl-C that came
    // during the last synchronous steps (the model's save) is handled there, and the run ends as interrupted
    // (130/143) rather than 0, with the saved model whole.
    (code) => setImmediate(() => setImmediate(() => process.exit(code))),
    (error: unknown) => {
      process.stderr.write(
        `textcat: internal error (please report it): ${escapeControls(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
      );
      process.exit(70);
    },
  );
}
