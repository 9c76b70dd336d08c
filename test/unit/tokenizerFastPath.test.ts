// The tokenizer's ASCII fast path (src/core/text/asciiTokens.ts) against the segmenter path it replaces: any
// line where their tokens differ fails. Inputs: the specification's vectors, a seeded fuzzer of ASCII words,
// numbers, URLs, e-mail addresses, IPs and hex ids mixed with other scripts, and every line of every shared dataset.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Tokenizer } from '../../src/core/text/tokenizer';
import type { TokenizerConfig } from '../../src/core/types';
import { tokenizerOf, VECTORS } from '../shared/tokenizerVectors';

/** Every combination of the settings that change tokens (maxLength only stops early, tested by the vectors). */
const CONFIGS: TokenizerConfig[] = [];
for (const mode of ['word', 'char'] as const)
  for (const lowercase of [true, false])
    for (const keepPunctuation of [true, false])
      CONFIGS.push({ mode, lowercase, keepPunctuation, maxVocab: 10, minCount: 1, maxLength: 2048 });
const TOKENIZERS = CONFIGS.map((config) => new Tokenizer(config, ['<pad>', '<oov>']));

function assertSame(tokenizer: Tokenizer, text: string, where: string): void {
  const fast = tokenizer.tokenize(text);
  const reference = tokenizer.segmenterTokens(text);
  if (fast.length === reference.length && fast.every((t, i) => t === reference[i])) return;
  assert.deepEqual(fast, reference, `${where}, ${JSON.stringify(tokenizer.config)}: ${JSON.stringify(text)}`);
}

/** Mulberry32: a small seeded generator, so a failure can be reproduced. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII_PIECES = [
  "can't",
  'e.g.',
  '3.14',
  '1,000',
  'snake_case',
  '__init__',
  '_',
  'abc123',
  '123abc',
  'https://example.com/a?b=1&c=d',
  'user.name@mail.example.org',
  '192.168.0.1',
  '10.0.0.255:8080',
  '0x1f2e3d',
  'deadbeef',
  'a1b2-c3d4',
  'EU:n',
  're:build',
  '10:42',
  "rock'n'roll",
  'U.S.A.',
  '1;2',
  'a;b',
  '"quoted"',
  '(paren)',
  'v2.0.1',
  '$3.14',
  '-5',
  '#tag',
  '@user',
  'C++',
  'x.y.z',
  '..',
  "''",
  '1.',
  '.5',
  'a_1',
  '1_a',
  'CamelCase',
  'ALLCAPS',
];
const OTHER_PIECES = [
  '你好',
  '服务器崩溃了',
  '東京に行きます',
  'カタカナ',
  'привет',
  'Straße',
  'café',
  'naïve',
  'e\u0301',
  'İstanbul',
  'ΟΔΟΣ',
  '👍🏽',
  '🇯🇵',
  '\u00a0',
  '\u3000',
  '\u200d',
  '\u200b',
  'สวัสดี',
  '안녕하세요',
  '１２３',
  'ﬁle',
  '①',
  '—',
  '…',
  '’',
];
const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '', '.', ',', "'", ':', '_', '-', '/', '@'];
const ASCII_CHARS = 'abcXYZ019 .,;:\'_"-/@#$()\t\n\r\v\f';

function fuzzLine(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 8);
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.45) parts.push(pick(ASCII_PIECES));
    else if (r < 0.65) parts.push(pick(OTHER_PIECES));
    else {
      let s = '';
      const length = 1 + Math.floor(random() * 6);
      for (let j = 0; j < length; j++) s += pick([...ASCII_CHARS]);
      parts.push(s);
    }
    parts.push(pick(SEPARATORS));
  }
  return parts.join('');
}

describe('tokenizer fast path: the same tokens as the segmenter', () => {
  test('docs/tokenizer-vectors.json, in every setting', () => {
    for (const c of VECTORS.cases) {
      assertSame(tokenizerOf(c), c.text, c.name);
      for (const tokenizer of TOKENIZERS) assertSame(tokenizer, c.text, c.name);
    }
  });

  test('a seeded fuzzer: 40,000 lines × 8 settings', () => {
    const random = generator(18);
    for (let i = 0; i < 40_000; i++) {
      const line = fuzzLine(random);
      assertSame(TOKENIZERS[i % TOKENIZERS.length], line, `fuzz line ${i}`);
    }
  });

  test('every ASCII string of up to 4 characters over one character of each word-break class', () => {
    const alphabet = ['a', 'B', '1', '.', "'", ',', ';', ':', '_', ' ', '\t', '\n', '\r', '@', '"', 'é', '\u0301'];
    const tokenizer = TOKENIZERS[2]; // word, lowercase, keepPunctuation: every segment shows
    const grow = (s: string, depth: number): void => {
      assertSame(tokenizer, s, 'exhaustive');
      if (depth > 0) for (const c of alphabet) grow(s + c, depth - 1);
    };
    grow('', 4);
  });

  const datasets = path.resolve(__dirname, '../../../shared/datasets');
  test('every line of every shared dataset', (t) => {
    if (!fs.existsSync(datasets)) {
      t.skip(`no shared datasets at ${datasets}`);
      return;
    }
    const started = Date.now();
    let lines = 0;
    for (const name of fs.readdirSync(datasets)) {
      for (const split of ['train.csv', 'test.csv']) {
        const file = path.join(datasets, name, split);
        if (!fs.existsSync(file)) continue;
        // Raw lines, quotes and label included: a superset of the texts, and no CSV parser between the two paths.
        for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
          assertSame(TOKENIZERS[lines % 4], line, `${name}/${split}`);
          lines++;
        }
      }
    }
    t.diagnostic(`${lines} lines in ${Date.now() - started} ms`);
  });
});
