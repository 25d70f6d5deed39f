// Where addon files come from: the embedded manifests shipped with the package, and the
// user's addons.path. File access is injectable so rendering can be tested without disk.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AddonFiles {
  readFile(path: string): string;
  /** Entries of a directory, or null when it does not exist. */
  readDir(path: string): { name: string; dir: boolean }[] | null;
}

export const nodeFiles: AddonFiles = {
  readFile: (p) => readFileSync(p, 'utf8'),
  readDir: (p) => (existsSync(p) ? readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() })) : null),
};

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

export const MANIFEST_FILE = /\.(ya?ml|json)$/;

/** Manifest files of a directory, sorted by name (apply order within an addon). */
export function manifestFiles(files: AddonFiles, dir: string): string[] {
  return (files.readDir(dir) ?? [])
    .filter((e) => !e.dir && MANIFEST_FILE.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((n) => join(dir, n));
}

/** Sub-directories of addons.path, and whether it has manifest files at its root. */
export function scanCustomAddons(files: AddonFiles, path: string | undefined): { dirs: string[]; rootFiles: boolean } {
  if (!path) return { dirs: [], rootFiles: false };
  const entries = files.readDir(path);
  if (!entries) throw new Error(`addons.path: directory ${path} does not exist`);
  return {
    dirs: entries.filter((e) => e.dir).map((e) => e.name).sort(),
    rootFiles: entries.some((e) => !e.dir && MANIFEST_FILE.test(e.name)),
  };
}
