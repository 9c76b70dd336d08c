import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Evaluation } from '../../../src/extension/model/modelState';
import type { Services } from '../../../src/extension/services';
import { resolveDatasetArgument } from '../../../src/extension/training/datasetArgument';
import type { ModelSummary } from '../../../src/protocol/types';
import { captureMessages, fixtureUri, nextEvent, textcatApi, until } from './helpers';

/** A tiny network so each run takes a second or two. */
const TINY: Record<string, unknown> = { epochs: 3, hiddenUnits: 8, embeddingDim: 8, bidirectional: false, learningRate: 0.01 };

async function setTraining(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('textcat.training');
  for (const [name, value] of Object.entries(values)) await config.update(name, value, vscode.ConfigurationTarget.Workspace);
}

async function resetTraining(): Promise<void> {
  const config = vscode.workspace.getConfiguration('textcat.training');
  for (const name of ['epochs', 'hiddenUnits', 'embeddingDim', 'bidirectional', 'learningRate', 'patience']) {
    await config.update(name, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/** Every file of the model folder and its bytes, to tell that nothing was touched. */
async function snapshot(dir: vscode.Uri): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
    if (type === vscode.FileType.File)
      out[name] = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name))).toString('base64');
  }
  return out;
}

/** What the status bar item shows, its tooltip as text. */
function statusTooltip(s: Services): string {
  const t = s.statusBar.item.tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
}

suite('Training', function () {
  this.timeout(120_000);
  let services: Services;
  let modelDir: vscode.Uri;

  suiteSetup(async () => {
    services = await textcatApi();
    await setTraining(TINY);
    assert.ok(services.model.modelDir, 'the fixture workspace gives a model folder');
    modelDir = services.model.modelDir;
  });
  suiteTeardown(resetTraining);

  test('with no model, the status bar says so and Reveal Model Folder offers to train instead', async () => {
    // Another suite may have trained already: point textcat.modelPath at an empty folder for a moment.
    const config = vscode.workspace.getConfiguration('textcat');
    await config.update('modelPath', '.textcat/no-model-here', vscode.ConfigurationTarget.Workspace);
    try {
      if (services.model.manifest) await nextEvent(services.model.onDidChangeModel, (m) => m === undefined, 10_000);
      assert.match(services.statusBar.item.text, /Textcat: no model/);
      assert.equal(await vscode.commands.executeCommand('textcat.openModelFolder'), false);
      assert.equal(await vscode.commands.executeCommand('textcat.evaluate', fixtureUri('tickets.csv')), undefined);
    } finally {
      await config.update('modelPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.equal(services.model.modelDir?.path, fixtureUri('.textcat/model').path);
  });

  test('Cancel Training with nothing running says so and returns false', async () => {
    assert.equal(await vscode.commands.executeCommand('textcat.cancelTraining'), false);
  });

  test('textcat.train on a fixture CSV writes the model folder and updates the model state and status bar', async () => {
    const statusTexts: string[] = [];
    const listener = services.model.onDidChangeTraining(() => statusTexts.push(services.statusBar.item.text));
    const messages = captureMessages();
    let manifest: ModelSummary | undefined;
    try {
      manifest = await vscode.commands.executeCommand<ModelSummary | undefined>('textcat.train', fixtureUri('tickets.csv'));
    } finally {
      messages.restore();
      listener.dispose();
    }

    assert.ok(manifest, 'train resolves with the manifest');
    assert.deepEqual([...manifest.labels].sort(), ['account', 'billing', 'bug']);
    assert.equal(manifest.dataset.columns.text, 'text');
    assert.equal(manifest.dataset.columns.label, 'label');
    assert.equal(manifest.options.hiddenUnits, 8, 'the workspace settings reach the worker');
    assert.equal(manifest.history.length, 3);
    for (const file of ['model.json', 'weights.bin', 'textcat.json']) {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(modelDir, file));
      assert.ok(stat.size > 0, `${file} is empty`);
    }
    assert.equal(services.model.manifest?.runId, manifest.runId, 'ModelState holds the new model');
    assert.equal(services.model.training.kind, 'idle');
    // The run ended trained: the user is told so, with its figures, and nothing went wrong.
    const told = messages.shown.find((m) => m.severity === 'information');
    assert.match(told?.message ?? '', /^Textcat model trained on tickets\.csv: accuracy \d+\.\d%, macro-F1 \d\.\d{3}\.$/);
    assert.deepEqual(told?.items, ['Show Metrics', 'Label Current File']);
    assert.deepEqual(
      messages.shown.filter((m) => m.severity === 'error'),
      [],
    );

    assert.ok(
      statusTexts.some((t) => /Textcat: training \d+\/3/.test(t)),
      `status while training: ${JSON.stringify(statusTexts)}`,
    );
    assert.match(services.statusBar.item.text, /account·billing·bug \d+\.\d%/);
    assert.match(statusTooltip(services), /3 classes/);
  });

  test('a second training replaces the model and keeps the earlier run in the manifest', async () => {
    const before = services.model.manifest;
    assert.ok(before);
    const manifest = await vscode.commands.executeCommand<ModelSummary | undefined>('textcat.train', fixtureUri('tickets.csv'));
    assert.ok(manifest);
    assert.notEqual(manifest.runId, before.runId);
    assert.ok(
      manifest.runs.some((r) => r.id === before.runId),
      'the previous run is listed',
    );
    assert.equal(services.model.manifest?.runId, manifest.runId);
  });

  test('"Retrain on the same dataset" repeats the last run\'s options, not the settings changed since', async () => {
    const before = services.model.manifest;
    assert.ok(before);
    await setTraining({ ...TINY, hiddenUnits: 16 });
    try {
      const manifest = await vscode.commands.executeCommand<ModelSummary | undefined>('textcat.train', { retrain: true });
      assert.ok(manifest);
      assert.notEqual(manifest.runId, before.runId);
      assert.equal(manifest.dataset.path, before.dataset.path);
      assert.deepEqual(manifest.options, before.options);
      assert.deepEqual(
        [manifest.dataset.columns.text, manifest.dataset.columns.label],
        [before.dataset.columns.text, before.dataset.columns.label],
      );
    } finally {
      await setTraining(TINY);
    }
  });

  test('Cancel Training stops a long run and leaves the previous model folder byte-identical', async () => {
    const before = await snapshot(modelDir);
    const runId = services.model.manifest?.runId;
    assert.ok(runId && before['weights.bin'], 'a model from the tests before');
    // The default-sized network for a thousand epochs: tens of seconds, so the cancel lands mid-run.
    await setTraining({ epochs: 1000, patience: 0, hiddenUnits: 64, embeddingDim: 64, bidirectional: true });
    const messages = captureMessages();
    try {
      const training = vscode.commands.executeCommand<ModelSummary | undefined>('textcat.train', fixtureUri('tickets.csv'));
      // Wait until it really trains (past loading), then cancel as a user would.
      await nextEvent(services.model.onDidChangeTraining, (s) => s.kind === 'training' && (s.progress?.epoch ?? 0) >= 2);
      assert.match(services.statusBar.item.text, /Textcat: training \d+\/1000/);
      assert.equal(await vscode.commands.executeCommand('textcat.cancelTraining'), true);
      assert.equal(await training, undefined, 'a cancelled training resolves with undefined');
    } finally {
      messages.restore();
      await setTraining(TINY);
      await vscode.workspace.getConfiguration('textcat.training').update('patience', undefined, vscode.ConfigurationTarget.Workspace);
    }
    // Cancelled, not failed: no error was shown; and no toast at all, since the user asked for it.
    assert.deepEqual(
      messages.shown.filter((m) => m.severity === 'error'),
      [],
    );
    assert.deepEqual(messages.shown, [], 'no notification for a cancel the user asked for');
    assert.deepEqual(await snapshot(modelDir), before, 'the model folder is unchanged');
    assert.equal(services.model.manifest?.runId, runId);
    assert.equal(services.model.training.kind, 'idle');
    assert.doesNotMatch(services.statusBar.item.text, /training/);
  });

  test('a malformed dataset gives an error naming file and line, and no model change', async () => {
    const before = await snapshot(modelDir);
    const runId = services.model.manifest?.runId;
    const messages = captureMessages();
    try {
      const result = await vscode.commands.executeCommand('textcat.train', fixtureUri('broken.csv'));
      assert.equal(result, undefined);
      // A user error: shown as phrased (file and line), with Open; not an internal error with Show Log.
      const error = await until(() => messages.shown.find((m) => m.severity === 'error'), 'the error message');
      assert.match(error.message, /broken\.csv:3: .*3 fields/);
      assert.deepEqual(error.items, ['Open']);
    } finally {
      messages.restore();
    }
    assert.deepEqual(await snapshot(modelDir), before);
    assert.equal(services.model.manifest?.runId, runId);
    assert.equal(services.model.training.kind, 'idle');
  });

  test('Evaluate Model on Dataset stores the metrics in ModelState and fires onDidChangeEvaluation', async () => {
    const fired = nextEvent(services.model.onDidChangeEvaluation, (e) => e !== undefined);
    const evaluation = await vscode.commands.executeCommand<Evaluation>('textcat.evaluate', fixtureUri('tickets.csv'));
    assert.ok(evaluation);
    assert.equal(evaluation.dataset, 'tickets.csv');
    assert.equal(evaluation.metrics.count, 60);
    assert.ok(evaluation.metrics.accuracy >= 0 && evaluation.metrics.accuracy <= 1);
    assert.deepEqual(evaluation.unknownLabels, []);
    assert.deepEqual(await fired, evaluation);
    assert.deepEqual(services.model.evaluation, evaluation);
  });

  test('Reveal Model Folder reveals it when there is a model', async () => {
    assert.equal(await vscode.commands.executeCommand('textcat.openModelFolder'), true);
  });

  test('the walkthrough argument names the bundled example', () => {
    const extensionUri = services.context.extensionUri;
    const uri = resolveDatasetArgument({ example: 'tickets' }, extensionUri);
    assert.ok(uri?.path.endsWith('/examples/tickets/train.csv'));
    assert.equal(resolveDatasetArgument({ example: '../../etc' }, extensionUri), undefined);
  });
});
