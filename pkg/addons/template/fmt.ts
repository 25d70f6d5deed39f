// Go's fmt for template values: Sprint, Sprintln and Sprintf with Go's verbs, flags, width,
// precision, argument indexes and its error notation (%!d(string=x), %!v(MISSING), ...).
// Used by the `print*` builtins, by template output ({{ . }} prints with %v) and by sprig.
import { goTimeString, timeEnumString } from './gotime.js';
import {
  GoMap,
  GoStruct,
  GoTime,
  type GoValue,
  NilPointer,
  NO_VALUE,
  Scalar,
  compareStrings,
  isNilSlice,
  kindOf,
  sliceType,
  typeName,
} from './values.js';

/** Address fmt prints for pointers nested in a value (Go prints a real, varying address). */
const NESTED_POINTER = '0xc000010000';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
  /** %+v */
  plusV: boolean;
  /** %#v */
  sharpV: boolean;
}

const PLAIN: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };

// ------------------------------------------------------------------------------ strings

const GO_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\' };

function isPrintRune(ch: string): boolean {
  if (ch === ' ') return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** strconv.Quote (asciiOnly: QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false, quote = '"'): string {
  let out = quote;
  for (const ch of s) {
    if (ch === quote) out += `\\${quote}`;
    else if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else {
      const cp = ch.codePointAt(0)!;
      if (cp === 0xfffd) out += '\\ufffd';
      else if (cp < 0x80 ? cp >= 0x20 && cp < 0x7f : isPrintRune(ch) && !(asciiOnly && cp >= 0x80)) out += ch;
      else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return out + quote;
}

function canBackquote(s: string): boolean {
  return !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(s);
}

// ------------------------------------------------------------------------------ numbers

/** Exact decimal expansion of a finite double: digits (no leading zeros) and the decimal exponent. */
function exactDigits(x: number): { digits: string; point: number } {
  if (x === 0) return { digits: '0', point: 1 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (exp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  // value = mant * 2^e2
  let digits: string;
  let point: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    point = digits.length;
  } else {
    // mant / 2^-e2 = mant * 5^-e2 / 10^-e2
    const scaled = mant * 5n ** BigInt(-e2);
    digits = scaled.toString();
    point = digits.length + e2;
  }
  const trimmed = digits.replace(/0+$/, '') || '0';
  return { digits: trimmed, point };
}

/** Rounds a digit string to n significant digits, half to even (strconv's rounding of exact values). */
function roundDigits(d: { digits: string; point: number }, n: number): { digits: string; point: number } {
  if (n < 0) return d;
  if (d.digits.length <= n) return { digits: d.digits.padEnd(n, '0'), point: d.point };
  const keep = d.digits.slice(0, n);
  const rest = d.digits.slice(n);
  const first = rest.charCodeAt(0) - 48;
  let up = first > 5 || (first === 5 && (/[1-9]/.test(rest.slice(1)) || (n > 0 && (keep.charCodeAt(n - 1) - 48) % 2 === 1)));
  if (first === 5 && !/[1-9]/.test(rest.slice(1)) && n === 0) up = false;
  if (!up) return { digits: keep || '0', point: keep ? d.point : d.point };
  // increment keep
  const arr = keep.split('').map(Number);
  let i = arr.length - 1;
  while (i >= 0) {
    if (arr[i]! < 9) {
      arr[i]!++;
      break;
    }
    arr[i] = 0;
    i--;
  }
  if (i < 0) return { digits: `1${arr.join('')}`.slice(0, Math.max(n, 1)), point: d.point + 1 };
  return { digits: arr.join(''), point: d.point };
}

/** Shortest digits that round-trip (what Go's 'g' with precision -1 uses). */
function shortestDigits(x: number): { digits: string; point: number } {
  const s = Math.abs(x).toExponential();
  const [m, e] = s.split('e');
  const digits = m!.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, point: Number(e) + 1 };
}

function expStr(e: number): string {
  const a = Math.abs(e);
  return (e < 0 ? '-' : '+') + (a < 10 ? `0${a}` : String(a));
}

function fmtE(d: { digits: string; point: number }, prec: number, upper: boolean, trimZeros = false): string {
  let m = d.digits[0]!;
  let frac = d.digits.slice(1);
  if (prec >= 0) frac = frac.padEnd(prec, '0').slice(0, prec);
  if (trimZeros) frac = frac.replace(/0+$/, '');
  if (frac) m += `.${frac}`;
  const e = d.digits === '0' ? 0 : d.point - 1;
  return `${m}${upper ? 'E' : 'e'}${expStr(e)}`;
}

function fmtF(d: { digits: string; point: number }, prec: number): string {
  let intPart: string;
  let frac: string;
  if (d.point <= 0) {
    intPart = '0';
    frac = '0'.repeat(-d.point) + d.digits;
  } else if (d.point >= d.digits.length) {
    intPart = d.digits + '0'.repeat(d.point - d.digits.length);
    frac = '';
  } else {
    intPart = d.digits.slice(0, d.point);
    frac = d.digits.slice(d.point);
  }
  if (d.digits === '0') intPart = '0';
  if (prec >= 0) frac = frac.padEnd(prec, '0').slice(0, prec);
  return frac ? `${intPart}.${frac}` : intPart;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f F g G (prec -1: shortest). */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? '-' : '';
  const lower = verb.toLowerCase();
  const shortest = prec < 0;
  let out: string;
  if (lower === 'e') {
    const d = shortest ? shortestDigits(x) : roundDigits(exactDigits(x), prec + 1);
    out = fmtE(d, shortest ? -1 : prec, verb === 'E');
  } else if (lower === 'f') {
    if (shortest) out = fmtF(shortestDigits(x), -1);
    else {
      const exact = exactDigits(x);
      const d = roundDigits(exact, Math.max(0, exact.point + prec));
      out = exact.point + prec < 0 ? fmtF({ digits: '0', point: 1 }, prec) : fmtF(d, prec);
    }
  } else {
    // %g: %e when the exponent is < -4 or >= precision (6 when shortest), else %f; no trailing zeros.
    let p = prec === 0 ? 1 : prec;
    const d = shortest ? shortestDigits(x) : roundDigits(exactDigits(x), p);
    let eprec = p;
    if (shortest) eprec = 6;
    else if (eprec > d.digits.replace(/0+$/, '').length && d.digits.replace(/0+$/, '').length >= d.point) eprec = d.digits.replace(/0+$/, '').length;
    const exp = d.point - 1;
    if (shortest) p = d.digits.length;
    if (exp < -4 || exp >= eprec) out = fmtE({ digits: d.digits.replace(/0+$/, '') || '0', point: d.point }, -1, verb === 'G');
    else out = fmtF({ digits: d.digits.replace(/0+$/, '') || '0', point: d.point }, -1);
  }
  return sign + out;
}

// ------------------------------------------------------------------------------ padding

function pad(s: string, spec: Spec, zeroOk = false): string {
  const w = spec.width;
  const len = [...s].length;
  if (w === undefined || len >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - len);
  if (spec.zero && zeroOk) {
    const m = /^([+\- ]|0[xXbBoO])?(.*)$/s.exec(s)!;
    const prefix = m[1] ?? '';
    return prefix + '0'.repeat(w - len) + m[2];
  }
  return ' '.repeat(w - len) + s;
}

function intString(n: number, verb: string, spec: Spec): string {
  let base = 10;
  let prefix = '';
  if (verb === 'b') base = 2;
  if (verb === 'o' || verb === 'O') base = 8;
  if (verb === 'x' || verb === 'X') base = 16;
  const neg = n < 0;
  let digits = (neg ? -BigInt(Math.trunc(n)) : BigInt(Math.trunc(n))).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && n === 0) digits = '';
    digits = digits.padStart(spec.prec, '0');
  }
  if (spec.sharp) {
    if (verb === 'o' && !digits.startsWith('0')) prefix = '0';
    if (verb === 'x') prefix = '0x';
    if (verb === 'X') prefix = '0X';
    if (verb === 'b') prefix = '0b';
  }
  if (verb === 'O') prefix = '0o';
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + prefix + digits, spec, spec.prec === undefined);
}

function floatString(x: number, verb: string, spec: Spec): string {
  let v = verb;
  let prec = spec.prec ?? (verb === 'v' || verb === 'g' || verb === 'G' ? -1 : 6);
  if (v === 'v') v = 'g';
  if (v === 'F') v = 'f';
  let s = formatFloat(x, v, prec);
  if (spec.sharp && v !== 'b') {
    if (!s.includes('.') && /^[+-]?\d/.test(s)) {
      const m = /^([+-]?\d+)(e.*)?$/i.exec(s);
      if (m) s = `${m[1]}.${m[2] ?? ''}`;
    }
    if ((v === 'g' || v === 'G') && prec !== -1) {
      // %#g keeps trailing zeros up to the precision
      const digits = s.replace(/^[+-]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
      if (digits.length < prec) {
        const [mant, exp] = s.split(/(?=[eE])/);
        s = mant + '0'.repeat(prec - digits.length) + (exp ?? '');
      }
    }
    prec = 0;
  }
  if (spec.plus && !s.startsWith('-') && !s.startsWith('+')) s = `+${s}`;
  else if (spec.space && !s.startsWith('-') && !s.startsWith('+')) s = ` ${s}`;
  if (s === '+Inf' && !spec.plus) s = spec.space ? ' Inf' : '+Inf';
  return pad(s, spec, Number.isFinite(x));
}

// ------------------------------------------------------------------------------ values

function badVerb(verb: string, v: GoValue): string {
  if (v === null || v === NO_VALUE) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v, 'v', PLAIN, 0)})`;
}

function stringer(v: GoValue): string | undefined {
  if (v instanceof GoStruct && v.type.stringer) return v.type.stringer(v);
  if (v instanceof GoTime) return goTimeString(v);
  if (v instanceof Scalar && v.type === 'v1.Duration') return String(v.value);
  if (v instanceof Scalar) return timeEnumString(v);
  return undefined;
}

function goSyntax(v: GoValue, depth: number): string {
  if (v === null || v === NO_VALUE) return depth === 0 ? '<nil>' : 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (v instanceof Scalar) {
    if (v.kind === 'string') return goQuote(v.value as string);
    if (v.kind === 'float') return formatFloat(v.value as number, 'g', -1);
    if (v.type === 'int' || v.type === 'bool') return String(v.value);
    return `${v.type}(${v.value})`;
  }
  if (Array.isArray(v)) {
    if (isNilSlice(v)) return `${sliceType(v)}(nil)`;
    return `${sliceType(v)}{${v.map((x) => goSyntax(x, depth + 1)).join(', ')}}`;
  }
  if (v instanceof GoMap) {
    if (v.nil) return `${v.type}(nil)`;
    return `${v.type}{${v.sortedKeys().map((k) => `${goQuote(k)}:${goSyntax(v.entries.get(k)!, depth + 1)}`).join(', ')}}`;
  }
  if (v instanceof NilPointer) return `(${v.type})(nil)`;
  if (v instanceof GoStruct) {
    const body = `${v.type.name}{${v.type.fields.map((f) => `${f.name}:${goSyntax(v.values.get(f.name) ?? null, depth + 1)}`).join(', ')}}`;
    return v.pointer ? `&${body}` : body;
  }
  if (v instanceof GoTime) return `time.Date(${goTimeString(v)})`;
  return '?';
}

/** Formats one operand with a verb (fmt's printArg/printValue). */
export function formatValue(v: GoValue, verb: string, spec: Spec, depth: number): string {
  if (verb === 'T') return pad(typeName(v), spec);
  if (verb === 'v' && spec.sharpV) return pad(goSyntax(v, depth), spec);
  if (v === null || v === NO_VALUE) return verb === 'v' ? pad('<nil>', spec) : badVerb(verb, v);
  if (verb === 'p') return v instanceof GoStruct && v.pointer ? pad(NESTED_POINTER, spec) : badVerb(verb, v);
  const str = 'vsxXq'.includes(verb) ? stringer(v) : undefined;
  if (str !== undefined) return formatString(str, verb, spec);
  const kind = kindOf(v);
  const prim = v instanceof Scalar ? v.value : v;
  switch (kind) {
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(prim), spec) : badVerb(verb, v);
    case 'int':
    case 'uint': {
      const n = prim as number;
      if ('bdoOxX'.includes(verb)) return intString(n, verb, spec);
      if (verb === 'v') return spec.sharp ? intString(n, 'x', { ...spec, sharp: true }) : intString(n, 'd', spec);
      if (verb === 'd') return intString(n, 'd', spec);
      if (verb === 'c') return pad(String.fromCodePoint(n), spec);
      if (verb === 'q') return pad(goQuote(String.fromCodePoint(n), spec.plus, "'"), spec);
      if (verb === 'U') {
        const hex = n.toString(16).toUpperCase().padStart(4, '0');
        return pad(`U+${hex}${spec.sharp ? ` '${String.fromCodePoint(n)}'` : ''}`, spec);
      }
      return badVerb(verb, v);
    }
    case 'float': {
      const x = prim as number;
      if ('veEfFgGxXb'.includes(verb)) {
        if (verb === 'x' || verb === 'X' || verb === 'b') return badVerb(verb, v);
        return floatString(x, verb, spec);
      }
      return badVerb(verb, v);
    }
    case 'string':
      return formatString(prim as string, verb, spec);
    case 'slice': {
      const arr = v as GoValue[];
      if ((verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') && sliceType(arr) === '[]uint8') {
        return formatString(Buffer.from(arr as number[]).toString('latin1'), verb, spec);
      }
      return pad(`[${arr.map((x) => formatValue(x, verb, { ...spec, width: undefined }, depth + 1)).join(' ')}]`, spec);
    }
    case 'map': {
      const m = v as GoMap;
      const inner = { ...spec, width: undefined };
      return pad(`map[${m.sortedKeys().map((k) => `${formatValue(k, verb, inner, depth + 1)}:${formatValue(m.entries.get(k)!, verb, inner, depth + 1)}`).join(' ')}]`, spec);
    }
    case 'ptr':
      if (v instanceof NilPointer) return verb === 'v' || verb === 's' ? pad('<nil>', spec) : badVerb(verb, v);
      if (depth > 0) return pad(NESTED_POINTER, spec);
      return `&${formatStruct(v as GoStruct, verb, spec, depth)}`;
    case 'struct':
      if (v instanceof GoTime) return pad(goTimeString(v), spec);
      return formatStruct(v as GoStruct, verb, spec, depth);
    default:
      return badVerb(verb, v);
  }
}

function formatStruct(s: GoStruct, verb: string, spec: Spec, depth: number): string {
  const inner = { ...spec, width: undefined };
  const parts = s.type.fields.map((f) => {
    const val = formatValue(s.values.get(f.name) ?? null, verb, inner, depth + 1);
    return spec.plusV ? `${f.name}:${val}` : val;
  });
  return pad(`{${parts.join(' ')}}`, spec);
}

function formatString(s: string, verb: string, spec: Spec): string {
  let t = s;
  if (spec.prec !== undefined && (verb === 's' || verb === 'v' || verb === 'q')) t = [...t].slice(0, spec.prec).join('');
  switch (verb) {
    case 'v':
    case 's':
      return pad(t, spec);
    case 'q':
      if (spec.sharp && canBackquote(t)) return pad(`\`${t}\``, spec);
      return pad(goQuote(t, spec.plus), spec);
    case 'x':
    case 'X': {
      let bytes = Buffer.from(t, 'utf8');
      if (spec.prec !== undefined) bytes = bytes.subarray(0, spec.prec);
      const hexes = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
      const upper = verb === 'X';
      let out: string;
      if (spec.space) out = hexes.map((h) => (spec.sharp ? `0x${h}` : h)).join(' ');
      else out = (spec.sharp ? '0x' : '') + hexes.join('');
      return pad(upper ? out.toUpperCase() : out, spec);
    }
    default:
      return badVerb(verb, s);
  }
}

// ------------------------------------------------------------------------------ Sprint*

function isStringArg(v: GoValue): boolean {
  return typeof v === 'string' || (v instanceof Scalar && v.kind === 'string');
}

/** fmt.Sprint: operands in %v, a space between two operands when neither is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringArg(a) && !isStringArg(args[i - 1]!)) out += ' ';
    out += formatValue(a, 'v', PLAIN, 0);
  });
  return out;
}

/** fmt.Sprintln: operands in %v separated by spaces, then a newline. */
export function sprintln(args: GoValue[]): string {
  return `${args.map((a) => formatValue(a, 'v', PLAIN, 0)).join(' ')}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let goodArgNum = true;
  let i = 0;
  const n = format.length;
  const readArgIndex = (): void => {
    if (format[i] !== '[') return;
    reordered = true;
    const close = format.indexOf(']', i);
    const idx = close > i ? Number(format.slice(i + 1, close)) : NaN;
    if (close < 0 || !Number.isInteger(idx) || idx < 1) {
      goodArgNum = false;
      i = close < 0 ? n : close + 1;
      return;
    }
    argNum = idx - 1;
    i = close + 1;
    goodArgNum = true;
  };
  const intArg = (): number | undefined => {
    if (argNum >= args.length) return undefined;
    const a = args[argNum++]!;
    const p = a instanceof Scalar ? a.value : a;
    return kindOf(a) === 'int' || kindOf(a) === 'uint' ? (p as number) : undefined;
  };
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { ...PLAIN };
    // flags
    for (; i < n; i++) {
      const c = format[i];
      if (c === '#') spec.sharp = true;
      else if (c === '0') spec.zero = !spec.minus;
      else if (c === '+') spec.plus = true;
      else if (c === '-') {
        spec.minus = true;
        spec.zero = false;
      } else if (c === ' ') spec.space = true;
      else break;
    }
    readArgIndex();
    // width
    if (format[i] === '*') {
      i++;
      const w = intArg();
      if (w === undefined) out += '%!(BADWIDTH)';
      else if (w < 0) {
        spec.minus = true;
        spec.zero = false;
        spec.width = -w;
      } else spec.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        spec.width = Number(m[0]);
        i += m[0].length;
      }
    }
    // precision
    if (format[i] === '.') {
      i++;
      readArgIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg();
        if (p === undefined || p < 0) out += '%!(BADPREC)';
        else spec.prec = p;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        spec.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    readArgIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodArgNum) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argNum++]!;
    if (verb === 'v') {
      if (spec.sharp) {
        spec.sharp = false;
        spec.sharpV = true;
      }
      if (spec.plus) {
        spec.plus = false;
        spec.plusV = true;
      }
    }
    if (verb === 'w') {
      out += badVerb(verb, arg);
      continue;
    }
    out += formatValue(arg, verb, spec, 0);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (a === null || a === NO_VALUE ? '<nil>' : `${typeName(a)}=${formatValue(a, 'v', PLAIN, 0)}`))
      .join(', ')})`;
  }
  return out;
}

/** %v of one value (messages). */
export function sprintV(v: GoValue): string {
  return formatValue(v, 'v', PLAIN, 0);
}

export { compareStrings };
