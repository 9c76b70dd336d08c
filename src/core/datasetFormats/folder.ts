// A folder with one subfolder per class and one example per file, as Keras'
// text_dataset_from_directory reads it. Files in nested folders count for the class above them. The same
// file name (path inside its class folder) with the same text in several class folders is one example with
// several labels; files numbered per class (pos/1.txt, neg/1.txt) hold different texts and stay apart.

import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeFileType, fileSystemError } from '../fsErrors';
import { TextcatError, type Example, type ReadDatasetOptions } from '../types';
import { ExampleCollector } from './collector';
import { ByteInspector, stripBom } from './encoding';
import { MAX_EXAMPLE_FILE_BYTES, mebibytes } from './limits';

export interface FolderResult {
  examples: Example[];
  warnings: string[];
  sha256: string;
}

/** One example: its text, its first file, and the class folder of each file of that name and text. */
interface FolderExample {
  text: string;
  file: string;
  labels: string[];
}

export async function readFolder(root: string, options: Pick<ReadDatasetOptions, 'multiLabel'> = {}): Promise<FolderResult> {
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
  // Forced single-label: every file is its own example, as before multi-label existed.
  const single = options.multiLabel === false;
  const collector = new ExampleCollector({ multiLabel: options.multiLabel, unit: 'file' });
  const found: FolderExample[] = [];
  const byName = new Map<string, FolderExample[]>();
  for (const label of classes) {
    const classFolder = join(root, label);
    for (const file of await filesUnder(classFolder)) {
      const bytes = await readExampleFile(file);
      hash.update(`${relative(root, file)}\0`);
      const inspector = new ByteInspector(file, { sharedHash: hash });
      inspector.inspect(bytes);
      inspector.finish();
      const text = stripBom(bytes.toString('utf8'));
      if (single) {
        collector.add(text, label, 1, file);
        continue;
      }
      const name = relative(classFolder, file);
      const sameName = byName.get(name) ?? [];
      const same = sameName.find((example) => example.text === text);
      if (same) {
        same.labels.push(label);
        continue;
      }
      const example = { text, file, labels: [label] };
      found.push(example);
      byName.set(name, [...sameName, example]);
    }
  }
  for (const { text, file, labels } of found) collector.add(text, labels, 1, file);
  const { examples, warnings } = collector.finish();
  const looseFiles = entries.filter((entry) => entry.isFile()).length;
  if (looseFiles > 0)
    warnings.push(`Ignored ${looseFiles} file(s) directly in the folder; only files inside class subfolders are examples.`);
  return { examples, warnings, sha256: hash.digest('hex') };
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
