// Where addon files come from: the embedded manifests shipped with the package, and the
// user's addons.path. As KubeOne reads them: only the files directly in an addon's folder
// whose extension is .yaml, .yml or .json (any case), in name order. Files are read only
// inside the addons directory: a symbolic link that resolves outside it is refused. File
// access is injectable so rendering can be tested without disk.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DirEntry {
  name: string;
  dir: boolean;
  /** A symbolic link (dir tells what it points to). */
  symlink?: boolean;
}

export interface AddonFiles {
  readFile(path: string): string;
  /** Entries of a directory, or null when it does not exist. */
  readDir(path: string): DirEntry[] | null;
  /** The path with every symbolic link resolved (defaults to the path itself). */
  realpath?(path: string): string;
}

export const nodeFiles: AddonFiles = {
  readFile: (p) => readFileSync(p, 'utf8'),
  readDir: (p) => {
    if (!existsSync(p)) return null;
    return readdirSync(p, { withFileTypes: true }).map((e) => {
      if (!e.isSymbolicLink()) return { name: e.name, dir: e.isDirectory() };
      let dir = false;
      try {
        dir = statSync(join(p, e.name)).isDirectory();
      } catch {
        dir = false; // dangling: reported when read
      }
      return { name: e.name, dir, symlink: true };
    });
  },
  realpath: (p) => realpathSync(p),
};

export class AddonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddonFileError';
  }
}

/** `manifests/addons` of this package, found upward from this module (works from src and dist). */
export function embeddedAddonsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'manifests', 'addons');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('embedded addon manifests (manifests/addons) not found next to the kubeone package');
}

/** KubeOne's filter: .yaml, .yml and .json, compared case-insensitively. */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/'));
}

/** Refuses an entry of `dir` that is a symbolic link resolving outside `root`. */
function checkLink(files: AddonFiles, root: string | undefined, dir: string, e: DirEntry): void {
  if (!e.symlink || !root || !files.realpath) return;
  const path = join(dir, e.name);
  let target: string;
  try {
    target = files.realpath(path);
  } catch (err) {
    throw new AddonFileError(`${path}: symbolic link cannot be resolved: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const realRoot = files.realpath(root);
  if (!inside(realRoot, target)) throw new AddonFileError(`${path}: symbolic link to ${target} leaves the addons directory ${root}; refused`);
}

/**
 * Manifest files of an addon folder, sorted by name (apply order within an addon).
 * @param root the addons directory symbolic links must stay inside (undefined for the embedded addons)
 */
export function manifestFiles(files: AddonFiles, dir: string, root?: string): string[] {
  return (files.readDir(dir) ?? [])
    .filter((e) => !e.dir && MANIFEST_FILE.test(e.name))
    .map((e) => {
      checkLink(files, root, dir, e);
      return e.name;
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => join(dir, n));
}

/** Sub-directories of addons.path, and whether it has manifest files at its root. */
export function scanCustomAddons(files: AddonFiles, path: string | undefined): { dirs: string[]; rootFiles: boolean } {
  if (!path) return { dirs: [], rootFiles: false };
  const entries = files.readDir(path);
  if (!entries) throw new AddonFileError(`addons.path: directory ${path} does not exist`);
  for (const e of entries) if (e.dir) checkLink(files, path, path, e);
  return {
    dirs: entries.filter((e) => e.dir).map((e) => e.name).sort(),
    rootFiles: entries.some((e) => !e.dir && MANIFEST_FILE.test(e.name)),
  };
}
