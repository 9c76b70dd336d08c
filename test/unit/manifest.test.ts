// package.json's contributions against the code they describe: the training settings must be exactly
// OPTION_SPECS / DEFAULT_OPTIONS (the table is the one source), every command is in the palette's
// Textcat category with a title, and every %key% and runtime message has its English and Chinese text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FASTTEXT_EXTENSIONS, FORMAT_BY_EXTENSION } from '../../src/core/datasetFormats/fileTypes';
import { DEFAULT_OPTIONS, OPTION_SPECS } from '../../src/core/options';

const ROOT = path.resolve(__dirname, '../..');
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;

type Property = Record<string, unknown> & { markdownDescription?: string; description?: string };

/** The parts of package.json these tests read. */
interface PackageManifest {
  activationEvents: string[];
  l10n: string;
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] };
    virtualWorkspaces: { supported: boolean };
  };
  contributes: {
    configuration: { properties?: Record<string, Property> } | { properties?: Record<string, Property> }[];
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    keybindings: { command: string; key: string; mac?: string; when?: string }[];
    views: Record<string, { id: string; icon?: string }[]>;
    walkthroughs: { steps: { media: { markdown: string } }[] }[];
  };
}

const pkg = readJson<PackageManifest>('package.json');
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
    const source = fs.readFileSync(path.join(ROOT, 'src/extension/model/settings.ts'), 'utf8');
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
  const commands = pkg.contributes.commands;

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
    const menu = pkg.contributes.menus['explorer/context'];
    const train = menu.find((m) => m.command === 'textcat.train');
    assert.ok(train?.when?.includes('resourceExtname') && train.when.includes('explorerResourceIsFolder'));
  });

  it("the Explorer menu's endings are the reader's (fileTypes.ts): by ending alone where that decides, by content otherwise", () => {
    const menu: { command: string; when?: string }[] = pkg.contributes.menus['explorer/context'];
    for (const command of ['textcat.train', 'textcat.evaluate']) {
      const when = menu.find((m) => m.command === command)?.when ?? '';
      const endings = /resourceExtname =~ \/\^\\\.\(([a-z|]+)\)\$\/i/.exec(when)?.[1].split('|');
      const decidedByEnding = Object.entries(FORMAT_BY_EXTENSION)
        .filter(([, format]) => format !== 'json')
        .map(([ending]) => ending.slice(1));
      assert.deepEqual(endings?.sort(), decidedByEnding.sort(), `${command}: ${when}`);
      // .json and the fastText endings need their first bytes: the extension lists those files in a context key.
      assert.ok(['.json', ...FASTTEXT_EXTENSIONS].every((e) => !endings?.includes(e.slice(1))));
      assert.match(when, /resourcePath in textcat\.datasetFiles/);
      assert.match(when, /explorerResourceIsFolder && resourcePath in textcat\.classFolders/);
      assert.match(when, /!\(resourceFilename =~ \/\\\.predictions\\\./, 'exported predictions are not datasets');
    }
  });

  it('every command has a when-clause in the palette: a model, a training run, an editor, or a folder', () => {
    const when = new Map(pkg.contributes.menus.commandPalette.map((m) => [m.command, m.when]));
    for (const c of commands) assert.ok(when.get(c.command), `${c.command} has no palette when-clause`);
    assert.equal(when.get('textcat.cancelTraining'), 'textcat.training');
    for (const name of [
      'textcat.evaluate',
      'textcat.exportModel',
      'textcat.labelLine',
      'textcat.reviewUncertain',
      'textcat.nextLineOfClass',
    ])
      assert.match(when.get(name)!, /textcat\.hasModel/, name);
    // Train must be offered before activation (no context key of ours is set then): core keys only.
    assert.doesNotMatch(when.get('textcat.train')!, /textcat\.(hasModel|training)/);
  });

  it('the Metrics view has an icon and title-bar actions: Train, Evaluate, and Cancel while training', () => {
    const view = pkg.contributes.views.textcat.find((v) => v.id === 'textcat.metrics');
    assert.ok(view?.icon && fs.existsSync(path.join(ROOT, view.icon)), 'view icon');
    const action = (command: string) =>
      pkg.contributes.menus['view/title'].find((m) => m.command === command && m.group?.startsWith('navigation'));
    assert.match(action('textcat.train')?.when ?? '', /view == textcat\.metrics && !textcat\.training/);
    assert.match(action('textcat.cancelTraining')?.when ?? '', /view == textcat\.metrics && textcat\.training/);
    assert.match(action('textcat.evaluate')?.when ?? '', /view == textcat\.metrics && textcat\.hasModel/);
    for (const c of ['textcat.train', 'textcat.cancelTraining', 'textcat.evaluate'])
      assert.match(commands.find((x) => x.command === c)?.icon ?? '', /^\$\([a-z-]+\)$/, `${c} has an icon`);
  });

  it('the editor context menu has Classify Selection and Label Line As…, and Label Line As… a chord keybinding', () => {
    assert.deepEqual(
      pkg.contributes.menus['editor/context'].map((m) => m.command),
      ['textcat.classifySelection', 'textcat.labelLine'],
    );
    const [binding, ...others] = pkg.contributes.keybindings;
    assert.equal(others.length, 0);
    // Checked free in VS Code's default keybindings on Windows, Linux and macOS (the e2e suite checks the running one).
    assert.deepEqual([binding.command, binding.key, binding.mac], ['textcat.labelLine', 'ctrl+k l', 'cmd+k l']);
    assert.match(binding.when ?? '', /editorTextFocus && textcat\.hasModel/);
  });
});

describe('package.json: manifest', () => {
  it('declares workspace trust and virtual workspace support, and activates early for the default model, after startup otherwise', () => {
    // "limited": VS Code honours restrictedConfigurations only then (with true it ignores the list).
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'textcat.modelPath',
      'textcat.training.pretrainedVectors',
    ]);
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
    // A custom textcat.modelPath cannot be read by an activation event: onStartupFinished covers it, never '*'.
    assert.deepEqual(pkg.activationEvents, ['workspaceContains:.textcat/model/textcat.json', 'onStartupFinished']);
    assert.equal(pkg.l10n, './l10n');
  });

  it('line labels: by default on log files only, never on README, LICENSE or requirements files, at the start of the line', () => {
    const all = settings();
    const include = all['textcat.labels.include'].default as string[];
    const exclude = all['textcat.labels.exclude'].default as string[];
    assert.ok(include.includes('**/*.log'));
    assert.ok(!include.some((p) => p.endsWith('*.txt')), `no .txt by default: ${include.join(', ')}`);
    for (const name of ['README', 'LICENSE', 'requirements'])
      assert.ok(
        exclude.some((p) => p.includes(name)),
        `${name} excluded`,
      );
    assert.ok(
      exclude.every((p) => !p.includes('{')),
      'no braces: the review joins the patterns',
    );
    assert.equal(all['textcat.labels.position'].default, 'start');
    assert.deepEqual(all['textcat.labels.position'].enum, ['start', 'end']);
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
    const bundle = readJson<Record<string, string>>('l10n/bundle.l10n.zh-cn.json');
    const files = fs.readdirSync(path.join(ROOT, 'src/extension'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    let total = 0;
    for (const file of files) {
      const source = fs.readFileSync(path.join(ROOT, 'src/extension', file), 'utf8');
      // Only string literals can be looked up; a message built at run time would escape this check.
      assert.doesNotMatch(source, /l10n\.t\(\s*[^'\s]/, `${file}: vscode.l10n.t takes a literal message`);
      const messages = [...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\'/g, "'"));
      total += messages.length;
      for (const m of messages) assert.ok(bundle[m], `${file}: "${m}" is not in l10n/bundle.l10n.zh-cn.json`);
    }
    for (const file of [
      'training/trainingRun.ts',
      'training/datasetPicker.ts',
      'metrics/statusBar.ts',
      'errors.ts',
      'labels/labelFormat.ts',
      'dataset/review.ts',
    ])
      assert.ok(files.includes(file), file);
    assert.ok(total > 80, `found only ${total} messages`);
  });
});
