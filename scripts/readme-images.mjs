// Copies the UI tests' screenshots that the README shows into docs/images/, so its pictures are of the
// extension as it is. Run after the UI tests (npm test, or npm run test:e2e): npm run readme-images.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stepSlug } from '../test/e2e/uiTests.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Each README image: the UI step that takes it, and the moment of the step (undefined: its final screenshot). */
export const README_IMAGES = [
  {
    image: 'labels.png',
    step: "long lines (dark): at the start, every visible line's label lies inside the editor's visible area, the text in one column",
  },
  {
    image: 'hover.png',
    step: 'loop: the hover says why (the words and their weights) and offers "Correct to" the other classes',
    moment: 'why-billing',
  },
  { image: 'sidebar.png', step: 'themes: Dark Modern: the sidebar (13 classes, long names) and the inline labels', moment: 'curves' },
];

/** The screenshot file name of an image's step and moment, without the step's number. */
export function screenshotName({ step, moment }) {
  return `${stepSlug(step)}${moment ? `-${moment}` : ''}.png`;
}

function main() {
  const shots = join(ROOT, 'test-results', 'e2e');
  const files = readdirSync(shots);
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  for (const entry of README_IMAGES) {
    const wanted = screenshotName(entry);
    const found = files.find((f) => f.replace(/^\d+-/, '') === wanted);
    if (!found) throw new Error(`no screenshot ${wanted} in test-results/e2e: run the UI tests first (npm run test:e2e)`);
    copyFileSync(join(shots, found), join(ROOT, 'docs', 'images', entry.image));
    console.log(`docs/images/${entry.image} ← test-results/e2e/${found}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
