// Kubernetes version arithmetic for the planner: versions are plain `1.35.1` (no `v`).

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

// Plans over thousands of hosts compare the same few version strings again and again.
const parsed = new Map<string, Version | null>();

export function parseVersion(text: string): Version | null {
  let v = parsed.get(text);
  if (v === undefined) {
    v = parseUncached(text);
    if (parsed.size < 1024) parsed.set(text, v);
  }
  return v;
}

function parseUncached(text: string): Version | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return a < b ? -1 : a > b ? 1 : 0;
  return va.major - vb.major || va.minor - vb.minor || va.patch - vb.patch;
}

/** `1.35.1` -> `1.35`. */
export function minorOf(text: string): string {
  const v = parseVersion(text);
  return v ? `${v.major}.${v.minor}` : text;
}

/** How many minors `b` is ahead of `a` (negative when behind); majors are assumed equal (1.x). */
export function minorDistance(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return 0;
  return (vb.major - va.major) * 1000 + (vb.minor - va.minor);
}

/** The minors strictly between `from` and `to`, e.g. (1.34.3, 1.37.0) -> ['1.35', '1.36']. */
export function intermediateMinors(from: string, to: string): string[] {
  const vf = parseVersion(from);
  const vt = parseVersion(to);
  if (!vf || !vt || vf.major !== vt.major) return [];
  const out: string[] = [];
  for (let minor = vf.minor + 1; minor < vt.minor; minor++) out.push(`${vf.major}.${minor}`);
  return out;
}
