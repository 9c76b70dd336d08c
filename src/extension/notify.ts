// The one way the extension shows a notification. Messages carry strings from the workspace (labels, file names,
// manifest fields, dataset text) and VS Code turns markdown-style links in a notification into runnable command
// links, so every message goes through inertLinks first. Nobody else calls window.show…Message (a unit test
// holds that).
import * as vscode from 'vscode';
import { inertLinks } from '../core/format/markdown';

export function showInfo<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(inertLinks(message), ...items);
}

export function showWarning<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(inertLinks(message), ...items);
}

export function showError<T extends string>(message: string, ...items: T[]): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(inertLinks(message), ...items);
}
