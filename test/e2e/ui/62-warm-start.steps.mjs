// Warm-start retraining as a person meets it: after rows are added to a dataset, "Retrain on the same dataset"
// continues the current model (a fine-tune of a few epochs) and the notification says what it added, with Retrain
// from Scratch beside it; the sidebar's run list shows the fine-tune indented under the runs before it, named as a
// fine-tune of its parent, and the model card says the model is one; Retrain from Scratch in the sidebar's title
// bar trains anew. The steps train their own model with the CLI (as 60 does) and add their own rows.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricsFrame, runFromPalette, trainWithCli } from './workbench.mjs';

const DATASET = 'warm-train.csv';
const TRAINING = { epochs: 20, batchSize: 8, learningRate: 0.05, hiddenUnits: 8, embeddingDim: 8 };
/** Rows added after the first model: "voucher" is a word it never saw. */
const ADDED = ['my voucher was not applied', 'the voucher code failed', 'voucher missing from the total', 'a voucher for my order'];
const NOISE = ['the', 'a', 'my', 'for', 'please', 'today', 'with', 'again'];
/** Training a fine-tune or a model of this size takes seconds; the load of a shared machine makes it more. */
const TRAINED_MS = 120_000;

function dataset() {
  const rows = ['text,label'];
  for (let i = 0; i < 30; i++) {
    const words = [NOISE[i % 8], NOISE[(i * 5 + 3) % 8]];
    rows.push(`${words[0]} invoice ${words[1]},billing`, `${words[1]} parcel ${words[0]},shipping`);
  }
  return rows.join('\n') + '\n';
}

const manifestOf = (workspace) => JSON.parse(readFileSync(join(workspace, '.textcat', 'model', 'textcat.json'), 'utf8'));

/** The manifest, or undefined while a save swaps the folder (the file is briefly absent). */
function manifestNow(workspace) {
  try {
    return manifestOf(workspace);
  } catch {
    return undefined;
  }
}

/** The notification center's entry that says `text` (the headless workbench shows no toasts). */
async function notification(page, text) {
  await runFromPalette(page, 'Notifications: Show Notifications', () => {});
  const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
  await item.waitFor({ timeout: TRAINED_MS });
  return item;
}

let parentRunId;

export default [
  {
    name: 'warm start: rows added, "Retrain on the same dataset" fine-tunes the model and the notification says what it added',
    async run(page, snap, { workspace }) {
      writeFileSync(join(workspace, DATASET), dataset());
      trainWithCli(join(workspace, DATASET), join(workspace, '.textcat', 'model'), TRAINING);
      parentRunId = manifestOf(workspace).runId;
      // The extension has read the model (its classes in the status bar): its commands are in the palette.
      await page.locator('.part.statusbar .statusbar-item', { hasText: 'billing·shipping' }).waitFor({ timeout: TRAINED_MS });
      appendFileSync(join(workspace, DATASET), ADDED.map((text) => `${text},billing\n`).join(''));
      await runFromPalette(page, 'Notifications: Clear All Notifications', () => {});
      await runFromPalette(page, 'Textcat: Train Classifier…', undefined, { opensPick: true });
      const retrain = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Retrain on the same dataset' }).first();
      await retrain.waitFor();
      assert.match(await retrain.textContent(), /warm-train\.csv/);
      await retrain.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      const item = await notification(page, /fine-tuned the current model|did not beat the current model/);
      const message = (await item.locator('.notification-list-item-message').textContent()) ?? '';
      const manifest = manifestOf(workspace);
      assert.equal(manifest.parentRunId, parentRunId, 'the saved model names its parent');
      assert.equal(manifest.warmStart.newRows, ADDED.length);
      if (!manifest.warmStart.keptParent) {
        assert.match(message, /fine-tuned the current model on warm-train\.csv in \d+\.\d s: \+4 rows, \+\d+ words, \d epochs?\. Accuracy/);
      }
      for (const button of ['Show Metrics', 'Retrain from Scratch']) await item.getByRole('button', { name: button }).waitFor();
      await snap('notification');
      await item.getByRole('button', { name: 'Show Metrics' }).click();
      // Focus is in the sidebar's webview now (the palette's F1 would not reach the workbench): the center's own button.
      // Some builds close the center themselves after an action (with an animation, during which its button is
      // not clickable): give that a moment, and hide it only if it stayed open.
      const center = page.locator('.notifications-center');
      const closedByItself = await center.waitFor({ state: 'hidden', timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (!closedByItself) await center.getByRole('button', { name: /^Hide Notifications/ }).click();
      await center.waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'warm start: the sidebar says the model is a fine-tune and lists the run indented under its parent',
    async run(page, snap, { workspace }) {
      await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
      const view = metricsFrame(page);
      const manifest = manifestOf(workspace);
      const note = view.locator('#model .fine-tune-note');
      await note.waitFor();
      assert.match((await note.textContent()).trim(), /^Fine-tune of the run of .+ · \+4 rows, \+\d+ words · \d epochs?/);
      // The best epoch: one of the fine-tune's, or, when none beat it, the parent's (not "best 0").
      const epochs = (await view.locator('#model dl.details').textContent()).replace(/\s+/g, ' ');
      assert.match(epochs, manifest.warmStart.keptParent ? /best the parent run/ : /best [1-9]/, epochs);
      await snap('model-card');
      const run = view.locator(`.runs li.fine-tune button.run[data-run-id="${manifest.runId}"]`);
      await run.waitFor();
      const lineage = (await run.locator('.run-lineage').textContent()).trim();
      assert.match(lineage, /^↳ fine-tune of .+ · \+4 rows, \+\d+ words · \d epochs?/);
      // The parent trained from scratch: not indented, no lineage line.
      const parent = view.locator(`.runs li button.run[data-run-id="${parentRunId}"]`);
      assert.equal(await parent.locator('.run-lineage').count(), 0);
      assert.equal(await view.locator(`.runs li.fine-tune button.run[data-run-id="${parentRunId}"]`).count(), 0);
      const [childBox, parentBox] = [await run.boundingBox(), await parent.boundingBox()];
      assert.ok(childBox.x > parentBox.x + 6, `indented: ${childBox.x} vs ${parentBox.x}`);
      await run.evaluate((el) => el.closest('section').scrollIntoView({ block: 'start' }));
      await snap('runs');
      // The fine-tune's detail leads to its parent.
      await run.click();
      const toParent = view.locator('#run-detail button[data-parent-run]');
      await toParent.waitFor();
      await view.locator('#run-detail').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await snap('fine-tune-detail');
      await toParent.click();
      await view.locator(`button.run[data-run-id="${parentRunId}"][aria-pressed="true"]`).waitFor();
      await view.locator('#runs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await snap('parent-run');
    },
  },
  {
    name: 'warm start: Retrain from Scratch in the sidebar title bar trains anew; the newest run is no fine-tune',
    async run(page, snap, { workspace }) {
      const before = manifestOf(workspace).runId;
      await page.locator('.part.sidebar').getByRole('button', { name: 'Retrain from Scratch' }).first().click();
      const deadline = Date.now() + TRAINED_MS;
      let manifest = manifestNow(workspace);
      while (!manifest || manifest.runId === before) {
        assert.ok(Date.now() < deadline, 'no new model after Retrain from Scratch');
        await page.waitForTimeout(250);
        manifest = manifestNow(workspace);
      }
      assert.equal(manifest.parentRunId, undefined);
      assert.equal(manifest.options.epochs, TRAINING.epochs, 'the first run’s schedule, not the warm start’s five epochs');
      const view = metricsFrame(page);
      await view.locator(`.runs li:first-child:not(.fine-tune) button.run[data-run-id="${manifest.runId}"]`).waitFor();
      assert.equal(await view.locator('#model .fine-tune-note').count(), 0);
      await view.locator('#runs').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await snap('scratch');
      await runFromPalette(page, 'Notifications: Clear All Notifications', () => {});
    },
  },
];
