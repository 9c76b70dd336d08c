import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { metricsHtml } from '../../../src/extension/metrics/metricsHtml';
import type { Services } from '../../../src/extension/services';
import type { ModelSummary, TrainProgress } from '../../../src/protocol/types';
import type { MetricsViewState } from '../../../src/protocol/webview';
import { FakeWebviewView } from './fakeWebviewView';
import { activateTextcat, fixtureUri, modelFolder, textcatApi, until } from './helpers';

/** A label that would become an element if any part of the page parsed dataset strings as HTML. */
const MARKUP = '<img src=x onerror=alert(1)>';
const CLASSES: Record<string, (i: number) => string> = {
  spam: (i) => `win a free prize now click here offer ${i}`,
  ham: (i) => `see you at lunch tomorrow with the team ${i}`,
  [MARKUP]: (i) => `the server returned error code ${500 + i} again`,
};
const CSV_NAME = 'metrics-view-fixture.csv';

suite('Metrics view', function () {
  this.timeout(120_000);
  let services: Services;
  /** The page the provider is given (as VS Code gives it one): what it is sent is what the page would draw. */
  let page: FakeWebviewView;
  let csv: vscode.Uri;
  let modelDir: vscode.Uri;
  let hadModel = false;

  suiteSetup(async () => {
    services = await textcatApi();
    ({ modelDir, hadModel } = await modelFolder(services));
    csv = fixtureUri(CSV_NAME);
    const rows = Object.entries(CLASSES).flatMap(([label, text]) => Array.from({ length: 20 }, (_, i) => `${text(i)},${label}`));
    await vscode.workspace.fs.writeFile(csv, new TextEncoder().encode(['text,label', ...rows].join('\n') + '\n'));
  });

  suiteTeardown(async () => {
    // Leave the workspace as the other suites expect it: no fixture file, and no model if there was none.
    await vscode.workspace.fs.delete(csv).then(undefined, () => {});
    page?.close();
    if (!hadModel) await vscode.workspace.fs.delete(modelDir, { recursive: true }).then(undefined, () => {});
    services.model.setTraining({ kind: 'idle' });
    await services.model.reload();
  });

  test('is contributed to the Textcat activity-bar container', async () => {
    const extension = await activateTextcat();
    const { contributes } = extension.packageJSON as {
      contributes: { viewsContainers: { activitybar: { id: string }[] }; views: { textcat: { id: string; type?: string }[] } };
    };
    assert.ok(contributes.viewsContainers.activitybar.some((c) => c.id === 'textcat'));
    assert.ok(contributes.views.textcat.some((v) => v.id === 'textcat.metrics' && v.type === 'webview'));
  });

  test('can be shown with Textcat: Show Metrics, and then sends the page its state', async () => {
    await vscode.commands.executeCommand('textcat.showMetrics');
    page = await FakeWebviewView.open(services);
    assert.match(page.view.webview.html, /<script nonce="[^"]+" src="[^"]*dist\/webview\.js">/, 'the page is served its bundle');
    const state = await until(() => page.state(), 'the first state posted to the page');
    assert.equal(state.hasWorkspace, true);
  });

  test('its page allows only its own nonce-tagged script and the extension’s style sheets', () => {
    const html = metricsHtml({
      cspSource: 'https://ext.test',
      nonce: 'N0nce',
      script: 'https://ext.test/dist/webview.js',
      styles: ['https://ext.test/media/metrics.css'],
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
    assert.match(csp, /style-src https:\/\/ext\.test 'nonce-N0nce'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, ['<script nonce="N0nce" src="https://ext.test/dist/webview.js">']);
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
  });

  test('its page speaks the display language: <html lang> and the string bundle, which stays inside its attribute', () => {
    const page = { cspSource: 'https://ext.test', nonce: 'N0nce', script: 'https://ext.test/dist/webview.js', styles: [] };
    const bundle = { 'Confusion matrix': '混淆矩阵', 'a "quote" </body><script>': `${MARKUP} & "x"` };
    const html = metricsHtml({ ...page, l10n: { language: 'zh-cn', bundle } });
    assert.match(html, /<html lang="zh-cn">/);
    const attribute = /<body data-l10n="([^"]*)">/.exec(html)?.[1];
    assert.ok(attribute, 'the bundle is an attribute of <body>');
    assert.deepEqual(
      JSON.parse(
        attribute
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&amp;/g, '&'),
      ),
      bundle,
    );
    assert.equal([...html.matchAll(/<script\b/g)].length, 1, 'no script from the bundle');
    assert.doesNotMatch(html, /<img/, 'no element from the bundle');
    // English has no bundle (vscode.l10n.bundle is undefined): the page keeps its own messages.
    const english = metricsHtml({ ...page, l10n: { language: 'en' } });
    assert.match(english, /<html lang="en">[\s\S]*<body>/);
  });

  test('after training, the posted state has curves, confusion matrix, per-class scores, calibration and the run', async () => {
    const manifest: ModelSummary = await services.worker.train({ path: csv.fsPath }, modelDir.fsPath, {
      epochs: 3,
      hiddenUnits: 8,
      embeddingDim: 8,
    }).done;
    await services.model.reload();
    const state = await until(() => {
      const s = page.state();
      return s?.model?.runId === manifest.runId ? s : undefined;
    }, 'a posted state with the new model');
    const model = state.model!;
    const n = Object.keys(CLASSES).length;

    assert.deepEqual([...model.labels].sort(), Object.keys(CLASSES).sort());
    assert.ok(model.labels.includes(MARKUP), 'the markup label reaches the page unchanged (the page escapes it)');
    assert.equal(model.dataset.rows, 60);
    assert.equal(model.dataset.classCounts[MARKUP], 20);
    assert.ok(model.dataset.lengthHistogram.counts.length > 0);
    assert.deepEqual(model.dataset.columns.text, 'text');

    assert.equal(model.history.length, 3, 'one curve point per epoch');
    for (const epoch of model.history) {
      assert.ok(Number.isFinite(epoch.loss) && Number.isFinite(epoch.validationLoss!), 'training and validation loss');
      assert.ok(epoch.accuracy >= 0 && epoch.validationAccuracy! >= 0, 'training and validation accuracy');
    }

    const validation = model.metrics.validation!;
    assert.equal(validation.confusion.length, n);
    assert.ok(validation.confusion.every((row) => row.length === n));
    assert.equal(
      validation.confusion.flat().reduce((a, b) => a + b, 0),
      validation.count,
    );
    assert.equal(validation.perClass.length, n);
    assert.ok(validation.perClass.some((c) => c.label === MARKUP));
    assert.ok(validation.macroF1 >= 0 && validation.macroF1 <= 1);
    assert.ok(validation.reliability.length > 0 && Number.isFinite(validation.ece));

    assert.equal(model.runs[0].id, manifest.runId, 'the new run heads the run list');
    assert.equal(model.runs[0].history.length, 3);
    assert.ok(!('validationExamples' in model) && !('tokenizer' in model), 'the page is not sent what it never shows');
    assert.equal(state.training, undefined);
  });

  test('training progress reaches the page (batch and epoch points), at most about four times a second', async () => {
    const progress = (epoch: number, batch: number, epochDone = false): TrainProgress => ({
      epoch,
      epochs: 2,
      batch,
      batches: 10,
      loss: 1 / (epoch * 10 + batch),
      accuracy: 0.5,
      samplesPerSecond: 100,
      etaSeconds: 5,
      ...(epochDone ? { validationLoss: 0.5, validationAccuracy: 0.6, epochDone } : {}),
    });
    const history: TrainProgress[] = [];
    const posted: MetricsViewState[] = [];
    const watch = setInterval(() => {
      const s = page.state();
      if (s && posted.at(-1) !== s) posted.push(s);
    }, 5);
    const started = Date.now();
    try {
      for (let batch = 1; batch <= 10; batch++) {
        services.model.setTraining({ kind: 'training', dataset: csv, history, progress: progress(1, batch) });
        await new Promise((r) => setTimeout(r, 20));
      }
      const done = progress(1, 10, true);
      history.push(done);
      services.model.setTraining({ kind: 'training', dataset: csv, history, progress: done });
      const live = await until(() => {
        const t = page.state()?.training;
        return t?.epochs.length === 1 ? t : undefined;
      }, 'the epoch report on the page');
      assert.equal(live.dataset, CSV_NAME);
      assert.ok(live.batches.length >= 1, 'batch-level points');
      assert.ok(
        live.batches.every((b, i, all) => b.x > 0 && b.x <= 1 && (i === 0 || b.x > all[i - 1].x)),
        'batch x in epochs, increasing',
      );
      assert.equal(live.epochs[0].validationLoss, 0.5);
      const training = posted.filter((s) => s.training);
      const seconds = (Date.now() - started) / 1000;
      assert.ok(training.length <= Math.ceil(seconds * 4) + 1, `${training.length} posts in ${seconds.toFixed(2)} s`);
    } finally {
      clearInterval(watch);
      services.model.setTraining({ kind: 'idle' });
    }
    assert.equal(page.state()?.training, undefined, 'the page leaves the live view when training ends');
  });

  test('an evaluation is sent to the page, and cleared with it', () => {
    const metrics = services.model.manifest?.metrics.validation;
    assert.ok(metrics, 'a model from the previous test');
    services.model.setEvaluation({ dataset: csv.fsPath, metrics, unknownLabels: [] });
    assert.equal(page.state()?.evaluation?.dataset, csv.fsPath);
    services.model.setEvaluation(undefined);
    assert.equal(page.state()?.evaluation, undefined);
  });

  test('the page may run only the commands it is allowed to', async () => {
    let ran = false;
    const probe = vscode.commands.registerCommand('textcat.test.notAllowed', () => (ran = true));
    try {
      // A page that posts anything it likes.
      page.send({ type: 'runCommand', command: 'textcat.test.notAllowed' });
      page.send({ type: 'runCommand', command: { toString: () => 'textcat.test.notAllowed' } });
      page.send({ type: 'somethingElse' });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(ran, false);
    } finally {
      probe.dispose();
    }
  });
});
