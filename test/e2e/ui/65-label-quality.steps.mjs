// Better labels as a person gets them: "Find Likely Label Errors…" on a dataset with a few labels flipped on
// purpose lists them (given → suggested), the tag button of a row relabels it in the file and the list comes back
// without it, and "Would More Labels Help?" draws the learning curve in the sidebar with its plain reading.
// The steps write their own dataset and training settings, so they depend on nothing before them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAST_TRAINING } from '../lib/fastTraining.mjs';
import { fillerWords, KEYWORDS, seededRandom } from './ticketWords.mjs';
import { metricsFrame, runFromPalette, workspaceSettings } from './workbench.mjs';

const DATASET = 'quality-train.csv';
/** Rows (0-based, after the header) whose label is moved to the next class. */
const FLIPPED = [4, 31, 58, 85, 112, 139];

function dataset() {
  const rand = seededRandom(5);
  const classes = Object.keys(KEYWORDS);
  const rows = ['text,label'];
  for (let i = 0; i < 240; i++) {
    const label = classes[i % 3];
    const words = fillerWords(rand);
    words.splice(Math.floor(rand() * words.length), 0, KEYWORDS[label][Math.floor(rand() * 3)]);
    rows.push(`${words.join(' ')},${FLIPPED.includes(i) ? classes[(i + 1) % 3] : label}`);
  }
  return rows.join('\n') + '\n';
}

let settings;

/** Runs a palette command that asks for a dataset first, and picks DATASET in the picker. */
async function runOnDataset(page, title, snap) {
  const input = await runFromPalette(page, title, undefined, { opensPick: true });
  await input.fill(DATASET);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: DATASET }).first().waitFor();
  await snap?.('picker');
  await page.keyboard.press('Enter');
}

export default [
  {
    name: 'label quality: "Find Likely Label Errors…" lists the flipped rows with the label their keyword names',
    async run(page, snap, { workspace }) {
      writeFileSync(join(workspace, DATASET), dataset());
      settings = workspaceSettings(workspace);
      settings.write((s) => ({ ...s, ...Object.fromEntries(Object.entries(FAST_TRAINING).map(([k, v]) => [`textcat.training.${k}`, v])) }));
      await runOnDataset(page, 'Textcat: Find Likely Label Errors…', snap);
      // The picker's title ("Find Likely Label Errors") also matches a plain text filter: wait for the list's.
      const title = page.locator('.quick-input-title', { hasText: /likely label errors in quality-train\.csv \(\d+ of 240 rows\)/ });
      await title.waitFor({ timeout: 90_000 });
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      const descriptions = await rows.locator('.label-description').allTextContents();
      assert.ok(descriptions.length >= 2, `rows: ${descriptions.join(' | ')}`);
      for (const d of descriptions) assert.match(d, /^(billing|shipping|login) → (billing|shipping|login) \(0\.\d\d\)$/);
      await snap('label-errors');
    },
  },
  {
    name: 'label quality: the tag button relabels the first row in the file, and the list comes back without it',
    async run(page, snap, { workspace }) {
      const before = readFileSync(join(workspace, DATASET), 'utf8').split('\n');
      const first = page.locator('.quick-input-list .monaco-list-row').first();
      const [given, suggested] = (await first.locator('.label-description').textContent()).split(/ → | \(/);
      const count = await page.locator('.quick-input-list .monaco-list-row').count();
      await first.hover();
      await first.locator('.action-label.codicon-tag').click();
      const deadline = Date.now() + 10_000;
      let after = before;
      while (after.join('\n') === before.join('\n')) {
        assert.ok(Date.now() < deadline, 'the dataset was not changed');
        await page.waitForTimeout(100);
        after = readFileSync(join(workspace, DATASET), 'utf8').split('\n');
      }
      const changed = before.flatMap((row, i) => (row === after[i] ? [] : [[row, after[i]]]));
      assert.equal(changed.length, 1, 'one row changed');
      assert.ok(changed[0][0].endsWith(`,${given}`) && changed[0][1] === changed[0][0].replace(new RegExp(`,${given}$`), `,${suggested}`));
      await page.locator('.quick-input-title', { hasText: /likely label errors in quality-train\.csv/ }).waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('.quick-input-list .monaco-list-row').length === n - 1, count);
      await snap('after-relabel');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'label quality: "Would More Labels Help?" draws macro-F1 against rows in the sidebar, with its reading',
    async run(page, snap) {
      await runOnDataset(page, 'Textcat: Would More Labels Help?');
      const view = metricsFrame(page);
      const section = view.locator('#learning-curve');
      await section.waitFor({ timeout: 90_000 });
      assert.match(await section.locator('h2').textContent(), /^Would more labels help\? \(quality-train\.csv\)$/);
      const reading = await section.locator('figure').textContent();
      assert.match(reading, /(Still rising|Flat|Macro-F1 fell)/);
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await snap('learning-curve');
      settings.restore();
      await runFromPalette(page, 'View: Close All Editors', () => {});
    },
  },
];
