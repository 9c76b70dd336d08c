// A cloned repository can ship a hostile .textcat/model: the extension activates on its textcat.json and loads
// the model to label lines. Each hostile variant of a real model (a weight path out of the folder, /dev/zero,
// shapes that would need gigabytes) must give one clear user error naming the model folder and file, read
// nothing outside the folder and allocate nothing large.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../../src/extension/services';
import { captureMessages, fixtureUri, textcatApi, until } from './helpers';

const OPTIONS = { epochs: 2, batchSize: 8, hiddenUnits: 8, embeddingDim: 8, bidirectional: false };
/** Far below the 2.5 GB the /dev/zero case took before the loader checked sizes first. */
const MAX_GROWTH_BYTES = 256 * 2 ** 20;

type Files = Record<'model.json' | 'weights.bin' | 'textcat.json', Buffer>;

interface Hostile {
  name: string;
  /** Turns the valid model folder into the hostile one. */
  make(dir: string, files: Files): void;
  /** What the message must say besides naming the folder. */
  message: RegExp;
}

function withWeightPath(files: Files, path: string): string {
  const json = JSON.parse(files['model.json'].toString('utf8')) as { weightsManifest: { paths: string[] }[] };
  json.weightsManifest[0].paths = [path];
  return JSON.stringify(json);
}

const HOSTILE: Hostile[] = [
  {
    name: 'a weight path out of the folder (../outside.bin, right size)',
    make: (dir, files) => {
      writeFileSync(join(dir, '..', 'outside.bin'), files['weights.bin']);
      writeFileSync(join(dir, 'model.json'), withWeightPath(files, '../outside.bin'));
    },
    message: /model\.json: names the file "\.\.\/outside\.bin", which is not a plain relative path inside the model folder/,
  },
  {
    name: 'a weight path to /dev/zero',
    make: (dir, files) => writeFileSync(join(dir, 'model.json'), withWeightPath(files, '/dev/zero')),
    message: /model\.json: names the file "\/dev\/zero"/,
  },
  {
    name: 'weights.bin a symbolic link to /dev/zero',
    make: (dir) => {
      rmSync(join(dir, 'weights.bin'));
      symlinkSync('/dev/zero', join(dir, 'weights.bin'));
    },
    message: /weights\.bin: resolves to \/dev\/zero, outside the model folder/,
  },
  {
    name: 'shapes that call for 3.8 GiB of weights (a consistent million-word vocabulary)',
    make: (dir, files) => {
      const manifest = JSON.parse(files['textcat.json'].toString('utf8')) as {
        shape: { vocabSize: number; embeddingDim: number };
        tokenizer: { vocab: string[] };
      };
      manifest.tokenizer.vocab = ['<pad>', '<oov>', ...Array.from({ length: 999_998 }, (_, i) => `w${i}`)];
      manifest.shape.vocabSize = 1_000_000;
      manifest.shape.embeddingDim = 1024;
      writeFileSync(join(dir, 'textcat.json'), JSON.stringify(manifest));
    },
    message: /textcat\.json: its shape calls for 3\.8 GiB of weights, more than the 1\.0 GiB Textcat loads/,
  },
];

suite('Hostile model folder', function () {
  this.timeout(120_000);
  let api: Services;
  let dir: string;
  let files: Files;

  async function removeModel(): Promise<void> {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(dir, '..', 'outside.bin'), { force: true });
    await api.model.reload();
  }

  function restore(): void {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  }

  suiteSetup(async () => {
    api = await textcatApi();
    dir = api.settings.current.modelDir!.fsPath;
    await removeModel();
    await api.worker.train({ path: fixtureUri('labels-train.csv').fsPath }, dir, OPTIONS).done;
    files = {
      'model.json': readFileSync(join(dir, 'model.json')),
      'weights.bin': readFileSync(join(dir, 'weights.bin')),
      'textcat.json': readFileSync(join(dir, 'textcat.json')),
    };
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeModel(); // the next suite expects no model
  });

  /** Lines no model has seen, so the worker must load the model to label them. */
  async function freshLines(): Promise<void> {
    const content = `a line never seen before ${Math.random()}\n`;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content }));
  }

  test('the valid model predicts (the baseline the hostile variants start from)', async () => {
    const { predictions } = await api.worker.predict(dir, ['please check the invoice']);
    assert.equal(predictions.length, 1);
  });

  for (const hostile of HOSTILE) {
    test(`${hostile.name}: one clear user error naming the folder and file, no memory growth`, async () => {
      restore();
      hostile.make(dir, files);
      await api.model.reload();
      const rssBefore = process.memoryUsage().rss;
      const error = await api.worker.predict(dir, ['please check the invoice']).then(
        () => assert.fail('a hostile model was loaded'),
        (e: unknown) => e as Error & { userError?: boolean },
      );
      assert.equal(error.userError, true, `not a user error: ${error.message}`);
      assert.ok(error.message.includes(dir), `the message names the model folder: ${error.message}`);
      assert.match(error.message, hostile.message);
      assert.doesNotMatch(error.message, /internal error|\n\s+at /);
      // What the user sees: Classify Selection through the one error path, a single error message.
      const messages = captureMessages();
      try {
        await freshLines();
        await vscode.commands.executeCommand('textcat.classifySelection');
        const shown = await until(() => messages.shown.find((m) => m.severity === 'error'), 'the error notification');
        assert.match(shown.message, hostile.message);
        // A user error: Open where the named file is a regular file (not for a link to /dev/zero), never Show Log.
        assert.ok(!shown.items.includes('Show Log'), `reported as an internal error: ${shown.message}`);
        assert.equal(messages.shown.filter((m) => m.severity === 'error').length, 1, 'one message');
      } finally {
        messages.restore();
      }
      const growth = process.memoryUsage().rss - rssBefore;
      assert.ok(growth < MAX_GROWTH_BYTES, `the extension host grew by ${Math.round(growth / 2 ** 20)} MB`);
    });
  }
});
