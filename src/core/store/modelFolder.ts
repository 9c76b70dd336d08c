// The model folder's life on disk: which paths Textcat may write a model to (never a folder of the user's own
// files), how a model is replaced so that the path holds a complete model at every instant or one the next run
// recovers, and how what an interrupted save left beside the folder is finished or removed.
//
// A save writes the new model completely into `<dir>.tmp-<stamp>` (each file fsynced), then renames
// `<dir>` → `<dir>.old-<stamp>` and `<dir>.tmp-<stamp>` → `<dir>`, then removes the old folder. Linux has no atomic
// exchange of two directories Node can call, so between the two renames the path is briefly empty: a reader
// that finds `<dir>` missing beside such a pair waits a moment, then recovers it (the new folder of a pair whose
// old one exists is complete, so it wins). The stamp holds the writer's pid, so leftovers of dead processes are
// cleaned up by the next save or load, and a live process's temp folder is never touched. The swap runs
// synchronously, so a signal handler (the CLI's SIGINT/SIGTERM) runs before or after it, never in between.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFileType, errnoCode, fileSystemError, fileSystemReason } from '../fsErrors';
import { modelFolder, readInside } from './modelFiles';
import { DestinationError, TextcatError } from '../types';

export const MANIFEST_FILE = 'textcat.json';
/** The layout of a model folder this build writes and reads (textcat.json's formatVersion). */
export const FORMAT_VERSION = 1;
/** Earlier runs listed in textcat.json, and validation examples kept for the confusion drill-down. */
export const MAX_RUNS_KEPT = 50;
export const MAX_VALIDATION_EXAMPLES_KEPT = 5000;
/** textcat.json holds the vocabulary, runs and validation examples: large, but not without bound. */
export const MAX_MANIFEST_BYTES = 256 * 2 ** 20;
/** Room for ".tmp-<pid>-<time>-<random>" after the folder's name, within the usual 255-byte name limit. */
const STAMP_ROOM = 40;
const NAME_LIMIT = 255;
/** How long a reader waits for a live writer's second rename before recovering the folder itself. */
const LIVE_SWAP_WAIT_MS = 2000;
const LEFTOVER = /^(tmp|old)-((\d+)-[0-9a-z]+-[0-9a-f]+)$/;
const MAX_LINK_HOPS = 40;
/** Files a desktop or git leaves in an empty folder: it still counts as empty (they are carried over like any other). */
const SYSTEM_NOISE = new Set(['.DS_Store', '.gitkeep', '.keep', 'Thumbs.db', 'desktop.ini']);

/**
 * Where a model may be written: a missing folder (whose nearest existing ancestor is a writable folder), an
 * empty folder, or a folder holding a Textcat model. Anything else is refused before training starts. Returns
 * the absolute path to write to (a symbolic link to a folder is followed, so the link keeps working).
 */
export function checkModelDestination(dir: string): string {
  if (dir.trim() === '')
    throw new DestinationError('is not a folder name: the model folder path is empty; give one, e.g. .textcat/model', "''");
  const target = modelPathOnDisk(dir);
  refuseWorkingFolder(target);
  recoverInterruptedSaves(target);
  const stats = lstatOrUndefined(target);
  checkNameRoom(target);
  if (stats === undefined) {
    checkCanCreate(target);
    return target;
  }
  if (!stats.isDirectory()) {
    throw new DestinationError(`is ${describeFileType(stats)}, not a folder; ${WHAT_FITS}`, target);
  }
  const entries = readFolder(target);
  const userEntries = entries.filter((entry) => !SYSTEM_NOISE.has(entry.name));
  if (userEntries.length > 0 && !holdsTextcatModel(target)) {
    throw new DestinationError(`holds files that are not a Textcat model (${listNames(userEntries)}); ${WHAT_FITS}`, target);
  }
  entries.forEach((entry) => checkCarryable(path.join(target, entry.name), entry));
  checkAccess(path.dirname(target), fs.constants.W_OK | fs.constants.X_OK);
  checkAccess(target, fs.constants.R_OK | fs.constants.X_OK);
  probeFolderCreation(path.dirname(target), path.basename(target));
  return target;
}

const WHAT_FITS =
  'Textcat replaces the model folder when it saves, so give a path that does not exist yet, an empty folder, or a folder holding a Textcat model';

/**
 * Replaces the folder `target` with one holding `files`, keeping a complete model at the path throughout.
 * Files in the old folder that are not among `files` (a README, a .gitignore…) are copied into the new one:
 * a save never deletes what it did not write.
 */
export function replaceModelFolder(target: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  recoverInterruptedSaves(target);
  const parent = path.dirname(target);
  const stamp = saveStamp();
  const fresh = `${target}.tmp-${stamp}`;
  const retired = `${target}.old-${stamp}`;
  const hadOld = lstatOrUndefined(target)?.isDirectory() ?? false;
  try {
    fs.mkdirSync(parent, { recursive: true });
    fs.mkdirSync(fresh);
    for (const [name, content] of files) writeDurably(path.join(fresh, name), content);
    if (hadOld) carryOver(target, fresh, files);
    syncFolder(fresh);
  } catch (error) {
    removeQuietly(fresh);
    throw saveFailed(error, target, hadOld);
  }
  swap(target, fresh, hadOld ? retired : undefined);
}

/** Names a save's temp folders: the pid tells a live writer's from a dead one's (see LEFTOVER). */
function saveStamp(): string {
  return `${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** The two renames, then the old folder's removal. */
function swap(target: string, fresh: string, retired: string | undefined): void {
  try {
    if (retired) fs.renameSync(target, retired);
  } catch (error) {
    removeQuietly(fresh);
    throw saveFailed(error, target, true);
  }
  try {
    fs.renameSync(fresh, target);
  } catch (error) {
    rollBack(target, fresh, retired);
    throw saveFailed(error, target, retired !== undefined);
  }
  syncFolder(path.dirname(target));
  if (retired) removeQuietly(retired);
}

/** Puts the old folder back; if even that fails, the pair stays for the next reader to recover. */
function rollBack(target: string, fresh: string, retired: string | undefined): void {
  try {
    if (retired) fs.renameSync(retired, target);
    removeQuietly(fresh);
  } catch {
    // recoverInterruptedSaves finishes it
  }
}

function saveFailed(error: unknown, target: string, hadOld: boolean): unknown {
  if (error instanceof TextcatError) return error;
  const reason = fileSystemReason(error, 'write');
  if (reason === undefined) return error;
  const kept = hadOld ? 'the previous model in it is unchanged' : 'nothing was written';
  return new TextcatError(`the model could not be saved here (${reason}); ${kept}`, target);
}

interface InterruptedSave {
  pid: number;
  /** The complete-or-partial new model. */
  fresh?: string;
  /** The previous model, moved aside. */
  retired?: string;
}

/**
 * Finishes or clears what interrupted saves of `target` left: a dead process's temp folders are removed, and a
 * missing `target` is restored from its leftovers (waiting `LIVE_SWAP_WAIT_MS` first when a live process may
 * be between its two renames). Best effort: a folder it cannot change is left for the reader's own error.
 */
export function recoverInterruptedSaves(target: string): void {
  let saves = interruptedSaves(target);
  if (saves.length === 0) return;
  let waited = false;
  if (!exists(target) && saves.some((s) => s.retired && isAlive(s.pid))) {
    waitFor(() => exists(target), LIVE_SWAP_WAIT_MS);
    waited = true;
    saves = interruptedSaves(target);
  }
  for (const save of saves) {
    const dead = !isAlive(save.pid);
    try {
      if (!exists(target) && save.retired && (dead || waited)) restore(target, save);
      else if (dead) [save.fresh, save.retired].forEach((folder) => folder && removeQuietly(folder));
    } catch {
      // read-only or vanished meanwhile: leave it; reading the model says what is wrong
    }
  }
}

/** A pair's new folder was complete before the old one moved aside, so it wins; else the old one comes back. */
function restore(target: string, save: InterruptedSave): void {
  if (save.fresh) {
    fs.renameSync(save.fresh, target);
    if (save.retired) removeQuietly(save.retired);
  } else if (save.retired) {
    fs.renameSync(save.retired, target);
  }
}

function interruptedSaves(target: string): InterruptedSave[] {
  const parent = path.dirname(target);
  const prefix = `${path.basename(target)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const byStamp = new Map<string, InterruptedSave>();
  for (const name of names) {
    const match = name.startsWith(prefix) ? LEFTOVER.exec(name.slice(prefix.length)) : null;
    if (!match || !isFolder(path.join(parent, name))) continue;
    const save = byStamp.get(match[2]) ?? { pid: Number(match[3]) };
    if (match[1] === 'tmp') save.fresh = path.join(parent, name);
    else save.retired = path.join(parent, name);
    byStamp.set(match[2], save);
  }
  return [...byStamp.values()];
}

/** Our own pid counts as alive: another thread of this process may be saving. */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

function waitFor(done: () => boolean, ms: number): void {
  const deadline = Date.now() + ms;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!done() && Date.now() < deadline) Atomics.wait(cell, 0, 0, 25);
}

function writeDurably(file: string, content: string | Uint8Array): void {
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Copies what the user keeps in the model folder into the new one (links stay links, never followed). */
function carryOver(from: string, to: string, written: ReadonlyMap<string, unknown>): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (!written.has(entry.name)) copyEntry(path.join(from, entry.name), path.join(to, entry.name));
  }
}

function copyEntry(source: string, destination: string): void {
  const stats = fs.lstatSync(source);
  if (stats.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(source), destination);
  } else if (stats.isDirectory()) {
    fs.mkdirSync(destination, { mode: stats.mode & 0o7777 });
    for (const name of fs.readdirSync(source)) copyEntry(path.join(source, name), path.join(destination, name));
  } else if (stats.isFile()) {
    fs.copyFileSync(source, destination, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(destination, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } else {
    throw uncarryable(source, stats);
  }
}

function checkCarryable(file: string, entry: fs.Dirent): void {
  if (entry.isFile() || entry.isSymbolicLink()) return;
  const stats = fs.lstatSync(file);
  if (!stats.isDirectory()) throw uncarryable(file, stats);
  for (const child of fs.readdirSync(file, { withFileTypes: true })) checkCarryable(path.join(file, child.name), child);
}

function uncarryable(file: string, stats: fs.Stats): DestinationError {
  return new DestinationError(
    `is ${describeFileType(stats)} inside the model folder; a save copies the folder's other files into the new model and cannot copy this one: move it out`,
    file,
  );
}

/** fsync of a folder makes its entries durable; not every platform allows it (Windows), and the renames stay atomic. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // unsupported here: nothing more to do
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function removeQuietly(folder: string): void {
  try {
    fs.rmSync(folder, { recursive: true, force: true });
  } catch {
    // left for the next run's cleanup
  }
}

function holdsTextcatModel(folder: string): boolean {
  try {
    const manifest = JSON.parse(
      readInside(modelFolder(folder), MANIFEST_FILE, { maxBytes: MAX_MANIFEST_BYTES }).toString('utf8'),
    ) as unknown;
    if (typeof manifest !== 'object' || manifest === null) return false;
    const { formatVersion, labels } = manifest as { formatVersion?: unknown; labels?: unknown };
    return typeof formatVersion === 'number' && Array.isArray(labels);
  } catch {
    return false;
  }
}

/** Replacing the working folder (or one holding it) would pull the ground from under the user's shell. */
function refuseWorkingFolder(target: string): void {
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    return; // the working folder was deleted: it cannot be the target
  }
  if (target === cwd || cwd.startsWith(target.endsWith(path.sep) ? target : target + path.sep)) {
    const what = target === cwd ? 'the current folder' : 'a folder holding the current folder';
    throw new DestinationError(`is ${what}; the model needs a folder of its own, e.g. .textcat/model`, target);
  }
}

function checkNameRoom(target: string): void {
  if (Buffer.byteLength(path.basename(target)) + STAMP_ROOM > NAME_LIMIT) {
    throw new TextcatError(
      `has a name too long for a model folder (Textcat adds up to ${STAMP_ROOM} bytes for its temporary folder, and names are limited to ${NAME_LIMIT}); use a shorter name`,
      target,
    );
  }
}

/** The nearest existing ancestor must be a folder we may create folders in. */
function checkCanCreate(target: string): void {
  let ancestor = path.dirname(target);
  for (;;) {
    const stats = statOrUndefined(ancestor);
    if (stats === undefined && path.dirname(ancestor) !== ancestor) {
      ancestor = path.dirname(ancestor);
      continue;
    }
    if (stats && !stats.isDirectory()) {
      throw new TextcatError(
        `is ${describeFileType(stats)}, not a folder, so the model folder ${target} cannot be created in it`,
        ancestor,
      );
    }
    checkAccess(ancestor, fs.constants.W_OK | fs.constants.X_OK);
    probeFolderCreation(ancestor, path.relative(ancestor, target).split(path.sep)[0]);
    return;
  }
}

/** What a folder that refuses a new one may say, beyond what access() already told: the disk, not the path, is at fault. */
const DISK_PROBLEMS = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EIO']);

/**
 * access() trusts permissions only: root may "write" to /proc, and some mounts refuse folders whatever the bits
 * say. So create (and at once remove) a folder named as a save's temp folder, where the save will make its own,
 * before any training: a leftover from a kill in between is removed by the next save, as any dead writer's.
 */
function probeFolderCreation(parent: string, name: string): void {
  const probe = path.join(parent, `${name}.tmp-${saveStamp()}`);
  try {
    fs.mkdirSync(probe);
  } catch (error) {
    const code = errnoCode(error);
    if (code === undefined || DISK_PROBLEMS.has(code)) throw fileSystemError(error, parent, 'write');
    throw new DestinationError(
      `does not let Textcat create a folder in it (${code}), though its permissions allow it (a virtual file system such as /proc or /sys?); put the model on a regular disk`,
      parent,
    );
  }
  try {
    fs.rmdirSync(probe);
  } catch {
    // the next save of this folder removes it, as a dead writer's temp folder
  }
}

function checkAccess(file: string, mode: number): void {
  try {
    fs.accessSync(file, mode);
  } catch (error) {
    throw fileSystemError(error, file, mode & fs.constants.W_OK ? 'write' : 'read');
  }
}

function readFolder(folder: string): fs.Dirent[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw fileSystemError(error, folder);
  }
}

function listNames(entries: fs.Dirent[]): string {
  const shown = entries.slice(0, 3).map((e) => JSON.stringify(e.name));
  return entries.length > 3 ? `${shown.join(', ')} and ${entries.length - 3} more` : shown.join(', ');
}

/**
 * The absolute path where the model folder itself is: a symbolic link is followed (its target may be missing for
 * a moment while a save swaps it), so saves, loads and recovery all work beside the real folder.
 */
export function modelPathOnDisk(dir: string): string {
  let current = path.resolve(dir);
  for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
    if (!lstatOrUndefined(current)?.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw fileSystemError(Object.assign(new Error('too many symbolic links'), { code: 'ELOOP', syscall: 'readlink' }), dir);
}

/**
 * undefined when nothing is there (ENOTDIR too: a file on the way, which checkCanCreate names); other failures
 * (a loop, a name too long, no permission) are user errors.
 */
function statsOrUndefined(read: (file: string) => fs.Stats, file: string): fs.Stats | undefined {
  try {
    return read(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined;
    throw fileSystemError(error, file, 'write');
  }
}

const lstatOrUndefined = (file: string) => statsOrUndefined(fs.lstatSync, file);
const statOrUndefined = (file: string) => statsOrUndefined(fs.statSync, file);

/** A real folder, not a link or a file that happens to have a leftover's name. */
function isFolder(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a name is there at all (a dangling link counts: lstat, not stat). */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
