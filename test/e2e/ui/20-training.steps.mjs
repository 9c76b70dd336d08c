// Training from the palette as a person does it: run "Textcat: Train Classifier…", type the fixture
// dataset's name into the quick pick, wait for the status bar to show the new model, and read the
// success message. (Before this the extension may not be active at all: it activates on its commands.)
//
// The harness runs the workbench with the smoke-test driver, which shows no notification toasts:
// messages are read from the notification center instead.
import assert from 'node:assert/strict';
import { runFromPalette } from './workbench.mjs';

const DATASET = 'tickets.csv';
const LABELS = 'account·billing·bug';
const MESSAGE = `Textcat model trained on ${DATASET}`;

export default [
  {
    name: `palette: "Textcat: Train Classifier…" on ${DATASET} trains a model`,
    async run(page, snap) {
      const input = await runFromPalette(page, 'Textcat: Train Classifier…', snap, { opensPick: true });
      // The same quick input now lists the workspace's datasets (and not sample.txt, which is no dataset).
      await page.locator('.quick-input-widget input[placeholder^="Pick a labeled dataset"]').waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { hasText: DATASET }).first().waitFor();
      assert.equal(
        await page.locator('.quick-input-list .monaco-list-row', { hasText: /^\s*sample\.txt/ }).count(),
        0,
        'sample.txt is not offered',
      );
      await snap('datasets');
      await input.fill(DATASET);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: DATASET }).first().waitFor();
      assert.equal(
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'broken.csv' }).count(),
        0,
        'the filter hides other datasets',
      );
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      // Training the fixture takes a second or two; the status bar then names the model's labels.
      const item = page.locator('.part.statusbar .statusbar-item', { hasText: LABELS });
      await item.waitFor({ timeout: 60_000 });
      assert.match((await item.textContent())?.trim() ?? '', new RegExp(`${LABELS} \\d+\\.\\d%`));
    },
  },
  {
    name: 'the success message gives accuracy and macro-F1, with Show Metrics and Label Current File',
    async run(page, snap) {
      await runFromPalette(page, 'Notifications: Show Notifications', async () => {});
      const entry = page.locator('.notifications-center .notification-list-item', { hasText: MESSAGE });
      await entry.waitFor();
      const message = (await entry.locator('.notification-list-item-message').textContent()) ?? '';
      assert.match(message, /accuracy \d+\.\d%, macro-F1 \d\.\d{3}/);
      for (const button of ['Show Metrics', 'Label Current File']) await entry.getByRole('button', { name: button }).waitFor();
      await snap('message');
      await runFromPalette(page, 'Notifications: Clear All Notifications', async () => {});
    },
  },
];
