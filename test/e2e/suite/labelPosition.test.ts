// Labels that stay in view, in the extension host: at the start of the line (the default) with a long class name
// cut to the column, the files labeled by default (logs, not README or requirements files), the background pass
// behind the overview ruler (bounded), and "Go to Next / Previous Line of Class", which classifies ahead.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { BACKGROUND_LINES } from '../../../src/extension/labels/backgroundPass';
import { displayWidth, labelColumns, startColumnWidth, startLabelText } from '../../../src/extension/labels/labelLayout';
import { UNKNOWN } from '../../../src/extension/model/documentClasses';
import type { LineLabel, Services } from '../../../src/extension/services';
import { captureMessages, fixtureUri, textcatApi, textcatHover, until, waitFor } from './helpers';

const MARKUP = '<img src=x onerror=alert(1)> | *odd*';
const OPTIONS = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };
/** Written for the include/exclude test, removed after. */
const FILES = ['position-app.log', 'position-notes.txt', 'README.txt', 'LICENSE.txt', 'requirements.txt'];

const config = () => vscode.workspace.getConfiguration('textcat');

suite('Line labels in view: position, default files, overview ruler, class navigation', function () {
  this.timeout(90_000);
  let api: Services;
  /** The fixture's own workspace values (test/e2e/fixture/.vscode/settings.json), put back after each test. */
  let fixtureValues: Record<string, unknown>;
  const keys = ['labels.position', 'labels.include', 'labels.exclude'];

  async function removeModel(): Promise<void> {
    await vscode.workspace.fs.delete(api.settings.current.modelDir!, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await api.model.reload();
  }

  async function open(name: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(name)), column);
  }

  const shownIn = (editor: vscode.TextEditor) => (): readonly LineLabel[] => api.lineLabels.shownLabels(editor);

  suiteSetup(async () => {
    api = await textcatApi();
    fixtureValues = Object.fromEntries(keys.map((k) => [k, config().inspect(k)?.workspaceValue]));
    await removeModel();
    await api.worker.train({ path: fixtureUri('labels-train.csv').fsPath }, api.settings.current.modelDir!.fsPath, OPTIONS).done;
    await api.model.reload();
    for (const name of FILES) writeFileSync(fixtureUri(name).fsPath, 'please check the invoice for me\nmy parcel has not arrived yet\n');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of keys) await config().update(key, fixtureValues[key], vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    for (const name of FILES) await vscode.workspace.fs.delete(fixtureUri(name)).then(undefined, () => undefined);
    await removeModel();
  });

  test('at the start (the default): every label in one column before the text, a long class name cut to fit, the hover in full', async () => {
    await config().update('labels.position', undefined, vscode.ConfigurationTarget.Workspace);
    assert.equal(api.settings.current.labels.position, 'start', 'the default');
    const editor = await open('labels-lines.txt');
    const list = await waitFor('labels at the start', shownIn(editor), (l) => l.length === 5);
    const labels = api.predictor.labels;
    const width = startColumnWidth(labels, true);
    for (const l of list) {
      assert.equal(l.text, startLabelText(l.label, l.confidence, labelColumns(labels)));
      assert.ok(displayWidth(l.text) <= width, `"${l.text}" fits the column of ${width}`);
    }
    const markup = list.find((l) => l.label === MARKUP);
    assert.ok(markup, 'the banana line is labeled with the markup class');
    assert.ok(markup.text.startsWith(MARKUP.slice(0, 10)), markup.text);
    assert.match(markup.text, /… \d+%$/, 'cut, with "…" before the confidence');
    const hover = await textcatHover(editor.document.uri, new vscode.Position(markup.line, 0));
    assert.ok(
      hover.value.startsWith('**Textcat**: \\<img src\\=x onerror\\=alert\\(1\\)\\> \\| \\*odd\\*'),
      'the hover names the class in full',
    );
    // The other layout draws the whole name after the line.
    await config().update('labels.position', 'end', vscode.ConfigurationTarget.Workspace);
    await waitFor('labels at the end', shownIn(editor), (l) => l.some((x) => x.text.startsWith(`${MARKUP} `)));
  });

  test('by default a log file is labeled, a text file is not; with **/*.txt included, README, LICENSE and requirements files still are not', async () => {
    await config().update('labels.include', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('labels.exclude', undefined, vscode.ConfigurationTarget.Workspace);
    const log = await open('position-app.log');
    const notes = await open('position-notes.txt', vscode.ViewColumn.Two);
    await waitFor('labels of the log', shownIn(log), (l) => l.length === 2);
    await new Promise((r) => setTimeout(r, 300)); // both editors were refreshed together; give the other a moment more
    assert.deepEqual(api.lineLabels.shownLabels(notes), [], 'no .txt by default');

    await config().update('labels.include', ['**/*.txt'], vscode.ConfigurationTarget.Workspace);
    await waitFor('labels of notes.txt', shownIn(notes), (l) => l.length === 2);
    for (const name of ['README.txt', 'LICENSE.txt', 'requirements.txt']) {
      const editor = await open(name);
      await waitFor(`labels of notes.txt, beside ${name}`, shownIn(notes), (l) => l.length === 2);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(api.lineLabels.shownLabels(editor), [], `${name} is excluded by default`);
    }
  });

  test("the walkthrough's Open Example Lines labels the example's sample.txt, which the default include does not take", async () => {
    await config().update('labels.include', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('textcat.openExample', { example: 'tickets' });
    const editor = await until(() => vscode.window.activeTextEditor, 'the example open');
    assert.match(editor.document.uri.path, /\/examples\/tickets\/sample\.txt$/);
    const count = editor.document
      .getText()
      .split('\n')
      .filter((l) => l.trim()).length;
    await waitFor('labels of the example', shownIn(editor), (l) => l.length === count);
  });

  test(`the background pass classifies the lines beyond the viewport for the overview ruler, up to ${BACKGROUND_LINES.toLocaleString('en')} lines`, async () => {
    const words = ['invoice', 'parcel', 'thanks', 'banana'];
    const total = BACKGROUND_LINES + 5_000;
    const content = Array.from({ length: total }, (_, i) => `entry ${i} ${words[i % 4]} again`).join('\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content }));
    try {
      assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), true);
      const classes = () => api.lineClasses.of(editor.document);
      await waitFor(
        'the last line the pass takes',
        () => classes().classOf(BACKGROUND_LINES - 1),
        (c) => c !== UNKNOWN,
        60_000,
      );
      assert.equal(classes().classOf(BACKGROUND_LINES - 2), api.predictor.labels.indexOf('praise'), 'its class: "thanks" is praise');
      assert.ok(api.lineLabels.shownLabels(editor).length < 300, 'labels are still drawn for the visible lines only');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(classes().classOf(total - 1), UNKNOWN, 'nothing beyond the bound');
      // An edit moves what is known with the lines: one line inserted at the top, the far lines known still.
      const far = BACKGROUND_LINES - 2;
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'a new first line\n'));
      await waitFor(
        'the known lines moved down by one',
        () => classes().classOf(far + 1),
        (c) => c === api.predictor.labels.indexOf('praise'),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('Go to Next / Previous Line of Class walks one class from the cursor, classifying ahead, wrapping around', async () => {
    const lines = Array.from({ length: 3_000 }, () => 'my parcel has not arrived yet');
    lines[0] = 'please check the invoice for me';
    lines[2_000] = 'the invoice says "paid", twice';
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: lines.join('\n') }));
    const messages = captureMessages();
    try {
      // Untitled: not in labels.include, so nothing is known of it until the search asks.
      assert.equal(api.lineClasses.of(editor.document).classOf(2_000), UNKNOWN);
      const go = (command: string, label: string) => vscode.commands.executeCommand<number | undefined>(command, { label });
      assert.equal(await go('textcat.nextLineOfClass', 'billing'), 2_000, 'far below the viewport and its margin');
      assert.equal(editor.selection.active.line, 2_000, 'the cursor is there');
      assert.equal(await go('textcat.nextLineOfClass', 'billing'), 0, 'wraps to the top');
      assert.equal(await go('textcat.previousLineOfClass', 'billing'), 2_000, 'wraps to the bottom');
      assert.equal(await go('textcat.previousLineOfClass', 'shipping'), 1_999);
      assert.equal(await go('textcat.nextLineOfClass', 'praise'), undefined, 'no line of praise');
      assert.equal(editor.selection.active.line, 1_999, 'the cursor stays');
      const told = await until(() => messages.shown.find((m) => m.severity === 'information'), 'the message');
      assert.equal(told.message, 'Textcat: no line of praise in this file.');
      assert.equal(await go('textcat.nextLineOfClass', 'no such class'), undefined);
      await until(() => messages.shown.find((m) => m.severity === 'error'), 'an unknown class is refused');
    } finally {
      messages.restore();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
