// Masterminds/semver v3 (what sprig's semver and semverCompare use): NewVersion's loose
// parsing, version ordering with pre-releases, and constraints (=, !=, >, <, >=, <=, ~, ^,
// x/* wildcards, "a - b" ranges, ',' or space for AND, '||' for OR), pre-releases only
// matching constraints that name one.

export interface SemVersion {
  major: number;
  minor: number;
  patch: number;
  pre: string;
  metadata: string;
  original: string;
}

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (part === '') throw new Error('invalid prerelease string');
    if (/^\d+$/.test(part)) {
      if (part.length > 1 && part[0] === '0') throw new Error('version segment starts with 0');
    } else if (!/^[A-Za-z0-9-]+$/.test(part)) throw new Error('invalid prerelease string');
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split('.')) if (part === '' || !/^[A-Za-z0-9-]+$/.test(part)) throw new Error('invalid metadata string');
}

/** semver.NewVersion; throws its error text. */
export function parseVersion(v: string): SemVersion {
  const m = LOOSE.exec(v);
  if (!m) throw new Error('invalid semantic version');
  const seg = (s: string | undefined): number => {
    if (!s) return 0;
    const n = Number(s.replace(/^\./, ''));
    if (!Number.isSafeInteger(n)) throw new Error(`error parsing version segment: strconv.ParseUint: parsing ${JSON.stringify(s.replace(/^\./, ''))}: value out of range`);
    return n;
  };
  const sv: SemVersion = { major: seg(m[1]), minor: seg(m[2]), patch: seg(m[3]), pre: m[5] ?? '', metadata: m[8] ?? '', original: v };
  if (sv.pre) validatePrerelease(sv.pre);
  if (sv.metadata) validateMetadata(sv.metadata);
  return sv;
}

export function versionString(v: SemVersion): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return 1;
  const sn = /^\d+$/.test(s);
  const on = /^\d+$/.test(o);
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return Number(s) > Number(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

export function compareVersions(v: SemVersion, o: SemVersion): number {
  const d = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch);
  if (d !== 0) return d;
  if (!v.pre && !o.pre) return 0;
  if (!v.pre) return 1;
  if (!o.pre) return -1;
  return comparePrerelease(v.pre, o.pre);
}

// ------------------------------------------------------------------------------ constraints

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT_RE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE_RE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, 'g');
const FIND_RE = new RegExp(String.raw`(${OPS})\s*(${CV})`, 'g');
const VALID_RE = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

interface Constraint {
  con: SemVersion;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const isX = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new Error(`improper constraint: ${JSON.stringify(c)}`);
  const op = m[1]!;
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  const pre = m[6] ?? '';
  if (isX(m[3]) || !m[3]) {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(m[4]?.replace(/^\./, '')) || !m[4]) {
    minorDirty = dirty = true;
    ver = `${m[3]}.0.0${pre}`;
  } else if (isX(m[5]?.replace(/^\./, '')) || !m[5]) {
    patchDirty = dirty = true;
    ver = `${m[3]}${m[4]}.0${pre}`;
  }
  let con: SemVersion;
  try {
    con = parseVersion(ver);
  } catch {
    throw new Error('constraint parser error');
  }
  return { con, orig: m[2]!, op, minorDirty, patchDirty, dirty };
}

function tilde(v: SemVersion, c: Constraint): boolean {
  if (compareVersions(v, c.con) < 0) return false;
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: SemVersion, c: Constraint, includePre: boolean): boolean {
  if (v.pre && !includePre) return false;
  const con = c.con;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compareVersions(v, con) === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return v.pre !== '' || con.pre !== '' ? comparePrerelease(v.pre, con.pre) !== 0 : false;
      }
      return compareVersions(v, con) !== 0;
    case '>':
      if (!c.dirty) return compareVersions(v, con) === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return compareVersions(v, con) === 1;
    case '<':
      return compareVersions(v, con) < 0;
    case '>=':
    case '=>':
      return compareVersions(v, con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compareVersions(v, con) <= 0;
      if (v.major > con.major) return false;
      if (v.major === con.major && v.minor > con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (compareVersions(v, con) < 0) return false;
      if (con.major > 0 || c.minorDirty) return v.major === con.major;
      if (con.major === 0 && v.major > 0) return false;
      if (con.minor > 0 || c.patchDirty) return v.minor === con.minor;
      if (con.minor === 0 && v.minor > 0) return false;
      return con.patch === v.patch;
  }
  return false;
}

function rewriteRange(s: string): string {
  return s.replace(RANGE_RE, (_m, a: string, ...rest: unknown[]) => `>= ${a}, <= ${rest[9] as string} `);
}

type Constraints = { cs: Constraint[]; pre: boolean }[];

/** semver.NewConstraint; throws its error text. */
export function parseConstraints(constraint: string): Constraints {
  return rewriteRange(constraint)
    .split('||')
    .map((or) => {
      if (!VALID_RE.test(or)) throw new Error(`improper constraint: ${JSON.stringify(or)}`);
      const found = or.match(FIND_RE) ?? [or];
      const cs = found.map(parseConstraint);
      return { cs, pre: cs.some((c) => c.con.pre !== '') };
    });
}

/** Constraints.Check. */
export function checkConstraints(groups: Constraints, version: SemVersion): boolean {
  return groups.some((g) => g.cs.every((c) => check(version, c, g.pre)));
}

/** sprig's semverCompare: the constraint is parsed first, then the version. */
export function semverCompare(constraint: string, version: string): boolean {
  const c = parseConstraints(constraint);
  return checkConstraints(c, parseVersion(version));
}
