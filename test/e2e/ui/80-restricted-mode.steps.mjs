// A stranger's repository as a person meets it: VS Code opens a folder it has never trusted in Restricted Mode.
// Textcat still shows the labels of the folder's model (read through the checked reader), but Train says plainly
// that it needs a trusted workspace and offers VS Code's trust editor; trusting the folder there makes Label
// Line As… work at once. Then, trusted, a manifest whose dataset path leaves the folder is refused with a
// message naming the path, and nothing beside the folder changes. No notification shows a link.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFile, runFromPalette, trainWithCli, waitForLines } from './workbench.mjs';

const LOG = 'app.log';
const LINE = 'my parcel has not arrived yet';
const LINK = '[Install](command:workbench.extensions.installExtension?%22evil.extension%22)';
let folder;
let outside;
let outsideHash;

const hash = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const labeled = (lines) => lines.filter((l) => l.text.trim() && l.labels[0]);

/** The links inside the notifications now in the DOM (toasts and the center). */
async function notificationLinks(page) {
  return page.locator('.notification-list-item-message a').evaluateAll((links) => links.map((a) => a.outerHTML));
}

/**
 * The notification that says `text`: its toast, or (this workbench does not always show toasts for a window opened
 * by navigation) its entry in the notification center, opened for it.
 */
async function notification(page, text) {
  const item = page.locator('.notification-list-item', { hasText: text }).first();
  const shown = await item.waitFor({ timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  if (!shown) {
    await runFromPalette(page, 'Notifications: Show Notifications');
    await item.waitFor();
  }
  assert.deepEqual(await notificationLinks(page), [], 'no link in any notification');
  return item;
}

async function clearNotifications(page) {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
}

export default [
  {
    name: 'restricted mode: a folder never trusted opens in Restricted Mode, and its model still labels the log',
    async run(page, snap, { workspace, setTrust, urlFor, scratch }) {
      folder = join(scratch, 'stranger-repo');
      outside = join(scratch, 'outside-stranger-repo');
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder, { recursive: true });
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, 'data.csv'), 'text,label\nmine,keep\n');
      outsideHash = hash(join(outside, 'data.csv'));
      // A dataset whose labels carry command links: they show as text, never as links.
      const rows = readFileSync(join(workspace, 'labels-train.csv'), 'utf8').trim().split('\n');
      writeFileSync(
        join(folder, 'train.csv'),
        rows.map((r, i) => (i > 0 && r.endsWith(',praise') ? `${r.slice(0, -7)},"${LINK}"` : r)).join('\n') + '\n',
      );
      cpSync(join(workspace, 'labels-lines.txt'), join(folder, LOG));
      trainWithCli(join(folder, 'train.csv'), join(folder, '.textcat', 'model'), {
        epochs: 20,
        batchSize: 8,
        learningRate: 0.05,
        hiddenUnits: 8,
        embeddingDim: 8,
      });
      setTrust(true);
      await page.goto(urlFor(folder));
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
      await openFile(page, LOG);
      await waitForLines(page, (lines) => labeled(lines).some((l) => l.text === LINE));
    },
  },
  {
    name: 'restricted mode: Train says it needs a trusted workspace and offers Manage Workspace Trust',
    async run(page) {
      await runFromPalette(page, 'Textcat: Train Classifier…');
      const item = await notification(page, 'needs a trusted workspace');
      await item.getByRole('button', { name: 'Manage Workspace Trust' }).waitFor();
    },
  },
  {
    name: "restricted mode: trusting the folder in VS Code's trust editor makes Label Line As… work at once",
    async run(page, snap) {
      const item = page.locator('.notification-list-item', { hasText: 'needs a trusted workspace' }).first();
      await item.getByRole('button', { name: 'Manage Workspace Trust' }).click();
      const trustButton = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
      await trustButton.waitFor();
      await snap('trust-editor');
      await trustButton.click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached' });
      await snap('trusted');
      // The trust editor opens as a modal over the workbench: Escape closes it.
      await page.locator('.workspace-trust-editor').click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('Escape');
      await page.locator('.workspace-trust-editor').waitFor({ state: 'hidden' });
      await clearNotifications(page);
      const dataset = join(folder, 'train.csv');
      const before = readFileSync(dataset);
      await openFile(page, LOG);
      await page.locator('.editor-instance .view-line', { hasText: LINE }).first().click();
      await runFromPalette(page, 'Textcat: Label Line As…', undefined, { opensPick: true });
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Textcat: Label line 2 as…' }).waitFor();
      await page.locator('.quick-input-widget input').fill('billing');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'billing' }).first().waitFor();
      await page.keyboard.press('Enter');
      await notification(page, 'Added to train.csv');
      await snap('added');
      await clearNotifications(page);
      const after = readFileSync(dataset);
      assert.deepEqual(after.subarray(0, before.length), before);
      assert.equal(after.subarray(before.length).toString('utf8'), `${LINE},billing\n`);
    },
  },
  {
    name: 'trusted: a manifest whose dataset lies outside the folder makes Label Line As… refuse, naming it; nothing outside changes',
    async run(page, snap, { setTrust, url }) {
      const manifestFile = join(folder, '.textcat', 'model', 'textcat.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      manifest.dataset.path = '../outside-stranger-repo/data.csv';
      manifest.runId = `${manifest.runId}-hostile`;
      writeFileSync(manifestFile, JSON.stringify(manifest));
      await page.waitForTimeout(1500); // the folder watcher reads the new manifest
      await page.locator('.editor-instance .view-line', { hasText: LINE }).first().click();
      await runFromPalette(page, 'Textcat: Label Line As…');
      const refusal = await notification(page, "the model's dataset lies outside the workspace");
      await snap('refusal');
      // Open would read the file the manifest chose: not offered for a path outside the workspace.
      assert.equal(await refusal.getByRole('button', { name: 'Open' }).count(), 0);
      assert.equal(hash(join(outside, 'data.csv')), outsideHash, 'the file outside is unchanged');
      // Back to the UI workspace, with trust off as the steps before had it.
      setTrust(false);
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor();
    },
  },
];
