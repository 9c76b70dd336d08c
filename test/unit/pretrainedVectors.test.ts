// --pretrained-vectors: reading .vec files (fastText / word2vec text, GloVe without a header), clear errors with
// file and line for what is wrong with one, and a fixture where the vectors carry the signal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/core/backend';
import { resolveOptions } from '../../src/core/options';
import { readPretrainedVectors } from '../../src/core/data/pretrainedVectors';
import { createRng } from '../../src/core/random';
import { train } from '../../src/core/training/train';
import type { Example } from '../../src/core/types';

let dir: string;
before(async () => {
  await initBackend();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-vectors-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const lower = (w: string) => w.normalize('NFKC').toLowerCase();

test('vectors of the vocabulary words are read, matched after normalisation, the first line of a word winning', async () => {
  const file = write('small.vec', ['4 3', 'the 0.1 0.2 0.3', 'The 9 9 9', 'server -1 0 1.5e-1', 'unused 7 7 7']);
  const got = await readPretrainedVectors(file, ['<pad>', '<oov>', 'the', 'crashed', 'server'], lower, 3);
  assert.equal(got.dimension, 3);
  assert.deepEqual(Array.from(got.ids), [2, 4]);
  assert.deepEqual(Array.from(got.vectors), [0.1, 0.2, 0.3, -1, 0, 0.15].map(Math.fround));
  // GloVe: no header line.
  const glove = await readPretrainedVectors(write('glove.txt', ['server 1 2', 'the 3 4']), ['<pad>', '<oov>', 'the', 'server'], lower);
  assert.deepEqual(Array.from(glove.ids), [2, 3]);
  assert.equal(glove.dimension, 2);
});

test('a missing file, a malformed line, a mismatched dimension or an empty file is a clear error naming the file and line', async () => {
  const vocab = ['<pad>', '<oov>', 'the'];
  const read = (file: string, dimension?: number) => readPretrainedVectors(file, vocab, lower, dimension);
  await assert.rejects(read(path.join(dir, 'nope.vec')), (e: Error) => e.message.includes('nope.vec') && /not found/.test(e.message));
  await assert.rejects(
    read(write('bad-number.vec', ['2 3', 'the 0.1 x 0.3'])),
    /bad-number\.vec:2: "x" is not a number \(value 2 of the word "the"\)/,
  );
  await assert.rejects(
    read(write('ragged.vec', ['the 1 2 3', 'server 1 2'])),
    /ragged\.vec:2: this line has 2 values per vector, but line 1 has 3/,
  );
  await assert.rejects(
    read(write('header.vec', ['2 3', 'the 1 2'])),
    /header\.vec:2: this line has 2 values per vector, but the header says 3/,
  );
  await assert.rejects(
    read(write('wide.vec', ['1 300', `the ${new Array(300).fill('0.5').join(' ')}`]), 64),
    /wide\.vec:1: the header says 300 values per vector, but embeddingDim is 64: the dimensions must match \(set embeddingDim, --embedding-dim, to 300\)/,
  );
  await assert.rejects(read(write('empty.vec', ['', ''])), /empty\.vec: holds no vectors/);
  await assert.rejects(read(write('word-only.vec', ['the'])), /word-only\.vec:1: expected a word followed by its vector/);
  // A file with no line breaks is refused at the readers' line limit, not read whole into memory.
  const endless = path.join(dir, 'endless.vec');
  fs.writeFileSync(endless, `the 1 2\r\n${'0.5 '.repeat(2.5 * 2 ** 20)}`);
  await assert.rejects(read(endless), /endless\.vec: line 2 is longer than 8 MiB/);
});

test('the CLI exits 1 with the message for a missing file, a malformed line and a mismatched dimension', () => {
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const csv = write('data.csv', [
    'text,label',
    ...Array.from({ length: 12 }, (_, i) => `the server ${i % 2 ? 'crashed' : 'started'},${i % 2 ? 'bad' : 'good'}`),
  ]);
  const run = (vectors: string) =>
    spawnSync(
      process.execPath,
      [cli, 'train', csv, '--out', path.join(dir, 'model'), '--embedding-dim', '4', '--quiet', '--pretrained-vectors', vectors],
      {
        encoding: 'utf8',
      },
    );
  for (const [vectors, message] of [
    [path.join(dir, 'missing.vec'), /missing\.vec: pretrained vectors file not found/],
    [write('cli-bad.vec', ['the 1 2 3 oops']), /cli-bad\.vec:1: "oops" is not a number/],
    [write('cli-dim.vec', ['the 1 2 3']), /cli-dim\.vec:1: this line has 3 values per vector, but embeddingDim is 4/],
  ] as const) {
    const r = run(vectors);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.ok(!fs.existsSync(path.join(dir, 'model')), 'nothing saved');
});

/**
 * Two classes told apart by one keyword per line among noise; 60 keywords per class, each seen once in training.
 * The vectors put a class's keywords on one side of the first axis: with them the LSTM has the signal from the
 * start, without them it must learn sixty words from one example each.
 */
function vectorsFixture() {
  const rng = createRng(5);
  const noise = ['the', 'a', 'today', 'again', 'with', 'from', 'this', 'now'];
  const keywords = { pos: Array.from({ length: 60 }, (_, i) => `p${i}word`), neg: Array.from({ length: 60 }, (_, i) => `n${i}word`) };
  const line = (word: string) => [noise[Math.floor(rng() * 8)], word, noise[Math.floor(rng() * 8)]].join(' ');
  const examples = (copy: number): Example[] =>
    Object.entries(keywords).flatMap(([label, words]) => words.map((w, i) => ({ text: line(w), label, line: copy * 1000 + i })));
  const vector = (sign: number, i: number) => [sign * (1 + (i % 3) / 3), ((i * 7) % 5) / 10 - 0.2, ((i * 3) % 7) / 10 - 0.3, 0.1];
  const vec = [
    `${120 + noise.length} 4`,
    ...keywords.pos.map((w, i) => `${w} ${vector(1, i).join(' ')}`),
    ...keywords.neg.map((w, i) => `${w} ${vector(-1, i).join(' ')}`),
    ...noise.map((w, i) => `${w} 0 ${(i % 3) / 10} 0.1 -0.1`),
  ];
  return { train: examples(1), test: examples(2), vec };
}

test('on a fixture where the vectors carry the signal, training with them is better than without', async () => {
  const { train: data, test: held, vec } = vectorsFixture();
  const file = write('signal.vec', vec);
  // The LSTM alone (no wide path, whose n-grams would also learn the keywords), briefly.
  const options = {
    embeddingDim: 4,
    hiddenUnits: 8,
    epochs: 3,
    batchSize: 16,
    learningRate: 0.01,
    wideNgrams: 0,
    validationSplit: 0,
    patience: 0,
  };
  const without = await train({ train: data, test: held, options: resolveOptions(options) });
  const withVectors = await train({
    train: data,
    test: held,
    options: resolveOptions({ ...options, pretrainedVectors: file, freezeVectors: true }),
  });
  assert.deepEqual(withVectors.pretrained && { words: withVectors.pretrained.words, frozen: withVectors.pretrained.frozen }, {
    words: 128,
    frozen: true,
  });
  assert.ok(withVectors.test!.accuracy >= 0.9, `with vectors: ${withVectors.test!.accuracy}`);
  assert.ok(
    withVectors.test!.accuracy >= without.test!.accuracy + 0.2,
    `with ${withVectors.test!.accuracy}, without ${without.test!.accuracy}`,
  );
});
