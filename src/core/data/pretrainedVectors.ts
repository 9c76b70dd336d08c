// Word vectors from a user's .vec file (fastText / word2vec text format), aligned to the model's vocabulary:
// the starting point of the embedding rows of the words they cover. The file is streamed, so a multi-gigabyte
// file costs only the rows the vocabulary needs.
//
// Format: an optional header line "<count> <dimension>", then one word per line followed by its dimension
// values, separated by spaces. GloVe's text files (no header) read the same way. A word matches a vocabulary
// token after the tokenizer's normalisation (NFKC, lowercased when the tokenizer lowercases); the first line
// of a word wins (fastText files list frequent forms first, so "the" before "The").
import * as fs from 'node:fs';
import type { BatchGradients, NetworkParams } from '../model';
import type { TrainOptions } from '../options';
import type { Tokenizer } from '../text/tokenizer';
import { MAX_LINE_BYTES } from '../datasetFormats/limits';
import { numberedLines } from '../datasetFormats/lines';
import { TextcatError } from '../types';

export interface AlignedVectors {
  dimension: number;
  /** Vocabulary ids that got a vector, ascending. */
  ids: Int32Array;
  /** Their vectors, [ids.length, dimension]. */
  vectors: Float32Array;
}

/**
 * Reads `file` and returns the vectors of `vocab`'s tokens. A missing file, a line that is not a word and
 * numbers, or a line whose number of values differs from the others is a TextcatError naming the file and line;
 * so is a dimension other than `dimension` when one is required.
 */
export async function readPretrainedVectors(
  file: string,
  vocab: readonly string[],
  normalise: (word: string) => string,
  dimension?: number,
): Promise<AlignedVectors> {
  const stream = openVectors(file);
  const wanted = new Map(vocab.map((token, id) => [token, id]));
  const found = new Map<number, Float32Array>();
  // Where the expected dimension comes from, for the message when a line disagrees.
  let width = dimension;
  let widthFrom = 'embeddingDim is';
  let lineNumber = 0;
  const expect = (seen: number, what: string) => {
    if (seen < 1) throw new TextcatError('a vector needs at least one value', file, lineNumber);
    if (width !== undefined && seen !== width) {
      const fix = widthFrom === 'embeddingDim is' ? ` (set embeddingDim, --embedding-dim, to ${seen})` : '';
      throw new TextcatError(
        `${what} ${seen} values per vector, but ${widthFrom} ${width}: the dimensions must match${fix}`,
        file,
        lineNumber,
      );
    }
    if (width === undefined) [width, widthFrom] = [seen, what === 'this line has' ? `line ${lineNumber} has` : what];
  };
  try {
    for await (const { text, line } of numberedLines(stream, { chars: MAX_LINE_BYTES, file })) {
      lineNumber = line;
      const fields = text.trim().split(/\s+/);
      if (fields.length === 1 && fields[0] === '') continue;
      if (lineNumber === 1 && fields.length === 2 && fields.every((f) => /^\d+$/.test(f))) {
        expect(Number(fields[1]), 'the header says');
        continue;
      }
      if (fields.length < 2) throw new TextcatError('expected a word followed by its vector', file, lineNumber);
      expect(fields.length - 1, 'this line has');
      const id = wanted.get(normalise(fields[0]));
      if (id === undefined || found.has(id)) continue;
      found.set(id, parseVector(fields, file, lineNumber));
    }
  } finally {
    stream.destroy();
  }
  const size = width;
  if (size === undefined) throw new TextcatError('holds no vectors', file);
  const ids = Int32Array.from([...found.keys()].sort((a, b) => a - b));
  const vectors = new Float32Array(ids.length * size);
  ids.forEach((id, row) => vectors.set(found.get(id)!, row * size));
  return { dimension: size, ids, vectors };
}

function openVectors(file: string): fs.ReadStream {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new TextcatError('pretrained vectors file not found', file);
  }
  if (!stat.isFile()) throw new TextcatError('pretrained vectors must be a .vec text file, not a folder', file);
  return fs.createReadStream(file);
}

function parseVector(fields: string[], file: string, line: number): Float32Array {
  const vector = new Float32Array(fields.length - 1);
  for (let i = 1; i < fields.length; i++) {
    const value = Number(fields[i]);
    if (!Number.isFinite(value) || fields[i] === '') {
      throw new TextcatError(
        `"${fields[i].slice(0, 40)}" is not a number (value ${i} of the word "${fields[0].slice(0, 40)}")`,
        file,
        line,
      );
    }
    vector[i - 1] = value;
  }
  return vector;
}

/** The vectors file's vectors of the vocabulary's words (matched as the tokenizer normalises text). */
export function alignedVectors(tokenizer: Tokenizer, options: TrainOptions): Promise<AlignedVectors> {
  const normalise = (word: string) => {
    const n = word.normalize('NFKC');
    return tokenizer.config.lowercase ? n.toLowerCase() : n;
  };
  return readPretrainedVectors(options.pretrainedVectors, tokenizer.vocab, normalise, options.embeddingDim);
}

/** Starts the embedding rows of the words the vectors file has from their vectors. */
export function usePretrainedVectors(params: NetworkParams, aligned: AlignedVectors, tokenizer: Tokenizer, options: TrainOptions) {
  const D = options.embeddingDim;
  aligned.ids.forEach((id, row) => params.embedding.set(aligned.vectors.subarray(row * D, (row + 1) * D), id * D));
  return {
    summary: {
      file: options.pretrainedVectors,
      dimension: aligned.dimension,
      words: aligned.ids.length,
      vocabulary: tokenizer.vocabSize,
      frozen: options.freezeVectors,
    },
    frozenRows: options.freezeVectors ? new Set(aligned.ids) : undefined,
  };
}

/** The gradient without the embedding rows in `frozen` (they keep their pretrained vectors). */
export function withoutRows(g: BatchGradients, frozen: ReadonlySet<number>): BatchGradients {
  const keep = Array.from(g.embeddingRows.keys()).filter((r) => !frozen.has(g.embeddingRows[r]));
  const D = g.embeddingRows.length ? g.embedding.length / g.embeddingRows.length : 0;
  const embedding = new Float32Array(keep.length * D);
  keep.forEach((r, i) => embedding.set(g.embedding.subarray(r * D, (r + 1) * D), i * D));
  return { ...g, embeddingRows: Int32Array.from(keep, (r) => g.embeddingRows[r]), embedding };
}
