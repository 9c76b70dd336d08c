// "Textcat: Label Line As…" as a person uses it: with labels-lines.txt labeled by a model trained on the
// workspace's labels-train.csv, put the cursor on a line, run the command from the palette, pick a class in
// the quick pick (the predicted one is first and marked), and the dataset gains exactly that row.
// The model comes from the CLI, as in 30-line-labels (the sidebar steps in between trained others), so
// these steps depend on nothing before them; the retrain steps after them train on the grown dataset.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFile, trainWithCli, waitForLines } from './workbench.mjs';

const FILE = 'labels-lines.txt';
const DATASET = 'labels-train.csv';
const LINE = 'my parcel has not arrived yet';
/** Not the predicted class (shipping): a correction. */
const CHOSEN = 'billing';

const labeled = (lines) => lines.filter((l) => l.text.trim());

/** What the dataset held before the command, for the "only appended" check. */
let before;

export default [
  {
    name: 'label line: a model trained with the CLI on labels-train.csv labels labels-lines.txt',
    async run(page, _snap, { workspace }) {
      const dataset = join(workspace, DATASET);
      assert.ok(existsSync(dataset), `the UI workspace holds the fixture: ${dataset}`);
      trainWithCli(dataset, join(workspace, '.textcat', 'model'), {
        epochs: 20,
        batchSize: 8,
        learningRate: 0.05,
        hiddenUnits: 8,
        embeddingDim: 8,
      });
      // Keyboard focus may be in the sidebar's webview after the steps before: a click in the editor area
      // gives it back to the workbench, so Ctrl+P reaches Quick Open.
      const text = page.locator('.editor-instance .view-lines').first();
      if (await text.isVisible()) await text.click({ position: { x: 5, y: 5 } });
      else await page.locator('.part.editor').click();
      await openFile(page, FILE);
      // The folder watcher loads the new model; shipping is what the old models never had.
      await waitForLines(page, (lines) => labeled(lines).some((l) => l.text === LINE && /^shipping \d+%$/.test(l.labels[0] ?? '')));
    },
  },
  {
    name: 'palette: "Textcat: Label Line As…" offers the classes, the predicted one first and marked, and "New label…"',
    async run(page, snap, { workspace }) {
      before = readFileSync(join(workspace, DATASET));
      await page.locator('.editor-instance .view-line', { hasText: LINE }).first().click();
      // Not runFromPalette: the command's quick pick opens in the same quick input as the palette.
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.fill('>Textcat: Label Line As…');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Textcat: Label Line As…' }).first().waitFor();
      await snap('palette');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Textcat: Label line 2 as…' }).waitFor();
      await page.waitForFunction((text) => document.querySelector('.quick-input-widget input')?.placeholder === text, LINE);
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      // Name and description only: a reused row may still hold the palette's separator text ("recently used").
      const texts = await rows.evaluateAll((list) =>
        list.map((row) =>
          ['.label-name', '.label-description']
            .map((c) => row.querySelector(c)?.textContent?.trim() ?? '')
            .filter(Boolean)
            .join(' '),
        ),
      );
      assert.match(texts[0], /^shipping predicted, \d+%$/, `the predicted class first: ${JSON.stringify(texts)}`);
      for (const other of ['billing', 'praise'])
        assert.ok(
          texts.some((t) => new RegExp(`^${other} \\d+%$`).test(t)),
          `${other} offered: ${JSON.stringify(texts)}`,
        );
      assert.ok(
        texts.some((t) => t.includes('New label…')),
        `"New label…" offered: ${JSON.stringify(texts)}`,
      );
      await snap('quick-pick');
    },
  },
  {
    name: `label line: picking "${CHOSEN}" appends exactly that row to ${DATASET} and says where`,
    async run(page, snap, { workspace }) {
      const input = page.locator('.quick-input-widget input');
      await input.fill(CHOSEN);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: CHOSEN }).first().waitFor();
      await snap('filtered');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const dataset = join(workspace, DATASET);
      const deadline = Date.now() + 10_000;
      while (readFileSync(dataset).length === before.length && Date.now() < deadline) await page.waitForTimeout(100);
      const after = readFileSync(dataset);
      assert.deepEqual(after.subarray(0, before.length), before, 'the bytes that were there are unchanged');
      assert.equal(after.subarray(before.length).toString('utf8'), `${LINE},${CHOSEN}\n`);
      // The message names the file and the new row's line (the notification center lists it).
      const line = before.toString('utf8').split('\n').length;
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Notifications: Show Notifications');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Notifications: Show Notifications' }).first().waitFor();
      await page.keyboard.press('Enter');
      const item = page.locator('.notifications-center .notification-list-item', { hasText: `Added to ${DATASET}:${line}` }).first();
      await item.waitFor();
      await item.getByRole('button', { name: 'Open' }).waitFor();
      await snap('message');
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Notifications: Clear All Notifications');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Notifications: Clear All Notifications' }).first().waitFor();
      await page.keyboard.press('Enter');
    },
  },
];
