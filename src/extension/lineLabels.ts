// Shows a label after each non-empty line of the visible editors.
//
// PLACEHOLDER: until the model exists, the label is the line's first word (see placeholderLabel).
// When the worker can predict, this becomes: visible ranges → worker → decorations, debounced, cached.
import * as vscode from 'vscode';

const MAX_LABEL_LENGTH = 24;

/** Stand-in for a prediction: the first word of the line, lower-cased; undefined for a blank line. */
export function placeholderLabel(lineText: string): string | undefined {
  const word = lineText.trim().split(/\s+/, 1)[0];
  return word ? word.toLowerCase().slice(0, MAX_LABEL_LENGTH) : undefined;
}

export class LineLabels implements vscode.Disposable {
  // One decoration type per visual style, created once and disposed with the extension.
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: {
      margin: '0 0 0 2em',
      color: new vscode.ThemeColor('editorCodeLens.foreground'),
      fontStyle: 'italic',
    },
  });
  private readonly listeners: vscode.Disposable[];
  private enabled = false;

  constructor() {
    this.listeners = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.render(e))),
      vscode.workspace.onDidChangeTextDocument(({ document }) => {
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document === document) this.render(editor);
        }
      }),
    ];
  }

  /** Turns the labels on or off in every visible editor; returns whether they are now on. */
  toggle(): boolean {
    this.enabled = !this.enabled;
    vscode.window.visibleTextEditors.forEach((e) => this.render(e));
    return this.enabled;
  }

  private render(editor: vscode.TextEditor): void {
    editor.setDecorations(this.decoration, this.enabled ? labelDecorations(editor.document) : []);
  }

  dispose(): void {
    this.listeners.forEach((l) => l.dispose());
    this.decoration.dispose();
  }
}

function labelDecorations(document: vscode.TextDocument): vscode.DecorationOptions[] {
  const result: vscode.DecorationOptions[] = [];
  for (let i = 0; i < document.lineCount; i++) {
    const line = document.lineAt(i);
    const label = placeholderLabel(line.text);
    if (label === undefined) continue;
    result.push({ range: line.range, renderOptions: { after: { contentText: label } } });
  }
  return result;
}
