// package.json's contributions against the code they describe: the training settings must be exactly
// OPTION_SPECS / DEFAULT_OPTIONS (the table is the one source), every command is in the palette's
// Textcat category with a title, and every %key% and runtime message has its English and Chinese text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_OPTIONS, OPTION_SPECS } from '../../src/core/options';

const ROOT = path.resolve(__dirname, '../..');
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

type Property = Record<string, unknown> & { markdownDescription?: string; description?: string };

/** The parts of package.json these tests read. */
interface PackageJson {
  contributes: {
    configuration: { properties?: Record<string, Property> } | { properties?: Record<string, Property> }[];
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    walkthroughs: { steps: { media: { markdown: string } }[] }[];
  };
  capabilities: { untrustedWorkspaces: { supported: boolean }; virtualWorkspaces: { supported: boolean } };
  activationEvents: string[];
  l10n: string;
}

const pkg = readJson<PackageJson>('package.json');
const nls = readJson<Record<string, string>>('package.nls.json');
const nlsZh = readJson<Record<string, string>>('package.nls.zh-cn.json');

/** contributes.configuration may be one object or a list of sections. */
function settings(): Record<string, Property> {
  const config = pkg.contributes.configuration;
  const sections = Array.isArray(config) ? config : [config];
  return Object.assign({}, ...sections.map((s) => s.properties ?? {})) as Record<string, Property>;
}

/** `%key%` → the English text; anything else as it is. */
function localized(value: unknown): unknown {
  const key = typeof value === 'string' ? /^%(.+)%$/.exec(value)?.[1] : undefined;
  return key ? nls[key] : value;
}

describe('package.json: training settings', () => {
  const all = settings();
  const training = Object.keys(all).filter((k) => k.startsWith('textcat.training.'));

  it('has one setting per training option, and no other', () => {
    assert.deepEqual(training.map((k) => k.slice('textcat.training.'.length)).sort(), Object.keys(OPTION_SPECS).sort());
  });

  for (const [name, spec] of Object.entries(OPTION_SPECS)) {
    it(`textcat.training.${name} matches OPTION_SPECS and DEFAULT_OPTIONS`, () => {
      const p = all[`textcat.training.${name}`];
      assert.ok(p, 'missing');
      assert.deepEqual(p.default, DEFAULT_OPTIONS[name as keyof typeof DEFAULT_OPTIONS]);
      assert.equal(localized(p.markdownDescription), spec.description);
      switch (spec.kind) {
        case 'int':
        case 'number':
          assert.equal(p.type, spec.kind === 'int' ? 'integer' : 'number');
          assert.equal(p.minimum, spec.min);
          assert.equal(p.maximum, spec.max);
          break;
        case 'boolean':
          assert.equal(p.type, 'boolean');
          break;
        case 'enum':
          assert.equal(p.type, 'string');
          assert.deepEqual(p.enum, [...spec.values]);
          break;
        case 'string':
          assert.equal(p.type, 'string');
          assert.equal(p.enum, undefined);
          break;
      }
    });
  }

  it('every other setting that settings.ts reads is contributed with a default and a markdownDescription', () => {
    const source = fs.readFileSync(path.join(ROOT, 'src/extension/settings.ts'), 'utf8');
    const read = [...source.matchAll(/config\.get<[^>]+>\('([^']+)'/g)].map((m) => `textcat.${m[1]}`);
    assert.ok(read.length >= 8, `found only ${read.length} reads in settings.ts`);
    for (const key of read) {
      assert.ok(all[key], `${key} is read but not contributed`);
      assert.ok('default' in all[key], `${key} has no default`);
      assert.ok(localized(all[key].markdownDescription), `${key} has no markdownDescription`);
    }
  });
});

describe('package.json: commands', () => {
  const commands: { command: string; title: string; category?: string }[] = pkg.contributes.commands;

  it('each is in the Textcat category and has a title', () => {
    assert.ok(commands.length >= 8);
    for (const c of commands) {
      assert.equal(c.category, 'Textcat', `${c.command} category`);
      assert.ok(typeof localized(c.title) === 'string' && (localized(c.title) as string).trim(), `${c.command} has no title`);
    }
  });

  it('titles are the ones the issue names', () => {
    const titles = Object.fromEntries(commands.map((c) => [c.command, localized(c.title)]));
    assert.equal(titles['textcat.train'], 'Train Classifier…');
    assert.equal(titles['textcat.cancelTraining'], 'Cancel Training');
    assert.equal(titles['textcat.evaluate'], 'Evaluate Model on Dataset…');
    assert.equal(titles['textcat.openModelFolder'], 'Reveal Model Folder');
  });

  it('the Explorer menu offers training on dataset files', () => {
    const menu: { command: string; when?: string }[] = pkg.contributes.menus['explorer/context'];
    const train = menu.find((m) => m.command === 'textcat.train');
    assert.ok(train?.when?.includes('resourceExtname') && train.when.includes('explorerResourceIsFolder'));
  });
});

describe('package.json: manifest', () => {
  it('declares workspace trust and virtual workspace support, and activates lazily', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
    assert.deepEqual(pkg.activationEvents, ['workspaceContains:.textcat/model/textcat.json']);
    assert.equal(pkg.l10n, './l10n');
  });

  it('the walkthrough media and the example it trains on are there', () => {
    for (const w of pkg.contributes.walkthroughs) {
      for (const step of w.steps) assert.ok(fs.existsSync(path.join(ROOT, step.media.markdown)), step.media.markdown);
    }
    assert.ok(fs.existsSync(path.join(ROOT, 'examples/tickets/train.csv')));
  });
});

describe('strings: English and Simplified Chinese', () => {
  it('every %key% in package.json has an English and a Chinese text', () => {
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);
    for (const key of keys) {
      assert.ok(nls[key], `package.nls.json lacks ${key}`);
      assert.ok(nlsZh[key], `package.nls.zh-cn.json lacks ${key}`);
    }
    assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
  });

  it('every vscode.l10n.t message of every src/extension file is in the Chinese bundle', () => {
    const bundle: Record<string, string> = readJson('l10n/bundle.l10n.zh-cn.json');
    const files = fs.readdirSync(path.join(ROOT, 'src/extension')).filter((f) => f.endsWith('.ts'));
    let total = 0;
    for (const file of files) {
      const source = fs.readFileSync(path.join(ROOT, 'src/extension', file), 'utf8');
      // Only string literals can be looked up; a message built at run time would escape this check.
      assert.doesNotMatch(source, /l10n\.t\(\s*[^'\s]/, `${file}: vscode.l10n.t takes a literal message`);
      const messages = [...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\'/g, "'"));
      total += messages.length;
      for (const m of messages) assert.ok(bundle[m], `${file}: "${m}" is not in l10n/bundle.l10n.zh-cn.json`);
    }
    for (const file of ['training.ts', 'datasetPicker.ts', 'statusBar.ts', 'lineLabels.ts', 'labelFormat.ts', 'review.ts'])
      assert.ok(files.includes(file), file);
    assert.ok(total > 80, `found only ${total} messages`);
  });
});
