// Workspace Trust. In Restricted Mode Textcat reads a workspace model (through core's checked reader) and shows
// its labels, but writes nothing: every command that would write into the workspace asks here first, says
// plainly why it stops, and offers VS Code's own trust editor. Once trust is granted the same command works
// at once (settings are re-read on onDidGrantWorkspaceTrust, model/settings.ts).
import * as vscode from 'vscode';
import { showWarning } from '../notify';

/** True in a trusted workspace; otherwise says that `what` needs trust, offers to manage it, and is false. */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void showWarning(
    vscode.l10n.t(
      '{0} needs a trusted workspace. This folder is open in Restricted Mode, where Textcat shows labels but writes nothing.',
      what,
    ),
    manage,
  ).then(
    (answer) => (answer === manage ? vscode.commands.executeCommand('workbench.trust.manage') : undefined),
    () => undefined, // the trust editor did not open: the message said what to do
  );
  return false;
}
