// The long-lived parts of the extension, created once in activate() and handed to every command.
import type * as vscode from 'vscode';
import type { WorkerClient } from '../worker/client';
import type { ModelState } from './modelState';
import type { SettingsStore } from './settings';
import type { ModelStatusBar } from './statusBar';
import type { TrainingRunner } from './training';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly settings: SettingsStore;
  readonly model: ModelState;
  readonly worker: WorkerClient;
  readonly log: vscode.LogOutputChannel;
  /** Runs training and evaluation (one training at a time). */
  readonly training: TrainingRunner;
  readonly statusBar: ModelStatusBar;
}
