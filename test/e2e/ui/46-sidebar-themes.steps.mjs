// The Metrics sidebar and the inline labels in Light Modern, Dark High Contrast and Dark Modern, chosen as a
// person does (the palette's "Preferences: Color Theme"), with a model of thirteen classes and long names at
// the default sidebar width. Each theme step checks that the theme really changed (the workbench's and the
// page's classes, their background's lightness), that each class chip has its inline label's color and can be
// read, that the tables fit, and that the charts' legends show figures; its screenshots are named by theme.
// Then the same page in Simplified Chinese (the workbench itself runs in English: see metricsPage.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { metricsFrame, openFile, runFromPalette, workspaceSettings } from './workbench.mjs';
import { CLASSES, LINES_FILE, trainSidebarModel } from './sidebarModel.mjs';
import { contrast, luminance, parseColor } from './colors.mjs';
import { openMetricsPage, pageStrings, post, readLook } from './metricsPage.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Filled by the first step. */
let manifest;
/** The workspace's settings: the fixture draws labels at the end for older steps; these show the default (start). */
let settings;
/** How the page looked in each theme (its CSS variables, classes, width), for the page shown on its own. */
const looks = {};

const THEMES = [
  // Label in the theme picker; VS Code's classes on the workbench and on the webview's body; background lightness.
  { label: 'Light Modern', workbench: 'vs', page: 'vscode-light', background: (l) => l > 0.8 },
  { label: 'Dark High Contrast', workbench: 'hc-black', page: 'vscode-high-contrast', background: (l) => l === 0 },
  { label: 'Dark Modern', workbench: 'vs-dark', page: 'vscode-dark', background: (l) => l < 0.05 },
];

async function openSidebar(page) {
  await runFromPalette(page, 'Textcat: Show Metrics', async () => {});
  await page.locator('.part.sidebar .title-label', { hasText: 'Metrics' }).waitFor();
}

/** The inline labels in the editor (before or after their line), with their text color; empty boxes left out. */
async function inlineLabels(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-instance .view-lines .view-line span')].flatMap((span) =>
      ['::before', '::after']
        .map((pseudo) => getComputedStyle(span, pseudo))
        .filter((s) => s.content && s.content !== 'none' && s.content !== 'normal')
        .map((s) => ({ text: s.content.replace(/^"|"$/g, ''), color: s.color }))
        // In the start column, a line without a label keeps an empty box of the column's width.
        .filter((label) => label.text.trim() !== ''),
    ),
  );
}

/** The class an inline label names ("billing 93%", or a shortened "billing-in… 93%"). */
function classOfLabel(text) {
  const name = text.replace(/\s+\d+%$/, '').trim();
  const names = Object.keys(CLASSES);
  return names.find((c) => c === name) ?? (name.endsWith('…') ? names.find((c) => c.startsWith(name.slice(0, -1))) : undefined);
}

/** A quick-pick row whose label is exactly `label` (a fuzzy filter also lists its neighbours). */
const pickRow = (page, label) =>
  page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });

/** Palette → "Preferences: Color Theme" → the theme, each clicked by its exact name. */
async function chooseTheme(page, label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill('>Preferences: Color Theme');
  await pickRow(page, 'Preferences: Color Theme').click();
  await input.fill(label);
  await pickRow(page, label).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** Scrolls the page so that a section is at the top of the sidebar, and lets the charts redraw. */
async function showSection(page, view, selector) {
  await view.locator(selector).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(150);
}

function themeStep(theme) {
  return {
    name: `themes: ${theme.label}: the sidebar (13 classes, long names) and the inline labels`,
    async run(page, snap) {
      await chooseTheme(page, theme.label);
      const workbench = page.locator('.monaco-workbench');
      await page.locator(`.monaco-workbench.${theme.workbench}`).waitFor();
      const view = metricsFrame(page);
      await view.locator(`body.${theme.page}`).waitFor({ timeout: 15_000 });
      looks[theme.label] = await readLook(view);

      // The theme really changed: the workbench, the sidebar and the page all have its background.
      const sidebarBackground = parseColor(await page.locator('.part.sidebar').evaluate((el) => getComputedStyle(el).backgroundColor));
      assert.ok(theme.background(luminance(sidebarBackground)), `${theme.label}: sidebar background ${sidebarBackground}`);
      const editorBackground = parseColor(
        await page
          .locator('.editor-instance .monaco-editor-background')
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor),
      );
      assert.ok(theme.background(luminance(editorBackground)), `${theme.label}: editor background ${editorBackground}`);
      const pageColors = await view
        .locator('html')
        .evaluate((html) =>
          ['--vscode-sideBar-background', '--vscode-foreground'].map((v) => getComputedStyle(html).getPropertyValue(v).trim()),
        );
      const pageBackground = parseColor(pageColors[0]);
      assert.ok(theme.background(luminance(pageBackground)), `${theme.label}: the page's sideBar-background ${pageColors[0]}`);
      assert.ok(contrast(parseColor(pageColors[1]), pageBackground) >= 7, `${theme.label}: the page's text color ${pageColors[1]} on it`);
      const kinds = await workbench.evaluate((el) => ['vs', 'vs-dark', 'hc-black', 'hc-light'].filter((c) => el.classList.contains(c)));
      assert.deepEqual(kinds, [theme.workbench], 'one theme kind on the workbench');

      // Each chip has its class's inline-label color, and reads on the sidebar.
      await view.locator('#model .chip').first().waitFor();
      const chips = await view.locator('#model .chip').evaluateAll((els) =>
        els.map((el) => {
          // What is behind the text: the first ancestor (or the chip) with a background.
          let behind = el;
          while (behind && /^(transparent|rgba\(0, 0, 0, 0\))$/.test(getComputedStyle(behind).backgroundColor))
            behind = behind.parentElement;
          return {
            text: el.textContent,
            color: getComputedStyle(el).color,
            background: behind && getComputedStyle(behind).backgroundColor,
          };
        }),
      );
      assert.deepEqual(
        chips.map((c) => c.text),
        manifest.labels,
        'a chip per class, in the model order',
      );
      const inline = await inlineLabels(page);
      assert.ok(inline.length >= 8, `inline labels in the editor: ${JSON.stringify(inline)}`);
      const distinct = new Set(chips.slice(0, 8).map((c) => c.color));
      assert.equal(distinct.size, 8, `eight colors for the first eight classes: ${[...distinct]}`);
      for (const label of inline) {
        const name = classOfLabel(label.text);
        assert.ok(name, `the inline label "${label.text}" names a class`);
        const chip = chips[manifest.labels.indexOf(name)];
        assert.equal(chip.color, label.color, `${theme.label}: chip "${name}" has the color of its inline label`);
      }
      for (const chip of chips) {
        const background = chip.background ? parseColor(chip.background) : pageBackground;
        const ratio = contrast(parseColor(chip.color), background);
        assert.ok(ratio >= 4.5, `${theme.label}: chip "${chip.text}" ${chip.color} on ${background}: contrast ${ratio.toFixed(2)}`);
      }
      await showSection(page, view, '#model');
      await snap('model');

      // The dataset's class table and the per-class table fit the sidebar: no sideways scrolling, no header cut.
      for (const table of ['#dataset table.class-counts', '#per-class table.per-class']) {
        const fit = await view.locator(table).evaluate((t) => {
          const box = t.closest('.card');
          const cut = [...t.querySelectorAll('th')].filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent);
          return { table: t.getBoundingClientRect().width, card: box.clientWidth, cut };
        });
        assert.ok(fit.table <= fit.card, `${table} is ${fit.table}px in a ${fit.card}px section`);
        assert.deepEqual(fit.cut, [], `${table}: headers cut`);
      }
      await showSection(page, view, '#dataset');
      await snap('dataset');

      // The legends read figures (the last epoch's while the pointer is elsewhere), never "–" alone.
      const legends = await view
        .locator('#curves .u-legend, #calibration .u-legend')
        .evaluateAll((ls) => ls.map((l) => [...l.querySelectorAll('.u-series')].map((s) => s.textContent.trim())));
      assert.equal(legends.length, 3, 'loss, accuracy, calibration');
      for (const entries of legends) for (const entry of entries) assert.match(entry, /\d/, `a legend entry with a figure: ${entries}`);
      await showSection(page, view, '#curves');
      await snap('curves');

      await showSection(page, view, '#confusion');
      await snap('confusion');
      await showSection(page, view, '#per-class');
      await snap('per-class');
      await showSection(page, view, '#model');
    },
  };
}

/** The states a page goes through, with everything it can show: training, a model, an evaluation, none. */
function pageStates() {
  // What the host sends: the manifest without the validation examples and the vocabulary.
  const model = { ...manifest, validationExamples: undefined, tokenizer: undefined };
  const history = manifest.history;
  const progress = (epoch, batch, extra = {}) => ({
    epoch,
    epochs: 25,
    batch,
    batches: 7,
    loss: 0.42,
    accuracy: 0.87,
    samplesPerSecond: 2345,
    etaSeconds: 75,
    ...extra,
  });
  const validation = manifest.metrics.validation;
  const evaluation = { dataset: '/work/tickets/march-tickets.csv', metrics: validation, unknownLabels: ['escalation', 'legal-hold'] };
  const warned = { ...manifest.dataset, columns: { ...manifest.dataset.columns, source: 'data', confident: false } };
  return {
    training: {
      hasWorkspace: true,
      model,
      evaluation,
      training: {
        dataset: 'tickets/support-tickets.csv',
        datasetInfo: warned,
        progress: progress(3, 4),
        epochs: history.slice(0, 2).map((e) => ({ ...progress(e.epoch, 7), ...e, epochDone: true })),
        batches: [0.5, 1.5, 2.5].map((x) => ({ x, loss: 1 / x, accuracy: x / 3 })),
      },
    },
    model: { hasWorkspace: true, model },
    empty: { hasWorkspace: true },
    noFolder: { hasWorkspace: false },
  };
}

/** Latin words left in the page's strings once the user's data (class names, file names, example texts) is taken out. */
function englishWords(strings) {
  const data = [...manifest.labels, 'escalation', 'legal-hold', ...manifest.validationExamples.map((e) => e.text)];
  for (const path of [manifest.dataset.path, ...manifest.runs.map((r) => r.dataset), '/work/tickets/march-tickets.csv']) {
    data.push(path, basename(path));
  }
  data.push('tickets/support-tickets.csv', 'support-tickets.csv');
  data.sort((a, b) => b.length - a.length);
  // Names that read the same in every language: a score's name, a model's, a file format's, a count's symbol.
  const allowed = new Set(['F1', 'ECE', 'LSTM', 'CSV', 'TSV', 'JSONL', 'JSON', 'fastText', 'n']);
  const found = [];
  for (const { text, data: isData, where } of strings) {
    if (isData) continue;
    let rest = text;
    for (const d of data) rest = rest.split(d).join(' ');
    for (const word of rest.match(/[A-Za-z][A-Za-z0-9-]*/g) ?? [])
      if (!allowed.has(word)) found.push(`${word} (${where}: ${text.slice(0, 60)})`);
  }
  return found;
}

/** Shows the page through every state and returns every string it showed; photographs it in the first two. */
async function walkPage(page, snap, prefix) {
  const states = pageStates();
  const strings = [];
  const collect = async () => strings.push(...(await pageStrings(page)));
  await post(page, { type: 'state', state: states.training });
  await collect();
  await snap?.(`${prefix}-training`, page);
  // The validation scores, an error cell's examples (first while they load), a past run's details.
  await page.locator('[data-focus="source:validation"]').click();
  const cell = page.locator('#confusion button.cell-button').first();
  await cell.click();
  const asked = await page.evaluate(() => window.posted.findLast((m) => m.type === 'showConfusionCell'));
  assert.ok(asked, 'the page asks the host for the cell');
  await collect();
  const { labels } = manifest.metrics.validation;
  const examples = manifest.validationExamples.filter((e) => e.label === labels[asked.truth] && e.predicted === labels[asked.predicted]);
  const reply = {
    runId: manifest.runId,
    truth: asked.truth,
    predicted: asked.predicted,
    examples,
    total: examples.length + 3,
    shown: examples.length,
  };
  await post(page, { type: 'confusionExamples', ...reply });
  await page.locator('#confusion-examples').waitFor();
  await page.locator('button.run').last().click();
  await page.locator('#run-detail').waitFor();
  await page.locator('details').evaluateAll((all) => all.forEach((d) => (d.open = true)));
  await collect();
  await post(page, { type: 'state', state: states.model });
  await collect();
  await snap?.(`${prefix}-model`, page);
  await page.locator('#confusion').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await snap?.(`${prefix}-confusion`, page);
  for (const state of [states.empty, states.noFolder]) {
    await post(page, { type: 'state', state });
    await collect();
  }
  return strings;
}

export default [
  {
    name: 'themes: a model of 13 classes with long names (one Chinese) labels themes-lines.log',
    async run(page, _snap, { workspace }) {
      settings = workspaceSettings(workspace);
      settings.write((s) => ({ ...s, 'textcat.labels.position': undefined }));
      manifest = trainSidebarModel(workspace);
      assert.equal(manifest.labels.length, Object.keys(CLASSES).length);
      await openSidebar(page);
      const view = metricsFrame(page);
      await view.locator(`.runs li:first-child [data-run-id="${manifest.runId}"]`).waitFor({ timeout: 20_000 });
      await openFile(page, LINES_FILE);
      const deadline = Date.now() + 20_000;
      while ((await inlineLabels(page)).length < 10) {
        assert.ok(Date.now() < deadline, `the lines of ${LINES_FILE} get their labels: ${JSON.stringify(await inlineLabels(page))}`);
        await page.waitForTimeout(200);
      }
    },
  },
  ...THEMES.map(themeStep),
  {
    name: 'sidebar in Simplified Chinese (zh-cn bundle): no English left but the data; in English, the same page is all English',
    async run(page, snap) {
      const bundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
      const look = looks['Dark Modern'];
      assert.ok(look, 'the Dark Modern step read the page');
      const chinese = await openMetricsPage(page.context(), { look, language: 'zh-cn', bundle });
      try {
        const strings = await walkPage(chinese, snap, 'zh-cn');
        assert.ok(strings.length > 300, `strings read: ${strings.length}`);
        assert.deepEqual(englishWords(strings), [], 'English in the Chinese page');
        // Figures in the page's language, and the CJK text is there.
        assert.ok(strings.some((s) => /[\u4e00-\u9fff]/.test(s.text) && /混淆矩阵/.test(s.text)));
      } finally {
        await chinese.close();
      }
      // The check can fail: the page without a bundle (English) shows hundreds of English words to it.
      const english = await openMetricsPage(page.context(), { look: looks['Light Modern'], language: 'en' });
      try {
        const words = englishWords(await walkPage(english, snap, 'en-light'));
        assert.ok(words.length > 300, `English words found in the English page: ${words.length}`);
      } finally {
        await english.close();
      }
    },
  },
  {
    name: 'themes: the workbench as the steps before left it (Dark Modern, the lines file closed)',
    async run(page) {
      await page.locator('.monaco-workbench.vs-dark').waitFor();
      await page.locator('.tab', { hasText: LINES_FILE }).click();
      await runFromPalette(page, 'View: Close Editor', async () => {});
      await page.locator('.tab', { hasText: LINES_FILE }).waitFor({ state: 'detached' });
      settings.restore();
    },
  },
];
