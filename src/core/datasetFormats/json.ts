// JSON Lines (one object per line, streamed) and a JSON array of objects (read whole: JSON.parse
// needs all of it, so its size has a ceiling).

import { TextcatError } from '../types';
import { stripBom } from './encoding';
import { MAX_JSON_ARRAY_BYTES, mebibytes } from './limits';
import { numberedLines } from './lines';
import type { ArrayElement, TableRow } from './table';

type JsonObject = Record<string, unknown>;

class ObjectRow implements TableRow {
  constructor(
    readonly line: number,
    private readonly object: JsonObject,
    readonly element?: ArrayElement,
  ) {}

  get columns(): readonly string[] {
    return Object.keys(this.object);
  }

  get(column: string): unknown {
    return Object.hasOwn(this.object, column) ? this.object[column] : undefined;
  }
}

export async function* jsonLinesRows(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<TableRow> {
  let sawObject = false;
  for await (const { text, line } of numberedLines(chunks)) {
    if (text.trim() === '') continue;
    const value = parseJsonLine(text, file, line);
    if (!isObject(value)) throw new TextcatError(`line ${line} is ${describeJson(value)}, not a JSON object`, file, line);
    sawObject = true;
    yield new ObjectRow(line, value);
  }
  if (!sawObject) throw new TextcatError('is empty', file);
}

export async function* jsonArrayRows(chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<TableRow> {
  const text = stripBom(await readAll(chunks, file));
  if (text.trim() === '') throw new TextcatError('is empty', file);
  const value = parseJsonDocument(text, file);
  if (!Array.isArray(value)) {
    throw new TextcatError(
      `should hold a JSON array of objects, like [{"text": "...", "label": "..."}], but holds ${describeJson(value)}`,
      file,
    );
  }
  const lines = elementStartLines(text);
  const sharedLines = new Set(lines).size < lines.length;
  for (const [index, element] of value.entries()) {
    const line = lines[index] ?? 1;
    if (!isObject(element)) throw new TextcatError(`element ${index + 1} is ${describeJson(element)}, not an object`, file, line);
    yield new ObjectRow(line, element, { index: index + 1, sharedLines });
  }
}

function parseJsonLine(text: string, file: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TextcatError(`invalid JSON on line ${line} (${(error as Error).message})`, file, line);
  }
}

function parseJsonDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // V8 says "... at position 123"; turn that into a line an editor can jump to.
    const position = /at position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : undefined;
    throw new TextcatError(`is not valid JSON (${message})`, file, line);
  }
}

async function readAll(chunks: AsyncIterable<Uint8Array>, file: string): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > MAX_JSON_ARRAY_BYTES) {
      throw new TextcatError(
        `is larger than ${mebibytes(MAX_JSON_ARRAY_BYTES)}, the most Textcat reads as one JSON array (it is parsed whole); convert it to JSON Lines, one object per line, which is read as a stream (e.g. jq -c '.[]' in.json > out.jsonl)`,
        file,
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * The line each top-level array element starts on. Only run on text JSON.parse accepted, so a
 * scanner that tracks strings and nesting depth is enough.
 */
function elementStartLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') continue;
    if (expectingElement) {
      starts.push(line);
      expectingElement = false;
    }
    if (char === '"') inString = true;
    else if (char === '[' || char === '{') depth++;
    else if (char === ']' || char === '}') depth--;
    if (depth === 1 && (char === '[' || char === ',')) expectingElement = true;
  }
  return starts;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
