import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateTextcat } from './helpers';

suite('Metrics view', () => {
  suiteSetup(activateTextcat);

  test('is contributed to the Textcat activity-bar container', async () => {
    const extension = await activateTextcat();
    const contributes = extension.packageJSON.contributes;
    assert.ok(contributes.viewsContainers.activitybar.some((c: { id: string }) => c.id === 'textcat'));
    assert.ok(contributes.views.textcat.some((v: { id: string; type?: string }) => v.id === 'textcat.metrics' && v.type === 'webview'));
  });

  test('can be shown with Textcat: Show Metrics', async () => {
    await vscode.commands.executeCommand('textcat.showMetrics');
  });
});
