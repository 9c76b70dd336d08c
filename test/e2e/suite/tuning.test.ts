// Named to run after the other suites (files run in name order): it leaves an autotuned model in the workspace.
// "Textcat: Train with Autotune…" in the extension host: the search runs in the worker with a tiny budget, each trial
// reaches the sidebar's state while it runs, the saved model's textcat.json keeps the search (its record is what the
// sidebar shows after a reload), and Cancel Training stops a search with the previous model left as it was.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AutotuneRecord, ModelSummary } from '../../../src/protocol/types';
import type { AutotuneView } from '../../../src/protocol/webview';
import { keywordExamples, toCsv } from '../../unit/fixtures';
import { fixtureUri, textcatApi, waitFor } from './helpers';

/** Tiny networks so a trial (3 folds under 2,000 rows) takes seconds; the search changes what is not set here. */
const TRAINING = { epochs: 6, batchSize: 16, hiddenUnits: 8, embeddingDim: 8, threads: 1, patience: 0 };

type Tuned = { manifest: ModelSummary; record: AutotuneRecord };

suite('Train with Autotune', function () {
  this.timeout(240_000);
  const config = () => vscode.workspace.getConfiguration('textcat');
  const file = () => fixtureUri('autotune-labels.csv');

  suiteSetup(async () => {
    await textcatApi();
    for (const [name, value] of Object.entries(TRAINING))
      await config().update(`training.${name}`, value, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(file(), new TextEncoder().encode(toCsv(keywordExamples(240, 3))));
  });

  suiteTeardown(async () => {
    for (const name of Object.keys(TRAINING)) await config().update(`training.${name}`, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(file()).then(undefined, () => undefined);
  });

  test('searches within the budget, shows each trial in the sidebar as it ends, and saves the best with its record', async () => {
    const api = await textcatApi();
    // What the sidebar was told while the command ran: every state with a trial ended and the search still running.
    const seen: AutotuneView[] = [];
    const watch = setInterval(() => {
      const view = api.metricsView.state().autotune;
      if (view?.phase === 'running' && view.trials.length > 0 && seen.at(-1)?.trials.length !== view.trials.length) seen.push(view);
    }, 20);
    let tuned: Tuned | undefined;
    try {
      tuned = await vscode.commands.executeCommand<Tuned>('textcat.trainWithAutotune', { dataset: file(), budget: '15s' });
    } finally {
      clearInterval(watch);
    }
    assert.ok(tuned, 'the command resolves with the saved model and its search');
    const { manifest, record } = tuned;
    assert.ok(seen.length > 0, 'the sidebar had a trial before the search ended');
    assert.deepEqual(seen[0].trials[0].changes, {}, 'the first trial is the starting options');
    assert.equal(seen[0].rows, 240);
    assert.equal(seen[0].folds, 3, 'under 2,000 rows each trial is scored by 3 folds');
    // The live trials are the record's, in order, as they ended.
    for (const view of seen) assert.deepEqual(view.trials, record.trials.slice(0, view.trials.length));

    // The search: the budget, the options set held fixed, the best trial chosen, never below the starting options.
    assert.equal(record.budgetSeconds, 15);
    assert.deepEqual(record.start, TRAINING);
    const scores = record.trials.map((t) => t.validationMacroF1);
    assert.equal(record.chosen, scores.indexOf(Math.max(...scores)) + 1);
    for (const t of record.trials)
      for (const name of Object.keys(TRAINING)) assert.ok(!(name in t.changes), `trial ${t.index} changed ${name}`);
    assert.equal(record.final, 'retrained', 'folds each held a part out: the chosen options train again on every row');

    // textcat.json keeps it, and the extension's model (what the sidebar shows after a reload) reads it back.
    const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.textcat', 'model');
    const saved = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'textcat.json')))) as {
      runId: string;
      autotune: AutotuneRecord;
    };
    assert.equal(saved.runId, manifest.runId);
    assert.deepEqual(saved.autotune, record);
    assert.deepEqual(api.model.manifest?.autotune, record);

    const view = api.metricsView.state().autotune;
    assert.equal(view?.phase, 'done');
    assert.equal(view?.runId, manifest.runId);
    assert.deepEqual(view?.record, record);
    assert.equal(view?.stopped?.why, record.stopped);
  });

  test('Cancel Training stops a search after its first trial: nothing is saved and the sidebar says so', async () => {
    const api = await textcatApi();
    const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.textcat', 'model', 'textcat.json');
    const before = await vscode.workspace.fs.readFile(dir);
    const running = vscode.commands.executeCommand<Tuned | undefined>('textcat.trainWithAutotune', { dataset: file(), budget: '5m' });
    await waitFor(
      'a trial of the search ended',
      () => api.metricsView.state().autotune,
      (view) => view?.phase === 'running' && view.trials.length > 0,
      120_000,
    );
    assert.equal(await vscode.commands.executeCommand('textcat.cancelTraining'), true);
    assert.equal(await running, undefined, 'a cancelled search resolves with nothing');
    assert.deepEqual(await vscode.workspace.fs.readFile(dir), before, 'the previous model is unchanged');
    const view = api.metricsView.state().autotune;
    assert.equal(view?.phase, 'cancelled');
    assert.ok((view?.trials.length ?? 0) >= 1, 'the trials that ran stay listed');
  });
});
