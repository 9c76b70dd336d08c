// Line splitting for the line-based formats (JSONL, fastText), streaming and with 1-based numbers
// that match what an editor shows, blank lines included.

import { StringDecoder } from 'node:string_decoder';
import { TextcatError } from '../types';
import { stripBom } from './encoding';
import { mebibytes } from './limits';

export interface NumberedLine {
  text: string;
  line: number;
}

/**
 * `limit`: stop with a TextcatError naming `file` and the line once a line grows past `chars` characters, for
 * readers whose files are not scanned beforehand (a file without line breaks is not read whole into memory).
 */
export async function* numberedLines(
  chunks: AsyncIterable<Uint8Array>,
  limit?: { chars: number; file: string },
): AsyncGenerator<NumberedLine> {
  for await (const batch of numberedLineBatches(chunks, limit)) yield* batch;
}

/**
 * numberedLines a chunk's worth at a time: the lines each chunk completes, as one array (none for a chunk inside
 * a long line). A reader of millions of lines (textcat predict) takes them so, without a promise per line.
 */
export async function* numberedLineBatches(
  chunks: AsyncIterable<Uint8Array>,
  limit?: { chars: number; file: string },
): AsyncGenerator<NumberedLine[]> {
  // StringDecoder holds back a character split across chunks.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of chunks) {
    const text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    // Appending without splitting keeps a very long line linear instead of re-splitting it per chunk.
    if (text.includes('\n')) {
      const parts = (pending + text).split('\n');
      pending = parts.pop() ?? '';
      yield parts.map((part) => numbered(part, ++line));
    } else {
      pending += text;
    }
    if (limit && pending.length > limit.chars) {
      throw new TextcatError(`line ${line + 1} is longer than ${mebibytes(limit.chars)}, the most Textcat reads in one line`, limit.file);
    }
  }
  pending += decoder.end();
  if (pending !== '') yield [numbered(pending, line + 1)];
}

function numbered(raw: string, line: number): NumberedLine {
  const withoutCr = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return { text: line === 1 ? stripBom(withoutCr) : withoutCr, line };
}
