// "Label Line As…" in the extension host: a line of an editor is appended to the model's training dataset
// (a CSV the test writes into the workspace, with quoted texts already in it), byte for byte after what was
// there; a dataset with unsaved edits is refused; the light bulb on a labeled line offers the other classes.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { readDataset } from '../../../src/core/data/dataset';
import type { LabeledLine } from '../../../src/extension/dataset/labelLine';
import type { LineLabel, Services } from '../../../src/extension/services';
import { fixtureUri, textcatApi, waitFor } from './helpers';

const DATASET = 'label-line-train.csv';
const SAMPLE = 'label-line-sample.txt';
const TRICKY = 'He said "hi, there" — 你好，世界';
/** The sample file, 0-based: line 1 is the one with quotes, a comma and CJK. */
const SAMPLE_LINES = ['please check the invoice for me', TRICKY, 'my parcel has not arrived yet', '', 'thanks a lot for the quick help'];
// As in lineLabels.test.ts: small, quick, certain on keyword data.
const OPTIONS = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };

/** The keyword fixture, plus rows whose texts need quoting, in CRLF: the appended rows must follow suit. */
function datasetText(): string {
  const base = readFileSync(fixtureUri('labels-train.csv').fsPath, 'utf8').trimEnd().split('\n');
  const quoted = ['"thanks, ""truly"" great",praise', '"the invoice, again, ""overdue""",billing', '"a parcel, ""lost""",shipping'];
  return [...base, ...quoted].join('\r\n') + '\r\n';
}

suite('Label Line As…', function () {
  this.timeout(60_000);
  let api: Services;
  let datasetPath: string;
  let sampleUri: vscode.Uri;

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  const label = (line: number, name: string) =>
    vscode.commands.executeCommand<LabeledLine[] | undefined>('textcat.labelLine', sampleUri, line, name);

  /** Runs `act` and checks the dataset only grew: what was there is a byte-for-byte prefix of the new file. */
  async function grows(act: () => Thenable<unknown>): Promise<{ result: unknown; added: string }> {
    const before = readFileSync(datasetPath);
    const result = await act();
    const after = readFileSync(datasetPath);
    assert.deepEqual(after.subarray(0, before.length), before, 'the bytes that were there are unchanged');
    return { result, added: after.subarray(before.length).toString('utf8') };
  }

  suiteSetup(async () => {
    api = await textcatApi();
    await removeModel();
    datasetPath = fixtureUri(DATASET).fsPath;
    sampleUri = fixtureUri(SAMPLE);
    writeFileSync(datasetPath, datasetText());
    writeFileSync(sampleUri.fsPath, SAMPLE_LINES.join('\n') + '\n');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeModel(); // the next suite expects no model
    rmSync(datasetPath, { force: true });
    rmSync(sampleUri.fsPath, { force: true });
  });

  test('without a model: nothing is written (the command offers to train)', async () => {
    assert.equal(api.model.manifest, undefined);
    const { result, added } = await grows(() => label(1, 'praise'));
    assert.equal(result, undefined);
    assert.equal(added, '');
  });

  test("labeling a line appends exactly one correctly quoted row, in the file's CRLF style", async () => {
    const train = await api.worker.train({ path: datasetPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    assert.ok(train, 'trained');
    await api.model.reload();
    assert.equal(api.model.manifest?.dataset.path, datasetPath);
    const old = await readDataset(datasetPath);
    assert.ok(
      old.examples.some((e) => e.text === 'thanks, "truly" great'),
      'the dataset already holds quoted texts',
    );

    const { result, added } = await grows(() => label(1, 'praise'));
    assert.equal(added, '"He said ""hi, there"" — 你好，世界",praise\r\n');
    const written = result as LabeledLine[];
    assert.equal(written.length, 1);
    assert.equal(written[0].file, datasetPath);
    assert.equal(written[0].label, 'praise');
    assert.equal(written[0].sourceLine, 1);

    const now = await readDataset(datasetPath);
    assert.equal(now.examples.length, old.examples.length + 1, 'one example more');
    assert.deepEqual(now.examples.slice(0, -1), old.examples, 'the others read back the same');
    assert.deepEqual(now.examples.at(-1), { text: TRICKY, label: 'praise', line: written[0].line });
  });

  test('a second call appends a second row after the first', async () => {
    const first = await readDataset(datasetPath);
    const { result, added } = await grows(() => label(2, 'billing'));
    assert.equal(added, 'my parcel has not arrived yet,billing\r\n');
    const now = await readDataset(datasetPath);
    assert.equal(now.examples.length, first.examples.length + 1);
    assert.deepEqual(
      now.examples.slice(-2).map((e) => [e.text, e.label]),
      [
        [TRICKY, 'praise'],
        ['my parcel has not arrived yet', 'billing'],
      ],
    );
    assert.equal((result as LabeledLine[])[0].line, now.examples.at(-1)!.line);
  });

  test('a dataset open with unsaved edits is refused and left as it is on disk', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(datasetPath));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), 'unsaved,billing\r\n'));
    assert.ok(document.isDirty);
    try {
      const { result, added } = await grows(() => label(0, 'billing'));
      assert.equal(result, undefined, 'refused');
      assert.equal(added, '', 'nothing written');
      assert.ok(document.isDirty, "the edits are still the user's to save");
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    // Saved (clean) and open is fine: the editor reloads the file from disk.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(datasetPath)));
    const { added } = await grows(() => label(4, 'praise'));
    assert.equal(added, 'thanks a lot for the quick help,praise\r\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the light bulb on a labeled line offers "Label as" the three next classes and "Label line as…"', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sampleUri));
    const shown = await waitFor(
      'labels of the sample',
      () => api.lineLabels.shownLabels(editor),
      (l: readonly LineLabel[]) => l.some((x) => x.line === 0),
    );
    const predicted = shown.find((l) => l.line === 0)!.label;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      sampleUri,
      new vscode.Range(0, 3, 0, 3),
    );
    const ours = actions.filter((a) => a.command?.command === 'textcat.labelLine');
    const titles = ours.map((a) => a.title);
    const labelAs = ours.filter((a) => a.title.startsWith('Label as '));
    assert.equal(labelAs.length, 3, `three "Label as" actions: ${JSON.stringify(titles)}`);
    const offered = labelAs.map((a) => a.command!.arguments![2] as string);
    assert.deepEqual([...offered].sort(), api.predictor.labels.filter((l) => l !== predicted).sort(), 'every class but the predicted one');
    for (const a of labelAs) {
      assert.match(a.title, /^Label as .+ \(\d+%\)$/);
      assert.equal(a.kind?.value, 'quickfix.textcat');
      assert.deepEqual(a.command!.arguments!.slice(0, 2).map(String), [sampleUri.toString(), '0']);
    }
    assert.ok(titles.includes('Label line as…'), JSON.stringify(titles));
    // No labeled line (the blank one): no actions.
    const blank = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      sampleUri,
      new vscode.Range(3, 0, 3, 0),
    );
    assert.equal(blank.filter((a) => a.command?.command === 'textcat.labelLine').length, 0);

    // Running an action does what it says.
    const action = labelAs[0];
    const { added } = await grows(() =>
      vscode.commands.executeCommand(action.command!.command, ...(action.command!.arguments! as unknown[])),
    );
    const now = await readDataset(datasetPath);
    assert.deepEqual(now.examples.at(-1), { text: SAMPLE_LINES[0], label: offered[0], line: now.examples.at(-1)!.line });
    assert.ok(added.endsWith('\r\n') && added.split('\r\n').length === 2, `one row: ${JSON.stringify(added)}`);
  });
});
