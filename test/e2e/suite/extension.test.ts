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
    const manifest = extension.packageJSON as { contributes?: { commands?: { command: string; category?: string }[] } };
    const contributed = manifest.contributes?.commands ?? [];
    const names = contributed.map((c) => c.command);
    const issueCommands = [
      'textcat.train',
      'textcat.cancelTraining',
      'textcat.evaluate',
      'textcat.toggleLineLabels',
      'textcat.classifySelection',
      'textcat.showMetrics',
      'textcat.exportPredictions',
      'textcat.openModelFolder',
    ];
    for (const name of issueCommands) assert.ok(names.includes(name), `${name} is not contributed`);
    assert.ok(contributed.every((c) => c.category === 'Textcat'));
    // Every contributed command has a handler (one the palette offers but nobody registered fails when run).
    const registered = await vscode.commands.getCommands(true);
    for (const name of names) assert.ok(registered.includes(name), `${name} is contributed but not registered`);
  });
});
