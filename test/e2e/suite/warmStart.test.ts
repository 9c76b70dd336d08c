// Warm-start retraining from the editor: after rows are appended, Retrain continues the current model (a fine-tune
// whose saved manifest and model summary name its parent and what it added), the notification says so and offers
// Retrain from Scratch, and that command trains anew with the last run's options. In a model folder of its own
// (textcat.modelPath), so the other suites' model is left as it was.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Services } from '../../../src/extension/services';
import type { ModelSummary } from '../../../src/protocol/types';
import { FakeWebviewView } from './fakeWebviewView';
import { captureMessages, fixtureUri, textcatApi, until } from './helpers';

const CSV_NAME = 'warm-start-fixture.csv';
const MODEL_PATH = '.textcat/warm-start-model';
const OPTIONS: Record<string, unknown> = { epochs: 8, hiddenUnits: 8, embeddingDim: 8, bidirectional: false, learningRate: 0.02 };
const NOISE = ['the', 'my', 'please', 'today', 'again', 'with', 'this', 'one'];

/** Two classes told by one keyword each; `extra` rows add a word the first model never saw. */
function rows(extra: number): string[] {
  const out = ['text,label'];
  for (let i = 0; i < 40; i++) {
    const filler = `${NOISE[i % 8]} ${NOISE[(i * 3 + 1) % 8]} ${i}`;
    out.push(`${filler} invoice,billing`, `${filler} parcel,shipping`);
  }
  for (let i = 0; i < extra; i++) out.push(`${NOISE[i % 8]} refund ${NOISE[(i + 3) % 8]},billing`);
  return out;
}

suite('Warm-start retraining', function () {
  this.timeout(180_000);
  let services: Services;
  let csv: vscode.Uri;
  let modelDir: vscode.Uri;
  let page: FakeWebviewView;
  const config = () => vscode.workspace.getConfiguration('textcat');

  suiteSetup(async () => {
    services = await textcatApi();
    csv = fixtureUri(CSV_NAME);
    await vscode.workspace.fs.writeFile(csv, new TextEncoder().encode(rows(0).join('\n') + '\n'));
    await config().update('modelPath', MODEL_PATH, vscode.ConfigurationTarget.Workspace);
    modelDir = await until(
      () => (services.model.modelDir?.fsPath.endsWith('warm-start-model') ? services.model.modelDir : undefined),
      'the model folder',
    );
    await until(() => (services.model.manifest === undefined ? true : undefined), 'no model in the new folder');
    for (const [name, value] of Object.entries(OPTIONS))
      await config().update(`training.${name}`, value, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('textcat.showMetrics');
    page = await FakeWebviewView.open(services);
  });

  suiteTeardown(async () => {
    page.close();
    for (const name of Object.keys(OPTIONS)) await config().update(`training.${name}`, undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('modelPath', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(csv).then(undefined, () => {});
    await vscode.workspace.fs.delete(modelDir, { recursive: true }).then(undefined, () => {});
    await services.model.reload();
  });

  test('Retrain after appending rows continues the model; Retrain from Scratch trains anew with its options', async () => {
    const messages = captureMessages();
    try {
      const first = await vscode.commands.executeCommand<ModelSummary | undefined>('textcat.train', csv);
      assert.ok(first, 'the first model');
      assert.equal(first.parentRunId, undefined);
      await vscode.workspace.fs.writeFile(csv, new TextEncoder().encode(rows(6).join('\n') + '\n'));

      const shownBefore = messages.shown.length;
      const warm = await vscode.commands.executeCommand<ModelSummary | undefined>('textcat.train', { retrain: true });
      assert.ok(warm, 'the fine-tune');
      assert.equal(warm.parentRunId, first.runId);
      assert.ok(warm.warmStart, 'its lineage');
      assert.equal(warm.warmStart.newRows, 6);
      assert.equal(warm.warmStart.newWords, 1, '"refund" is the one new word');
      assert.ok(warm.history.length <= 5, `a warm start's few epochs: ${warm.history.length}`);
      assert.deepEqual(warm.options, first.options, 'the saved options are the parent’s, schedule included');

      // Saved in the folder (the CLI and a later session read the same lineage) and in the run list.
      const saved = JSON.parse(readFileSync(vscode.Uri.joinPath(modelDir, 'textcat.json').fsPath, 'utf8')) as ModelSummary;
      assert.equal(saved.parentRunId, first.runId);
      assert.deepEqual(saved.warmStart, warm.warmStart);
      assert.equal(saved.runs[0].parentRunId, first.runId);
      // The model summary the extension reads, and the state the sidebar draws, report it.
      const summary = await until(
        () => (services.model.manifest?.runId === warm.runId ? services.model.manifest : undefined),
        'the fine-tune',
      );
      assert.deepEqual(summary.warmStart, warm.warmStart);
      const state = await until(() => (page.state()?.model?.runId === warm.runId ? page.state() : undefined), 'the sidebar’s state');
      assert.equal(state.model?.runs.find((r) => r.id === warm.runId)?.parentRunId, first.runId);

      const notice = messages.shown.slice(shownBefore).find((m) => m.severity === 'information');
      assert.ok(notice, 'a notification');
      assert.match(
        notice.message,
        warm.warmStart.keptParent
          ? /did not beat the current model on validation; kept it/
          : /fine-tuned the current model on .*: \+6 rows, \+1 words/,
      );
      assert.deepEqual(notice.items, ['Show Metrics', 'Retrain from Scratch']);

      const scratch = await vscode.commands.executeCommand<ModelSummary | undefined>('textcat.retrainFromScratch');
      assert.ok(scratch, 'the full retrain');
      assert.equal(scratch.parentRunId, undefined);
      assert.equal(scratch.warmStart, undefined);
      assert.equal(scratch.options.epochs, OPTIONS.epochs, 'the first run’s schedule, not the warm start’s');
      assert.equal(scratch.dataset.rows, 86);
      const last = messages.shown.at(-1);
      assert.match(last?.message ?? '', /^Textcat model trained on /, 'the message of any training');
    } finally {
      messages.restore();
    }
  });
});
