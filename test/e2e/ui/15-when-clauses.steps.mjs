// What the workbench offers before there is a model, as a person finds it: the palette has Train Classifier… and
// Show Metrics, but no Cancel Training (nothing runs), Evaluate, Export Model or Label Line As… (no model); the
// Explorer offers "Train Classifier…" on a dataset and on a folder of class folders, not on a text file that is
// no dataset nor on an ordinary folder.
import assert from 'node:assert/strict';

/**
 * Types `>title` into the palette and checks that a row with that title shows (`offered`), or that the palette
 * says "No matching commands" and still has no such row a moment later. Leaves the palette closed.
 */
export async function expectPalette(page, title, offered) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
  if (offered) {
    // The palette lists the commands known when it opened: while the extensions are still being read, open it again.
    for (let attempt = 0; !(await row.first().isVisible()); attempt++) {
      assert.ok(attempt < 30, `${title} is offered`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
      await page.keyboard.press('F1');
      await input.fill(`>${title}`);
      await page.waitForTimeout(200);
    }
  } else {
    // The palette then lists other commands it finds similar, or says "No matching commands".
    await page
      .locator('.quick-input-list .monaco-list-row')
      .first()
      .or(page.locator('.quick-input-widget', { hasText: 'No matching commands' }))
      .first()
      .waitFor();
    await page.waitForTimeout(300);
    assert.equal(await row.count(), 0, `${title} is not offered`);
  }
  await page.keyboard.press('Escape');
}

/** Right-clicks an Explorer entry; the titles of its context menu. Leaves the menu closed. */
export async function explorerMenu(page, name) {
  const entry = page.locator('.explorer-folders-view .monaco-list-row', { has: page.getByText(name, { exact: true }) });
  await entry.first().click({ button: 'right' });
  const items = page.locator('.context-view .monaco-menu .action-item .action-label');
  await items.first().waitFor();
  const titles = (await items.allTextContents()).map((t) => t.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  return titles;
}

/** The Explorer's menu on `name`, asked again until `done` holds (the extension lists datasets a moment after starting). */
async function explorerMenuUntil(page, name, done) {
  const deadline = Date.now() + 15_000;
  let titles = await explorerMenu(page, name);
  while (!done(titles)) {
    assert.ok(Date.now() < deadline, `the Explorer menu of ${name}: ${titles.join(' | ')}`);
    await page.waitForTimeout(500);
    titles = await explorerMenu(page, name);
  }
  return titles;
}

export default [
  {
    name: 'palette with no model and nothing running: Train Classifier… and Show Metrics, no Cancel Training, Evaluate or Label Line As…',
    async run(page, snap) {
      await page.locator('.monaco-workbench').waitFor();
      await expectPalette(page, 'Textcat: Train Classifier…', true);
      await expectPalette(page, 'Textcat: Show Metrics', true);
      for (const title of [
        'Textcat: Cancel Training',
        'Textcat: Evaluate Model on Dataset…',
        'Textcat: Export Model…',
        'Textcat: Label Line As…',
        'Textcat: Go to Next Line of Class…',
      ])
        await expectPalette(page, title, false);
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Textcat:');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Textcat: Train Classifier…' }).waitFor();
      await snap('textcat-commands');
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Explorer: "Train Classifier…" on a dataset and on a folder of class folders, not on sample.txt or an ordinary folder',
    async run(page, snap) {
      await page.locator('.part.activitybar [aria-label^="Explorer"]').first().click();
      await page.locator('.part.sidebar .title-label', { hasText: 'Explorer' }).waitFor();
      const train = 'Train Classifier…';
      assert.ok((await explorerMenu(page, 'tickets.csv')).includes(train));
      assert.ok(!(await explorerMenu(page, 'sample.txt')).includes(train), 'sample.txt is no dataset');
      assert.ok(!(await explorerMenu(page, '.vscode')).includes(train), 'an ordinary folder');
      await explorerMenuUntil(page, 'class-folders', (titles) => titles.includes(train));
      await page
        .locator('.explorer-folders-view .monaco-list-row', { has: page.getByText('class-folders', { exact: true }) })
        .first()
        .click({ button: 'right' });
      await page.locator('.context-view .monaco-menu .action-label', { hasText: train }).waitFor();
      await snap('class-folders');
      await page.keyboard.press('Escape');
    },
  },
];
