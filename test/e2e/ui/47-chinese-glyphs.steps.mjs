// Chinese on screen: the screenshots of the Chinese sidebar and labels are only worth looking at when the
// browser has a CJK font (.ci/run installs Debian's fonts-wqy-microhei). Without one, Chromium draws every
// ideograph as the same missing-glyph box, so the check draws a few ideographs and a code point no font has
// in the workbench's own font, and fails when the ideographs look alike or like the missing glyph.
import assert from 'node:assert/strict';

const IDEOGRAPHS = ['中', '文', '标', '签', '训', '练'];

export default [
  {
    name: 'Chinese on screen: ideographs are drawn with real glyphs in the workbench font, not missing-glyph boxes',
    async run(page) {
      const drawn = await page.evaluate((ideographs) => {
        const canvas = document.createElement('canvas');
        canvas.width = 48;
        canvas.height = 40;
        const context = canvas.getContext('2d', { willReadFrequently: true });
        const family = getComputedStyle(document.querySelector('.monaco-workbench')).fontFamily;
        const pixels = (text) => {
          context.clearRect(0, 0, canvas.width, canvas.height);
          context.font = `28px ${family}`;
          context.fillStyle = '#000';
          context.fillText(text, 4, 32);
          const alpha = context.getImageData(0, 0, canvas.width, canvas.height).data.filter((_, i) => i % 4 === 3);
          return Array.from(alpha).join(',');
        };
        // U+10FFFD is a noncharacter: no font has it, so it is drawn as the missing glyph.
        return { missing: pixels('\u{10FFFD}'), ideographs: ideographs.map(pixels), family };
      }, IDEOGRAPHS);
      const inked = drawn.ideographs.filter((p) => p.split(',').some((a) => a !== '0'));
      assert.equal(inked.length, IDEOGRAPHS.length, 'every ideograph leaves ink');
      assert.equal(new Set(drawn.ideographs).size, IDEOGRAPHS.length, `ideographs drawn alike (boxes) in ${drawn.family}`);
      for (const [i, p] of drawn.ideographs.entries())
        assert.notEqual(
          p,
          drawn.missing,
          `${IDEOGRAPHS[i]} is drawn as the missing glyph: no CJK font (apt-get install fonts-wqy-microhei)`,
        );
    },
  },
];
