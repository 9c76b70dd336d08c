// A probe, not a test: where the time goes when VS Code folds many ranges. It runs only with
// TEXTCAT_FOLD_PROBE=1 (the figures take minutes) and prints them; docs/performance.md quotes them.
//   TEXTCAT_FOLD_PROBE=1 TEXTCAT_E2E_ONLY=suite TEXTCAT_E2E_GREP='fold cost' node test/e2e/run.mjs
import * as vscode from 'vscode';
import Mocha from 'mocha';

const LINES = 100_000;
const log = (...args: unknown[]) => Mocha.reporters.Base.consoleLog(...args);

/** Every other line hidden: folds (2k, 2k+1), as selections from line 2k to the start of line 2k+2. */
function selections(from: number, count: number): vscode.Selection[] {
  return Array.from({ length: count }, (_, i) => new vscode.Selection(2 * (from + i), 0, 2 * (from + i) + 2, 0));
}

async function open(): Promise<vscode.TextEditor> {
  const content = Array.from({ length: LINES }, (_, i) => `entry ${i} parcel again`).join('\n');
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content }));
}

suite('fold cost probe', function () {
  this.timeout(900_000);
  suiteSetup(function () {
    if (process.env.TEXTCAT_FOLD_PROBE !== '1') this.skip();
  });
  teardown(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  for (const batch of [500, 1_000, 5_000]) {
    test(`createFoldingRangeFromSelection, ${batch} selections a command`, async () => {
      const editor = await open();
      let events = 0;
      const listener = vscode.window.onDidChangeTextEditorSelection(() => events++);
      const budgetMs = 60_000;
      const started = performance.now();
      let done = 0;
      try {
        while (done < LINES / 2 - batch && performance.now() - started < budgetMs) {
          editor.selections = selections(done, batch);
          const t0 = performance.now();
          events = 0;
          await vscode.commands.executeCommand('editor.createFoldingRangeFromSelection');
          const ms = performance.now() - t0;
          done += batch;
          log(
            `batch ${batch}: ${done} folds, this command ${ms.toFixed(0)} ms, ${((1000 * batch) / ms).toFixed(0)} folds/s, ${events} selection events`,
          );
        }
      } finally {
        listener.dispose();
      }
      log(`batch ${batch}: ${done} folds in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
  }

  test('a folding range provider and one editor.fold', async () => {
    const editor = await open();
    const limit = vscode.workspace.getConfiguration('editor', editor.document).get('foldingMaximumRegions');
    const changed = new vscode.EventEmitter<void>();
    let ranges: vscode.FoldingRange[] = [];
    const provider = vscode.languages.registerFoldingRangeProvider(
      { scheme: 'untitled' },
      { onDidChangeFoldingRanges: changed.event, provideFoldingRanges: () => ranges },
    );
    try {
      for (const count of [5_000, 50_000 - 1]) {
        ranges = Array.from({ length: count }, (_, i) => new vscode.FoldingRange(2 * i, 2 * i + 1));
        const t0 = performance.now();
        changed.fire();
        await vscode.commands.executeCommand('editor.fold', { selectionLines: ranges.map((r) => r.start), levels: 1 });
        const ms = performance.now() - t0;
        editor.revealRange(new vscode.Range(2 * count - 40, 0, 2 * count - 40, 0));
        await new Promise((r) => setTimeout(r, 500));
        const tail = editor.visibleRanges.map((r) => `${r.start.line}-${r.end.line}`).join(' ');
        log(
          `provider (foldingMaximumRegions ${String(limit)}): ${count} ranges folded in ${ms.toFixed(0)} ms; near the end the editor shows ${tail}`,
        );
        await vscode.commands.executeCommand('editor.unfoldAll');
        ranges = [];
        changed.fire();
      }
    } finally {
      provider.dispose();
      changed.dispose();
    }
  });
});
