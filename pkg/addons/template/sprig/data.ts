// sprig's list, dict, default, numeric, reflection, encoding, path, regex, semver, URL and
// OS functions (list.go, dict.go, defaults.go, numeric.go, reflect.go, strings.go, regex.go,
// semver.go, url.go, network.go, functions.go), with sprig's signatures and semantics.
import { spawnSync } from 'node:child_process';
import { posix } from 'node:path';
import type { FuncDef } from '../exec.js';
import { formatFloat, sprintV } from '../fmt.js';
import { findAll, findString, matchString, mustCompile, compileGoRegexp, quoteMeta, replaceAll, split as reSplit } from '../goregexp.js';
import { indentJSON, marshal, unmarshal } from '../json.js';
import { parseVersion, semverCompare, versionString, compareVersions, type SemVersion } from '../semver.js';
import {
  ANY,
  GoMap,
  GoStruct,
  type GoValue,
  NO_VALUE,
  Scalar,
  type StructType,
  deepEqual,
  empty,
  float64,
  int64,
  kindOf,
  markSlice,
  sliceType,
  typeName,
  ownString,
} from '../values.js';
import { kindName, listOf, mapOf, parseIntBase0, strval, toFloat64, toInt64 } from './convert.js';

const S = 'string';
const I = 'int';
const DICT = 'map[string]interface {}';

type Fns = [string, FuncDef][];

/** Functions with a (value, error) result and their non-must twin that panics with the error. */
function mustPair(name: string, must: string, def: Omit<FuncDef, 'fn'>, fn: (...a: GoValue[]) => GoValue): Fns {
  return [
    [name, { ...def, fn }],
    [must, { ...def, fn }],
  ];
}

// ------------------------------------------------------------------------------ lists

function copyList(v: GoValue, verb: string): GoValue[] {
  return [...listOf(v, (k) => `Cannot ${verb} type ${k}`)];
}

function listFn(v: GoValue, verb: string): GoValue[] {
  return listOf(v, (k) => `Cannot find ${verb} on type ${k}`);
}

const lists: Fns = [
  ['list', { params: [], variadic: ANY, raw: true, fn: (...a) => a }],
  ['tuple', { params: [], variadic: ANY, raw: true, fn: (...a) => a }],
  ...mustPair('append', 'mustAppend', { params: [ANY, ANY], raw: true }, (l, v) => [...copyList(l, 'push on'), v]),
  ...mustPair('push', 'mustPush', { params: [ANY, ANY], raw: true }, (l, v) => [...copyList(l, 'push on'), v]),
  ...mustPair('prepend', 'mustPrepend', { params: [ANY, ANY], raw: true }, (l, v) => [v, ...copyList(l, 'prepend on')]),
  ...mustPair('chunk', 'mustChunk', { params: [I, ANY], raw: true }, (size, l) => {
    const arr = copyList(l, 'chunk');
    const n = size as number;
    const out: GoValue[][] = [];
    const cs = Math.floor((arr.length - 1) / n) + 1;
    for (let i = 0; i < cs; i++) out.push(arr.slice(i * n, i * n + n));
    return markSlice(out, '[][]interface {}');
  }),
  ...mustPair('last', 'mustLast', { params: [ANY], raw: true }, (l) => {
    const arr = listFn(l, 'last');
    return arr.length ? arr[arr.length - 1]! : null;
  }),
  ...mustPair('first', 'mustFirst', { params: [ANY], raw: true }, (l) => {
    const arr = listFn(l, 'first');
    return arr.length ? arr[0]! : null;
  }),
  ...mustPair('rest', 'mustRest', { params: [ANY], raw: true }, (l) => {
    const arr = listFn(l, 'rest');
    return arr.length ? arr.slice(1) : markSlice([], '[]interface {}', true);
  }),
  ...mustPair('initial', 'mustInitial', { params: [ANY], raw: true }, (l) => {
    const arr = listFn(l, 'initial');
    return arr.length ? arr.slice(0, -1) : markSlice([], '[]interface {}', true);
  }),
  ...mustPair('reverse', 'mustReverse', { params: [ANY], raw: true }, (l) => [...listFn(l, 'reverse')].reverse()),
  ...mustPair('compact', 'mustCompact', { params: [ANY], raw: true }, (l) => copyList(l, 'compact on').filter((x) => !empty(x))),
  ...mustPair('uniq', 'mustUniq', { params: [ANY], raw: true }, (l) => {
    const out: GoValue[] = [];
    for (const x of listFn(l, 'uniq')) if (!out.some((y) => deepEqual(x, y))) out.push(x);
    return out;
  }),
  ...mustPair('without', 'mustWithout', { params: [ANY], variadic: ANY, raw: true }, (l, ...omit) => listFn(l, 'without').filter((x) => !omit.some((o) => deepEqual(o, x)))),
  ...mustPair('has', 'mustHas', { params: [ANY, ANY], raw: true }, (needle, haystack) => {
    if (haystack === null) return false;
    return listFn(haystack, 'has').some((x) => deepEqual(needle, x));
  }),
  ...mustPair('slice', 'mustSlice', { params: [ANY], variadic: ANY, raw: true }, (l, ...idx) => {
    if (!Array.isArray(l)) throw new Error(`list should be type of slice or array but ${kindName(l)}`);
    if (l.length === 0) return null;
    const start = idx.length > 0 ? toInt64(idx[0]!) : 0;
    const end = idx.length < 2 ? l.length : toInt64(idx[1]!);
    if (start < 0 || end > l.length || start > end) throw new Error('reflect: slice index out of range');
    return markSlice(l.slice(start, end), sliceType(l));
  }),
  ['concat', { params: [], variadic: ANY, raw: true, fn: (...lists) => {
    if (!lists.length) return null;
    const out: GoValue[] = [];
    for (const l of lists) {
      if (!Array.isArray(l)) throw new Error(`Cannot concat type ${kindName(l)} as list`);
      out.push(...l);
    }
    return out;
  } }],
  ['until', { params: [I], fn: (c) => untilStep(0, c as number, (c as number) < 0 ? -1 : 1) }],
  ['untilStep', { params: [I, I, I], fn: (a, b, s) => untilStep(a as number, b as number, s as number) }],
  ['seq', { params: [], variadic: I, fn: (...p) => seq(p as number[]) }],
];

function untilStep(start: number, stop: number, step: number): GoValue[] {
  const v: number[] = [];
  if (stop < start) {
    if (step >= 0) return markSlice(v, '[]int');
    for (let i = start; i > stop; i += step) v.push(i);
    return markSlice(v, '[]int');
  }
  if (step <= 0) return markSlice(v, '[]int');
  for (let i = start; i < stop; i += step) v.push(i);
  return markSlice(v, '[]int');
}

function seq(p: number[]): string {
  const join = (v: GoValue[]): string => v.join(' ');
  switch (p.length) {
    case 0:
      return '';
    case 1: {
      const end = p[0]!;
      const inc = end < 1 ? -1 : 1;
      return join(untilStep(1, end + inc, inc));
    }
    case 2: {
      const [start, end] = p as [number, number];
      const step = end < start ? -1 : 1;
      return join(untilStep(start, end + step, step));
    }
    case 3: {
      const [start, step, end] = p as [number, number, number];
      let inc = 1;
      if (end < start) {
        inc = -1;
        if (step > 0) return '';
      }
      return join(untilStep(start, end + inc, step));
    }
    default:
      return '';
  }
}

// ------------------------------------------------------------------------------ dicts

function isMap(v: GoValue): v is GoMap {
  return v instanceof GoMap;
}

/** mergo's Merge/MergeWithOverwrite of map[string]interface{} (in place). */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const [k, sv] of src.entries) {
    const dv = dst.entries.get(k);
    if (sv === null) {
      if (overwrite) dst.entries.set(k, sv);
      continue;
    }
    if (isMap(sv) && dv !== undefined && isMap(dv) && dv.type === DICT && sv.type === DICT) {
      mergeInto(dv, sv, overwrite);
      continue;
    }
    if (dv === undefined || empty(dv) || overwrite) dst.entries.set(k, sv);
  }
}

const dicts: Fns = [
  ['dict', { params: [], variadic: ANY, raw: true, fn: (...v) => {
    const d = new GoMap(DICT);
    for (let i = 0; i < v.length; i += 2) d.entries.set(strval(v[i]!), i + 1 < v.length ? v[i + 1]! : '');
    return d;
  } }],
  ['get', { params: [DICT, S], fn: (d, k) => ((d as GoMap).entries.has(k as string) ? (d as GoMap).entries.get(k as string)! : '') }],
  ['set', { params: [DICT, S, ANY], raw: true, fn: (d, k, v) => {
    (d as GoMap).entries.set(k as string, v);
    return d;
  } }],
  ['unset', { params: [DICT, S], fn: (d, k) => {
    (d as GoMap).entries.delete(k as string);
    return d;
  } }],
  ['hasKey', { params: [DICT, S], fn: (d, k) => (d as GoMap).entries.has(k as string) }],
  ['pluck', { params: [S], variadic: DICT, fn: (k, ...ds) => ds.filter((d) => (d as GoMap).entries.has(k as string)).map((d) => (d as GoMap).entries.get(k as string)!) }],
  // Go's map order is random: keys come back sorted (one of the orders Go could give).
  ['keys', { params: [], variadic: DICT, fn: (...ds) => markSlice(ds.flatMap((d) => (d as GoMap).sortedKeys()), '[]string') }],
  ['values', { params: [DICT], fn: (d) => (d as GoMap).sortedKeys().map((k) => (d as GoMap).entries.get(k)!) }],
  ['pick', { params: [DICT], variadic: S, fn: (d, ...ks) => new GoMap(DICT, (ks as string[]).filter((k) => (d as GoMap).entries.has(k)).map((k) => [k, (d as GoMap).entries.get(k)!])) }],
  ['omit', { params: [DICT], variadic: S, fn: (d, ...ks) => new GoMap(DICT, [...(d as GoMap).entries].filter(([k]) => !(ks as string[]).includes(k))) }],
  ...mustPair('merge', 'mustMerge', { params: [DICT], variadic: DICT }, (dst, ...srcs) => {
    for (const s of srcs) mergeInto(dst as GoMap, s as GoMap, false);
    return dst;
  }),
  ...mustPair('mergeOverwrite', 'mustMergeOverwrite', { params: [DICT], variadic: DICT }, (dst, ...srcs) => {
    for (const s of srcs) mergeInto(dst as GoMap, s as GoMap, true);
    return dst;
  }),
  ...mustPair('deepCopy', 'mustDeepCopy', { params: [ANY], raw: true }, (v) => deepCopy(v)),
  ['dig', { params: [], variadic: ANY, raw: true, fn: (...ps) => {
    if (ps.length < 3) throw new Error('dig needs at least three arguments');
    let dict = mapOf(ps[ps.length - 1]!);
    const def = ps[ps.length - 2]!;
    const ks = ps.slice(0, -2).map((k) => {
      if (typeof k !== 'string') throw new Error(`interface conversion: interface {} is ${typeName(k)}, not string`);
      return k;
    });
    for (let i = 0; i < ks.length; i++) {
      if (!dict.entries.has(ks[i]!)) return def;
      const step = dict.entries.get(ks[i]!)!;
      if (i === ks.length - 1) return step;
      dict = mapOf(step);
    }
    return def;
  } }],
];

function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return markSlice(v.map(deepCopy), sliceType(v));
  if (v instanceof GoMap) return new GoMap(v.type, [...v.entries].map(([k, x]) => [k, deepCopy(x)]), v.nil);
  if (v instanceof GoStruct) return new GoStruct(v.type, [...v.values].map(([k, x]) => [k, deepCopy(x)]), v.pointer);
  return v;
}

// ------------------------------------------------------------------------------ defaults, json

const defaults: Fns = [
  ['default', { params: [ANY], variadic: ANY, raw: true, fn: (d, ...given) => (given.length === 0 || empty(given[0]!) ? d : given[0]!) }],
  ['empty', { params: [ANY], raw: true, fn: (v) => empty(v) }],
  ['coalesce', { params: [], variadic: ANY, raw: true, fn: (...v) => v.find((x) => !empty(x)) ?? null }],
  ['all', { params: [], variadic: ANY, raw: true, fn: (...v) => v.every((x) => !empty(x)) }],
  ['any', { params: [], variadic: ANY, raw: true, fn: (...v) => v.some((x) => !empty(x)) }],
  ['ternary', { params: [ANY, ANY, 'bool'], raw: true, fn: (a, b, c) => (c ? a : b) }],
  ['fromJson', { params: [S], fn: (s) => {
    try {
      return unmarshal(s as string);
    } catch {
      return null;
    }
  } }],
  ['mustFromJson', { params: [S], fn: (s) => unmarshal(s as string) }],
  ['toJson', { params: [ANY], raw: true, fn: (v) => {
    try {
      return marshal(v);
    } catch {
      return '';
    }
  } }],
  ['mustToJson', { params: [ANY], raw: true, fn: (v) => marshal(v) }],
  ['toPrettyJson', { params: [ANY], raw: true, fn: (v) => {
    try {
      return indentJSON(marshal(v), '', '  ');
    } catch {
      return '';
    }
  } }],
  ['mustToPrettyJson', { params: [ANY], raw: true, fn: (v) => indentJSON(marshal(v), '', '  ') }],
  ['toRawJson', { params: [ANY], raw: true, fn: (v) => marshal(v, false) }],
  ['mustToRawJson', { params: [ANY], raw: true, fn: (v) => marshal(v, false) }],
];

// ------------------------------------------------------------------------------ numbers

/** A shopspring/decimal value: int * 10^exp. */
interface Dec {
  int: bigint;
  exp: number;
}

/** decimal.NewFromFloat: the shortest decimal that round-trips to the float. */
function decFromFloat(f: number): Dec {
  const s = formatFloat(f, 'e', -1);
  const [mant, e] = s.split('e');
  const neg = mant!.startsWith('-');
  const digits = mant!.replace(/^-/, '').replace('.', '');
  const frac = mant!.includes('.') ? mant!.split('.')[1]!.length : 0;
  return { int: BigInt(digits) * (neg ? -1n : 1n), exp: Number(e) - frac };
}

function decAlign(a: Dec, b: Dec): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.int * 10n ** BigInt(a.exp - exp), b.int * 10n ** BigInt(b.exp - exp), exp];
}

/** Decimal.Div: 16 decimal places, rounded half away from zero. */
function decDiv(a: Dec, b: Dec): Dec {
  if (b.int === 0n) throw new Error('decimal division by 0');
  const [x, y] = decAlign(a, b);
  const scaled = x * 10n ** 17n;
  let q = scaled / y;
  const neg = q < 0n;
  const abs = neg ? -q : q;
  const rounded = (abs + 5n) / 10n;
  q = neg ? -rounded : rounded;
  return { int: q, exp: -16 };
}

function decToFloat(d: Dec): number {
  return Number(`${d.int}e${d.exp}`);
}

type DecOp = 'add' | 'sub' | 'mul' | 'div';

/** sprig's execDecimalOp: float inputs made exact decimals, the operation applied left to right, the result back to float64. */
function decimalOp(a: GoValue, rest: GoValue[], op: DecOp): Scalar {
  let acc = decFromFloat(toFloat64(a));
  for (const x of rest) {
    const b = decFromFloat(toFloat64(x));
    if (op === 'div') acc = decDiv(acc, b);
    else if (op === 'mul') acc = { int: acc.int * b.int, exp: acc.exp + b.exp };
    else {
      const [ai, bi, exp] = decAlign(acc, b);
      acc = { int: op === 'add' ? ai + bi : ai - bi, exp };
    }
  }
  return float64(decToFloat(acc));
}

const numbers: Fns = [
  ['atoi', { params: [S], fn: (s) => (/^[+-]?\d+$/.test(s as string) ? Number.parseInt(s as string, 10) : 0) }],
  ['int64', { params: [ANY], fn: (v) => int64(toInt64(v)) }],
  ['int', { params: [ANY], fn: (v) => toInt64(v) }],
  ['float64', { params: [ANY], fn: (v) => float64(toFloat64(v)) }],
  ['toDecimal', { params: [ANY], fn: (v) => {
    const s = sprintV(v);
    return int64(/^[+-]?[0-7]+$/.test(s) ? Number.parseInt(s, 8) : 0);
  } }],
  ['add1', { params: [ANY], fn: (v) => int64(toInt64(v) + 1) }],
  ['add', { params: [], variadic: ANY, fn: (...v) => int64(v.reduce<number>((a, b) => a + toInt64(b), 0)) }],
  ['sub', { params: [ANY, ANY], fn: (a, b) => int64(toInt64(a) - toInt64(b)) }],
  ['div', { params: [ANY, ANY], fn: (a, b) => {
    const d = toInt64(b);
    if (d === 0) throw new Error('runtime error: integer divide by zero');
    return int64(Math.trunc(toInt64(a) / d));
  } }],
  ['mod', { params: [ANY, ANY], fn: (a, b) => {
    const d = toInt64(b);
    if (d === 0) throw new Error('runtime error: integer divide by zero');
    return int64(toInt64(a) % d);
  } }],
  ['mul', { params: [ANY], variadic: ANY, fn: (a, ...v) => int64(v.reduce<number>((acc, b) => acc * toInt64(b), toInt64(a))) }],
  ['randInt', { params: [I, I], fn: (min, max) => {
    const span = (max as number) - (min as number);
    if (span <= 0) throw new Error('invalid argument to Intn');
    return Math.floor(Math.random() * span) + (min as number);
  } }],
  ['add1f', { params: [ANY], fn: (v) => decimalOp(v, [1], 'add') }],
  ['addf', { params: [], variadic: ANY, fn: (...v) => decimalOp(float64(0), v, 'add') }],
  ['subf', { params: [ANY], variadic: ANY, fn: (a, ...v) => decimalOp(a, v, 'sub') }],
  ['divf', { params: [ANY], variadic: ANY, fn: (a, ...v) => decimalOp(a, v, 'div') }],
  ['mulf', { params: [ANY], variadic: ANY, fn: (a, ...v) => decimalOp(a, v, 'mul') }],
  ['biggest', { params: [ANY], variadic: ANY, fn: (a, ...v) => int64(v.reduce<number>((m, b) => Math.max(m, toInt64(b)), toInt64(a))) }],
  ['max', { params: [ANY], variadic: ANY, fn: (a, ...v) => int64(v.reduce<number>((m, b) => Math.max(m, toInt64(b)), toInt64(a))) }],
  ['min', { params: [ANY], variadic: ANY, fn: (a, ...v) => int64(v.reduce<number>((m, b) => Math.min(m, toInt64(b)), toInt64(a))) }],
  ['maxf', { params: [ANY], variadic: ANY, fn: (a, ...v) => float64(v.reduce<number>((m, b) => Math.max(m, toFloat64(b)), toFloat64(a))) }],
  ['minf', { params: [ANY], variadic: ANY, fn: (a, ...v) => float64(v.reduce<number>((m, b) => Math.min(m, toFloat64(b)), toFloat64(a))) }],
  ['ceil', { params: [ANY], fn: (a) => float64(Math.ceil(toFloat64(a))) }],
  ['floor', { params: [ANY], fn: (a) => float64(Math.floor(toFloat64(a))) }],
  ['round', { params: [ANY, I], variadic: 'float64', fn: (a, p, ...r) => {
    const roundOn = r.length ? (r[0] as number) : 0.5;
    const pow = 10 ** (p as number);
    const digit = pow * toFloat64(a);
    const frac = digit - Math.trunc(digit);
    return float64((frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow);
  } }],
];

// ------------------------------------------------------------------------------ reflection

function goKindName(v: GoValue): string {
  if (v === null || v === NO_VALUE) return 'invalid';
  if (v instanceof Scalar) {
    if (/^(u?int(8|16|32|64)?|float(32|64))$/.test(v.type)) return v.type;
    return v.kind === 'int' ? 'int' : v.kind;
  }
  const k = kindOf(v);
  if (k === 'int') return 'int';
  return k;
}

const reflection: Fns = [
  ['typeOf', { params: [ANY], raw: true, fn: (v) => typeName(v) }],
  ['typeIs', { params: [S, ANY], raw: true, fn: (t, v) => t === typeName(v) }],
  ['typeIsLike', { params: [S, ANY], raw: true, fn: (t, v) => typeName(v) === t || typeName(v) === `*${t as string}` }],
  ['kindOf', { params: [ANY], raw: true, fn: (v) => goKindName(v) }],
  ['kindIs', { params: [S, ANY], raw: true, fn: (t, v) => t === goKindName(v) }],
  ['deepEqual', { params: [ANY, ANY], raw: true, fn: (a, b) => deepEqual(a, b) }],
];

// ------------------------------------------------------------------------------ encoding, paths, os

function b32decode(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.replace(/=+$/, '');
  if (/[^A-Z2-7]/.test(clean) || s.length % 8 !== 0) throw new Error(`illegal base32 data at input byte ${Math.max(0, [...s].findIndex((c) => !alphabet.includes(c) && c !== '='))}`);
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out).toString('utf8');
}

function b32encode(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

function b64decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    const bad = [...s].findIndex((c, i) => !/[A-Za-z0-9+/=]/.test(c) || (c === '=' && i < s.length - 2));
    return `illegal base64 data at input byte ${bad < 0 ? s.length - (s.length % 4) : bad}`;
  }
  return Buffer.from(s, 'base64').toString('utf8');
}

/** path.Clean. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/$/, '') : n;
}

const encoding: Fns = [
  ['b64enc', { params: [S], fn: (s) => Buffer.from(s as string, 'utf8').toString('base64') }],
  ['b64dec', { params: [S], fn: (s) => b64decode(s as string) }],
  ['b32enc', { params: [S], fn: (s) => b32encode(s as string) }],
  ['b32dec', { params: [S], fn: (s) => {
    try {
      return b32decode(s as string);
    } catch (e) {
      return (e as Error).message;
    }
  } }],
  ['base', { params: [S], fn: (p) => (p === '' ? '.' : (p as string).replace(/\/+$/, '') === '' ? '/' : posix.basename((p as string).replace(/\/+$/, ''))) }],
  ['dir', { params: [S], fn: (p) => cleanPath(posix.dirname(p as string) === '.' && !(p as string).includes('/') ? '.' : (p as string).slice(0, (p as string).lastIndexOf('/') + 1)) }],
  ['clean', { params: [S], fn: (p) => cleanPath(p as string) }],
  ['ext', { params: [S], fn: (p) => {
    const s = p as string;
    for (let i = s.length - 1; i >= 0 && s[i] !== '/'; i--) if (s[i] === '.') return s.slice(i);
    return '';
  } }],
  ['isAbs', { params: [S], fn: (p) => (p as string).startsWith('/') }],
  ['osBase', { params: [S], fn: (p) => (p === '' ? '.' : (p as string).replace(/\/+$/, '') === '' ? '/' : posix.basename((p as string).replace(/\/+$/, ''))) }],
  ['osClean', { params: [S], fn: (p) => cleanPath(p as string) }],
  ['osDir', { params: [S], fn: (p) => cleanPath(!(p as string).includes('/') ? '.' : (p as string).slice(0, (p as string).lastIndexOf('/') + 1)) }],
  ['osExt', { params: [S], fn: (p) => {
    const s = p as string;
    for (let i = s.length - 1; i >= 0 && s[i] !== '/'; i--) if (s[i] === '.') return s.slice(i);
    return '';
  } }],
  ['osIsAbs', { params: [S], fn: (p) => (p as string).startsWith('/') }],
];

/** os.ExpandEnv: $VAR and ${VAR}. */
function expandEnv(s: string, env: NodeJS.ProcessEnv): string {
  return s.replace(/\$\{([^}]*)\}|\$([A-Za-z0-9_]+|[*#$@!?\-0-9])/g, (_m, braced: string | undefined, bare: string | undefined) => ownString(env, braced ?? bare ?? '') ?? '');
}

// ------------------------------------------------------------------------------ regex, semver, url

const regex: Fns = [
  ['regexMatch', { params: [S, S], fn: (re, s) => {
    try {
      return matchString(compileGoRegexp(re as string), s as string);
    } catch {
      return false;
    }
  } }],
  ['mustRegexMatch', { params: [S, S], fn: (re, s) => matchString(compileGoRegexp(re as string), s as string) }],
  ['regexFindAll', { params: [S, S, I], fn: (re, s, n) => markSlice(findAll(mustCompile(re as string), s as string, n as number).map((m) => m[0]), '[]string') }],
  ['mustRegexFindAll', { params: [S, S, I], fn: (re, s, n) => markSlice(findAll(compileGoRegexp(re as string), s as string, n as number).map((m) => m[0]), '[]string') }],
  ['regexFind', { params: [S, S], fn: (re, s) => findString(mustCompile(re as string), s as string) }],
  ['mustRegexFind', { params: [S, S], fn: (re, s) => findString(compileGoRegexp(re as string), s as string) }],
  ['regexReplaceAll', { params: [S, S, S], fn: (re, s, r) => replaceAll(mustCompile(re as string), s as string, r as string, false) }],
  ['mustRegexReplaceAll', { params: [S, S, S], fn: (re, s, r) => replaceAll(compileGoRegexp(re as string), s as string, r as string, false) }],
  ['regexReplaceAllLiteral', { params: [S, S, S], fn: (re, s, r) => replaceAll(mustCompile(re as string), s as string, r as string, true) }],
  ['mustRegexReplaceAllLiteral', { params: [S, S, S], fn: (re, s, r) => replaceAll(compileGoRegexp(re as string), s as string, r as string, true) }],
  ['regexSplit', { params: [S, S, I], fn: (re, s, n) => markSlice(reSplit(mustCompile(re as string), s as string, n as number, re as string), '[]string') }],
  ['mustRegexSplit', { params: [S, S, I], fn: (re, s, n) => markSlice(reSplit(compileGoRegexp(re as string), s as string, n as number, re as string), '[]string') }],
  ['regexQuoteMeta', { params: [S], fn: (s) => quoteMeta(s as string) }],
];

/** *semver.Version: printed through String(), with the methods templates use. */
const SEMVER_TYPE: StructType = {
  name: 'semver.Version',
  fields: [],
  stringer: (v) => versionString(semverOf(v)),
  toJSON: (v) => versionString(semverOf(v)),
  methods: new Map([
    ['Major', { params: [], call: (r) => new Scalar('uint64', 'uint', semverOf(r).major) }],
    ['Minor', { params: [], call: (r) => new Scalar('uint64', 'uint', semverOf(r).minor) }],
    ['Patch', { params: [], call: (r) => new Scalar('uint64', 'uint', semverOf(r).patch) }],
    ['Prerelease', { params: [], call: (r) => semverOf(r).pre }],
    ['Metadata', { params: [], call: (r) => semverOf(r).metadata }],
    ['Original', { params: [], call: (r) => semverOf(r).original }],
    ['String', { params: [], call: (r) => versionString(semverOf(r)) }],
    ['Compare', { params: ['*semver.Version'], call: (r, [o]) => compareVersions(semverOf(r), semverOf(o!)) }],
    ['LessThan', { params: ['*semver.Version'], call: (r, [o]) => compareVersions(semverOf(r), semverOf(o!)) < 0 }],
    ['GreaterThan', { params: ['*semver.Version'], call: (r, [o]) => compareVersions(semverOf(r), semverOf(o!)) > 0 }],
    ['Equal', { params: ['*semver.Version'], call: (r, [o]) => compareVersions(semverOf(r), semverOf(o!)) === 0 }],
  ]),
};

/** The version is kept under a key that is no field name (so no template can reach it as a field). */
const SEMVER_SLOT = '\0version';

function semverOf(v: GoValue): SemVersion {
  const s = v instanceof GoStruct ? v.values.get(SEMVER_SLOT) : undefined;
  if (typeof s !== 'string') throw new Error('runtime error: invalid memory address or nil pointer dereference');
  return JSON.parse(s) as SemVersion;
}

function semverValue(s: SemVersion): GoStruct {
  return new GoStruct(SEMVER_TYPE, [[SEMVER_SLOT, JSON.stringify(s)]], true);
}

function urlParse(v: string): GoMap {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(v);
  if (!m) throw new Error(`unable to parse url: parse ${JSON.stringify(v)}: invalid URI`);
  const scheme = m[1] ?? '';
  let path = m[4] ?? '';
  let opaque = '';
  if (scheme && m[3] === undefined && !path.startsWith('/')) {
    opaque = path;
    path = '';
  }
  const host = m[3] ?? '';
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  let decodedPath = path;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    throw new Error(`unable to parse url: parse ${JSON.stringify(v)}: invalid URL escape`);
  }
  return new GoMap(DICT, [
    ['scheme', scheme.toLowerCase()],
    ['host', host],
    ['hostname', hostname],
    ['path', decodedPath],
    ['query', m[5] ?? ''],
    ['opaque', opaque],
    ['fragment', m[6] ? decodeURIComponent(m[6]) : ''],
    ['userinfo', m[2] ?? ''],
  ]);
}

function dictString(d: GoMap, key: string): string {
  if (!d.entries.has(key)) return '';
  const v = d.entries.get(key)!;
  if (typeof v !== 'string') throw new Error(`unable to parse ${key} key, must be of type string, but ${kindName(v)} found`);
  return v;
}

function urlJoin(d: GoMap): string {
  const scheme = dictString(d, 'scheme');
  const host = dictString(d, 'host');
  const path = dictString(d, 'path');
  const query = dictString(d, 'query');
  const opaque = dictString(d, 'opaque');
  const fragment = dictString(d, 'fragment');
  const userinfo = dictString(d, 'userinfo');
  let out = '';
  if (scheme) out += `${scheme}:`;
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += '//';
      if (userinfo) out += `${userinfo}@`;
      out += host;
    }
    if (path && !path.startsWith('/') && host) out += '/';
    out += encodeURI(path).replace(/%25/g, '%25');
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${encodeURIComponent(fragment)}`;
  return out;
}

export function dataFuncs(env: NodeJS.ProcessEnv): Fns {
  return [
    ...lists,
    ...dicts,
    ...defaults,
    ...numbers,
    ...reflection,
    ...encoding,
    ...regex,
    ['env', { params: [S], fn: (k) => ownString(env, k as string) ?? '' }],
    ['expandenv', { params: [S], fn: (s) => expandEnv(s as string, env) }],
    ['getHostByName', { params: [S], fn: (name) => {
      // Go resolves synchronously; so does this (a child process does the lookup).
      const r = spawnSync(process.execPath, ['-e', 'require("dns").lookup(process.argv[1],{all:true},(e,a)=>{process.stdout.write(JSON.stringify(e?[]:a.map(x=>x.address)))})', name as string], { encoding: 'utf8', timeout: 10_000 });
      const addrs = JSON.parse(r.stdout || '[]') as string[];
      if (!addrs.length) throw new Error('runtime error: index out of range [0] with length 0');
      return addrs[Math.floor(Math.random() * addrs.length)]!;
    } }],
    ['semver', { params: [S], fn: (v) => semverValue(parseVersion(v as string)) }],
    ['semverCompare', { params: [S, S], fn: (c, v) => semverCompare(c as string, v as string) }],
    ['fail', { params: [S], fn: (msg) => {
      throw new Error(msg as string);
    } }],
    ['urlParse', { params: [S], fn: (v) => urlParse(v as string) }],
    ['urlJoin', { params: [DICT], fn: (d) => urlJoin(d as GoMap) }],
    ['hello', { params: [], fn: () => 'Hello!' }],
  ];
}

export { parseIntBase0 };
