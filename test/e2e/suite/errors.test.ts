// The one error path, command by command: each command that reads a dataset or a model is given a broken one.
// The command resolves (VS Code never says "command failed"), the user sees the problem as phrased, naming the
// file (and line), with "Open", not an internal error with "Show Log"; and Open shows that file at that line.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Services } from '../../../src/extension/services';
import { captureMessages, fixtureUri, textcatApi, until, type ShownMessage } from './helpers';

const DATASET = 'errors-train.csv';
const OPTIONS = { epochs: 10, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };

suite('One error path: a data error in each command that reads a dataset or a model', function () {
  this.timeout(60_000);
  let api: Services;
  let messages: { readonly shown: ShownMessage[]; restore(): void };

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  /**
   * Runs the command and checks what the user is told: an error matching `says`, with Open only; clicking Open
   * (the stub clicks it) shows `file` with `line` (1-based) selected, or its top when the error has no line.
   */
  async function expectUserError(command: string, args: unknown[], says: RegExp, file: string, line?: number): Promise<void> {
    const result = await vscode.commands.executeCommand(command, ...args);
    assert.equal(result, undefined, `${command} resolves with nothing`);
    const error = await until(() => messages.shown.find((m) => m.severity === 'error' && says.test(m.message)), `the error of ${command}`);
    assert.deepEqual(error.items, ['Open'], `${command}: a user error offers Open: ${error.message}`);
    assert.ok(!messages.shown.some((m) => m.items.includes('Show Log')), `${command}: not reported as an internal error`);
    const at = (line ?? 1) - 1;
    await until(
      () => {
        const editor = vscode.window.activeTextEditor;
        return editor?.document.uri.fsPath === file && editor.selection.active.line === at ? editor : undefined;
      },
      `${file}:${line ?? 1} open after Open`,
    );
  }

  /** An editor whose lines no model has seen, so nothing about them is cached: the worker must be asked. */
  async function freshLines(): Promise<vscode.TextEditor> {
    const content = 'a line never seen before\nand another unseen one\n';
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content }));
  }

  suiteSetup(async () => {
    api = await textcatApi();
    await removeModel();
    writeFileSync(fixtureUri(DATASET).fsPath, readFileSync(fixtureUri('labels-train.csv').fsPath));
    await api.worker.train({ path: fixtureUri(DATASET).fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
  });

  setup(() => {
    messages = captureMessages((m) => (m.severity === 'error' && m.items.includes('Open') ? 'Open' : undefined));
  });

  teardown(async () => {
    messages.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    await removeModel();
    await vscode.workspace.fs.delete(fixtureUri(DATASET)).then(undefined, () => undefined);
  });

  test('Train Classifier… on a malformed dataset: its file and line', async () => {
    const broken = fixtureUri('broken.csv').fsPath;
    await expectUserError('textcat.train', [fixtureUri('broken.csv')], /broken\.csv:3: .*3 fields/, broken, 3);
  });

  test('Evaluate Model on Dataset… on a malformed dataset: its file and line', async () => {
    const broken = fixtureUri('broken.csv').fsPath;
    await expectUserError('textcat.evaluate', [fixtureUri('broken.csv')], /broken\.csv:3: .*3 fields/, broken, 3);
  });

  test('Label Line As… into a dataset whose header lost its columns: the header line', async () => {
    const path = fixtureUri(DATASET).fsPath;
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(/^text,label/, 'words,category'));
    try {
      await expectUserError(
        'textcat.labelLine',
        [fixtureUri('labels-lines.txt'), 0, 'billing'],
        /errors-train\.csv:1: .*no longer has/,
        path,
        1,
      );
      assert.equal(readFileSync(path, 'utf8'), original.replace(/^text,label/, 'words,category'), 'nothing was appended');
    } finally {
      writeFileSync(path, original);
    }
  });

  test('anything else is an internal error: its command named, Show Log, no Open', async () => {
    // No file system serves this scheme (a save dialog never gives one): the write fails, and it is not the data's fault.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('labels-lines.txt')));
    const result = await vscode.commands.executeCommand('textcat.exportPredictions', vscode.Uri.parse('textcat-nowhere:/out.csv'));
    assert.equal(result, undefined);
    const error = await until(() => messages.shown.find((m) => m.severity === 'error'), 'the error message');
    assert.equal(error.message, 'Textcat: Export Predictions… failed with an internal error. The log has the details.');
    assert.deepEqual(error.items, ['Show Log']);
  });

  suite('with a damaged model', () => {
    let modelJson: string;

    suiteSetup(async () => {
      const dir = api.settings.current.modelDir!;
      modelJson = vscode.Uri.joinPath(dir, 'model.json').fsPath;
      writeFileSync(modelJson, '{ "damaged": ');
      // A new textcat.json time tells the worker to load the folder again (its model cache is keyed by it).
      const manifest = vscode.Uri.joinPath(dir, 'textcat.json').fsPath;
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(manifest, readFileSync(manifest));
    });

    test('Classify Selection: the model file', async () => {
      await freshLines();
      await expectUserError('textcat.classifySelection', [], /model\.json: is not valid JSON/, modelJson);
    });

    test('Export Predictions…: the model file, and nothing written', async () => {
      await freshLines();
      const target = fixtureUri('exports/errors.csv');
      await expectUserError('textcat.exportPredictions', [target], /model\.json: is not valid JSON/, modelJson);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(target)), 'no export file');
    });

    test('Review Uncertain Lines: the model file', async () => {
      await freshLines();
      await expectUserError('textcat.reviewUncertain', [{ show: false }], /model\.json: is not valid JSON/, modelJson);
    });
  });
});
