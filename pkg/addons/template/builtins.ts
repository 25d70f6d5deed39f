// Go text/template's builtin functions (funcs.go): and, or, not, call, index, slice, len,
// print, printf, println, html, js, urlquery and the comparisons, with Go's type rules and
// error messages. A FuncMap entry of the same name (sprig's `slice`) takes precedence, as
// in Go.
import type { FuncDef } from './exec.js';
import { sprint, sprintf, sprintln, sprintV } from './fmt.js';
import {
  ANY,
  GoMap,
  GoStruct,
  type GoValue,
  NilPointer,
  NO_VALUE,
  Scalar,
  VALUE,
  deepEqual,
  isNil,
  kindOf,
  markSlice,
  sliceType,
  truth,
  typeName,
} from './values.js';

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'complex' | 'invalid';

function basicKind(v: GoValue): BasicKind {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'uint' || k === 'float' || k === 'string' ? k : 'invalid';
}

/** A reflect.Value argument as Go's builtins see it: a nil interface is the invalid value. */
function iface(v: GoValue): GoValue {
  return v === null ? NO_VALUE : v;
}

function prim(v: GoValue): boolean | number | string {
  return (v instanceof Scalar ? v.value : v) as boolean | number | string;
}

function eq(arg1: GoValue, ...arg2: GoValue[]): boolean {
  const a = iface(arg1);
  if (arg2.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(a);
  for (const raw of arg2) {
    const b = iface(raw);
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') t = (prim(a) as number) >= 0 && prim(a) === prim(b);
      else if (k1 === 'uint' && k2 === 'int') t = (prim(b) as number) >= 0 && prim(a) === prim(b);
      else if (a !== NO_VALUE && b !== NO_VALUE) throw new Error('incompatible types for comparison');
    } else if (k1 !== 'invalid') {
      t = prim(a) === prim(b);
    } else {
      const ka = kindOf(a);
      const kb = kindOf(b);
      if (ka !== kb && ka !== 'invalid' && kb !== 'invalid') {
        throw new Error(`non-comparable types ${sprintV(a)}: ${typeName(a)}, ${typeName(b)}: ${sprintV(b)}`);
      }
      if (isNil(a) || isNil(b)) t = isNil(a) === isNil(b);
      else {
        if (kb === 'slice' || kb === 'map') throw new Error(`non-comparable type ${sprintV(b)}: ${typeName(b)}`);
        t = b instanceof GoStruct && b.pointer ? a === b : deepEqual(a, b);
      }
    }
    if (t) return true;
  }
  return false;
}

function lt(arg1: GoValue, arg2: GoValue): boolean {
  const a = iface(arg1);
  const b = iface(arg2);
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new Error('invalid type for comparison');
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new Error('invalid type for comparison');
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (prim(a) as number) < 0 || (prim(a) as number) < (prim(b) as number);
    if (k1 === 'uint' && k2 === 'int') return (prim(b) as number) >= 0 && (prim(a) as number) < (prim(b) as number);
    throw new Error('incompatible types for comparison');
  }
  if (k1 === 'bool' || k1 === 'complex') throw new Error('invalid type for comparison');
  return prim(a) < prim(b);
}

function le(a: GoValue, b: GoValue): boolean {
  return lt(a, b) || eq(a, b);
}

function indexArg(index: GoValue, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid') throw new Error('cannot index slice/array with nil');
  if (k !== 'int' && k !== 'uint') throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  const x = prim(index) as number;
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

/** Go's index builtin: item[i][j]... on slices, strings (bytes) and maps; anything else is refused. */
function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  let cur = iface(item);
  if (cur === NO_VALUE) throw new Error('index of untyped nil');
  for (const raw of indexes) {
    const idx = iface(raw);
    if (cur instanceof NilPointer) throw new Error('index of nil pointer');
    if (cur === NO_VALUE || cur === null) throw new Error('index of untyped nil');
    const p = prim(cur);
    if (Array.isArray(cur)) {
      const x = indexArg(idx, cur.length);
      if (x >= cur.length) throw new Error('reflect: slice index out of range');
      cur = cur[x]!;
    } else if (typeof p === 'string' && kindOf(cur) === 'string') {
      const bytes = Buffer.from(p, 'utf8');
      const x = indexArg(idx, bytes.length);
      if (x >= bytes.length) throw new Error('reflect: string index out of range');
      cur = new Scalar('uint8', 'uint', bytes[x]!);
    } else if (cur instanceof GoMap) {
      let key = idx;
      if (key === NO_VALUE) key = '';
      if (typeName(key) !== 'string') throw new Error(`value has type ${typeName(key)}; should be string`);
      cur = cur.entries.has(key as string) ? cur.entries.get(key as string)! : cur.elemZero;
    } else {
      throw new Error(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

/** Go's slice builtin (KubeOne templates get sprig's `slice` instead, as Go looks up the FuncMap first). */
function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  const v = iface(item);
  if (v === NO_VALUE) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (kindOf(v) === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    len = Buffer.byteLength(prim(v) as string, 'utf8');
  } else if (Array.isArray(v)) len = v.length;
  else throw new Error(`can't slice item of type ${typeName(v)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(iface(x), len);
  });
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (Array.isArray(v)) return markSlice(v.slice(idx[0], idx[1]), sliceType(v));
  return Buffer.from(prim(v) as string, 'utf8').subarray(idx[0], idx[1]).toString('utf8');
}

function length(item: GoValue): number {
  const v = iface(item);
  if (v instanceof NilPointer) throw new Error('len of nil pointer');
  if (v === NO_VALUE) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  const k = kindOf(v);
  if (k === 'string') return Buffer.byteLength(prim(v) as string, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (v instanceof GoMap) return v.entries.size;
  throw new Error(`len of type ${typeName(v)}`);
}

/** fmt.Sprint of the arguments, as Go's evalArgs (a lone string as it is). */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === NO_VALUE ? '<no value>' : a instanceof GoStruct && a.pointer ? new GoStruct(a.type, a.values) : a)));
}

const HTML_ESCAPES: Record<string, string> = { '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c]!);
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const VARIADIC_VALUE: Omit<FuncDef, 'fn'> = { params: [VALUE], variadic: VALUE, builtin: true };

/** Go's builtins, by name. */
export function builtinFuncs(): Map<string, FuncDef> {
  const unreachable = (): GoValue => {
    throw new Error('unreachable');
  };
  return new Map<string, FuncDef>([
    ['and', { ...VARIADIC_VALUE, fn: unreachable }],
    ['or', { ...VARIADIC_VALUE, fn: unreachable }],
    ['call', { ...VARIADIC_VALUE, fn: unreachable }],
    ['not', { params: [VALUE], builtin: true, fn: (v) => !truth(iface(v)) }],
    ['index', { ...VARIADIC_VALUE, fn: (item, ...idx) => index(item, ...idx) }],
    ['slice', { ...VARIADIC_VALUE, fn: (item, ...idx) => slice(item, ...idx) }],
    ['len', { params: [VALUE], builtin: true, fn: (v) => length(v) }],
    ['print', { params: [], variadic: ANY, raw: true, builtin: true, fn: (...a) => sprint(a) }],
    ['println', { params: [], variadic: ANY, raw: true, builtin: true, fn: (...a) => sprintln(a) }],
    ['printf', { params: ['string'], variadic: ANY, raw: true, builtin: true, fn: (f, ...a) => sprintf(f as string, a) }],
    ['html', { params: [], variadic: ANY, raw: true, builtin: true, fn: (...a) => htmlEscape(evalArgs(a)) }],
    ['js', { params: [], variadic: ANY, raw: true, builtin: true, fn: (...a) => jsEscape(evalArgs(a)) }],
    ['urlquery', { params: [], variadic: ANY, raw: true, builtin: true, fn: (...a) => queryEscape(evalArgs(a)) }],
    ['eq', { params: [VALUE], variadic: VALUE, builtin: true, fn: (a, ...b) => eq(a, ...b) }],
    ['ne', { params: [VALUE, VALUE], builtin: true, fn: (a, b) => !eq(a, b) }],
    ['lt', { params: [VALUE, VALUE], builtin: true, fn: (a, b) => lt(a, b) }],
    ['le', { params: [VALUE, VALUE], builtin: true, fn: (a, b) => le(a, b) }],
    ['gt', { params: [VALUE, VALUE], builtin: true, fn: (a, b) => !le(a, b) }],
    ['ge', { params: [VALUE, VALUE], builtin: true, fn: (a, b) => !lt(a, b) }],
  ]);
}
