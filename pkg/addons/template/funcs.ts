// The template function library: Go's builtins plus the sprig functions addon manifests
// commonly use, and KubeOne's `Registry` and `required`. Documented in docs/addons.md.
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { isTrue, printValue, type FuncMap } from './exec.js';
import { semverCompare } from './semver.js';

function str(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : printValue(v);
}

function isEmpty(v: unknown): boolean {
  return !isTrue(v);
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a !== typeof b) throw new Error(`incompatible types for comparison: ${typeof a} and ${typeof b}`);
  if (typeof a === 'object') throw new Error('non-comparable type');
  return a === b;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`incompatible types for comparison: ${typeof a} and ${typeof b}`);
}

function indent(n: number, s: unknown): string {
  const pad = ' '.repeat(n);
  return str(s)
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** A small printf: %s %d %v %q %t and %% (what manifests use). */
function printf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)?([sdvqtfx%])/g, (_m, _flags: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    if (verb === 'q') return JSON.stringify(str(a));
    if (verb === 'd') return String(Math.trunc(Number(a)));
    if (verb === 'x') return typeof a === 'number' ? a.toString(16) : Buffer.from(str(a)).toString('hex');
    return printValue(a);
  });
}

export interface BuiltinOptions {
  /** registryConfiguration.overwriteRegistry, '' when unset. */
  overwriteRegistry: string;
}

export function builtinFuncs(opts: BuiltinOptions): FuncMap {
  return {
    // Go builtins
    and: () => undefined, // evaluated lazily by the executor
    or: () => undefined,
    not: (v) => !isTrue(v),
    eq: (a, ...bs) => {
      if (!bs.length) throw new Error('missing argument for comparison');
      return bs.some((b) => equal(a, b));
    },
    ne: (a, b) => !equal(a, b),
    lt: (a, b) => compare(a, b) < 0,
    le: (a, b) => compare(a, b) <= 0,
    gt: (a, b) => compare(a, b) > 0,
    ge: (a, b) => compare(a, b) >= 0,
    len: (v) => {
      if (typeof v === 'string' || Array.isArray(v)) return v.length;
      if (v && typeof v === 'object') return Object.keys(v).length;
      throw new Error(`len of ${printValue(v)}`);
    },
    index: (v, ...keys) => {
      let cur = v;
      for (const k of keys) {
        if (cur === undefined || cur === null) throw new Error('index of untyped nil');
        if (Array.isArray(cur) && (typeof k !== 'number' || k < 0 || k >= cur.length)) throw new Error(`index out of range: ${str(k)}`);
        cur = (cur as Record<string, unknown>)[k as string];
      }
      return cur;
    },
    print: (...a) => a.map(printValue).join(''),
    println: (...a) => a.map(printValue).join(' ') + '\n',
    printf: (f, ...a) => printf(str(f), ...a),
    // sprig subset
    default: (def, v) => (isEmpty(v) ? def : v),
    empty: (v) => isEmpty(v),
    coalesce: (...a) => a.find((x) => !isEmpty(x)),
    ternary: (a, b, cond) => (isTrue(cond) ? a : b),
    quote: (...a) => a.filter((x) => x !== undefined && x !== null).map((x) => JSON.stringify(str(x))).join(' '),
    squote: (...a) => a.filter((x) => x !== undefined && x !== null).map((x) => `'${str(x)}'`).join(' '),
    indent: (n, s) => indent(Number(n), s),
    nindent: (n, s) => '\n' + indent(Number(n), s),
    trim: (s) => str(s).trim(),
    trimPrefix: (p, s) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
    trimSuffix: (p, s) => (str(s).endsWith(str(p)) && str(p) ? str(s).slice(0, -str(p).length) : str(s)),
    upper: (s) => str(s).toUpperCase(),
    lower: (s) => str(s).toLowerCase(),
    replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
    contains: (sub, s) => str(s).includes(str(sub)),
    hasPrefix: (p, s) => str(s).startsWith(str(p)),
    hasSuffix: (p, s) => str(s).endsWith(str(p)),
    join: (sep, list) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
    splitList: (sep, s) => str(s).split(str(sep)),
    list: (...a) => a,
    dict: (...a) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < a.length; i += 2) out[str(a[i])] = a[i + 1];
      return out;
    },
    toString: (v: unknown) => str(v),
    toYaml: (v) => (v === undefined || v === null ? 'null' : YAML.stringify(v, { lineWidth: 0 }).replace(/\n$/, '')),
    toJson: (v) => JSON.stringify(v ?? null),
    b64enc: (s) => Buffer.from(str(s)).toString('base64'),
    b64dec: (s) => Buffer.from(str(s), 'base64').toString('utf8'),
    sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
    int: (v) => Math.trunc(Number(v)),
    atoi: (v) => Math.trunc(Number(v)) || 0,
    hasKey: (m, k) => !!m && typeof m === 'object' && Object.prototype.hasOwnProperty.call(m, str(k)),
    keys: (m) => (m && typeof m === 'object' ? Object.keys(m).sort() : []),
    regexMatch: (re, s) => new RegExp(str(re)).test(str(s)),
    regexReplaceAll: (re, s, repl) => str(s).replace(new RegExp(str(re), 'g'), str(repl).replace(/\$\{?(\w+)\}?/g, '$$$1')),
    semverCompare: (c, v) => semverCompare(str(c), str(v)),
    add: (...a) => a.reduce<number>((x, y) => x + Number(y), 0),
    // KubeOne
    required: (msg, v) => {
      if (isEmpty(v)) throw new Error(str(msg));
      return v;
    },
    Registry: (registry) => opts.overwriteRegistry || str(registry),
  };
}
