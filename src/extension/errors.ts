// The one path a failure takes. A problem with the user's data or model (core's TextcatError, or the worker's
// user error) is shown as it is phrased, naming the file and line, with "Open" to go there. A cancellation is
// no failure. Anything else is a bug: its stack goes to the log, and the message offers "Show Log". Every
// command goes through here (commands.ts), and so does the background work of the line labels.
import * as vscode from 'vscode';
import { showError } from './notify';
import { errorDetail } from '../core/format/errorText';
import { CancelledError, TextcatError } from '../core/types';
import { WorkerError } from '../worker/client';
import { revealLine } from './revealLine';
import { isInWorkspace } from './workspace/confine';

/** A user error: its message (which starts with `file:line:`) and where to open. */
interface UserError {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/** The user error `error` is, or undefined when it is a bug. */
function asUserError(error: unknown): UserError | undefined {
  if (error instanceof TextcatError || (error instanceof WorkerError && error.userError)) {
    return { message: error.message, file: error.file, line: error.line };
  }
  return undefined;
}

/**
 * Tells the user and the log that `what` (a command's title, "Line labels") failed. Resolves once the message
 * is dismissed or its action has run; callers do not wait for it.
 */
export async function reportError(log: vscode.LogOutputChannel, what: string, error: unknown): Promise<void> {
  if (error instanceof CancelledError) {
    log.info(`${what}: cancelled`);
    return;
  }
  const userError = asUserError(error);
  if (userError) {
    log.error(`${what}: ${userError.message}`);
    return showUserError(userError);
  }
  log.error(`${what} failed with an internal error: ${errorDetail(error)}`);
  const showLog = vscode.l10n.t('Show Log');
  const answer = await showError(vscode.l10n.t('Textcat: {0} failed with an internal error. The log has the details.', what), showLog);
  if (answer === showLog) log.show();
}

/** The message as phrased, and "Open" when it names a workspace file there is to open (then at its line). */
async function showUserError({ message, file, line }: UserError): Promise<void> {
  const open = vscode.l10n.t('Open');
  const target = file === undefined ? undefined : vscode.Uri.file(file);
  // Only inside the workspace: a refusal names a path a hostile manifest chose, and Open would read it.
  const canOpen = target !== undefined && isInWorkspace(target.fsPath) && (await isFile(target));
  const answer = await showError(message, ...(canOpen ? [open] : []));
  if (answer === open && target) await revealLine(target, line);
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File;
  } catch {
    return false;
  }
}
