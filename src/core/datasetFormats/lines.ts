// Line splitting for the line-based formats (JSONL, fastText), streaming and with 1-based numbers
// that match what an editor shows, blank lines included.

import { StringDecoder } from 'node:string_decoder';
import { stripBom } from './encoding';

export interface NumberedLine {
  text: string;
  line: number;
}

export async function* numberedLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<NumberedLine> {
  // StringDecoder holds back a character split across chunks.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of chunks) {
    const text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    // Appending without splitting keeps a very long line linear instead of re-splitting it per chunk.
    if (!text.includes('\n')) {
      pending += text;
      continue;
    }
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) yield numbered(part, ++line);
  }
  pending += decoder.end();
  if (pending !== '') yield numbered(pending, line + 1);
}

function numbered(raw: string, line: number): NumberedLine {
  const withoutCr = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return { text: line === 1 ? stripBom(withoutCr) : withoutCr, line };
}
