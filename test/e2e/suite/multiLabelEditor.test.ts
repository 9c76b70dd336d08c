// A multi-label model in the editor, in the extension host (issue 19): a CSV whose rows carry one, two or no
// labels joined by "|" is trained; lines show every class over its threshold (chips, "—" for none), the hover
// lists each class's probability, threshold and whether it is on, the light bulb confirms the line's classes,
// "Label Line As…" appends one row with several labels, and "Go to Next Line of Class" counts a line of two
// classes for each.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { readDataset } from '../../../src/core/data/dataset';
import { escapeMarkdown } from '../../../src/core/format/markdown';
import { percent } from '../../../src/core/format/percent';
import type { LabeledLine } from '../../../src/extension/dataset/labelLine';
import type { LineLabel, Services } from '../../../src/extension/services';
import { fixtureUri, textcatApi, textcatHover, waitFor } from './helpers';

const DATASET = 'multilabel-train.csv';
const SAMPLE = 'multilabel-sample.txt';
const BOTH = 'refund the invoice and track the parcel';
const SAMPLE_LINES = [BOTH, 'refund the invoice please', '', 'track the parcel please', 'hello there friend'];
const OPTIONS = { epochs: 12, hiddenUnits: 8, embeddingDim: 8, seed: 42 };

/** Billing (invoice, refund), shipping (parcel, track), both, and rows of neither, in LF. */
function datasetText(): string {
  const rows = ['text,label'];
  ['today', 'now', 'again', 'for me', 'thanks', 'quickly', 'team', 'asap', 'soon', 'later'].forEach((w, i) => {
    rows.push(`refund the invoice ${w},billing`, `wrong invoice amount ${i},billing`);
    rows.push(`track the parcel ${w},shipping`, `parcel not delivered ${i},shipping`);
    rows.push(`refund the invoice and track the parcel ${w},billing|shipping`, `invoice and parcel both wrong ${i},shipping|billing`);
    rows.push(`hello there ${w},`, `good morning ${i},`);
  });
  return rows.join('\n') + '\n';
}

suite('Multi-label lines', function () {
  this.timeout(90_000);
  let api: Services;
  let datasetPath: string;
  let sampleUri: vscode.Uri;
  let editor: vscode.TextEditor;

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  suiteSetup(async () => {
    api = await textcatApi();
    await removeModel();
    datasetPath = fixtureUri(DATASET).fsPath;
    sampleUri = fixtureUri(SAMPLE);
    writeFileSync(datasetPath, datasetText());
    writeFileSync(sampleUri.fsPath, SAMPLE_LINES.join('\n') + '\n');
    assert.ok(await api.worker.train({ path: datasetPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done, 'trained');
    await api.model.reload();
    assert.equal(api.model.manifest?.multiLabel, true, 'a multi-label model');
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sampleUri));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeModel(); // the next suite expects no model
    rmSync(datasetPath, { force: true });
    rmSync(sampleUri.fsPath, { force: true });
  });

  const shownOn = (shown: readonly LineLabel[], line: number) => shown.find((l) => l.line === line);

  test('each line shows every class over its threshold as a chip; a line of none shows "—"', async () => {
    const shown = await waitFor(
      'labels of the sample',
      () => api.lineLabels.shownLabels(editor),
      (l: readonly LineLabel[]) => l.length === 4,
    );
    assert.deepEqual(
      shownOn(shown, 0)?.labels,
      ['billing', 'shipping'].sort((a, b) => (a === shownOn(shown, 0)?.label ? -1 : b === shownOn(shown, 0)?.label ? 1 : 0)),
    );
    assert.deepEqual(
      shownOn(shown, 0)?.chips?.map((c) => c.label),
      shownOn(shown, 0)?.labels,
      'one chip per class, most probable first',
    );
    assert.deepEqual(shownOn(shown, 1)?.labels, ['billing']);
    assert.deepEqual(shownOn(shown, 3)?.labels, ['shipping']);
    assert.deepEqual(shownOn(shown, 4)?.labels, []);
    assert.equal(shownOn(shown, 4)?.text, '—');
    assert.equal(shownOn(shown, 2), undefined, 'the blank line has no label');
  });

  test('the hover lists each class with its probability, its threshold and whether it is on; one trusted link', async () => {
    const markdown = await textcatHover(sampleUri, new vscode.Position(0, 3));
    const thresholds = api.model.manifest!.thresholds!;
    for (const [i, label] of api.model.manifest!.labels.entries()) {
      const row = markdown.value.split('\n').find((r) => r.startsWith(`| ${label} |`));
      assert.ok(row, `a row for ${label}: ${markdown.value}`);
      // As the hover writes it: escaped markdown ("50\\.0\\%").
      const cells = row.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
      assert.deepEqual(cells.slice(2), [escapeMarkdown(percent(thresholds[i], 1)), '✓'], row);
    }
    assert.match(markdown.value, /\[Label line as…\]\(command:textcat\.labelLine\?/);
    assert.deepEqual(markdown.isTrusted, { enabledCommands: ['textcat.labelLine'] });
    const none = await textcatHover(sampleUri, new vscode.Position(4, 3));
    assert.match(none.value, /^\*\*Textcat\*\*: _no class over its threshold_/);
    assert.doesNotMatch(none.value, /✓/);
  });

  test('the light bulb confirms the classes the line shows, or opens the multi-select', async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      sampleUri,
      new vscode.Range(0, 3, 0, 3),
    );
    const ours = actions.filter((a) => a.command?.command === 'textcat.labelLine');
    const labels = shownOn(api.lineLabels.shownLabels(editor), 0)!.labels!;
    assert.deepEqual(
      ours.map((a) => a.title),
      [`Label as ${labels.join(', ')}`, 'Label line as…'],
    );
    assert.deepEqual(ours[0].command!.arguments![2], labels);
  });

  test('labeling a line with several classes appends one row with them joined by "|"', async () => {
    const before = readFileSync(datasetPath, 'utf8');
    const written = await vscode.commands.executeCommand<LabeledLine[] | undefined>('textcat.labelLine', sampleUri, 4, [
      'shipping',
      'billing',
    ]);
    assert.deepEqual(
      written?.map((w) => [w.label, w.labels]),
      [['shipping, billing', ['shipping', 'billing']]],
    );
    const after = readFileSync(datasetPath, 'utf8');
    assert.equal(after.slice(0, before.length), before, 'what was there is unchanged');
    assert.equal(after.slice(before.length), 'hello there friend,shipping|billing\n');
    const empty = await vscode.commands.executeCommand<LabeledLine[] | undefined>('textcat.labelLine', sampleUri, 1, []);
    assert.deepEqual(empty?.[0].labels, [], 'a row of no class');
    const read = await readDataset(datasetPath);
    assert.deepEqual(
      read.examples.slice(-2).map((e) => e.labels),
      [['shipping', 'billing'].sort(), []].map((l, i) => (i === 0 ? read.examples.at(-2)!.labels : l)),
    );
    assert.deepEqual([...read.examples.at(-2)!.labels!].sort(), ['billing', 'shipping']);
  });

  test('"Go to Next Line of Class" counts a line of two classes for each', async () => {
    const go = (from: number, label: string) => {
      editor.selection = new vscode.Selection(from, 0, from, 0);
      return vscode.commands.executeCommand<number | undefined>('textcat.nextLineOfClass', label);
    };
    assert.equal(await go(1, 'shipping'), 3);
    assert.equal(await go(3, 'shipping'), 0, 'wraps to the line of both classes');
    assert.equal(await go(0, 'billing'), 1);
    assert.equal(await go(1, 'billing'), 0, 'the line of both counts for billing too');
  });
});
