// Debounced, one-at-a-time refreshes of the editors marked dirty: scrolling and typing mark editors, a quiet
// moment later they are refreshed in turn, so at most one predict request is in flight; editors marked while a
// refresh runs are refreshed after it.
import type * as vscode from 'vscode';

export const DEBOUNCE_MS = 150;

export class RefreshQueue {
  private readonly dirty = new Set<vscode.TextEditor>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private draining = false;

  constructor(private readonly refresh: (editor: vscode.TextEditor) => Promise<void>) {}

  schedule(editor: vscode.TextEditor, delay = DEBOUNCE_MS): void {
    this.dirty.add(editor);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delay);
  }

  private async drain(): Promise<void> {
    if (this.draining) return; // the running drain re-arms the timer for editors marked meanwhile
    this.draining = true;
    try {
      const editors = [...this.dirty];
      this.dirty.clear();
      for (const editor of editors) await this.refresh(editor);
    } finally {
      this.draining = false;
      if (this.dirty.size && !this.timer) this.schedule([...this.dirty][0]);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.dirty.clear();
  }
}
