// File-system failures as user messages: what went wrong with which path, and what to do about it.
// Anything a user can cause (a missing file, a full disk, a read-only folder) must read as a sentence
// naming the path, never as a stack trace.
import type * as fs from 'node:fs';
import { TextcatError } from './types';

/** What Textcat was doing with the path, for the wording of the message. */
export type FileAction = 'read' | 'write';

/** The errno code (ENOENT…) of a system call's error; undefined for other errors, which may have codes of their own. */
export function errnoCode(error: unknown): string | undefined {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof syscall === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A TextcatError naming `path` for a Node file-system error; anything else is returned as it is. */
export function fileSystemError(error: unknown, path: string, action: FileAction = 'read'): unknown {
  if (error instanceof TextcatError) return error;
  const reason = fileSystemReason(error, action);
  return reason === undefined ? error : new TextcatError(reason, path);
}

/** What went wrong, phrased to follow a path ("cannot be written: no space left…"); undefined when not a file-system error. */
export function fileSystemReason(error: unknown, action: FileAction = 'read'): string | undefined {
  const code = errnoCode(error);
  if (code === undefined || !(error instanceof Error)) return undefined;
  return describeErrno(code, action, error.message);
}

function describeErrno(code: string, action: FileAction, systemMessage: string): string {
  const verb = action === 'read' ? 'read' : 'written';
  switch (code) {
    case 'ENOENT':
      return action === 'read' ? 'does not exist' : 'cannot be written: a folder on its path does not exist';
    case 'ENOTDIR':
      return 'a part of this path is a file, not a folder (a trailing "/" after a file name, or a file where a folder should be); check the path';
    case 'EISDIR':
      return 'is a folder, not a file; give the path of a file';
    case 'ENAMETOOLONG':
      return 'the path or one of its names is too long for the file system (names are limited to 255 bytes); use a shorter name';
    case 'ELOOP':
      return 'is a symbolic link that points to itself, directly or through other links; fix or remove the link';
    case 'EACCES':
    case 'EPERM':
      return `cannot be ${verb}: permission denied; check its permissions (ls -l) or use another path`;
    case 'EROFS':
      return `cannot be ${verb}: it is on a read-only file system; use a folder on a writable disk`;
    case 'ENOSPC':
      return `cannot be ${verb}: no space left on the device; free some space and try again`;
    case 'EDQUOT':
      return `cannot be ${verb}: your disk quota is exhausted; free some space and try again`;
    case 'EFBIG':
      return `cannot be ${verb}: the file would be larger than the file system or the file size limit (ulimit -f) allows`;
    case 'EMFILE':
    case 'ENFILE':
      return 'cannot be opened: too many files are open; close other programs or raise the limit (ulimit -n)';
    case 'EIO':
      return `cannot be ${verb}: input/output error; the disk or network share may be failing`;
    case 'EBUSY':
      return `cannot be ${verb}: it is busy (in use by another program, or a mount point)`;
    case 'EXDEV':
      return 'cannot be moved: it is on another file system than its destination';
    case 'ENXIO':
    case 'ENODEV':
      return 'is a device or socket Textcat cannot read; give a regular file';
    case 'ETXTBSY':
      return `cannot be ${verb}: the file is in use`;
    default:
      return `cannot be ${verb} (${systemMessage})`;
  }
}

/** "a FIFO (named pipe)", "a character device"… for messages that refuse a path by its type. */
export function describeFileType(stats: fs.Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}
