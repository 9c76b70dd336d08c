// Classifies every line of a document not known yet, for the filter and the counts (which speak of the whole
// file). LineClasses asks the worker CHUNK_LINES at a time; the list of lines is handed over in slices of
// SLICE_LINES so progress moves and Cancel stops soon. Silent at first; after PROGRESS_AFTER_MS, a notification
// with a Cancel button. Lines left unknown (cancelled, or edited meanwhile) are counted by the callers.
import * as vscode from 'vscode';
import { UNKNOWN } from '../model/documentClasses';
import { withNotificationProgress } from '../notify';
import type { Services } from '../services';

const SLICE_LINES = 5_000;
const PROGRESS_AFTER_MS = 400;

type Deps = Pick<Services, 'lineClasses'>;

/** false when there is no model (or it went away); true otherwise, cancelled or not. */
export async function classifyWholeDocument(s: Deps, document: vscode.TextDocument, title: string): Promise<boolean> {
  const cancel = new vscode.CancellationTokenSource();
  let report: ((done: number) => void) | undefined;
  const work = (async () => {
    const classes = s.lineClasses.of(document);
    const unknown: number[] = [];
    for (let line = 0; line < classes.lineCount; line++) if (classes.classOf(line) === UNKNOWN) unknown.push(line);
    for (let start = 0; start < unknown.length && !cancel.token.isCancellationRequested; start += SLICE_LINES) {
      if (!(await s.lineClasses.classify(document, unknown.slice(start, start + SLICE_LINES), cancel.token))) return false;
      report?.(Math.min(unknown.length, start + SLICE_LINES) / unknown.length);
    }
    return true;
  })();
  const timer = setTimeout(() => {
    void withNotificationProgress({ title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => cancel.cancel());
      let shown = 0;
      report = (done) => {
        progress.report({ increment: (done - shown) * 100 });
        shown = done;
      };
      return work.catch(() => undefined);
    });
  }, PROGRESS_AFTER_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}
