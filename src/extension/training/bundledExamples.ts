// The examples bundled with the extension (examples/<name>/train.csv, test.csv, sample.txt), which the
// walkthrough trains on and opens.
import * as vscode from 'vscode';
import type { Services } from '../services';

export type ExampleFile = 'train.csv' | 'test.csv' | 'sample.txt';

/** The example's file, or undefined for a name that is not a plain folder name (no path tricks from a link). */
export function exampleUri(extensionUri: vscode.Uri, name: unknown, file: ExampleFile): vscode.Uri | undefined {
  return typeof name === 'string' && /^[\w-]+$/.test(name) ? vscode.Uri.joinPath(extensionUri, 'examples', name, file) : undefined;
}

/**
 * textcat.openExample (walkthrough): opens a bundled example's unlabeled lines in an editor, with labels on (a .txt
 * is not in the default textcat.labels.include).
 */
export async function openExample(s: Pick<Services, 'context' | 'lineLabels'>, arg: unknown): Promise<void> {
  const name = (arg as { example?: unknown } | undefined)?.example;
  const uri = exampleUri(s.context.extensionUri, name, 'sample.txt') ?? exampleUri(s.context.extensionUri, 'tickets', 'sample.txt')!;
  const document = await vscode.workspace.openTextDocument(uri);
  s.lineLabels.show(document);
  await vscode.window.showTextDocument(document);
}
