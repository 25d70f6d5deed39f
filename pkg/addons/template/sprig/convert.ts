// The conversions sprig builds on: strval, strslice, spf13/cast's ToInt64/ToFloat64, and
// sprig's reflection helpers (is it a list? its elements).
import { sprintV } from '../fmt.js';
import { goTimeString } from '../gotime.js';
import { GoMap, GoStruct, GoTime, type GoValue, NilPointer, NO_VALUE, Scalar, kindOf, sliceType, typeName } from '../values.js';

/** sprig's strval: strings as they are, Stringers through String(), everything else %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Scalar && v.kind === 'string') return v.value as string;
  if (Array.isArray(v) && sliceType(v) === '[]uint8') return Buffer.from(v as number[]).toString('utf8');
  if (v instanceof GoStruct && v.type.stringer) return v.type.stringer(v);
  if (v instanceof GoTime) return goTimeString(v);
  return sprintV(v === NO_VALUE ? null : v);
}

/** sprig's strslice: a list's non-nil elements as strings; a non-list as a one-element list. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== NO_VALUE).map(strval);
  if (v === null || v === NO_VALUE) return [];
  return [strval(v)];
}

/** cast's trimZeroDecimal: "1.0" -> "1", "1.50" stays. */
function trimZeroDecimal(s: string): string {
  const dot = s.indexOf('.');
  if (dot < 0) return s;
  return /^0*$/.test(s.slice(dot + 1)) ? s.slice(0, dot) : s;
}

/** strconv.ParseInt(s, 0, 64). */
export function parseIntBase0(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m) return undefined;
  let body = m[2]!;
  if (/_/.test(body)) {
    if (/__|_$/.test(body) || (/^[1-9]/.test(body) && /^_/.test(body))) return undefined;
    body = body.replace(/_/g, '');
  }
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^0/.test(body)) n = parseInt(body, 8);
  else n = parseInt(body, 10);
  if (Number.isNaN(n)) return undefined;
  return m[1] === '-' ? -n : n;
}

/** cast.ToInt64 / ToInt: numbers (floats truncated), numeric strings, bools; anything else 0. */
export function toInt64(v: GoValue): number {
  const p = v instanceof Scalar ? v.value : v;
  if (typeof p === 'number') return Math.trunc(p);
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (typeof p === 'string') return parseIntBase0(trimZeroDecimal(p)) ?? 0;
  return 0;
}

/** cast.ToFloat64. */
export function toFloat64(v: GoValue): number {
  const p = v instanceof Scalar ? v.value : v;
  if (typeof p === 'number') return p;
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (typeof p === 'string') {
    const t = p.trim() === p ? p : '';
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || /^[+-]?(inf|infinity|nan)$/i.test(t)) {
      return /nan/i.test(t) ? NaN : /inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t);
    }
    return 0;
  }
  return 0;
}

/** reflect.TypeOf(v).Kind() as sprig's list functions name it in errors. */
export function kindName(v: GoValue): string {
  if (v === null || v === NO_VALUE) throw new Error('runtime error: invalid memory address or nil pointer dereference');
  const k = kindOf(v);
  if (v instanceof Scalar) return v.type === 'float64' ? 'float64' : v.type === 'int64' ? 'int64' : k === 'int' ? 'int' : k;
  if (k === 'int') return 'int';
  if (k === 'float') return 'float64';
  return k;
}

/** The elements of a slice, or an error naming the kind (sprig's "Cannot X on type Y"). */
export function listOf(v: GoValue, what: (kind: string) => string): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new Error(what(kindName(v)));
}

export function isNilPointer(v: GoValue): boolean {
  return v instanceof NilPointer;
}

export function mapOf(v: GoValue): GoMap {
  if (v instanceof GoMap) return v;
  throw new Error(`interface conversion: interface {} is ${typeName(v)}, not map[string]interface {}`);
}
