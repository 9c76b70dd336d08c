// Confinement of a path a workspace chose (a manifest's dataset path, a setting, a model folder that may be a
// committed symbolic link) to the folders it may touch: the path is resolved with realpath, links and ".."
// included, and must lie inside one of them. A path that does not exist yet (a model folder before the first
// training) is judged by its nearest existing ancestor, since that is where a write would land.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextcatError } from '../types';

/** The real path of `target` when it lies inside one of `roots`; otherwise a TextcatError naming it and why. */
export function confinePath(target: string, roots: readonly string[], what: string): string {
  if (roots.length === 0) throw new TextcatError(`${what}: there is no workspace folder to keep it in`, target);
  const real = realPathOrAncestor(path.resolve(target));
  const realRoots = roots.map((root) => realPathOrAncestor(path.resolve(root)));
  if (realRoots.some((root) => isInside(real, root))) return real;
  const via = real === path.resolve(target) ? '' : ` (it resolves to ${real})`;
  throw new TextcatError(`${what} lies outside the workspace${via}; Textcat reads and writes only inside the workspace folders`, target);
}

/** True when `target` is `root` or below it (both absolute and real). */
export function isInside(target: string, root: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** realpath of `p`, or of its nearest existing ancestor with the rest of `p` appended. */
function realPathOrAncestor(p: string): string {
  const missing: string[] = [];
  let current = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = path.dirname(current);
      // A dangling link or a missing name: judge by the folder that holds it. Anything else (a loop) is refused.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw new TextcatError('cannot be resolved to a real path', p);
      if (isDanglingLink(current)) throw new TextcatError('is a symbolic link to nothing; Textcat does not follow it', p);
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function isDanglingLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
