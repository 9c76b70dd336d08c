// Whether a document's lines are labeled: the toggle command's choice for that document while it is open, else
// the settings (on, and the file matches textcat.labels.include but not exclude).
import * as vscode from 'vscode';
import type { Settings } from '../model/settings';

export class LabelSwitch {
  private readonly chosen = new Map<string, boolean>();

  isOn(document: vscode.TextDocument, settings: Settings): boolean {
    const chosen = this.chosen.get(document.uri.toString());
    if (chosen !== undefined) return chosen;
    const { enabled, include, exclude } = settings.labels;
    const matches = (pattern: string) => vscode.languages.match({ pattern }, document) > 0;
    return enabled && include.some(matches) && !exclude.some(matches);
  }

  choose(document: vscode.TextDocument, on: boolean): void {
    this.chosen.set(document.uri.toString(), on);
  }

  closed(document: vscode.TextDocument): void {
    this.chosen.delete(document.uri.toString());
  }
}
