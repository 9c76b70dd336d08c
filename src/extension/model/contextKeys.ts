// The context keys package.json's when-clauses read: textcat.hasModel (the commands that need a model, the
// Metrics view's Evaluate) and textcat.training (Cancel Training, and Train and Evaluate hidden while a training
// or a search runs), set from ModelState as it changes. One place for all of the model's keys; the dataset keys of the Explorer
// menu are training/datasetContext.ts's.
import * as vscode from 'vscode';
import type { ModelState } from './modelState';

export class ContextKeys implements vscode.Disposable {
  private readonly listeners: vscode.Disposable;
  /** Training reports progress many times a second: the key is set only when it changes. */
  private training: boolean | undefined;

  constructor(private readonly model: ModelState) {
    this.listeners = vscode.Disposable.from(
      model.onDidChangeModel(() => this.updateModel()),
      model.onDidChangeTraining(() => this.updateTraining()),
      model.onDidChangeSearching(() => this.updateTraining()),
    );
    this.updateModel();
    this.updateTraining();
  }

  private updateModel(): void {
    void vscode.commands.executeCommand('setContext', 'textcat.hasModel', this.model.manifest !== undefined);
  }

  private updateTraining(): void {
    const training = this.model.training.kind === 'training' || this.model.searching !== undefined;
    if (training === this.training) return;
    this.training = training;
    void vscode.commands.executeCommand('setContext', 'textcat.training', training);
  }

  dispose(): void {
    this.listeners.dispose();
  }
}
