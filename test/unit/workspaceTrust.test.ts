// What a cloned repository cannot do to the extension, checked in Node on the code the extension runs: paths it
// names are confined by realpath (core/store/confine.ts), textcat.json is read only through the checked summary reader
// (core/store/modelSummary.ts, the same checks and class cap as the CLI), an append writes only into a dataset file
// of its format, and no message built from its strings is a link in VS Code's grammar.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendExample, assertDatasetFile } from '../../src/core/data/append';
import { confinePath } from '../../src/core/store/confine';
import { validateExamples } from '../../src/core/data/dataset';
import { MAX_CLASSES } from '../../src/core/defaults';
import { inertLinks } from '../../src/core/format/markdown';
import { trainJob } from '../../src/core/jobs';
import { MAX_MANIFEST_BYTES } from '../../src/core/store/modelFolder';
import { readModelSummary } from '../../src/core/store/modelSummary';
import { TextcatError, type Example } from '../../src/core/types';
import { snapshot, tempDir, trainingCsv } from './hostileHelpers';

/**
 * VS Code's own grammar for links in notification messages (src/vs/base/common/linkedText.ts, LINK_REGEX), which
 * the notification renders as clickable links; a `command:` one runs that command with its arguments.
 */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const linksIn = (text: string) => [...text.matchAll(VSCODE_LINK)].map((m) => m[0]);

/** Strings a hostile repository puts in labels, file names and manifest fields. */
const HOSTILE = [
  '[Install](command:workbench.extensions.installExtension?%22evil.extension%22)',
  '[x](command:textcat.labelLine?%5B%22file%3A%2F%2F%2Ftmp%2Fa%22%5D "title")',
  "[open](file:///etc/passwd 'x')",
  '[a](https://example.invalid/x)',
  '[**bold** `code`](command:x)',
  'ok](command:x) and [b](command:y)',
];

let root: string;
let outside: string;
let workspace: string;

before(() => {
  root = tempDir('trust');
  workspace = path.join(root, 'workspace');
  outside = path.join(root, 'outside');
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'text,label\n');
  fs.writeFileSync(path.join(workspace, 'data', 'train.csv'), 'text,label\nhello,a\n');
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(workspace, 'data', 'link-out.csv'));
  fs.symlinkSync(path.join(workspace, 'data', 'train.csv'), path.join(workspace, 'link-in.csv'));
  fs.symlinkSync(outside, path.join(workspace, 'dir-out'));
  fs.symlinkSync(path.join(root, 'nowhere'), path.join(workspace, 'dangling'));
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('confinePath: a workspace path is resolved with realpath and must stay inside', () => {
  const refused = (target: string, why: RegExp) =>
    assert.throws(
      () => confinePath(target, [workspace], 'the dataset'),
      (e: unknown) => e instanceof TextcatError && e.message.startsWith(target) && why.test(e.message),
    );

  it('keeps paths inside, links that stay inside, and names that do not exist yet under an inside folder', () => {
    assert.equal(confinePath(path.join(workspace, 'data', 'train.csv'), [workspace], 'x'), path.join(workspace, 'data', 'train.csv'));
    assert.equal(confinePath(path.join(workspace, 'link-in.csv'), [workspace], 'x'), path.join(workspace, 'data', 'train.csv'));
    assert.equal(confinePath(path.join(workspace, '.textcat', 'model'), [workspace], 'x'), path.join(workspace, '.textcat', 'model'));
    assert.equal(confinePath(workspace, [workspace], 'x'), workspace);
  });

  it('refuses ../, absolute paths, a link to a file outside, a folder link outside (and what lies below it), a dangling link', () => {
    refused(path.join(workspace, '..', 'outside', 'secret.csv'), /the dataset lies outside the workspace/);
    refused('/etc/passwd', /lies outside the workspace/);
    refused(path.join(workspace, 'data', 'link-out.csv'), /lies outside the workspace \(it resolves to .*outside\/secret\.csv\)/);
    refused(path.join(workspace, 'dir-out', 'model'), /lies outside the workspace \(it resolves to .*outside\/model\)/);
    refused(path.join(workspace, 'dangling'), /symbolic link to nothing/);
    refused(path.join(workspace + '-sibling', 'x'), /lies outside/); // a shared prefix is not "inside"
    assert.throws(() => confinePath(path.join(workspace, 'a'), [], 'the model folder'), /no workspace folder/);
  });
});

describe('appends write only into a dataset file of their format', () => {
  it('refuses a non-dataset file named as CSV, a missing file, a link, and a class folder that links outside; writes nothing', async () => {
    const before = snapshot(outside);
    fs.writeFileSync(path.join(workspace, '.bashrc'), 'echo hi\n');
    const cases: [string, 'csv' | 'folder', RegExp][] = [
      [path.join(workspace, '.bashrc'), 'csv', /is not a csv dataset file by its name/],
      [path.join(workspace, 'missing.csv'), 'csv', /does not exist/],
      [path.join(workspace, 'data', 'link-out.csv'), 'csv', /is a symbolic link/],
      [path.join(workspace, 'data', 'train.csv'), 'folder', /is not a folder/],
    ];
    for (const [file, format, message] of cases) {
      const target = { path: file, format, columns: { text: 'text', label: 'label' } };
      assert.throws(() => assertDatasetFile(target), message, file);
      await assert.rejects(appendExample(target, 'some text', 'a'), message);
    }
    assert.equal(fs.readFileSync(path.join(workspace, '.bashrc'), 'utf8'), 'echo hi\n');
    assert.ok(!fs.existsSync(path.join(workspace, 'missing.csv')));
    // A folder dataset whose class folder is a committed link out of it.
    const folder = path.join(workspace, 'classes');
    fs.mkdirSync(path.join(folder, 'a'), { recursive: true });
    fs.symlinkSync(outside, path.join(folder, 'evil'));
    await assert.rejects(
      appendExample({ path: folder, format: 'folder', columns: { text: 'text', label: 'label' } }, 'x', 'evil'),
      /resolves to .*outside, outside the dataset folder/,
    );
    assert.deepEqual(snapshot(outside), before);
    // The ordinary case still works.
    const added = await appendExample(
      { path: path.join(workspace, 'data', 'train.csv'), format: 'csv', columns: { text: 'text', label: 'label' } },
      'bye',
      'b',
    );
    assert.equal(added.line, 3);
  });
});

describe('one class cap for training, the loader and the extension', () => {
  it(`training refuses more than ${MAX_CLASSES} classes, naming the file`, () => {
    const examples: Example[] = Array.from({ length: MAX_CLASSES + 1 }, (_, i) => ({ text: `t${i}`, label: `c${i}`, line: i + 2 }));
    assert.throws(() => validateExamples(examples, 'ids.csv'), /ids\.csv: has 1001 classes, more than the 1000 Textcat trains/);
    assert.doesNotThrow(() => validateExamples(examples.slice(0, MAX_CLASSES), 'ok.csv'));
  });
});

describe('readModelSummary: what the extension host reads of textcat.json', () => {
  let model: string;
  let count = 0;
  before(async () => {
    fs.writeFileSync(path.join(root, 'train.csv'), trainingCsv());
    model = path.join(root, 'model');
    await trainJob({
      dataset: { path: path.join(root, 'train.csv') },
      options: { epochs: 1, hiddenUnits: 8, embeddingDim: 8 },
      modelDir: model,
    });
  });

  function variant(edit: (m: Record<string, unknown>) => void): string {
    const dir = path.join(root, `variant-${++count}`);
    fs.cpSync(model, dir, { recursive: true });
    const file = path.join(dir, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest));
    return dir;
  }

  it('gives the manifest without its tokenizer, with every field the UI shows', () => {
    const summary = readModelSummary(model);
    assert.ok(!('tokenizer' in summary));
    assert.equal(summary.labels.length, 2);
    assert.ok(summary.metrics.validation && summary.metrics.validation.confusion.length === 2);
    assert.ok(summary.history.length >= 1 && summary.runs.length === 1 && summary.validationExamples.length > 0);
    assert.equal(summary.dataset.path, path.join(root, 'train.csv'));
  });

  it('refuses 100,000 and 1,000,000 labels by the class cap, before the vocabulary is built', () => {
    for (const n of [100_000, 1_000_000]) {
      const dir = variant((m) => {
        m.labels = Array.from({ length: n }, (_, i) => `label${i}`);
        (m.shape as Record<string, unknown>).numClasses = n;
      });
      assert.throws(() => readModelSummary(dir), new RegExp(`textcat\\.json: "labels" has ${n} classes, more than ${MAX_CLASSES}`));
    }
  });

  it('refuses a manifest without a run id or a dataset; drops malformed figures instead of passing them on', () => {
    assert.throws(() => readModelSummary(variant((m) => delete m.runId)), /"runId" must be a string/);
    assert.throws(() => readModelSummary(variant((m) => (m.dataset = { path: 42 }))), /"dataset" must say which file/);
    assert.throws(() => readModelSummary(variant((m) => ((m.dataset as Record<string, unknown>).format = 'exe'))), /"dataset"/);
    const summary = readModelSummary(
      variant((m) => {
        const metrics = m.metrics as { validation: { confusion: unknown[] } };
        metrics.validation.confusion = [[1, 2, 3]];
        m.validationExamples = [{ text: { toString: 1 }, label: 'x', predicted: 'y', line: 1 }, 'junk'];
        m.history = [{ epoch: 'one' }];
        m.runs = [null, { id: 7 }];
        (m.dataset as Record<string, unknown>).classCounts = JSON.parse('{"__proto__": 5, "a": "many"}') as unknown;
      }),
    );
    assert.equal(summary.metrics.validation, undefined);
    assert.deepEqual([summary.validationExamples, summary.history, summary.runs], [[], [], []]);
    assert.deepEqual(Object.keys(summary.dataset.classCounts), ['__proto__']);
  });

  it('refuses a textcat.json that is a link out of the folder, or larger than the ceiling, before parsing it', () => {
    const dir = variant(() => undefined);
    fs.rmSync(path.join(dir, 'textcat.json'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'textcat.json'));
    assert.throws(() => readModelSummary(dir), /textcat\.json: resolves to \/dev\/zero, outside the model folder/);
    // A sparse file one byte over the ceiling: refused by its size, not read (reading 256 MiB would take seconds).
    fs.rmSync(path.join(dir, 'textcat.json'));
    fs.writeFileSync(path.join(dir, 'textcat.json'), '');
    fs.truncateSync(path.join(dir, 'textcat.json'), MAX_MANIFEST_BYTES + 1);
    assert.throws(() => readModelSummary(dir), /textcat\.json: .*256/);
  });

  it("keeps test metrics over labels the training never saw (after the model's own), as the trainer writes them", () => {
    const summary = readModelSummary(
      variant((m) => {
        const metrics = m.metrics as { validation: { labels: string[]; confusion: number[][] }; test?: unknown };
        const { labels, confusion } = metrics.validation;
        metrics.test = {
          ...metrics.validation,
          labels: [...labels, 'never seen'],
          confusion: [...confusion.map((row) => [...row, 0]), [1, 0, 0]],
        };
      }),
    );
    assert.deepEqual(summary.metrics.test?.labels.at(-1), 'never seen');
    // Labels in another order than the model's are not the trainer's: dropped.
    const reordered = readModelSummary(
      variant((m) => {
        const validation = (m.metrics as { validation: { labels: string[] } }).validation;
        validation.labels = [...validation.labels].reverse();
      }),
    );
    assert.equal(reordered.metrics.validation, undefined);
  });

  it('hostile strings in labels, shape keys, dtypes, option names and weight paths make messages with no link once inert', () => {
    const link = HOSTILE[0];
    const messages: string[] = [];
    const edits: ((m: Record<string, unknown>) => void)[] = [
      (m) => ((m.shape as Record<string, unknown>)[link] = { x: 1 }),
      (m) => ((m.options as Record<string, unknown>)[link] = 1),
      (m) => ((m.shape as Record<string, unknown>).vocabSize = link.repeat(200)),
      (m) => (m.labels = [link, link]),
      (m) => (m.formatVersion = link),
    ];
    for (const edit of edits) {
      try {
        readModelSummary(variant(edit));
        assert.fail('a hostile manifest was accepted');
      } catch (e) {
        messages.push((e as Error).message);
      }
    }
    // The weights path and dtype are in model.json: the worker's loader reads them, through the same message path.
    assert.ok(
      messages.some((m) => linksIn(m).length > 0),
      'the hostile strings did reach the messages (the test can fail)',
    );
    for (const message of messages) assert.deepEqual(linksIn(inertLinks(message)), [], message);
  });
});

describe("no notification the extension can show holds a link (VS Code's link grammar)", () => {
  it('every vscode.l10n.t message of src/extension, each placeholder filled with a hostile string, is inert', () => {
    const sources = fs
      .readdirSync(path.resolve(__dirname, '../../src/extension'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.resolve(__dirname, '../../src/extension', f), 'utf8'));
    const templates = sources.flatMap((text) => [...text.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]));
    assert.ok(templates.length > 80, `found only ${templates.length} messages`);
    const zh = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    let withPlaceholders = 0;
    for (const template of templates) {
      for (const form of [template, zh[template] ?? template]) {
        for (const hostile of HOSTILE) {
          const message = form.replace(/\{\d+\}/g, hostile);
          if (message !== form) withPlaceholders++;
          assert.deepEqual(linksIn(inertLinks(message)), [], message);
        }
      }
    }
    assert.ok(withPlaceholders > 60, `${withPlaceholders} messages with placeholders`);
    // Without inertLinks the same messages would be links: the check can fail.
    assert.ok(HOSTILE.every((h) => linksIn(h).length > 0));
  });

  it('inertLinks changes nothing a person reads but the one zero-width space', () => {
    for (const hostile of HOSTILE) assert.equal(inertLinks(hostile).replaceAll('\u200b', ''), hostile);
    assert.equal(inertLinks('plain (text) [x] y'), 'plain (text) [x] y');
  });
});
