// A temporary folder for one test file's fixtures: made before its tests, removed after them. Each file or folder
// written gets a fresh name (a number first), so two tests never share one.
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempFiles {
  /** The folder itself (for a path that must not exist in it, or a listing of it); set once the tests start. */
  readonly dir: string;
  /** A fresh path in the folder, ending in `name`; nothing is written there. */
  fresh: (name: string) => string;
  /** Writes `content` under a fresh name and returns its path. */
  write: (name: string, content: string | Uint8Array) => string;
  /** Writes each file (a path relative to the folder → its content) in a fresh folder and returns that folder. */
  writeFolder: (name: string, files: Record<string, string | Uint8Array>) => string;
}

/** Call once at the top of a test file: the folder's life is that of the file's tests. */
export function tempFiles(prefix: string): TempFiles {
  let dir = '';
  let count = 0;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const fresh = (name: string) => path.join(dir, `${++count}-${name}`);
  return {
    get dir() {
      return dir;
    },
    fresh,
    write: (name, content) => {
      const file = fresh(name);
      fs.writeFileSync(file, content);
      return file;
    },
    writeFolder: (name, files) => {
      const root = fresh(name);
      for (const [relativePath, content] of Object.entries(files)) {
        const file = path.join(root, relativePath);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
      return root;
    },
  };
}
