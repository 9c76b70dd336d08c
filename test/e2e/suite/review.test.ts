// "Textcat: Review Uncertain Lines" in the extension host: the lines come back sorted by the measure the
// setting names (margin or entropy), the workspace scope reads every file matching labels.include, and
// choosing an entry of the quick pick reveals and selects its line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ReviewLine } from '../../../src/extension/dataset/review';
import type { Services } from '../../../src/extension/services';
import { fixtureUri, textcatApi, waitFor } from './helpers';

const OPTIONS = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };
/** Clear lines and mixed ones (two or three keywords of different classes): a spread of uncertainty. */
const LINES = [
  'please check the invoice for me',
  'the invoice and the parcel',
  '',
  'my parcel has not arrived yet',
  'thanks for the parcel and the invoice',
  'a banana in the box',
  'thanks banana',
  'thanks a lot for the quick help',
  'invoice banana parcel thanks',
];

const margin = (p: readonly number[]) => {
  const [a, b] = [...p].sort((x, y) => y - x);
  return a - (b ?? 0);
};
const entropy = (p: readonly number[]) => -p.reduce((h, x) => h + (x > 0 ? x * Math.log(x) : 0), 0);

suite('Review uncertain lines', function () {
  this.timeout(60_000);
  let api: Services;
  let document: vscode.TextDocument;
  const config = () => vscode.workspace.getConfiguration('textcat');

  suiteSetup(async () => {
    api = await textcatApi();
    await api.worker.train({ path: fixtureUri('labels-train.csv').fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
    await vscode.workspace.fs.writeFile(fixtureUri('review-lines.txt'), new TextEncoder().encode(LINES.join('\n')));
    document = await vscode.workspace.openTextDocument(fixtureUri('review-lines.txt'));
    await vscode.window.showTextDocument(document);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('review.measure', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(fixtureUri('review-lines.txt')).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  });

  async function review(arg: object): Promise<ReviewLine[]> {
    const list = await vscode.commands.executeCommand<ReviewLine[]>('textcat.reviewUncertain', { show: false, ...arg });
    assert.ok(Array.isArray(list), 'the command returns the sorted list');
    return list;
  }

  test('margin (the default): every non-empty line of the active file, smallest margin between the top two first', async () => {
    assert.equal(api.settings.current.review.measure, 'margin');
    const list = await review({});
    assert.deepEqual(
      list.map((l) => l.line).sort((a, b) => a - b),
      [0, 1, 3, 4, 5, 6, 7, 8],
      'each non-empty line once',
    );
    for (const l of list) {
      assert.equal(l.text, LINES[l.line]);
      assert.equal(l.uri.toString(), document.uri.toString());
      assert.ok(Math.abs(l.margin - margin(l.probabilities)) < 1e-9, 'the margin of its probabilities');
      assert.equal(l.confidence, Math.max(...l.probabilities));
    }
    const margins = list.map((l) => l.margin);
    assert.deepEqual(
      [...margins].sort((a, b) => a - b),
      margins,
      `ascending margins: ${margins.join(', ')}`,
    );
    // The clear lines (one keyword) come after the mixed ones.
    assert.ok(
      list.findIndex((l) => l.line === 0) > list.findIndex((l) => l.line === 8),
      JSON.stringify(list.map((l) => [l.line, l.margin.toFixed(3)])),
    );
    // The same predictions as the line labels' classifier.
    const classified = await api.predictor.classify(
      list.map((l) => l.text),
      { remember: false },
    );
    assert.deepEqual(
      classified!.predictions.map((p) => p.label),
      list.map((l) => l.label),
    );
  });

  test('entropy (setting textcat.review.measure): largest entropy first', async () => {
    await config().update('review.measure', 'entropy', vscode.ConfigurationTarget.Workspace);
    await waitFor(
      'setting read',
      () => api.settings.current.review.measure,
      (m) => m === 'entropy',
    );
    const list = await review({});
    assert.equal(list.length, 8);
    for (const l of list) assert.ok(Math.abs(l.entropy - entropy(l.probabilities)) < 1e-9);
    const entropies = list.map((l) => l.entropy);
    assert.deepEqual(
      [...entropies].sort((a, b) => b - a),
      entropies,
      `descending entropies: ${entropies.join(', ')}`,
    );
    await config().update('review.measure', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor(
      'setting back',
      () => api.settings.current.review.measure,
      (m) => m === 'margin',
    );
  });

  test('scope "workspace": the lines of every file matching textcat.labels.include', async () => {
    const list = await review({ scope: 'workspace' });
    const files = new Set(list.map((l) => vscode.workspace.asRelativePath(l.uri)));
    for (const f of ['review-lines.txt', 'labels-lines.txt', 'sample.txt']) assert.ok(files.has(f), `${f} in ${[...files].join(', ')}`);
    assert.ok(![...files].some((f) => f.endsWith('.csv')), 'datasets are not in labels.include');
    assert.ok(list.length <= 5_000);
    const margins = list.map((l) => l.margin);
    assert.deepEqual(
      [...margins].sort((a, b) => a - b),
      margins,
    );
  });

  test('the quick pick: choosing the first entry reveals and selects the most uncertain line', async () => {
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const list = await vscode.commands.executeCommand<ReviewLine[]>('textcat.reviewUncertain');
    await new Promise((r) => setTimeout(r, 300)); // the quick pick is open now
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const first = list[0];
    const selection = await waitFor(
      'the selection',
      () => vscode.window.activeTextEditor?.selection,
      (s) => s?.start.line === first.line,
    );
    assert.equal(selection!.end.character, LINES[first.line].length, 'the whole line is selected');
  });
});
