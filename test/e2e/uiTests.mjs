// UI tests: a person's steps in the workbench, in order, each followed by a screenshot in test-results/e2e/.
// They share one page; a failed step stops the ones after it (they would depend on it).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const STEP_TIMEOUT_MS = 30_000;

// Each test/e2e/ui/NN-name.steps.mjs default-exports an array of steps; files run in name order, in one page.
// While iterating, TEXTCAT_E2E_STEPS=<regexp> runs only the files whose name matches it (npm test sets none).
export async function loadSteps() {
  const dir = new URL('./ui/', import.meta.url);
  const only = process.env.TEXTCAT_E2E_STEPS;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.steps.mjs') && (!only || new RegExp(only).test(f)))
    .sort();
  const modules = await Promise.all(files.map((f) => import(new URL(f, dir).href)));
  return modules.flatMap((m) => m.default);
}

/** A step's name as its screenshots' file names spell it (after the step's number). */
export function stepSlug(name) {
  return name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** Runs the steps in one page; returns the number of failed steps (a failed step skips the rest). */
/** `context`: what run.mjs lends the steps besides the workspace (Workspace Trust on or off, another folder's URL). */
export async function runUiTests({ browser, url, screenshots, workspace, context = {} }) {
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  // The workbench's first load takes long on a busy machine; the steps' own waits stay short.
  await page.goto(url, { timeout: 120_000 });
  const count = { passed: 0, failed: 0, skipped: 0 };
  const steps = await loadSteps();
  for (const [i, step] of steps.entries()) {
    const slug = stepSlug(step.name);
    const shot = join(screenshots, `${String(i + 1).padStart(2, '0')}-${slug}`);
    if (count.failed) {
      count.skipped++;
      console.log(`  - ${step.name} (skipped)`);
      continue;
    }
    const start = performance.now();
    // A step may also photograph a page of its own (e.g. the sidebar's page alone, in another language).
    const snap = (moment, target = page) => target.screenshot({ path: `${shot}-${moment}.png` });
    try {
      // The third argument tells steps where the UI workspace is on disk (to prepare files or a model in it).
      await step.run(page, snap, { workspace, url, ...context });
      await page.screenshot({ path: `${shot}.png` });
      count.passed++;
      console.log(`  ✓ ${step.name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
      count.failed++;
      await page.screenshot({ path: `${shot}-FAILED.png` }).catch(() => {});
      console.error(
        `  ✗ ${step.name}\n    ${String(e.message ?? e)
          .split('\n')
          .join('\n    ')}`,
      );
    }
  }
  await page.close();
  console.log(`  UI steps: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped; screenshots in test-results/e2e/`);
  return { failures: count.failed };
}
