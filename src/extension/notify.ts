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

/**
 * A progress notification. Its title and messages are a notification's text too (a dataset's file name, its
 * columns, a class), so they are made inert the same way.
 */
export function withNotificationProgress<R>(
  options: { title: string; cancellable?: boolean },
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  const location = vscode.ProgressLocation.Notification;
  return vscode.window.withProgress({ location, title: inertLinks(options.title), cancellable: options.cancellable }, (progress, token) =>
    task(
      { report: (value) => progress.report(value.message === undefined ? value : { ...value, message: inertLinks(value.message) }) },
      token,
    ),
  );
}
