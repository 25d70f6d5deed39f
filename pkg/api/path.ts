// Field paths in manifest terms: `controlPlane.hosts[1].publicAddress`,
// `containerRuntime.containerd.registries["gitlab.com/org1"].auth`.
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (PLAIN_KEY.test(segment)) return base === '' ? segment : `${base}.${segment}`;
  return `${base}[${JSON.stringify(segment)}]`;
}

/** The parent paths of a path, nearest first (for locating a field absent from the YAML). */
export function parentPaths(path: string): string[] {
  const out: string[] = [];
  let rest = path;
  for (;;) {
    const cut = Math.max(rest.lastIndexOf('.'), rest.lastIndexOf('['));
    if (cut <= 0) break;
    rest = rest.slice(0, cut);
    out.push(rest);
  }
  return out;
}
