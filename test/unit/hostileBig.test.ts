// The big hostile inputs of issue 10, through the CLI with the child's peak memory measured: 2 GB sparse files
// (a valid start, then NULs, made with truncate so they take no disk), a CSV with 20,000 columns, one 200 KB
// line to predict, one 128 KB field to train on. Each must end with its message (or its result) under 1 GB of
// memory; the times are printed as figures, never asserted.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertBuilt, expectFailure, SMALL, tempDir, textcat, trainingCsv, type Run } from './hostileHelpers';

const GIB = 2 ** 30;
let root: string;

before(() => {
  assertBuilt();
  root = tempDir('big');
  fs.writeFileSync(path.join(root, 'data.csv'), trainingCsv());
  const r = textcat(['train', 'data.csv', '--out', 'model', ...SMALL], { cwd: root });
  assert.equal(r.status, 0, r.stderr);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

function measured(t: TestContext, args: string[]): Run {
  const r = textcat(args, { cwd: root, measureMemory: true });
  t.diagnostic(`peak RSS ${Math.round(r.maxRss! / 2 ** 20)} MB, ${r.seconds.toFixed(2)} s: textcat ${args.join(' ').slice(0, 80)}`);
  assert.ok(r.maxRss! < GIB, `peak RSS ${Math.round(r.maxRss! / 2 ** 20)} MB`);
  return r;
}

describe('hostile: big inputs stay under 1 GB', () => {
  for (const [ext, start] of [
    ['csv', 'text,label\ngood day,pos\n'],
    ['json', '[{"text": "good day", "label": "pos"},\n'],
    ['jsonl', '{"text": "good day", "label": "pos"}\n'],
    ['tsv', 'text\tlabel\ngood day\tpos\n'],
    ['txt', '__label__pos good day\n'],
  ] as const) {
    it(`a 2 GB sparse .${ext} (valid start, then NULs) stops at the first chunk, naming the line`, (t) => {
      const file = path.join(root, `sparse.${ext}`);
      fs.writeFileSync(file, start);
      fs.truncateSync(file, 2 * GIB);
      try {
        const r = measured(t, ['train', `sparse.${ext}`, '--out', 'never', ...SMALL]);
        expectFailure(r, 1, new RegExp(`^textcat: sparse\\.${ext}:\\d+: looks like a binary file`));
      } finally {
        fs.rmSync(file);
      }
    });
  }

  it('a CSV with 20,000 columns is refused at its header', (t) => {
    const header = Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',');
    const row = Array.from({ length: 20_000 }, (_, i) => `v${i % 7}`).join(',');
    fs.writeFileSync(path.join(root, 'wide.csv'), `${header}\n${Array.from({ length: 50 }, () => row).join('\n')}\n`);
    expectFailure(measured(t, ['train', 'wide.csv', '--out', 'never', ...SMALL]), 1, /^textcat: wide\.csv:1: has 20000 columns/);
  });

  it('predict on one 200 KB line (English) and one 1 MB line (Chinese, no spaces) gives a label', (t) => {
    const words = ['good', 'great', 'awful', 'sad', 'day'];
    let english = '';
    for (let i = 0; english.length < 200 * 1024; i++) english += `${words[i % words.length]} `;
    fs.writeFileSync(path.join(root, 'long.txt'), `${english}\n${'我喜欢机器学习'.repeat(150_000)}\n`);
    const r = measured(t, ['predict', 'model', 'long.txt', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 2);
  });

  it('one 128 KB text field in a training CSV trains', (t) => {
    const field = 'good day '.repeat(15_000);
    fs.writeFileSync(path.join(root, 'field.csv'), `${trainingCsv()}"${field}",pos\n`);
    const r = measured(t, ['train', 'field.csv', '--out', 'field-model', ...SMALL]);
    assert.equal(r.status, 0, r.stderr);
  });
});
