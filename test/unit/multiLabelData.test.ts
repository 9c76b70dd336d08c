// Multi-label datasets (issue 19) as the readers see them: each format's way of giving a row several labels,
// the guess and both ways of forcing it, rows without a label, the class checks over every label, and what a
// model records of such a dataset (DatasetInfo) and reads back of it.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDataset, validateExamples } from '../../src/core/data/dataset';
import { MAX_CLASSES } from '../../src/core/defaults';
import { evaluateJob, trainJob } from '../../src/core/jobs';
import { loadModel, summarizeDataset } from '../../src/core/store/modelStore';
import { readModelSummary } from '../../src/core/store/modelSummary';
import { Tokenizer } from '../../src/core/text/tokenizer';
import { TextcatError, type Example, type LoadedDataset, type ReadDatasetOptions } from '../../src/core/types';
import { trainingCsv } from './hostileHelpers';
import { tempFiles } from './tempFiles';

const temp = tempFiles('textcat-multilabel-');
const { write } = temp;

const writeFolder = (files: Record<string, string>) => temp.writeFolder('folder', files);

/** The warnings but the usual one about classes with one example (these fixtures are tiny). */
const notes = (dataset: LoadedDataset) => dataset.warnings.filter((w) => !/only one example/.test(w));

/** [text, labels, line] of each example (labels undefined for a single-label one). */
function rows(dataset: LoadedDataset): [string, string[] | undefined, number][] {
  return dataset.examples.map((e) => [e.text, e.labels, e.line]);
}

async function rejects(promise: Promise<unknown>, message: RegExp, line?: number): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TextcatError, String(error));
    assert.match(error.message, message);
    if (line !== undefined) assert.equal(error.line, line, error.message);
    return true;
  });
}

const CSV = 'text,labels\nsunny and warm,joy| weather\nrain again,weather\nwhat a goal,sport|joy|joy\n';

describe('multi-label CSV and TSV', () => {
  it('splits a label column on "|", trims and collapses repeats, and says so like a column guess', async () => {
    const dataset = await readDataset(write('a.csv', CSV));
    assert.equal(dataset.multiLabel, true);
    assert.equal(dataset.labelSeparator, '|');
    assert.equal(dataset.columns.label, 'labels');
    assert.equal(dataset.columns.source, 'header', 'a column named "labels" is recognised as the label column');
    assert.deepEqual(rows(dataset), [
      ['sunny and warm', ['joy', 'weather'], 2],
      ['rain again', ['weather'], 3],
      ['what a goal', ['sport', 'joy'], 4],
    ]);
    assert.deepEqual(
      dataset.examples.map((e) => e.label),
      ['joy, weather', 'weather', 'sport, joy'],
      'label is only for display',
    );
    assert.ok(
      dataset.warnings.includes(
        'Read as multi-label, labels split on "|": 2 rows have several labels (read it as single-label if "|" is part of the class names).',
      ),
      dataset.warnings.join('\n'),
    );
  });

  it('reads a TSV the same way, with a separator given', async () => {
    const dataset = await readDataset(write('a.tsv', 'text\tlabel\nsunny\tjoy; weather\nrain\tweather\n'), { labelSeparator: ';' });
    assert.equal(dataset.labelSeparator, ';');
    assert.deepEqual(rows(dataset), [
      ['sunny', ['joy', 'weather'], 2],
      ['rain', ['weather'], 3],
    ]);
  });

  it('a given separator replaces "|": a "|" is then part of the label', async () => {
    const dataset = await readDataset(write('b.csv', 'text,label\none,a|b;c\ntwo,c\n'), { labelSeparator: ';' });
    assert.deepEqual(rows(dataset), [
      ['one', ['a|b', 'c'], 2],
      ['two', ['c'], 3],
    ]);
  });

  it('reads a CSV without any separated label exactly as before: single-label, no labels, no note', async () => {
    const file = write('single.csv', 'text,label\nsunny,joy\nrain,weather\nodd,a|\n');
    const dataset = await readDataset(file);
    assert.equal(dataset.multiLabel, false);
    assert.equal(dataset.labelSeparator, undefined);
    assert.deepEqual(
      dataset.examples.map((e) => [e.text, e.label, e.line, 'labels' in e]),
      [
        ['sunny', 'joy', 2, false],
        ['rain', 'weather', 3, false],
        ['odd', 'a|', 4, false],
      ],
      '"a|" has one label, so the row does not make the dataset multi-label and keeps its label as written',
    );
    assert.deepEqual(notes(dataset), []);
  });

  it('--single-label keeps "|" inside the label', async () => {
    const dataset = await readDataset(write('forced-single.csv', CSV), { multiLabel: false });
    assert.equal(dataset.multiLabel, false);
    assert.deepEqual(
      dataset.examples.map((e) => [e.label, e.labels]),
      [
        ['joy| weather', undefined],
        ['weather', undefined],
        ['sport|joy|joy', undefined],
      ],
    );
    assert.deepEqual(notes(dataset), []);
  });

  it('--multi-label reads a set whose rows have one label each as multi-label, without a guess note', async () => {
    const dataset = await readDataset(write('forced-multi.csv', 'text,label\nsunny,joy\nrain,weather\n'), { multiLabel: true });
    assert.equal(dataset.multiLabel, true);
    assert.equal(dataset.labelSeparator, '|');
    assert.deepEqual(rows(dataset), [
      ['sunny', ['joy'], 2],
      ['rain', ['weather'], 3],
    ]);
    assert.ok(!dataset.warnings.some((w) => /Read as multi-label/.test(w)));
  });

  it('keeps a row without a label in a multi-label set (a negative for every class), and says how many', async () => {
    const dataset = await readDataset(write('empty.csv', 'text,label\nsunny,joy|weather\nnothing here,\nrain,weather\n  ,joy\nbare,|\n'));
    assert.deepEqual(rows(dataset), [
      ['sunny', ['joy', 'weather'], 2],
      ['nothing here', [], 3],
      ['rain', ['weather'], 4],
      ['bare', [], 6],
    ]);
    assert.equal(dataset.examples[1].label, '');
    assert.ok(dataset.warnings.includes('2 rows have no label (the first: line 3); each is a negative example for every class.'));
    assert.ok(dataset.warnings.includes('Skipped 1 row with an empty text (the first: line 5).'), 'an empty text is still skipped');
  });

  it('still skips a row without a label in a single-label set, as before', async () => {
    const dataset = await readDataset(write('single-empty.csv', 'text,label\nsunny,joy\nnothing here,\nrain,weather\n'));
    assert.equal(dataset.multiLabel, false);
    assert.deepEqual(
      dataset.examples.map((e) => e.text),
      ['sunny', 'rain'],
    );
    assert.deepEqual(notes(dataset), ['Skipped 1 row with an empty text or label (the first: line 3).']);
  });
});

describe('multi-label JSONL, JSON and fastText', () => {
  it('reads a JSONL label list; a list of one label alone is single-label', async () => {
    const multi = await readDataset(
      write(
        'a.jsonl',
        '{"text":"sunny","labels":["joy"," weather","joy"]}\n{"text":"rain","labels":["weather"]}\n{"text":"meh","labels":[]}\n',
      ),
    );
    assert.equal(multi.multiLabel, true);
    assert.equal(multi.labelSeparator, undefined, 'a list needs no separator');
    assert.deepEqual(rows(multi), [
      ['sunny', ['joy', 'weather'], 1],
      ['rain', ['weather'], 2],
      ['meh', [], 3],
    ]);
    const single = await readDataset(write('b.jsonl', '{"text":"sunny","label":["joy"]}\n{"text":"rain","label":"weather"}\n'));
    assert.equal(single.multiLabel, false);
    assert.deepEqual(
      single.examples.map((e) => [e.label, e.labels]),
      [
        ['joy', undefined],
        ['weather', undefined],
      ],
    );
  });

  it('does not split a JSON string label on "|" unless a separator is given', async () => {
    const file = write('c.jsonl', '{"text":"one","label":"a|b"}\n{"text":"two","label":"c"}\n');
    assert.equal((await readDataset(file)).multiLabel, false);
    const split = await readDataset(file, { labelSeparator: '|' });
    assert.deepEqual(rows(split), [
      ['one', ['a', 'b'], 1],
      ['two', ['c'], 2],
    ]);
  });

  it('reads a JSON array whose label field holds lists, and names the line of a list that holds an object', async () => {
    const file = write('a.json', '[\n {"text":"sunny","label":["joy","weather"]},\n {"text":"rain","label":["weather"]}\n]\n');
    assert.deepEqual(rows(await readDataset(file)), [
      ['sunny', ['joy', 'weather'], 2],
      ['rain', ['weather'], 3],
    ]);
    const bad = write('bad.jsonl', '{"text":"sunny","label":["joy","weather"]}\n{"text":"rain","label":["weather",{"x":1}]}\n');
    await rejects(readDataset(bad), /label list "label" holds an object at position 2/, 2);
  });

  it('reads fastText lines with several __label__ as multi-label, a line without one as having none', async () => {
    const file = write('a.txt', '__label__joy __label__weather sunny day\n\n__label__weather rain\nno label at all\n');
    const dataset = await readDataset(file);
    assert.equal(dataset.format, 'fasttext');
    assert.equal(dataset.multiLabel, true);
    assert.deepEqual(rows(dataset), [
      ['sunny day', ['joy', 'weather'], 1],
      ['rain', ['weather'], 3],
      ['no label at all', [], 4],
    ]);
    assert.ok(dataset.warnings.includes('Read as multi-label: 1 row has several labels.'), dataset.warnings.join('\n'));
  });

  it('reads a fastText file with one label per line as single-label, or as multi-label when forced', async () => {
    const file = write('b.txt', '__label__joy sunny\n__label__weather rain\n');
    assert.equal((await readDataset(file)).multiLabel, false);
    assert.deepEqual(rows(await readDataset(file, { multiLabel: true })), [
      ['sunny', ['joy'], 1],
      ['rain', ['weather'], 2],
    ]);
  });
});

describe('multi-label folder datasets', () => {
  it('reads the same file name with the same text in several class folders as one example with those labels', async () => {
    const root = writeFolder({
      'joy/a.txt': 'sunny day',
      'weather/a.txt': 'sunny day',
      'weather/b.txt': 'rain',
      'sport/c.txt': 'a goal',
    });
    const dataset = await readDataset(root);
    assert.equal(dataset.multiLabel, true);
    assert.deepEqual(
      dataset.examples.map((e) => [e.text, e.labels, path.relative(root, e.file ?? '')]),
      [
        ['sunny day', ['joy', 'weather'], path.join('joy', 'a.txt')],
        ['a goal', ['sport'], path.join('sport', 'c.txt')],
        ['rain', ['weather'], path.join('weather', 'b.txt')],
      ],
    );
    assert.ok(dataset.warnings.includes('Read as multi-label: 1 file has several labels.'), dataset.warnings.join('\n'));
  });

  it('keeps files numbered per class (same name, other text) apart, single-label as before', async () => {
    const root = writeFolder({ 'pos/1.txt': 'good', 'neg/1.txt': 'bad', 'neg/2.txt': 'awful' });
    const dataset = await readDataset(root);
    assert.equal(dataset.multiLabel, false);
    assert.deepEqual(
      dataset.examples.map((e) => [e.text, e.label, e.labels]),
      [
        ['bad', 'neg', undefined],
        ['awful', 'neg', undefined],
        ['good', 'pos', undefined],
      ],
    );
  });

  it('forced single-label, each file of a shared name is its own example', async () => {
    const root = writeFolder({ 'joy/a.txt': 'sunny', 'weather/a.txt': 'sunny', 'weather/b.txt': 'rain' });
    const dataset = await readDataset(root, { multiLabel: false });
    assert.deepEqual(
      dataset.examples.map((e) => [e.text, e.label]),
      [
        ['sunny', 'joy'],
        ['sunny', 'weather'],
        ['rain', 'weather'],
      ],
    );
  });
});

describe('multi-label class checks', () => {
  const example = (labels: string[], line: number): Example => ({ text: `t${line}`, label: labels.join(', '), labels, line });

  it('counts distinct labels over every row: one label is refused, rows with none do not make a class', async () => {
    assert.throws(
      () => validateExamples([example(['a'], 1), example([], 2)], 'f.csv'),
      /f\.csv: has only one class \("a"\) among its labels/,
    );
    assert.throws(() => validateExamples([example([], 1), example([], 2)], 'f.csv'), /has no labels/);
    assert.deepEqual(validateExamples([example(['a', 'b'], 1), example(['a'], 2)], 'f.csv'), [
      'Class "b" has only one example, too few to both learn and check it.',
    ]);
    await rejects(readDataset(write('one.csv', 'text,label\nx,a\ny,\n'), { multiLabel: true }), /only one class \("a"\) among its labels/);
  });

  it('refuses more than MAX_CLASSES labels, naming the file and the line where the cap is passed', async () => {
    const lines = Array.from({ length: MAX_CLASSES / 2 + 1 }, (_, i) => `text ${i},l${2 * i}|l${2 * i + 1}`);
    const file = write('many.csv', `text,label\n${lines.join('\n')}\n`);
    // Forced: every pair here is unique, which the guess reads as class names with "|" in them (see the next describe).
    await rejects(
      readDataset(file, { multiLabel: true }),
      new RegExp(`has more than ${MAX_CLASSES} different labels by this line`),
      MAX_CLASSES / 2 + 2,
    );
    const capped = write('capped.csv', `text,label\n${lines.slice(0, -1).join('\n')}\n`);
    assert.equal((await readDataset(capped, { multiLabel: true })).examples.length, MAX_CLASSES / 2, 'exactly MAX_CLASSES labels are read');
  });
});

describe('multi-label DatasetInfo', () => {
  const tokenizer = () => Tokenizer.fit(['sunny day', 'rain'], { maxVocab: 100, maxLength: 16 });
  const meta = (dataset: LoadedDataset) => ({
    path: dataset.path,
    format: dataset.format,
    columns: dataset.columns,
    sha256: dataset.sha256,
    warnings: dataset.warnings,
    labelSeparator: dataset.labelSeparator,
  });

  it('counts each label of each row, and records multiLabel and the separator', async () => {
    const dataset = await readDataset(write('info.csv', CSV));
    const info = summarizeDataset(dataset.examples, meta(dataset), tokenizer());
    assert.deepEqual(info.classCounts, { joy: 2, weather: 2, sport: 1 });
    assert.equal(info.rows, 3);
    assert.equal(info.multiLabel, true);
    assert.equal(info.labelSeparator, '|');
  });

  it('has neither key for a single-label dataset, so older manifests compare equal', async () => {
    const dataset = await readDataset(write('single-info.csv', 'text,label\nsunny,joy\nrain,weather\n'));
    const info = summarizeDataset(dataset.examples, meta(dataset), tokenizer());
    assert.ok(!('multiLabel' in info) && !('labelSeparator' in info), JSON.stringify(info));
    assert.deepEqual(info.classCounts, { joy: 1, weather: 1 });
  });
});

describe('multi-label: the GoEmotions dataset (skipped when ../shared/datasets is missing)', () => {
  const file = path.resolve(__dirname, '../../../shared/datasets/goemotions_multilabel/train.csv');
  it('detects multi-label and reads its 28 labels', { skip: !fs.existsSync(file) && 'no shared datasets' }, async () => {
    const options: ReadDatasetOptions = {};
    const dataset = await readDataset(file, options);
    assert.equal(dataset.multiLabel, true);
    assert.equal(dataset.labelSeparator, '|');
    assert.deepEqual(dataset.columns.label, 'labels');
    const labels = new Set(dataset.examples.flatMap((e) => e.labels ?? []));
    assert.equal(labels.size, 28);
    assert.ok(labels.has('neutral') && labels.has('joy'));
    assert.ok(dataset.examples.some((e) => (e.labels?.length ?? 0) >= 2));
  });
});

describe('multi-label: what a saved model records and the readers trust', () => {
  let model: string;
  let count = 0;
  before(async () => {
    const train = write('train.csv', trainingCsv());
    model = path.join(temp.dir, 'model');
    await trainJob({ dataset: { path: train }, options: { epochs: 1, hiddenUnits: 8, embeddingDim: 8 }, modelDir: model });
  });

  function variant(edit: (dataset: Record<string, unknown>) => void): string {
    const copy = path.join(temp.dir, `variant-${++count}`);
    fs.cpSync(model, copy, { recursive: true });
    const file = path.join(copy, 'textcat.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { dataset: Record<string, unknown> };
    edit(manifest.dataset);
    fs.writeFileSync(file, JSON.stringify(manifest));
    return copy;
  }

  it('a single-label model records neither key, and its summary has neither', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(model, 'textcat.json'), 'utf8')) as { dataset: object };
    assert.ok(!('multiLabel' in manifest.dataset) && !('labelSeparator' in manifest.dataset));
    const summary = readModelSummary(model);
    assert.ok(!('multiLabel' in summary.dataset) && !('labelSeparator' in summary.dataset));
  });

  it('the summary keeps multiLabel: true and its separator, and drops what is malformed', () => {
    const multi = readModelSummary(
      variant((d) => {
        d.multiLabel = true;
        d.labelSeparator = ';';
      }),
    );
    assert.equal(multi.dataset.multiLabel, true);
    assert.equal(multi.dataset.labelSeparator, ';');
    for (const [multiLabel, labelSeparator] of [
      ['yes', '|'],
      [false, '|'],
      [undefined, '|'],
    ] as const) {
      const summary = readModelSummary(
        variant((d) => {
          d.multiLabel = multiLabel;
          d.labelSeparator = labelSeparator;
        }),
      );
      assert.ok(!('multiLabel' in summary.dataset) && !('labelSeparator' in summary.dataset), String(multiLabel));
    }
    const long = readModelSummary(
      variant((d) => {
        d.multiLabel = true;
        d.labelSeparator = 'x'.repeat(1000);
      }),
    );
    assert.equal(long.dataset.multiLabel, true);
    assert.ok(!('labelSeparator' in long.dataset));
  });

  it('eval reads a file as the model was trained: a single-label model keeps "|" inside a label', async () => {
    const loaded = await loadModel(model);
    const data = write('eval.csv', 'text,label\ngood great happy,pos\nawful bad sad,pos|neg\n');
    const { unknownLabels, dataset } = await evaluateJob(loaded, { path: data });
    assert.deepEqual(unknownLabels, ['pos|neg']);
    assert.ok(!('multiLabel' in dataset));
  });
});

describe('a guessed "|" that is part of the class names', () => {
  it('reads a label with "|" in it as one class when its parts are no labels of their own, and says so', async () => {
    const markup = '<img src=x onerror=alert(1)> | *odd*';
    const file = write('names.csv', `text,label\nbanana a,${markup}\nbanana b,${markup}\ninvoice c,billing\nparcel d,shipping\n`);
    const dataset = await readDataset(file);
    assert.equal(dataset.multiLabel, false);
    assert.deepEqual(
      dataset.examples.map((e) => e.label),
      [markup, markup, 'billing', 'shipping'],
    );
    assert.ok(
      dataset.warnings.some((w) =>
        /Read as single-label: 2 labels contain "\|", but the parts around it are not labels of other rows/.test(w),
      ),
      dataset.warnings.join('\n'),
    );
    assert.equal((await readDataset(file, { multiLabel: true })).multiLabel, true, '--multi-label still splits them');
  });

  it('still reads labels as multi-label when a part comes back alone or in another combination', async () => {
    const alone = write('alone.csv', 'text,label\na,x|y\nb,x\nc,y\n');
    assert.equal((await readDataset(alone)).multiLabel, true);
    const combined = write('combined.csv', 'text,label\na,x|y\nb,x|z\nc,w\n');
    assert.equal((await readDataset(combined)).multiLabel, true);
    const named = write('named.csv', 'text,label\na,x|y\nb,x|y\nc,w\n');
    assert.equal((await readDataset(named, { labelSeparator: '|' })).multiLabel, true, 'a separator the user names is no guess');
  });
});
