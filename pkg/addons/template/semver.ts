// sprig's semverCompare, enough for addon templates: `semverCompare ">= 1.34" .Config.Versions.Kubernetes`.
// Constraints: =, !=, >, <, >=, <=, ~ (same minor), ^ (same major), x/* wildcards,
// terms joined by "," or spaces (and) and "||" (or). Pre-release suffixes are ignored.

type Version = [number, number, number];

function parseVersion(v: string, what: string): { parts: Version; given: number } {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+].*)?$/.exec(v.trim());
  if (!m) throw new Error(`invalid semantic version ${JSON.stringify(v)} in ${what}`);
  const raw = [m[1], m[2], m[3]];
  let given = 0;
  const parts = raw.map((p) => {
    if (p === undefined || /^[xX*]$/.test(p)) return 0;
    given++;
    return Number(p);
  }) as Version;
  // Count leading concrete parts only (1.x.3 means 1.x).
  const concrete = raw.findIndex((p) => p === undefined || /^[xX*]$/.test(p));
  return { parts, given: concrete < 0 ? 3 : Math.min(given, concrete) };
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function bump(v: Version, at: number): Version {
  const out = [...v] as Version;
  out[at]!++;
  for (let i = at + 1; i < 3; i++) out[i] = 0;
  return out;
}

function satisfies(v: Version, term: string, constraint: string): boolean {
  const m = /^(>=|<=|!=|=>|=<|=|>|<|~>?|\^)?\s*(.+)$/.exec(term.trim());
  if (!m) throw new Error(`invalid constraint ${JSON.stringify(constraint)}`);
  const op = m[1] ?? '=';
  const { parts, given } = parseVersion(m[2]!, `constraint ${JSON.stringify(constraint)}`);
  // A partial version is a range: 1.34 means [1.34.0, 1.35.0).
  const upper = given === 0 ? null : given < 3 ? bump(parts, given - 1) : null;
  switch (op) {
    case '=':
      return given === 0 || (cmp(v, parts) >= 0 && (upper ? cmp(v, upper) < 0 : cmp(v, parts) === 0));
    case '!=':
      return !satisfies(v, `=${m[2]}`, constraint);
    case '>':
      return upper ? cmp(v, upper) >= 0 : cmp(v, parts) > 0;
    case '>=':
    case '=>':
      return cmp(v, parts) >= 0;
    case '<':
      return cmp(v, parts) < 0;
    case '<=':
    case '=<':
      return upper ? cmp(v, upper) < 0 : cmp(v, parts) <= 0;
    case '~':
    case '~>':
      return cmp(v, parts) >= 0 && cmp(v, bump(parts, given >= 2 ? 1 : 0)) < 0;
    case '^':
      return cmp(v, parts) >= 0 && cmp(v, bump(parts, parts[0] > 0 || given < 2 ? 0 : parts[1] > 0 || given < 3 ? 1 : 2)) < 0;
    default:
      throw new Error(`invalid constraint operator ${op}`);
  }
}

export function semverCompare(constraint: string, version: string): boolean {
  const v = parseVersion(version, 'version').parts;
  return constraint.split('||').some((group) => {
    const terms = group.replace(/(>=|<=|!=|=>|=<|[=><~^])\s+/g, '$1').split(/[\s,]+/).filter(Boolean);
    if (!terms.length) throw new Error(`empty constraint ${JSON.stringify(constraint)}`);
    return terms.every((t) => satisfies(v, t, constraint));
  });
}
