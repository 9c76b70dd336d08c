// "Textcat: Train with Autotune…" as a person runs it: the dataset from the picker, a budget typed in the custom box
// (a wrong one is refused in place), the progress notification ("trial 2 · 0:31 left · best macro-F1 .962") and the
// sidebar's Autotune section filling in as each trial ends, then the choice and the saved model. The steps write
// their own dataset and training settings, so they depend on nothing before them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillerWords, KEYWORDS, seededRandom } from './ticketWords.mjs';
import { metricsFrame, runFromPalette, workspaceSettings } from './workbench.mjs';

const DATASET = 'autotune-train.csv';
const BUDGET = '40s';
/**
 * Tiny networks; the search changes the options not set here. Enough rows and epochs that a trial (3 folds) takes
 * about half a second, so the search (51 configurations at most) is still running when the steps look at it: with
 * 240 rows and 6 epochs it ran out of configurations in 3 s, before the notification center opened on a quiet machine.
 */
const ROWS = 800;
const TRAINING = { epochs: 20, batchSize: 16, hiddenUnits: 8, embeddingDim: 8, threads: 1, patience: 0 };

function dataset() {
  const rand = seededRandom(9);
  const classes = Object.keys(KEYWORDS);
  const rows = ['text,label'];
  for (let i = 0; i < ROWS; i++) {
    const label = classes[i % 3];
    const words = fillerWords(rand);
    // A third of the rows have no keyword and some have another class's: no option set scores 1, so trials differ.
    const draw = rand();
    const from = draw < 0.35 ? undefined : draw < 0.5 ? classes[Math.floor(rand() * 3)] : label;
    if (from) words.splice(Math.floor(rand() * words.length), 0, KEYWORDS[from][Math.floor(rand() * 3)]);
    rows.push(`${words.join(' ')},${label}`);
  }
  return rows.join('\n') + '\n';
}

let settings;

/**
 * Run alone (TEXTCAT_E2E_STEPS), these steps start on a workbench that has just loaded: the first F1 may come before
 * it listens, and the palette lists the extension's commands only once its contributions are read. Open the palette
 * until it does, then close it.
 */
async function paletteReady(page) {
  await page.locator('.monaco-workbench').waitFor();
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Textcat: Train with Autotune…' }).first();
  // The palette lists the commands known when it opens: open it again until ours is among them.
  for (let attempt = 0; ; attempt++) {
    assert.ok(attempt < 30, 'the palette never listed Textcat: Train with Autotune…');
    if (!(await input.isVisible())) await page.keyboard.press('F1');
    await input.waitFor({ timeout: 3_000 }).catch(() => {});
    if (!(await input.isVisible())) continue;
    await input.fill('>Textcat: Train with Autotune');
    const listed = await row.waitFor({ timeout: 4_000 }).then(
      () => true,
      () => false,
    );
    await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden' });
    if (listed) return;
  }
}

const PROGRESS = /trial \d+ · \d+:\d\d left · best macro-F1 (\.\d{3}|1\.000)/;

export default [
  {
    name: 'autotune: "Train with Autotune…" asks for the dataset, then the budget; a typed budget that is no duration is refused',
    async run(page, snap, { workspace }) {
      writeFileSync(join(workspace, DATASET), dataset());
      settings = workspaceSettings(workspace);
      settings.write((s) => ({ ...s, ...Object.fromEntries(Object.entries(TRAINING).map(([k, v]) => [`textcat.training.${k}`, v])) }));
      await paletteReady(page);
      const input = await runFromPalette(page, 'Textcat: Train with Autotune…', snap, { opensPick: true });
      await page.locator('.quick-input-widget input[placeholder^="Pick a labeled dataset"]').waitFor();
      await input.fill(DATASET);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: DATASET }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-title', { hasText: `Textcat: Train with Autotune on ${DATASET}` }).waitFor();
      const rows = page.locator('.quick-input-list .monaco-list-row .label-name');
      await rows.first().waitFor();
      assert.deepEqual(
        (await rows.allTextContents()).map((t) => t.trim()),
        ['1 minute', '2 minutes', '5 minutes', '15 minutes', 'Custom…'],
      );
      await snap('budget');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Custom…' }).click();
      await page.locator('.quick-input-message', { hasText: 'A duration' }).waitFor();
      await input.fill('soon');
      await page.locator('.quick-input-message', { hasText: 'Type a duration such as 90s, 5m or 1h.' }).waitFor();
      await snap('budget-refused');
      await input.fill(BUDGET);
      await page.locator('.quick-input-message', { hasText: 'A duration' }).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    },
  },
  {
    name: 'autotune: while it runs, the notification counts trials and time left, and the sidebar lists each trial as it ends',
    async run(page, snap) {
      const view = metricsFrame(page);
      const section = view.locator('#autotune');
      await section.waitFor({ timeout: 30_000 });
      assert.match(await section.locator('h2').textContent(), new RegExp(`^Autotune \\(${DATASET.replace('.', '\\.')}\\)$`));
      // A trial has ended: its row has a score and a status.
      await section.locator('tbody[data-trial="1"] .score', { hasText: /^\d\.\d{3}$/ }).waitFor({ timeout: 90_000 });
      await runFromPalette(page, 'Notifications: Show Notifications', async () => {});
      const progress = page.locator('.notifications-center .notification-list-item', { hasText: `autotune on ${DATASET}` });
      await progress.locator('.notification-list-item-message', { hasText: PROGRESS }).waitFor({ timeout: 20_000 });
      assert.match(await section.locator('tbody[data-trial="1"] .trial-options').textContent(), /your settings/);
      // What a person sees: the section is on screen (the sidebar was scrolled down by earlier steps), not above it.
      const top = await section.evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 200, `the Autotune section starts ${top} px from the sidebar's top while the search runs`);
      await snap('running');
    },
  },
  {
    name: 'autotune: at the end, every trial has its status and the sidebar says which options the saved model uses and why',
    async run(page, snap, { workspace }) {
      const view = metricsFrame(page);
      const section = view.locator('#autotune');
      const choice = section.locator('.autotune-choice', { hasText: /scored best|were tried within the budget/ });
      await choice.waitFor({ timeout: 120_000 });
      const manifest = JSON.parse(readFileSync(join(workspace, '.textcat', 'model', 'textcat.json'), 'utf8'));
      assert.ok(manifest.autotune, 'the saved model keeps its search');
      const { trials, chosen } = manifest.autotune;
      // One row per trial (and one for a configuration the budget left no time for), the chosen one marked best.
      const rows = section.locator('tbody[data-trial]');
      assert.equal(await rows.count(), trials.length);
      assert.match(await section.locator(`tbody[data-trial="${chosen}"] .status-word`).textContent(), /^best$/);
      for (const t of trials.filter((x) => x.index !== chosen))
        assert.match(await section.locator(`tbody[data-trial="${t.index}"] .status-word`).textContent(), /^(kept|discarded)$/);
      assert.match(await section.locator('p', { hasText: 'Stopped:' }).textContent(), /^Stopped: /);
      await runFromPalette(page, 'Notifications: Show Notifications', async () => {});
      const message = page.locator('.notifications-center .notification-list-item', { hasText: `Textcat autotune on ${DATASET}:` });
      await message.waitFor({ timeout: 10_000 });
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      // At the default sidebar width the table fits: nothing scrolls sideways.
      const overflow = await section.evaluate((el) => el.scrollWidth - el.clientWidth);
      assert.ok(overflow <= 1, `the section overflows by ${overflow} px`);
      await snap('done');
      await choice.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await snap('choice');
      settings.restore();
      await runFromPalette(page, 'Notifications: Clear All Notifications', async () => {});
    },
  },
];
