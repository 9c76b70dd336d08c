import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { placeholderLabel } from '../../../src/extension/lineLabels';
import { activateTextcat, fixtureUri } from './helpers';

suite('Line labels', () => {
  suiteSetup(activateTextcat);
  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('placeholder rule: first word, lower-cased; nothing for a blank line', () => {
    assert.equal(placeholderLabel('Refund my order'), 'refund');
    assert.equal(placeholderLabel('   Where is it'), 'where');
    assert.equal(placeholderLabel('   '), undefined);
  });

  test('toggles on and off in an editor showing a fixture file', async () => {
    const document = await vscode.workspace.openTextDocument(fixtureUri('sample.txt'));
    await vscode.window.showTextDocument(document);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), true);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), false);
  });

  test('keeps working while the document is edited and with no editor open', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'alpha beta\n\ngamma' });
    const editor = await vscode.window.showTextDocument(document);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), true);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'delta epsilon')));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(vscode.window.activeTextEditor, undefined);
    assert.equal(await vscode.commands.executeCommand('textcat.toggleLineLabels'), false);
  });
});
