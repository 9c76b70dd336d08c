// The README's pictures are UI-test screenshots (npm run readme-images copies them): each one it shows must be
// in docs/images and be made by a UI step that exists and takes that moment's screenshot, so renaming a step
// cannot leave the README with a stale picture that no test retakes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface ReadmeImage {
  image: string;
  step: string;
  moment?: string;
}
interface Step {
  name: string;
  run: (...args: unknown[]) => unknown;
}

async function load(): Promise<{ images: ReadmeImage[]; steps: Step[] }> {
  const script = (await import(path.join(ROOT, 'scripts/readme-images.mjs'))) as { README_IMAGES: ReadmeImage[] };
  const runner = (await import(path.join(ROOT, 'test/e2e/uiTests.mjs'))) as { loadSteps: () => Promise<Step[]> };
  return { images: script.README_IMAGES, steps: await runner.loadSteps() };
}

function readmeImages(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(docs\/images\/([^)]+)\)/g)].map((m) => m[1]);
}

describe('README images', () => {
  it('every picture the README shows is in docs/images and comes from the UI tests', async () => {
    const { images } = await load();
    const shown = readmeImages();
    assert.ok(shown.length >= 3, `pictures in the README: ${shown.join(', ')}`);
    for (const image of shown) {
      assert.ok(fs.statSync(path.join(ROOT, 'docs/images', image)).size > 10_000, `docs/images/${image}`);
      assert.ok(
        images.some((i) => i.image === image),
        `${image} is not made by npm run readme-images`,
      );
    }
  });

  it('each image names a UI step that exists and takes that screenshot', async () => {
    const { images, steps } = await load();
    for (const { image, step, moment } of images) {
      const found = steps.find((s) => s.name === step);
      assert.ok(found, `${image}: no UI step named "${step}"`);
      if (moment)
        assert.match(found.run.toString(), new RegExp(`snap\\('${moment}'\\)`), `${image}: the step takes no '${moment}' screenshot`);
    }
  });
});
