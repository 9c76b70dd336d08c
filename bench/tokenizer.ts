// Lines per second of tokenizing (the default config: word, lowercase, no punctuation, first maxLength tokens)
// with the ASCII fast path and with every piece through Intl.Segmenter, on each shared dataset's texts and on a
// generated log. `npm run bench:tokenizer [datasets folder]`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDataset } from '../src/core/data/dataset';
import { DEFAULT_TOKENIZER, Tokenizer } from '../src/core/text/tokenizer';
import { datasetsRoot, missingDatasetsMessage } from './datasets';

const tokenizer = new Tokenizer(DEFAULT_TOKENIZER, ['<pad>', '<oov>']);
const limit = DEFAULT_TOKENIZER.maxLength;

/** Best of three passes, in lines per second. */
function linesPerSecond(texts: readonly string[], tokenize: (text: string) => string[]): number {
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const started = process.hrtime.bigint();
    for (const text of texts) tokenize(text);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return texts.length / best;
}

/** Log lines whose numbers, ids and addresses vary, as in real logs. */
function generatedLog(count: number): string[] {
  const levels = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = ((i * 2654435761) >>> 0).toString(16);
    lines.push(
      `2026-12-04T20:${String(i % 60).padStart(2, '0')}:11.${i % 1000}Z ${levels[i % 4]} [worker-${i % 16}] request ${id} from 10.0.${i % 256}.${(i * 7) % 256} took ${i % 977} ms: user_${i % 5000}@example.com GET /api/v2/items/${i}?page=${i % 9}`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const root = datasetsRoot(process.argv[2]);
  const sets: [string, string[]][] = [];
  if (root) {
    for (const name of fs.readdirSync(root).sort()) {
      const file = path.join(root, name, 'train.csv');
      if (fs.existsSync(file)) sets.push([name, (await readDataset(file)).examples.map((e) => e.text)]);
    }
  } else console.log(missingDatasetsMessage());
  sets.push(['generated log (50,000 lines)', generatedLog(50_000)]);
  console.log('dataset | lines | segmenter lines/s | fast path lines/s | speed-up');
  for (const [name, texts] of sets) {
    const slow = linesPerSecond(texts, (t) => tokenizer.segmenterTokens(t, limit));
    const fast = linesPerSecond(texts, (t) => tokenizer.tokenize(t, limit));
    console.log(`${name} | ${texts.length} | ${Math.round(slow)} | ${Math.round(fast)} | ${(fast / slow).toFixed(2)}×`);
  }
}

void main();
