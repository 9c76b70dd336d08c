// A folder with one subfolder per class and one example per file, as Keras'
// text_dataset_from_directory reads it. Files in nested folders count for the class above them.

import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeFileType, fileSystemError } from '../fsErrors';
import { TextcatError, type Example } from '../types';
import { ByteInspector, stripBom } from './encoding';
import { MAX_EXAMPLE_FILE_BYTES, mebibytes } from './limits';
import { ExampleCollector } from './table';

export interface FolderResult {
  examples: Example[];
  warnings: string[];
  sha256: string;
}

export async function readFolder(root: string): Promise<FolderResult> {
  const rootStats = await stat(root);
  if (!rootStats.isDirectory()) {
    throw new TextcatError(
      `is ${describeFileType(rootStats)}, not a folder; the folder format reads a folder with one subfolder of files per class`,
      root,
    );
  }
  const entries = await visibleEntries(root);
  const classes = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  if (classes.length === 0) {
    throw new TextcatError('has no subfolders; put the files of each class in a subfolder named after the class', root);
  }
  // One hash over every (path, content) pair in a fixed order, so renaming a file changes it too.
  const hash = createHash('sha256');
  const collector = new ExampleCollector('file');
  for (const label of classes) {
    for (const file of await filesUnder(join(root, label))) {
      const bytes = await readExampleFile(file);
      hash.update(`${relative(root, file)}\0`);
      const inspector = new ByteInspector(file, { sharedHash: hash });
      inspector.inspect(bytes);
      inspector.finish();
      collector.add(stripBom(bytes.toString('utf8')), label, 1, file);
    }
  }
  const looseFiles = entries.filter((entry) => entry.isFile()).length;
  const warnings = collector.warnings();
  if (looseFiles > 0)
    warnings.push(`Ignored ${looseFiles} file(s) directly in the folder; only files inside class subfolders are examples.`);
  return { examples: collector.examples, warnings, sha256: hash.digest('hex') };
}

/** One example's file, refused when it is far larger than any text a classifier reads. */
async function readExampleFile(file: string): Promise<Buffer> {
  try {
    const { size } = await stat(file);
    if (size > MAX_EXAMPLE_FILE_BYTES) {
      throw new TextcatError(`is larger than ${mebibytes(MAX_EXAMPLE_FILE_BYTES)}, the most Textcat reads as one example`, file);
    }
    return await readFile(file);
  } catch (error) {
    throw fileSystemError(error, file);
  }
}

/** Sorted so examples and the hash do not depend on the file system's listing order. */
async function visibleEntries(folder: string): Promise<Dirent[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw fileSystemError(error, folder);
  }
  return entries.filter((entry) => !entry.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Regular files only: links, FIFOs and devices are skipped, so nothing outside the folder is read. */
async function filesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await visibleEntries(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
