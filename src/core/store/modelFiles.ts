// Reading the files of a model folder without trusting the folder (a cloned repository can ship one): a name
// must be a plain relative path, resolve (symbolic links included) to a regular file inside the folder, and be
// no larger than a ceiling — all checked before a byte is read or allocated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from './confine';
import { describeFileType, errnoCode, fileSystemError } from '../fsErrors';
import { TextcatError } from '../types';

/** A FIFO swapped in for a file must not block the open (it is refused by type right after). */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export interface ModelFolder {
  /** The folder as the user named it, for messages. */
  dir: string;
  /** Its real path: every file must resolve inside it. */
  real: string;
}

export interface OpenOptions {
  maxBytes: number;
  /** The message when the file does not exist. */
  missing?: string;
  /** The file that named this one (model.json for weights), blamed when the name itself is bad. */
  declaredIn?: string;
}

export interface OpenedFile {
  /** The path as the user would write it (folder + name), for messages. */
  file: string;
  fd: number;
  size: number;
}

/** The folder's real path; a missing folder "does not exist", a file in its place is "not a Textcat model folder". */
export function modelFolder(dir: string): ModelFolder {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new TextcatError('does not exist; check the path, or train a model there first', dir);
    throw fileSystemError(error, dir);
  }
  let stats: fs.Stats;
  try {
    stats = fs.statSync(real);
  } catch (error) {
    throw fileSystemError(error, dir);
  }
  if (!stats.isDirectory()) throw new TextcatError(`is ${describeFileType(stats)}, not a Textcat model folder`, dir);
  return { dir, real };
}

/** Opens `name` inside the folder after every check; the caller closes `fd`. */
export function openInside(folder: ModelFolder, name: unknown, options: OpenOptions): OpenedFile {
  const { maxBytes, missing = 'missing: the model is incomplete, train it again' } = options;
  const file = path.join(folder.dir, checkRelativeName(name, options.declaredIn ?? folder.dir));
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') throw new TextcatError(missing, file);
    throw fileSystemError(error, file);
  }
  if (!isBelow(real, folder.real)) {
    throw new TextcatError(`resolves to ${real}, outside the model folder; a model's files must be inside its folder`, file);
  }
  const kind = fs.lstatSync(real);
  if (!kind.isFile()) throw new TextcatError(`is ${describeFileType(kind)}, not a regular file; the model is damaged`, file);
  const fd = openFile(real, file);
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new TextcatError(`is ${describeFileType(stats)}, not a regular file; the model is damaged`, file);
    if (stats.size > maxBytes) {
      throw new TextcatError(
        `is ${formatBytes(stats.size)}, more than the ${formatBytes(maxBytes)} Textcat reads for it; it is not a Textcat model file`,
        file,
      );
    }
    return { file, fd, size: stats.size };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** The whole file, read after `openInside`'s checks. */
export function readInside(folder: ModelFolder, name: string, options: OpenOptions): Buffer {
  const opened = openInside(folder, name, options);
  try {
    const bytes = Buffer.alloc(opened.size);
    readFully(opened, bytes, 0);
    return bytes;
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** Fills `into` from `position`; a file that ends early (changed under us) is damaged. */
export function readFully(opened: OpenedFile, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    let read: number;
    try {
      read = fs.readSync(opened.fd, into, done, into.length - done, position + done);
    } catch (error) {
      throw fileSystemError(error, opened.file);
    }
    if (read === 0) throw new TextcatError('ended before all its declared bytes were read; the model is damaged', opened.file);
    done += read;
  }
}

/** A file name from a model's own JSON: relative, no `..`, no drive or backslash, no NUL. */
function checkRelativeName(name: unknown, declaredIn: string): string {
  const ok =
    typeof name === 'string' &&
    name !== '' &&
    !name.includes('\0') &&
    !name.includes('\\') &&
    !path.posix.isAbsolute(name) &&
    !path.win32.isAbsolute(name) &&
    !/^[a-zA-Z]:/.test(name) &&
    !name.split('/').includes('..');
  if (!ok) {
    throw new TextcatError(
      `names the file ${JSON.stringify(name)}, which is not a plain relative path inside the model folder; the model is damaged or hostile`,
      declaredIn,
    );
  }
  return name;
}

/** Strictly below the folder (the folder itself is no file of it). */
function isBelow(real: string, folder: string): boolean {
  return real !== folder && isInside(real, folder);
}

function openFile(real: string, shown: string): number {
  try {
    return fs.openSync(real, OPEN_FLAGS);
  } catch (error) {
    throw fileSystemError(error, shown);
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
