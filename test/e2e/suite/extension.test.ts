import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateTextcat } from './helpers';

suite('Extension', () => {
  test('activates', async () => {
    const extension = await activateTextcat();
    assert.equal(extension.isActive, true);
  });

  test('registers its commands', async () => {
    await activateTextcat();
    const commands = await vscode.commands.getCommands(true);
    for (const name of ['textcat.toggleLineLabels', 'textcat.showMetrics']) {
      assert.ok(commands.includes(name), `${name} is not registered`);
    }
  });

  test('contributes the commands that it registers, with the Textcat category', async () => {
    const extension = await activateTextcat();
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as Array<{ command: string; category?: string }>;
    assert.deepEqual(contributed.map((c) => c.command).sort(), ['textcat.showMetrics', 'textcat.toggleLineLabels']);
    assert.ok(contributed.every((c) => c.category === 'Textcat'));
  });
});
