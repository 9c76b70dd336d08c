// The rules of the house that a reader of the tree relies on, checked on the source so they cannot drift: core
// never imports vscode, the extension never imports tfjs, files stay a size one can read, and features take the
// one Services type rather than ad-hoc intersections of it; over all of src, imports follow ARCHITECTURE.md's drawing
// (one table of which area may import which, checked on every import of every file).
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

// ── Every file under src: a size one can read, and imports that point the way ARCHITECTURE.md draws them. ──

/** The longest file under src today is core/model/kernels/lstm.wat.mjs (498 lines, the hand-written kernel), then core/training/train.ts (456). */
const MAX_SRC_LINES = 500;

type Area = 'core' | 'protocol' | 'extension' | 'webview' | 'cli' | 'worker';
/** 'all': any import; 'types': only `import type` / `export type` (erased, so nothing of the other side runs). */
type Access = 'all' | 'types';

/** Which areas each area may import from, and which packages it must not; anything not listed is refused. */
const IMPORT_RULES: Record<Area, { areas: Partial<Record<Area, Access>>; forbiddenPackages: RegExp[] }> = {
  core: { areas: { core: 'all' }, forbiddenPackages: [/^vscode$/] },
  protocol: { areas: { protocol: 'all', core: 'types' }, forbiddenPackages: [/^vscode$/, /^@tensorflow\//] },
  extension: { areas: { extension: 'all', core: 'all', protocol: 'all', worker: 'all' }, forbiddenPackages: [/^@tensorflow\//] },
  webview: { areas: { webview: 'all', protocol: 'all' }, forbiddenPackages: [/^vscode$/, /^@tensorflow\//, /^node:/] },
  cli: { areas: { cli: 'all', core: 'all', protocol: 'types' }, forbiddenPackages: [/^vscode$/] },
  worker: { areas: { worker: 'all', core: 'all', protocol: 'all' }, forbiddenPackages: [/^vscode$/] },
};

/**
 * Imports the rules above would refuse, each kept on purpose. The sidebar and `textcat train` must word the same
 * verdict and column source from the same manifest fields, so both read these two small pure modules of core
 * rather than two copies (the CLI may not import the protocol, the webview may not import core).
 */
const ALLOWED_EXCEPTIONS: readonly { file: string; imports: string }[] = [
  { file: 'src/webview/render/baseline.ts', imports: 'src/core/baseline/verdict' },
  { file: 'src/webview/render/summary.ts', imports: 'src/core/datasetFormats/columns' },
];

function areaOf(file: string): Area | undefined {
  if (file === 'src/cli.ts' || file === 'src/cli') return 'cli';
  const top = file.split('/')[1];
  return (['core', 'protocol', 'extension', 'webview', 'cli', 'worker'] as const).find((a) => a === top);
}

interface ImportUse {
  module: string;
  typeOnly: boolean;
}

const CLAUSE = String.raw`(?:\*(?:\s+as\s+\w+)?|\{[^}]*\}|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)`;
const STATIC = new RegExp(String.raw`\b(import|export)\s+(type\s+)?(${CLAUSE})\s+from\s+['"]([^'"]+)['"]`, 'g');
const BARE = /\bimport\s+['"]([^'"]+)['"]/g;
const DYNAMIC = /\b(?:import|require|require\.resolve)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of a file: static (with whether it is types only), side-effect, dynamic import() and require. */
function importUses(text: string): ImportUse[] {
  const uses: ImportUse[] = [];
  for (const m of text.matchAll(STATIC)) {
    const names = m[3].startsWith('{')
      ? m[3]
          .slice(1, -1)
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
      : [];
    const typeOnly = Boolean(m[2]) || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    uses.push({ module: m[4], typeOnly });
  }
  for (const m of text.matchAll(BARE)) uses.push({ module: m[1], typeOnly: false });
  for (const m of text.matchAll(DYNAMIC)) uses.push({ module: m[1], typeOnly: false });
  return uses;
}

describe('house rules over all of src', () => {
  it(`no file under src is over ${MAX_SRC_LINES} lines`, () => {
    const long = sources('src')
      .map((f) => ({ f, lines: read(f).split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_SRC_LINES);
    assert.deepEqual(long, []);
  });

  it('imports point the way the house is drawn (IMPORT_RULES, checked over every import of every file)', () => {
    const broken: string[] = [];
    const files = sources('src').map((f) => f.split(path.sep).join('/'));
    for (const file of files) {
      const area = areaOf(file);
      assert.ok(area, `${file} is in no area of the house`);
      const rules = IMPORT_RULES[area];
      for (const use of importUses(read(file))) {
        if (!use.module.startsWith('.')) {
          if (rules.forbiddenPackages.some((p) => p.test(use.module))) broken.push(`${file} imports ${use.module}`);
          continue;
        }
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), use.module));
        if (!target.startsWith('src/')) continue; // package.json (the version) and the like
        const targetArea = areaOf(target);
        const access = targetArea && rules.areas[targetArea];
        const allowed = access === 'all' || (access === 'types' && use.typeOnly);
        const excepted = ALLOWED_EXCEPTIONS.some((e) => e.file === file && e.imports === target);
        if (!allowed && !excepted) broken.push(`${file} imports ${use.typeOnly ? 'types from ' : ''}${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('the import reader sees every kind of import it is meant to check', () => {
    const text = [
      `import type { A } from './a';`,
      `import { type B, type C } from './b';`,
      `import { D, type E } from './d';`,
      `import * as f from 'node:fs';`,
      `import g, { h } from './g';`,
      `import './side';`,
      `export type { I } from './i';`,
      `export { J } from './j';`,
      `const k = await import('./k');`,
      `const l = require.resolve('./l');`,
    ].join('\n');
    assert.deepEqual(importUses(text), [
      { module: './a', typeOnly: true },
      { module: './b', typeOnly: true },
      { module: './d', typeOnly: false },
      { module: 'node:fs', typeOnly: false },
      { module: './g', typeOnly: false },
      { module: './i', typeOnly: true },
      { module: './j', typeOnly: false },
      { module: './side', typeOnly: false },
      { module: './k', typeOnly: false },
      { module: './l', typeOnly: false },
    ]);
  });
});
