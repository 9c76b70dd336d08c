// What a person does in the workbench, as Playwright calls shared by the UI step files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const FIXTURE_FILE = 'sample.txt';

/** The Metrics webview: a frame inside the frame of iframe.webview. */
export const metricsFrame = (page) => page.frameLocator('iframe.webview').frameLocator('iframe');

/** The Metrics webview with no model yet: its script ran (the body is marked once the host's state is drawn) and it offers to train. */
export async function expectMetricsWebview(page) {
  const view = metricsFrame(page);
  await view.locator('body[data-ready="true"]').waitFor();
  assert.equal((await view.locator('#empty h2').textContent())?.trim(), 'No model trained yet');
  await view.getByRole('button', { name: 'Train Classifier…' }).waitFor();
}

/** Opens the command palette (F1), types the command's title, waits for it in the list, and runs it. */
export async function runFromPalette(page, title, snap, { opensPick = false } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await snap?.('palette');
  await page.keyboard.press('Enter');
  // A command that asks something at once reuses the same quick input, which then stays open.
  if (!opensPick) await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  return input;
}

/**
 * The editor's visible lines, top to bottom, each with the text of its decorations: the ::before and ::after
 * contents of its spans (labels at the start or the end of the line). An empty one is the start column's
 * placeholder on a line without a label, not a label.
 */
export async function readLines(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.editor-instance .view-lines .view-line')]
      .map((line) => ({
        top: parseFloat(line.style.top) || 0,
        text: line.textContent.replace(/\u00a0/g, ' ').trimEnd(),
        labels: [...line.querySelectorAll('span')]
          .flatMap((span) => ['::before', '::after'].map((pseudo) => getComputedStyle(span, pseudo).content))
          .filter((c) => c && c !== 'none' && c !== 'normal' && c !== '""')
          .map((c) => c.replace(/^"|"$/g, '')),
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ text, labels }) => ({ text, labels })),
  );
}

export async function waitForLines(page, predicate) {
  const deadline = Date.now() + 10_000;
  let lines = await readLines(page);
  while (!predicate(lines)) {
    if (Date.now() > deadline) assert.fail(`editor lines did not reach the expected state: ${JSON.stringify(lines)}`);
    await page.waitForTimeout(100);
    lines = await readLines(page);
  }
  return lines;
}

/** Trains a model into `modelDir` with the built CLI, as a person would in a terminal; options by their camelCase names. */
export function trainWithCli(dataset, modelDir, options = {}) {
  const flags = Object.entries(options).flatMap(([name, value]) => [
    `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    String(value),
  ]);
  execFileSync(process.execPath, ['dist/cli.js', 'train', dataset, '--out', modelDir, ...flags, '--quiet'], { cwd: ROOT, stdio: 'pipe' });
}

/**
 * The UI workspace's .vscode/settings.json as a step file found it: `write` replaces it by `change` of that
 * first content (VS Code applies it at once), `restore` puts the first content back.
 */
export function workspaceSettings(workspace) {
  const file = join(workspace, '.vscode', 'settings.json');
  const before = readFileSync(file, 'utf8');
  return {
    write: (change) => writeFileSync(file, JSON.stringify(change(JSON.parse(before)), null, 2)),
    restore: () => writeFileSync(file, before),
  };
}

/**
 * Opens a workspace file with Quick Open. Keyboard focus may be in the sidebar's webview after the steps
 * before: a click in the editor area gives it back to the workbench, so Ctrl+P reaches Quick Open (tried again
 * if the first click did not). Enter takes the focused row, so the filter must have applied first.
 */
export async function openFile(page, name) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    const text = page.locator('.editor-instance .view-lines').first();
    if (await text.isVisible()) await text.click({ position: { x: 5, y: 5 } });
    else await page.locator('.part.editor').click();
    await page.keyboard.press('Control+P');
    if (
      await input.waitFor({ timeout: 3_000 }).then(
        () => true,
        () => false,
      )
    )
      break;
    assert.ok(attempt < 3, 'Quick Open did not open');
  }
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}
