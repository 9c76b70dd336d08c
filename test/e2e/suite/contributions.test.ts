// What the extension contributes beyond its commands' work, in the extension host: the keybinding of Label Line
// As… (bound to nothing else in the running VS Code), Export Model… (ONNX and tokenizer, Reveal; a file that is
// not an earlier export is left alone), a cancellable Evaluate that says nothing when cancelled, and exported
// predictions never offered as training data.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Evaluation } from '../../../src/extension/model/modelState';
import type { Services } from '../../../src/extension/services';
import { findDatasets, looksLikeDataset } from '../../../src/extension/training/datasetSearch';
import type { OnnxExport } from '../../../src/protocol/types';
import { cancelProgress, captureMessages, fixtureUri, textcatApi, until } from './helpers';

const OPTIONS = { epochs: 10, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };

suite('Contributions: keybinding, Export Model…, cancellable Evaluate, datasets offered', function () {
  this.timeout(60_000);
  let api: Services;

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  suiteSetup(async () => {
    api = await textcatApi();
    await removeModel();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(fixtureUri('exports'), { recursive: true }).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(fixtureUri('contrib.predictions.csv')).then(undefined, () => undefined);
    await removeModel();
  });

  test('Label Line As… is bound to ctrl+k l, which no default keybinding of this VS Code uses', async () => {
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const text = await until(() => vscode.window.activeTextEditor?.document.getText() || undefined, 'the default keybindings');
    // The file lists every keybinding, the extensions' included: { "key": "ctrl+k l", "command": "…", "when": "…" }.
    const bound = [...text.matchAll(/"key":\s*"ctrl\+k l",\s*"command":\s*"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(bound, ['textcat.labelLine'], `ctrl+k l is bound to: ${bound.join(', ')}`);
  });

  test('Export Model… with no model says so and offers to train', async () => {
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand('textcat.exportModel', fixtureUri('exports/none.onnx')), undefined);
      const told = await until(() => messages.shown.find((m) => m.severity === 'information'), 'the message');
      assert.equal(told.message, 'There is no Textcat model to export yet.');
      assert.deepEqual(told.items, ['Train Classifier…']);
    } finally {
      messages.restore();
    }
    assert.equal(existsSync(fixtureUri('exports/none.onnx').fsPath), false);
  });

  test('Export Model… writes the ONNX file and its tokenizer beside it, and offers Reveal', async () => {
    await api.worker.train({ path: fixtureUri('labels-train.csv').fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
    mkdirSync(fixtureUri('exports').fsPath, { recursive: true });
    const messages = captureMessages();
    let result: OnnxExport | undefined;
    try {
      result = await vscode.commands.executeCommand<OnnxExport>('textcat.exportModel', fixtureUri('exports/model.onnx'));
    } finally {
      messages.restore();
    }
    assert.ok(result, 'the command resolves with what was written');
    assert.equal(result.files.onnx, fixtureUri('exports/model.onnx').fsPath);
    assert.equal(result.files.tokenizer, fixtureUri('exports/model.tokenizer.json').fsPath);
    assert.equal(readFileSync(result.files.onnx).length, result.onnxBytes);
    assert.ok(result.onnxBytes > 1_000);
    const tokenizer = JSON.parse(readFileSync(result.files.tokenizer, 'utf8')) as {
      format: string;
      labels: string[];
      ngrams?: { input: string; hashes: number[] };
    };
    assert.equal(tokenizer.format, 'textcat-tokenizer');
    assert.deepEqual(tokenizer.labels, api.model.manifest?.labels);
    // A model trained with the default options has the wide n-gram path, and exports it.
    assert.equal(tokenizer.ngrams?.input, 'ngram_ids');
    assert.equal(tokenizer.ngrams.hashes.length + 1, api.model.manifest?.shape.ngramRows);
    const told = messages.shown.find((m) => m.severity === 'information');
    assert.match(told?.message ?? '', /^Textcat: exported the model to exports\/model\.onnx \(\d+\.\d MB\) and model\.tokenizer\.json\.$/);
    assert.deepEqual(told?.items, ['Reveal']);
    // A second export over the first replaces it (it is ours).
    assert.ok(await vscode.commands.executeCommand<OnnxExport>('textcat.exportModel', fixtureUri('exports/model.onnx')));
  });

  test('Export Model… over a file that is not an earlier export leaves it alone and names it, with Open', async () => {
    const target = fixtureUri('exports/notes.onnx').fsPath;
    writeFileSync(target, 'my own notes\n');
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand('textcat.exportModel', vscode.Uri.file(target)), undefined);
      const error = await until(() => messages.shown.find((m) => m.severity === 'error'), 'the error');
      assert.match(error.message, /notes\.onnx.*not a Textcat export/);
      assert.deepEqual(error.items, ['Open']);
    } finally {
      messages.restore();
    }
    assert.equal(readFileSync(target, 'utf8'), 'my own notes\n');
    assert.equal(existsSync(fixtureUri('exports/notes.tokenizer.json').fsPath), false);
  });

  test('Evaluate Model on Dataset… is cancellable, and a cancel the user asked for shows no message', async () => {
    assert.ok(api.model.manifest, 'the model of the export test');
    const before = api.model.evaluation;
    const progress = cancelProgress();
    const messages = captureMessages();
    let result: Evaluation;
    try {
      result = await vscode.commands.executeCommand<Evaluation>('textcat.evaluate', fixtureUri('tickets.csv'));
      await new Promise((r) => setTimeout(r, 200)); // a message would come after the command resolved
    } finally {
      progress.restore();
      messages.restore();
    }
    assert.equal(result, undefined);
    assert.equal(progress.shown[0]?.cancellable, true, 'the progress offers Cancel');
    assert.deepEqual(messages.shown, [], 'no toast: the user asked for it');
    assert.equal(api.model.evaluation, before, 'no evaluation stored');
  });

  test('exported predictions (x.predictions.csv) are not offered as training data', async () => {
    const csv = 'line,text,label,confidence,p_billing\n1,please check the invoice,billing,0.9,0.9\n';
    writeFileSync(fixtureUri('contrib.predictions.csv').fsPath, csv);
    assert.equal(await looksLikeDataset(fixtureUri('contrib.predictions.csv')), false);
    const offered = (await findDatasets()).map((u) => vscode.workspace.asRelativePath(u));
    assert.ok(offered.includes('tickets.csv'), offered.join(', '));
    assert.ok(!offered.some((f) => f.includes('.predictions.')), offered.join(', '));
  });
});
