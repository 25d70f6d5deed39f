// sprig's string functions (strings.go, and the goutils/xstrings helpers it wraps).
import { randomInt } from 'node:crypto';
import type { FuncDef } from '../exec.js';
import { goQuote } from '../fmt.js';
import { sprint } from '../fmt.js';
import { ANY, GoMap, type GoValue, NO_VALUE, markSlice } from '../values.js';
import { strslice, strval } from './convert.js';

const S = 'string';
const I = 'int';

function bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** s[a:b] on bytes, panicking as Go does when out of range. */
function byteSlice(s: string, a: number, b?: number): string {
  const buf = bytes(s);
  const end = b ?? buf.length;
  if (a < 0 || end > buf.length || a > end) throw new Error(`runtime error: slice bounds out of range [${b === undefined ? `${a}:` : `:${end}`}] with length ${buf.length}`);
  return buf.subarray(a, end).toString('utf8');
}

function abbreviateFull(str: string, offset0: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return '';
  const len = bytes(str).length;
  if (len <= maxWidth) return str;
  let offset = Math.min(offset0, len);
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return `${byteSlice(str, 0, maxWidth - 3)}...`;
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < len) return `...${abbreviateFull(byteSlice(str, offset), 0, maxWidth - 3)}`;
  return `...${byteSlice(str, len - (maxWidth - 3))}`;
}

function isSpaceRune(c: string): boolean {
  return /^\s$/u.test(c) || c === '\u0085' || c === '\u00a0';
}

/** Go's isSeparator (strings.Title): ASCII alphanumerics and '_' are not, other letters and digits are not, spaces are. */
function isSeparator(c: string): boolean {
  if (c.codePointAt(0)! <= 0x7f) return !/[0-9A-Za-z_]/.test(c);
  if (/^[\p{L}\p{Nd}]$/u.test(c)) return false;
  return isSpaceRune(c);
}

/** strings.Title. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

/** goutils.DeleteWhiteSpace: byte by byte, as it is written (non-ASCII bytes come back as runes). */
function nospace(s: string): string {
  const b = bytes(s);
  const kept = [...b].filter((x) => !isSpaceRune(String.fromCharCode(x)));
  if (kept.length === b.length) return s;
  return kept.map((x) => String.fromCharCode(x)).join('');
}

function untitle(s: string): string {
  let next = true;
  let out = '';
  for (const ch of s) {
    if (isSpaceRune(ch)) next = true;
    else if (next) {
      out += ch.toLowerCase();
      next = false;
      continue;
    }
    out += ch;
  }
  return out;
}

/** goutils.SwapCase: upper to lower, lower to upper (title case after a space, which is upper case here). */
function swapcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    const low = ch.toLowerCase();
    if (ch === up && ch !== low) out += low;
    else if (ch === low && ch !== up) out += up;
    else out += ch;
  }
  return out;
}

function initials(s: string): string {
  let gap = true;
  let out = '';
  for (const b of bytes(s)) {
    const ch = String.fromCharCode(b);
    if (isSpaceRune(ch)) gap = true;
    else if (gap) {
      out += String.fromCodePoint(b);
      gap = false;
    }
  }
  return out;
}

function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLong: boolean): string {
  if (str === '') return '';
  const nl = newLine || '\n';
  const w = Math.max(1, wrapLength);
  const len = str.length;
  let offset = 0;
  let out = '';
  while (len - offset > w) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const end = w + offset + 1;
    const space = str.slice(offset, end).lastIndexOf(' ');
    const spaceAt = space + offset;
    if (space >= 0) {
      out += str.slice(offset, spaceAt) + nl;
      offset = spaceAt + 1;
    } else if (wrapLong) {
      out += str.slice(offset, w + offset) + nl;
      offset += w;
    } else {
      const idx = str.slice(w + offset).indexOf(' ');
      if (idx < 0) {
        out += str.slice(offset);
        offset = len;
      } else {
        out += str.slice(offset, idx + w + offset) + nl;
        offset = idx + w + offset + 1;
      }
    }
  }
  return out + str.slice(offset);
}

// xstrings word splitting for snakecase/kebabcase/camelcase.
function words(s: string): { type: 'conn' | 'punct' | 'upper' | 'alpha' | 'num' | 'other'; text: string }[] {
  const out: { type: 'conn' | 'punct' | 'upper' | 'alpha' | 'num' | 'other'; text: string }[] = [];
  const chars = [...s];
  const isConn = (c: string): boolean => c === '-' || c === '_' || /\s/u.test(c);
  const isUpper = (c: string): boolean => /\p{Lu}/u.test(c);
  const isAlpha = (c: string): boolean => /\p{L}/u.test(c);
  const isNum = (c: string): boolean => /\p{N}/u.test(c);
  const isPunct = (c: string): boolean => /\p{P}/u.test(c) && !isConn(c);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i]!;
    let j = i + 1;
    let type: 'conn' | 'punct' | 'upper' | 'alpha' | 'num' | 'other';
    if (isConn(c)) {
      type = 'conn';
      while (j < chars.length && isConn(chars[j]!)) j++;
    } else if (isPunct(c)) {
      type = 'punct';
      while (j < chars.length && isPunct(chars[j]!)) j++;
    } else if (isUpper(c)) {
      type = 'upper';
      if (j < chars.length && isUpper(chars[j]!)) {
        while (j < chars.length && isUpper(chars[j]!)) j++;
        if (j < chars.length && isAlpha(chars[j]!)) j--;
      } else while (j < chars.length && isAlpha(chars[j]!) && !isUpper(chars[j]!)) j++;
    } else if (isAlpha(c)) {
      type = 'alpha';
      while (j < chars.length && isAlpha(chars[j]!) && !isUpper(chars[j]!)) j++;
    } else if (isNum(c)) {
      type = 'num';
      while (j < chars.length && isNum(chars[j]!)) j++;
    } else {
      type = 'other';
      while (j < chars.length && !isConn(chars[j]!) && !isAlpha(chars[j]!) && !isNum(chars[j]!) && !isPunct(chars[j]!)) j++;
    }
    out.push({ type, text: chars.slice(i, j).join('') });
    i = j;
  }
  return out;
}

/** xstrings' snake/kebab case: words split at connectors and case changes, lower-cased, joined; digits stay with the word before. */
function toCase(s: string, connector: string): string {
  const parts: string[] = [];
  let current = '';
  for (const w of words(s)) {
    if (w.type === 'conn') {
      if (current) parts.push(current);
      current = '';
      continue;
    }
    if (current && w.type !== 'num' && w.type !== 'punct' && !/[\p{P}]$/u.test(current)) {
      parts.push(current);
      current = '';
    }
    current += w.text.toLowerCase();
  }
  if (current) parts.push(current);
  return parts.join(connector);
}

function pascal(s: string): string {
  return s
    .split(/[-_\s]+/u)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function cryptoRandom(count: number, alphabet: string): string {
  if (count < 0) throw new Error(`randomstringutils illegal argument: Requested random string length ${count} is less than 0.`);
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

export const stringFuncs: [string, FuncDef][] = [
  ['abbrev', { params: [I, S], fn: (w, s) => ((w as number) < 4 ? (s as string) : abbreviateFull(s as string, 0, w as number)) }],
  [
    'abbrevboth',
    {
      params: [I, I, S],
      fn: (l, r, s) => ((r as number) < 4 || ((l as number) > 0 && (r as number) < 7) ? (s as string) : abbreviateFull(s as string, l as number, r as number)),
    },
  ],
  ['trunc', { params: [I, S], fn: (c, s) => {
    const n = c as number;
    const len = bytes(s as string).length;
    if (n < 0 && len + n > 0) return byteSlice(s as string, len + n);
    if (n >= 0 && len > n) return byteSlice(s as string, 0, n);
    return s;
  } }],
  ['trim', { params: [S], fn: (s) => (s as string).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, '') }],
  ['upper', { params: [S], fn: (s) => (s as string).toUpperCase() }],
  ['lower', { params: [S], fn: (s) => (s as string).toLowerCase() }],
  ['title', { params: [S], fn: (s) => title(s as string) }],
  ['untitle', { params: [S], fn: (s) => untitle(s as string) }],
  ['substr', { params: [I, I, S], fn: (a, b, s) => {
    const start = a as number;
    const end = b as number;
    const len = bytes(s as string).length;
    if (start < 0) return byteSlice(s as string, 0, end);
    if (end < 0 || end > len) return byteSlice(s as string, start);
    return byteSlice(s as string, start, end);
  } }],
  ['repeat', { params: [I, S], fn: (c, s) => {
    if ((c as number) < 0) throw new Error('strings: negative Repeat count');
    return (s as string).repeat(c as number);
  } }],
  ['trimall', { params: [S, S], fn: (a, b) => trimCutset(b as string, a as string) }],
  ['trimAll', { params: [S, S], fn: (a, b) => trimCutset(b as string, a as string) }],
  ['trimSuffix', { params: [S, S], fn: (a, b) => ((b as string).endsWith(a as string) && a ? (b as string).slice(0, -(a as string).length) : b) }],
  ['trimPrefix', { params: [S, S], fn: (a, b) => ((b as string).startsWith(a as string) ? (b as string).slice((a as string).length) : b) }],
  ['nospace', { params: [S], fn: (s) => nospace(s as string) }],
  ['initials', { params: [S], fn: (s) => initials(s as string) }],
  ['randAlphaNum', { params: [I], fn: (n) => cryptoRandom(n as number, ALNUM) }],
  ['randAlpha', { params: [I], fn: (n) => cryptoRandom(n as number, ALNUM.slice(0, 52)) }],
  ['randAscii', { params: [I], fn: (n) => cryptoRandom(n as number, ASCII) }],
  ['randNumeric', { params: [I], fn: (n) => cryptoRandom(n as number, '0123456789') }],
  ['swapcase', { params: [S], fn: (s) => swapcase(s as string) }],
  ['shuffle', { params: [S], fn: (s) => {
    const r = [...(s as string)];
    for (let i = r.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [r[i], r[j]] = [r[j]!, r[i]!];
    }
    return r.join('');
  } }],
  ['snakecase', { params: [S], fn: (s) => toCase(s as string, '_') }],
  ['camelcase', { params: [S], fn: (s) => pascal(s as string) }],
  ['kebabcase', { params: [S], fn: (s) => toCase(s as string, '-') }],
  ['wrap', { params: [I, S], fn: (l, s) => wrapCustom(s as string, l as number, '', false) }],
  ['wrapWith', { params: [I, S, S], fn: (l, sep, s) => wrapCustom(s as string, l as number, sep as string, true) }],
  ['contains', { params: [S, S], fn: (sub, s) => (s as string).includes(sub as string) }],
  ['hasPrefix', { params: [S, S], fn: (p, s) => (s as string).startsWith(p as string) }],
  ['hasSuffix', { params: [S, S], fn: (p, s) => (s as string).endsWith(p as string) }],
  ['quote', { params: [], variadic: ANY, fn: (...a) => a.filter((x) => x !== null).map((x) => goQuote(strval(x))).join(' ') }],
  ['squote', { params: [], variadic: ANY, raw: true, fn: (...a) => a.filter((x) => x !== null && x !== NO_VALUE).map((x) => `'${sprint([x])}'`).join(' ') }],
  ['cat', { params: [], variadic: ANY, raw: true, fn: (...a) => a.filter((x) => x !== null && x !== NO_VALUE).map((x) => sprint([x])).join(' ') }],
  ['indent', { params: [I, S], fn: (n, s) => {
    const pad = ' '.repeat(Math.max(0, n as number));
    return pad + (s as string).split('\n').join(`\n${pad}`);
  } }],
  ['nindent', { params: [I, S], fn: (n, s) => {
    const pad = ' '.repeat(Math.max(0, n as number));
    return `\n${pad}${(s as string).split('\n').join(`\n${pad}`)}`;
  } }],
  ['replace', { params: [S, S, S], fn: (o, n, s) => replaceAll(s as string, o as string, n as string) }],
  ['plural', { params: [S, S, I], fn: (one, many, c) => ((c as number) === 1 ? one : many) }],
  ['toString', { params: [ANY], raw: true, fn: (v) => strval(v) }],
  ['join', { params: [S, ANY], raw: true, fn: (sep, v) => strslice(v).join(sep as string) }],
  ['split', { params: [S, S], fn: (sep, s) => new GoMap('map[string]string', goSplit(s as string, sep as string, -1).map((p, i) => [`_${i}`, p])) }],
  ['splitList', { params: [S, S], fn: (sep, s) => markSlice(goSplit(s as string, sep as string, -1), '[]string') }],
  ['splitn', { params: [S, I, S], fn: (sep, n, s) => new GoMap('map[string]string', goSplit(s as string, sep as string, n as number).map((p, i) => [`_${i}`, p])) }],
  ['toStrings', { params: [ANY], raw: true, fn: (v) => markSlice(strslice(v), '[]string') }],
  ['sortAlpha', { params: [ANY], raw: true, fn: (v) => markSlice(Array.isArray(v) ? strslice(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [strval(v)], '[]string') }],
];

/** strings.Trim(s, cutset). */
function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]!)) a++;
  while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** strings.Replace(s, old, new, -1): an empty `old` inserts between runes. */
function replaceAll(s: string, old: string, repl: string): string {
  if (old === '') return [...s].map((c) => repl + c).join('') + repl;
  return s.split(old).join(repl);
}

/** strings.Split / SplitN: an empty separator splits into runes. */
export function goSplit(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const runes = [...s];
    if (n < 0 || n >= runes.length) return runes;
    return [...runes.slice(0, n - 1), runes.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || n >= parts.length) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

export type { GoValue };
