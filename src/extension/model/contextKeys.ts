// The context keys package.json's when-clauses read (menus: Evaluate Model on Dataset… needs a model), set
// from ModelState as it changes. One place for all of them.
import * as vscode from 'vscode';
import type { ModelState } from './modelState';

export class ContextKeys implements vscode.Disposable {
  private readonly listener: vscode.Disposable;

  constructor(private readonly model: ModelState) {
    this.listener = model.onDidChangeModel(() => this.update());
    this.update();
  }

  private update(): void {
    void vscode.commands.executeCommand('setContext', 'textcat.hasModel', this.model.manifest !== undefined);
  }

  dispose(): void {
    this.listener.dispose();
  }
}
