// The rules of the house that a reader of the tree relies on, checked on the source so they cannot drift: core
// never imports vscode, the extension never imports tfjs, files stay a size one can read, and features take the
// one Services type rather than ad-hoc intersections of it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|mjs)$/.test(f))
    .map((f) => path.join(dir, f));
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const importsOf = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('house rules', () => {
  it('src/core imports no vscode; src/extension imports no tfjs', () => {
    const core = sources('src/core').filter((f) => importsOf(read(f)).includes('vscode'));
    assert.deepEqual(core, []);
    const extension = sources('src/extension').filter((f) => importsOf(read(f)).some((m) => m.startsWith('@tensorflow/')));
    assert.deepEqual(extension, []);
  });

  it('no file under src/extension is over 250 lines, and the LineLabels class is under 200', () => {
    const long = sources('src/extension')
      .map((f) => ({ f, lines: read(f).split('\n').length - 1 }))
      .filter(({ lines }) => lines > 250);
    assert.deepEqual(long, []);
    const text = read('src/extension/labels/lineLabels.ts').split('\n');
    const start = text.findIndex((l) => l.startsWith('export class LineLabels'));
    const end = text.findIndex((l, i) => i > start && l === '}');
    assert.ok(start >= 0 && end > start);
    assert.ok(end - start + 1 < 200, `LineLabels is ${end - start + 1} lines`);
  });

  it('every notification goes through extension/notify.ts, which makes links in its message inert', () => {
    // Progress notifications too (their title and messages); spelled apart, as below, so this file does not find itself.
    const direct = ['show', 'InformationMessage|show', 'WarningMessage|show', 'ErrorMessage|with', 'Progress\\('].join('');
    const found = sources('src/extension').filter((f) => f !== path.join('src/extension', 'notify.ts') && new RegExp(direct).test(read(f)));
    assert.deepEqual(found, []);
  });

  it('features take Services or a Pick of it, never an intersection with it', () => {
    const intersection = ['Services', '&'].join(' '); // spelled apart, so this file does not find itself
    const found = [...sources('src'), ...sources('test')].filter((f) => read(f).includes(intersection));
    assert.deepEqual(found, []);
  });
});
