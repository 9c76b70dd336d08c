// Inline labels, Classify Selection and Export Predictions against a real model, in the extension host.
// The model is trained by the worker directly (services.worker.train) on a fixture whose classes are each
// decided by one keyword, so every expected label is certain.
import * as assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import * as vscode from 'vscode';
import type { LineLabel, Services } from '../../../src/extension/services';
import type { Prediction } from '../../../src/protocol/types';
import { fixtureUri, longestStall, textcatApi, textcatHover, waitFor } from './helpers';

const SAMPLE = 'labels-lines.txt';
const MARKUP = '<img src=x onerror=alert(1)> | *odd*';
/** labels-lines.txt, line by line (0-based), with the class of its keyword in each training file. */
const EXPECTED = [
  { line: 0, text: 'please check the invoice for me', first: 'billing', retrained: 'money' },
  { line: 1, text: 'my parcel has not arrived yet', first: 'shipping', retrained: 'delivery' },
  { line: 3, text: 'thanks a lot for the quick help', first: 'praise', retrained: 'happy' },
  { line: 4, text: 'the invoice says "paid", twice', first: 'billing', retrained: 'money' },
  { line: 5, text: 'a banana in the box', first: MARKUP, retrained: 'fruit' },
];
// Small and quick (well under a second) yet certain on this data: validation accuracy 100 %.
const OPTIONS = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('textcat');
}

suite('Line labels', function () {
  this.timeout(60_000);
  let api: Services;

  async function removeModel(): Promise<void> {
    const dir = api.settings.current.modelDir!;
    await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  async function train(dataset: string): Promise<void> {
    await api.worker.train({ path: fixtureUri(dataset).fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
  }

  async function openSample(): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(SAMPLE)));
  }

  const shown = (): readonly LineLabel[] =>
    vscode.window.activeTextEditor ? api.lineLabels.shownLabels(vscode.window.activeTextEditor) : [];
  const labelsOf = (list: readonly LineLabel[]) => list.map((l) => [l.line, l.label]);

  suiteSetup(async () => {
    api = await textcatApi();
    assert.ok(api.settings.current.modelDir, 'the suite runs with a workspace folder, so there is a model folder');
    await removeModel();
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['labels.minConfidence', 'labels.lowConfidence', 'labels.showConfidence'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await removeModel(); // leave the workspace as the next suite expects it: no model
  });

  test('without a model: toggling returns false (and offers to train), nothing is drawn', async () => {
    await openSample();
    assert.equal(api.predictor.hasModel(), false);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), false);
    assert.deepEqual(shown(), []);
    assert.equal(await vscode.commands.executeCommand('textcat.classifySelection'), undefined);
  });

  test('once a model is saved, each non-empty line of a file matching labels.include shows its label and confidence', async () => {
    await train('labels-train.csv');
    const editor = await openSample();
    assert.deepEqual(editor.document.getText().split('\n').slice(0, 6), [
      EXPECTED[0].text,
      EXPECTED[1].text,
      '',
      EXPECTED[2].text,
      EXPECTED[3].text,
      EXPECTED[4].text,
    ]);
    const list = await waitFor('labels of labels-lines.txt', shown, (l) => l.length === EXPECTED.length);
    assert.deepEqual(
      labelsOf(list),
      EXPECTED.map((e) => [e.line, e.first]),
    );
    for (const l of list) {
      assert.equal(l.text, `${l.label} ${Math.round(l.confidence * 100)}%`);
      assert.ok(l.confidence > 0.5 && !l.dimmed, `line ${l.line} is confident: ${l.confidence}`);
    }
  });

  test('the hover lists every class with its probability, most likely first, escaped, no HTML', async () => {
    const editor = await openSample();
    await waitFor('labels', shown, (l) => l.length === EXPECTED.length);
    const hoverText = async (line: number) => {
      const hover = await textcatHover(editor.document.uri, new vscode.Position(line, 3));
      // Untrusted but for the "Correct to" links: only textcat.labelLine may run (explain.test.ts checks them).
      assert.deepEqual(hover.isTrusted, { enabledCommands: ['textcat.labelLine'] }, 'no command but textcat.labelLine');
      assert.ok(!hover.supportHtml, 'no HTML');
      return hover.value;
    };
    const markdown = await hoverText(5);
    const rows = markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Class') && !l.startsWith('| :--'));
    assert.equal(rows.length, 4, `a row per class:\n${markdown}`);
    // The markup label is escaped character by character: it reads literally, adds no cell, no HTML.
    const escapedMarkup = '\\<img src\\=x onerror\\=alert\\(1\\)\\> \\| \\*odd\\*';
    assert.ok(rows[0].startsWith(`| ${escapedMarkup} | `), `the most likely class first, escaped: ${rows[0]}`);
    const title = markdown.split('\n')[0];
    assert.equal(title.replace(/ \(.*%\)$/, ''), `**Textcat**: ${escapedMarkup}`, 'the predicted class in the title, escaped too');
    const percents = rows.map((r) => Number(/\| ([\d\\.]+)\\% \|$/.exec(r)![1].replace(/\\/g, '')));
    assert.deepEqual(
      [...percents].sort((a, b) => b - a),
      percents,
      'sorted by probability, descending',
    );
    assert.ok(Math.abs(percents.reduce((a, b) => a + b, 0) - 100) < 0.5, `probabilities add up to 100 %: ${percents.join(', ')}`);
    for (const label of ['billing', 'shipping', 'praise'])
      assert.ok(
        rows.some((r) => r.startsWith(`| ${label} | `)),
        `${label} listed`,
      );
    assert.ok(
      (await hoverText(0)).split('\n').find((l) => l.startsWith('| billing')),
      'line 1 shows billing',
    );
    const blank = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(2, 0),
    );
    assert.ok(
      !blank.some((h) => h.contents.some((c) => c instanceof vscode.MarkdownString && c.value.startsWith('**Textcat**'))),
      'no hover on a blank line',
    );
  });

  test('Toggle Line Labels turns them off and on again for the active editor', async () => {
    await openSample();
    await waitFor('labels', shown, (l) => l.length === EXPECTED.length);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), false);
    await waitFor('no labels after toggling off', shown, (l) => l.length === 0);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), true);
    await waitFor('labels after toggling on', shown, (l) => l.length === EXPECTED.length);
  });

  test('labels under labels.minConfidence are dimmed, or hidden; showConfidence false drops the percentage', async () => {
    await openSample();
    await waitFor('labels', shown, (l) => l.length === EXPECTED.length);
    try {
      await config().update('labels.minConfidence', 1, vscode.ConfigurationTarget.Workspace);
      const dimmed = await waitFor(
        'dimmed labels',
        shown,
        (l) => l.length === EXPECTED.length && l.every((x) => x.dimmed === x.confidence < 1) && l.some((x) => x.dimmed),
      );
      assert.deepEqual(
        labelsOf(dimmed),
        EXPECTED.map((e) => [e.line, e.first]),
        'dimmed, still shown',
      );
      await config().update('labels.lowConfidence', 'hide', vscode.ConfigurationTarget.Workspace);
      const kept = await waitFor('low-confidence labels hidden', shown, (l) => l.length < EXPECTED.length);
      assert.ok(kept.every((x) => x.confidence >= 1 && !x.dimmed));
      await config().update('labels.minConfidence', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('labels.showConfidence', false, vscode.ConfigurationTarget.Workspace);
      const bare = await waitFor(
        'labels without confidence',
        shown,
        (l) => l.length === EXPECTED.length && l.every((x) => x.text === x.label),
      );
      assert.deepEqual(
        labelsOf(bare),
        EXPECTED.map((e) => [e.line, e.first]),
      );
    } finally {
      for (const key of ['labels.minConfidence', 'labels.lowConfidence', 'labels.showConfidence'])
        await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('labels back to normal', shown, (l) => l.length === EXPECTED.length && l.every((x) => !x.dimmed && x.text !== x.label));
  });

  test('Classify Selection: the selected text, or the current line when nothing is selected', async () => {
    const editor = await openSample();
    editor.selection = new vscode.Selection(3, 0, 3, 6); // "thanks"
    const selected = await vscode.commands.executeCommand<Prediction>('textcat.classifySelection');
    assert.equal(selected?.label, 'praise');
    assert.equal(selected.probabilities.length, 4);
    assert.equal(selected.confidence, Math.max(...selected.probabilities));
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    assert.equal((await vscode.commands.executeCommand<Prediction>('textcat.classifySelection'))?.label, 'shipping');
    editor.selection = new vscode.Selection(2, 0, 2, 0); // the blank line: nothing to classify
    assert.equal(await vscode.commands.executeCommand('textcat.classifySelection'), undefined);
  });

  test('Export Predictions writes every non-empty line with its label and probabilities, as CSV or JSONL', async () => {
    await openSample();
    const labels = [...api.predictor.labels];
    assert.deepEqual([...labels].sort(), [MARKUP, 'billing', 'praise', 'shipping'].sort());
    const csvUri = fixtureUri('exports/labels.csv');
    assert.equal((await vscode.commands.executeCommand<vscode.Uri>('textcat.exportPredictions', csvUri))?.toString(), csvUri.toString());
    // Read back by csv-parse, the reader of datasets: RFC 4180 quoting, CRLF.
    const [header, ...rows] = parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(csvUri)));
    assert.deepEqual(header, ['line', 'text', 'label', 'confidence', ...labels.map((l) => `p_${l}`)]);
    assert.deepEqual(
      rows.map((r) => [Number(r[0]), r[1], r[2]]),
      EXPECTED.map((e) => [e.line + 1, e.text, e.first]),
      'quoted text (comma, quotes) reads back as it was',
    );
    for (const r of rows) {
      const p = r.slice(4).map(Number);
      assert.equal(p.length, labels.length);
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      assert.equal(Number(r[3]), Math.max(...p));
      assert.equal(r[2], labels[p.indexOf(Math.max(...p))]);
    }

    const jsonlUri = fixtureUri('exports/labels.jsonl');
    await vscode.commands.executeCommand('textcat.exportPredictions', jsonlUri);
    const objects = new TextDecoder()
      .decode(await vscode.workspace.fs.readFile(jsonlUri))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; text: string; label: string; probabilities: Record<string, number> });
    assert.deepEqual(
      objects.map((o) => [o.line, o.text, o.label]),
      EXPECTED.map((e) => [e.line + 1, e.text, e.first]),
    );
    assert.deepEqual(Object.keys(objects[0].probabilities).sort(), [...labels].sort());
    await vscode.workspace.fs.delete(fixtureUri('exports'), { recursive: true });
  });

  test('a 100,000-line file: only the visible lines (and a margin) are classified, the host keeps running', async function () {
    const lines = Array.from({ length: 100_000 }, (_, i) => `entry ${i} ${['invoice', 'parcel', 'thanks', 'banana'][i % 4]} again`);
    const document = await vscode.workspace.openTextDocument({ content: lines.join('\n') });
    const editor = await vscode.window.showTextDocument(document);
    try {
      assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), true, 'an untitled file is labeled once toggled on');
      const top = await waitFor('labels at the top', shown, (l) => l.some((x) => x.line === 0));
      assert.ok(top.length < 300, `only the visible lines and the margin: ${top.length} labels`);
      // Measure the host's event-loop stalls while scrolling through the file.
      const { stallMs: worst } = await longestStall(async () => {
        for (const target of [25_000, 50_000, 75_000, 99_990]) {
          editor.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.InCenter);
          await new Promise((r) => setTimeout(r, 30));
        }
        const end = await waitFor('labels at the end', shown, (l) => l.some((x) => x.line === 99_990));
        assert.ok(
          end.every((x) => x.line > 99_000),
          'the labels drawn are those around the visible lines',
        );
        assert.equal(end.find((x) => x.line === 99_990)?.label, 'praise'); // 99,990 % 4 = 2: "thanks"
      }, 10);
      assert.ok(worst < 500, `the extension host never stalled for long: worst gap ${worst.toFixed(0)} ms`);
      this.test!.title += ` (worst event-loop gap ${worst.toFixed(0)} ms)`;
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('after retraining on other data the labels change', async () => {
    await openSample();
    await waitFor('labels of the first model', shown, (l) => l.length === EXPECTED.length && l[0].label === 'billing');
    await train('labels-retrain.csv');
    const list = await waitFor('labels of the new model', shown, (l) => l.length === EXPECTED.length && l[0].label === 'money');
    assert.deepEqual(
      labelsOf(list),
      EXPECTED.map((e) => [e.line, e.retrained]),
    );
  });
});
