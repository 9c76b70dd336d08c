import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../../src/extension/services';
import type { ModelSummary } from '../../../src/protocol/types';
import { FakeWebviewView } from './fakeWebviewView';
import { fixtureUri, modelFolder, textcatApi, until } from './helpers';

const CSV_NAME = 'confusion-drill-fixture.csv';

/**
 * Two classes share a text word for word, so whichever the model picks for it, some validation examples of the
 * other are wrong: the matrix has errors for certain. A third class has records that span two lines (a quoted
 * newline), so a record's line differs from its row number.
 */
function datasetRows(): string[] {
  const rows: string[] = [];
  for (let i = 0; i < 15; i++) rows.push(`please refund my invoice number ${i},billing`);
  for (let i = 0; i < 15; i++) rows.push('question about my order,billing');
  for (let i = 0; i < 15; i++) rows.push(`where is my parcel tracking ${i},shipping`);
  for (let i = 0; i < 15; i++) rows.push('question about my order,shipping');
  for (let i = 0; i < 12; i++) rows.push(`"the app crashed, ""again""\nafter update ${i}",bug`);
  return ['text,label', ...rows];
}

suite('Confusion matrix drill-down', function () {
  this.timeout(120_000);
  let services: Services;
  /** The page is untrusted: the tests post to the host as a page would, anything they like, and see its answers. */
  let page: FakeWebviewView;
  let csv: vscode.Uri;
  let modelDir: vscode.Uri;
  let manifest: ModelSummary;
  let hadModel = false;

  suiteSetup(async () => {
    services = await textcatApi();
    ({ modelDir, hadModel } = await modelFolder(services));
    csv = fixtureUri(CSV_NAME);
    await vscode.workspace.fs.writeFile(csv, new TextEncoder().encode(datasetRows().join('\n') + '\n'));
    await vscode.commands.executeCommand('textcat.showMetrics');
    page = await FakeWebviewView.open(services);
    const trained = await services.worker.train({ path: csv.fsPath }, modelDir.fsPath, {
      epochs: 3,
      hiddenUnits: 8,
      embeddingDim: 8,
      validationSplit: 0.3,
      seed: 42,
    }).done;
    await services.model.reload();
    manifest = await until(() => (services.model.manifest?.runId === trained.runId ? services.model.manifest : undefined), 'the new model');
  });

  suiteTeardown(async () => {
    page.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(csv).then(undefined, () => {});
    if (!hadModel) await vscode.workspace.fs.delete(modelDir, { recursive: true }).then(undefined, () => {});
    await services.model.reload();
  });

  test('the model read from its folder keeps its validation examples with their predictions', () => {
    const validation = manifest.metrics.validation!;
    assert.ok(manifest.validationExamples.length > 0);
    assert.equal(manifest.validationExamples.length, validation.count, 'a small set is kept whole');
    const errors = validation.confusion.flatMap((row, t) => row.filter((n, p) => p !== t && n > 0));
    assert.ok(errors.length > 0, `the fixture has confusions: ${JSON.stringify(validation.confusion)}`);
  });

  test('a confusion cell lists exactly the examples of that pair', () => {
    const { labels, confusion } = manifest.metrics.validation!;
    let cells = 0;
    for (const [t, truth] of labels.entries()) {
      for (const [p, predicted] of labels.entries()) {
        const n = confusion[t][p];
        const expected = manifest.validationExamples
          .filter((e) => e.label === truth && e.predicted === predicted)
          .sort((a, b) => a.line - b.line)
          .map(({ text, label, predicted, line }) => ({ text, label, predicted, line }));
        // Through the page's message, as the page asks: the reply is what the host posts.
        const posted = page.posted.length;
        page.send({ type: 'showConfusionCell', truth: t, predicted: p });
        const reply = page.examples();
        assert.ok(reply && page.posted.length === posted + 1, `an answer for cell (${truth}, ${predicted})`);
        assert.equal(reply.runId, manifest.runId);
        assert.deepEqual([reply.truth, reply.predicted], [t, p]);
        assert.equal(reply.total, n, `as many as the matrix counts for (${truth}, ${predicted})`);
        assert.equal(reply.shown, n);
        assert.deepEqual(reply.examples, expected);
        assert.deepEqual(services.metricsView.confusionExamples(t, p), reply, 'the API gives the same');
        if (n > 0) cells++;
      }
    }
    assert.ok(cells >= 3, 'several non-empty cells were checked');
  });

  test('a cell the matrix does not have gets no answer', () => {
    const posted = page.posted.length;
    const k = manifest.metrics.validation!.labels.length;
    for (const [truth, predicted] of [
      [k, 0],
      [0, -1],
      [0.5, 1],
      ['0', '1'],
      [undefined, 0],
    ]) {
      page.send({ type: 'showConfusionCell', truth, predicted });
    }
    assert.equal(page.posted.length, posted, 'nothing was posted');
  });

  test('opening an example shows the dataset with the record’s first line selected', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const example of manifest.validationExamples) {
      const editor = await services.metricsView.openExample(example.line, undefined);
      assert.ok(editor, `opened line ${example.line}`);
      assert.equal(vscode.window.activeTextEditor, editor);
      assert.equal(editor.document.uri.fsPath, csv.fsPath, 'the dataset');
      assert.equal(editor.selection.active.line, example.line - 1);
      const firstLine = editor.document.lineAt(example.line - 1).text;
      assert.equal(editor.document.getText(editor.selection), firstLine, 'the whole line is selected');
      // CSV doubles quotes inside a quoted field; the record's first line holds the text's first line.
      assert.ok(
        firstLine.replace(/""/g, '"').includes(example.text.split('\n')[0]),
        `line ${example.line} is the record of ${JSON.stringify(example.text)}: ${firstLine}`,
      );
    }
    const multiLine = manifest.validationExamples.find((e) => e.text.includes('\n'));
    assert.ok(multiLine, 'a record spanning two lines is in the validation set');

    // And through the page's message.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    page.send({ type: 'openExample', line: multiLine.line });
    const editor = await until(() => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.fsPath === csv.fsPath && e.selection.active.line === multiLine.line - 1 ? e : undefined;
    }, 'the dataset open at the example');
    assert.ok(
      editor.visibleRanges.some((r) => r.contains(editor.selection.active)),
      'the line is revealed',
    );
  });

  test('a forged openExample for another file or line opens nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const other = fixtureUri('sample.txt').fsPath;
    const stored = new Set(manifest.validationExamples.map((e) => e.line));
    const notValidation = Array.from({ length: 80 }, (_, i) => i + 1).find((line) => !stored.has(line))!;
    const forged: [unknown, unknown][] = [
      [1, other],
      [manifest.validationExamples[0].line, other],
      [1, '/etc/passwd'],
      [manifest.validationExamples[0].line, `${csv.fsPath}/../${CSV_NAME}`],
      [notValidation, undefined],
      [String(manifest.validationExamples[0].line), undefined],
      [0, undefined],
    ];
    for (const [line, file] of forged) {
      assert.equal(await services.metricsView.openExample(line, file), undefined, `refused: ${JSON.stringify([line, file])}`);
      page.send({ type: 'openExample', line, file });
    }
    await new Promise((r) => setTimeout(r, 300));
    const files = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme === 'file').map((e) => e.document.uri.fsPath);
    assert.deepEqual(files, [], 'no file was opened');
  });
});
