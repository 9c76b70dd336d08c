// "Textcat: Find Likely Label Errors…" and "Would More Labels Help?" in the extension host: the worker finds labels flipped on purpose, and a
// relabel changes that row alone — in a closed file (saved, and Undo takes it back), in an open editor with the
// user's unsaved edits (applied there, not saved, their edits kept), and never in a file that changed on disk since.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LabelCheck } from '../../../src/extension/dataset/labelErrors';
import type { LearningCurve } from '../../../src/protocol/types';
import { FAST_TRAINING, FLIPPED_ROWS, keywordExamples, noisyKeywordExamples, toCsv } from '../../unit/fixtures';
import { cancelProgress, captureMessages, fixtureUri, textcatApi } from './helpers';

suite('Find likely label errors', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration('textcat');
  const file = () => fixtureUri('noisy-labels.csv');
  const read = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(file()));
  let check: LabelCheck;

  suiteSetup(async () => {
    await textcatApi();
    for (const [name, value] of Object.entries(FAST_TRAINING))
      await config().update(`training.${name}`, value, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(file(), new TextEncoder().encode(toCsv(noisyKeywordExamples())));
    check = (await vscode.commands.executeCommand<LabelCheck>('textcat.findLabelErrors', { dataset: file(), folds: 3, show: false }))!;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const name of Object.keys(FAST_TRAINING))
      await config().update(`training.${name}`, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(file()).then(undefined, () => undefined);
  });

  test('the worker finds most flipped rows, each with the class its keyword names', () => {
    assert.ok(check, 'the command resolves with the findings');
    assert.equal(check.dataset.rows, 300);
    const lines = new Set(check.issues.map((i) => i.line));
    // Data rows start on line 2 (after the header): example i is on line i + 2.
    const found = FLIPPED_ROWS.filter((i) => lines.has(i + 2));
    assert.ok(found.length >= 10, `found lines ${[...lines].join(', ')}`);
    assert.ok(check.issues.length - found.length <= 3, `${check.issues.length - found.length} clean rows flagged`);
  });

  test('a relabel of a closed file changes that row alone and saves it; Undo takes it back', async () => {
    const before = await read();
    const issue = check.issues[0];
    assert.equal(await vscode.commands.executeCommand('textcat.relabelRow', check.dataset, issue, issue.suggested), true);
    const after = await read();
    const changed = before
      .split('\r\n')
      .map((row, i) => [row, after.split('\r\n')[i]])
      .filter(([a, b]) => a !== b);
    assert.equal(changed.length, 1, 'one row changed');
    assert.equal(changed[0][1], `${changed[0][0].slice(0, changed[0][0].lastIndexOf(','))},${issue.suggested}`);
    const document = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), before, 'Undo restores the label');
    await document.save();
    assert.equal(await read(), before);
  });

  test("an open editor with unsaved edits gets the relabel without a save, and the user's edits stay", async () => {
    const before = await read();
    const document = await vscode.workspace.openTextDocument(file());
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((e) => e.insert(document.lineAt(document.lineCount - 1).range.end, 'my unsaved row,info\r\n'));
    const issue = check.issues[1];
    assert.equal(await vscode.commands.executeCommand('textcat.relabelRow', check.dataset, issue, issue.suggested), true);
    assert.ok(document.isDirty, 'not saved for the user');
    assert.ok(document.getText().endsWith('my unsaved row,info\r\n'), 'their edit is still there');
    assert.match(document.lineAt(issue.line - 1).text, new RegExp(`,${issue.suggested}$`));
    assert.equal(await read(), before, 'the file on disk is as it was');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a row that changed on disk since the check is refused, and nothing is written', async () => {
    const issue = check.issues[2];
    const edited = (await read()).split('\r\n');
    edited[issue.line - 1] = `edited by someone else,${issue.given}`;
    await vscode.workspace.fs.writeFile(file(), new TextEncoder().encode(edited.join('\r\n')));
    assert.equal(await vscode.commands.executeCommand('textcat.relabelRow', check.dataset, issue, issue.suggested), undefined);
    assert.equal(await read(), edited.join('\r\n'));
  });

  test('a cancelled check resolves with nothing, says nothing, and leaves the dataset as it was', async () => {
    const bytes = await read();
    const progress = cancelProgress();
    const messages = captureMessages();
    let result: LabelCheck | undefined;
    try {
      result = await vscode.commands.executeCommand<LabelCheck>('textcat.findLabelErrors', { dataset: file(), folds: 3 });
      await new Promise((r) => setTimeout(r, 200)); // a message or the list would come after the command resolved
    } finally {
      progress.restore();
      messages.restore();
    }
    assert.equal(result, undefined);
    assert.equal(progress.shown[0]?.cancellable, true, 'the progress offers Cancel');
    assert.deepEqual(messages.shown, [], 'no toast: the user asked for it');
    assert.equal(await read(), bytes);
  });
});

suite('Would more labels help?', function () {
  this.timeout(120_000);
  const config = () => vscode.workspace.getConfiguration('textcat');
  const file = () => fixtureUri('curve-labels.csv');

  suiteSetup(async () => {
    await textcatApi();
    for (const [name, value] of Object.entries(FAST_TRAINING))
      await config().update(`training.${name}`, value, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(file(), new TextEncoder().encode(toCsv(keywordExamples(200, 5))));
  });

  suiteTeardown(async () => {
    for (const name of Object.keys(FAST_TRAINING))
      await config().update(`training.${name}`, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(file()).then(undefined, () => undefined);
  });

  test('trains on the shares asked, scores the same held-out rows, and the sidebar gets the curve', async () => {
    const api = await textcatApi();
    const before = await read(file());
    const curve = await vscode.commands.executeCommand<LearningCurve>('textcat.learningCurve', { dataset: file(), shares: [0.5, 1] });
    assert.ok(curve, 'the command resolves with the curve');
    assert.deepEqual(
      curve.points.map((p) => p.rows),
      [90, 179],
    );
    assert.equal(curve.heldOut, 21);
    assert.match(curve.verdict, /^(Still rising|Flat|Macro-F1 fell)/);
    assert.deepEqual(api.metricsView.state().learningCurve, { dataset: 'curve-labels.csv', curve });
    assert.equal(await read(file()), before, 'the dataset is only read');
  });
});

async function read(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
