// Opening a file at a line, selected and scrolled into view: what every "Open" does (an error's file:line, the
// row a label was added as, an exported file, a line to review, a validation example).
import * as vscode from 'vscode';

/** `line` is 1-based (as in messages); without it the file opens at its top. `preview` unset: the user's setting decides. */
export async function revealLine(uri: vscode.Uri, line?: number, options: { preview?: boolean } = {}): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const at = Math.max(0, Math.min((line ?? 1) - 1, document.lineCount - 1));
  const range = document.lineAt(at).range;
  const selection = line === undefined ? new vscode.Selection(0, 0, 0, 0) : new vscode.Selection(range.start, range.end);
  const editor = await vscode.window.showTextDocument(document, { selection, preview: options.preview });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
