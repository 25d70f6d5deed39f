// Go's encoding/json for template values: Marshal (struct tags, omitempty, sorted map keys,
// HTML escaping, Go's float format), MarshalIndent, and Unmarshal into interface{} (numbers
// become float64) with Go's error messages.
import { formatFloat } from './fmt.js';
import { formatTime } from './gotime.js';
import {
  GoMap,
  GoStruct,
  GoTime,
  type GoValue,
  NilPointer,
  NO_VALUE,
  Scalar,
  float64,
  isNilSlice,
  sliceType,
  typeName,
} from './values.js';

function quote(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20) out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += `\\u00${c.toString(16)}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += ch + s[i + 1];
        i++;
      } else out += '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatFloat(f, 'g', -1)}`);
  const abs = Math.abs(f);
  let fmt = 'f';
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  let s = formatFloat(f, fmt, -1);
  if (fmt === 'e') s = s.replace(/e-0(\d)$/, 'e-$1');
  return s;
}

function isEmptyValue(v: GoValue): boolean {
  if (v === null || v === NO_VALUE || v instanceof NilPointer) return true;
  if (typeof v === 'string') return v === '';
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (v instanceof Scalar) return v.value === '' || v.value === 0 || v.value === false;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoMap) return v.entries.size === 0;
  return false;
}

function structFields(s: GoStruct, out: [string, GoValue][]): void {
  for (const f of s.type.fields) {
    if (f.json === '-') continue;
    const v = s.values.get(f.name) ?? null;
    if (f.json === '') {
      if (v instanceof GoStruct) {
        structFields(v, out);
        continue;
      }
    }
    if (f.omitempty && isEmptyValue(v)) continue;
    out.push([f.json || f.name, v]);
  }
}

/** json.Marshal. Throws Go's errors (unsupported values). */
export function marshal(v: GoValue, escapeHTML = true): string {
  if (v === null || v === NO_VALUE || v instanceof NilPointer) return 'null';
  if (typeof v === 'string') return quote(v, escapeHTML);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(Math.trunc(v));
  if (v instanceof Scalar) {
    if (v.type === 'v1.Duration') return quote(String(v.value), escapeHTML);
    if (v.kind === 'float') return jsonFloat(v.value as number);
    if (v.kind === 'string') return quote(v.value as string, escapeHTML);
    return String(v.value);
  }
  if (Array.isArray(v)) {
    if (isNilSlice(v)) return 'null';
    if (sliceType(v) === '[]uint8') return quote(Buffer.from(v as number[]).toString('base64'), escapeHTML);
    return `[${v.map((x) => marshal(x, escapeHTML)).join(',')}]`;
  }
  if (v instanceof GoMap) {
    if (v.nil) return 'null';
    return `{${v.sortedKeys().map((k) => `${quote(k, escapeHTML)}:${marshal(v.entries.get(k)!, escapeHTML)}`).join(',')}}`;
  }
  if (v instanceof GoTime) return quote(formatTime(v, '2006-01-02T15:04:05.999999999Z07:00'), escapeHTML);
  if (v instanceof GoStruct) {
    if (v.type.toJSON) return marshal(v.type.toJSON(v), escapeHTML);
    const fields: [string, GoValue][] = [];
    structFields(v, fields);
    return `{${fields.map(([k, x]) => `${quote(k, escapeHTML)}:${marshal(x, escapeHTML)}`).join(',')}}`;
  }
  throw new Error(`json: unsupported type: ${typeName(v)}`);
}

/** json.Indent over compact JSON (as MarshalIndent does). */
export function indentJSON(compact: string, prefix: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  const newline = (): string => `\n${prefix}${indent.repeat(depth)}`;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i]!;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += compact[++i];
      } else if (c === '"') inString = false;
      continue;
    }
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        needIndent = true;
        break;
      case ',':
        out += c + newline();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) needIndent = false;
        else {
          depth--;
          out += newline();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ------------------------------------------------------------------------------ Unmarshal

class JsonSyntaxError extends Error {}

/** json.Unmarshal into interface{}: objects are map[string]interface{}, numbers float64. */
export function unmarshal(text: string): GoValue {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const charDesc = (c: string): string => (c === "'" ? "'\\''" : c === '"' ? "'\"'" : `'${c}'`);
  const fail = (what: string): never => {
    if (i >= n) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${charDesc(text[i]!)} ${what}`);
  };
  const value = (): GoValue => {
    ws();
    if (i >= n) fail('looking for beginning of value');
    const c = text[i]!;
    if (c === '{') {
      i++;
      const m = new GoMap('map[string]interface {}');
      ws();
      if (text[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        const k = str();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        m.entries.set(k, value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return m;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: GoValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (c === lit[0]) {
        for (let j = 0; j < lit.length; j++, i++) {
          if (text[i] !== lit[j]) fail(`in literal ${lit} (expecting ${charDesc(lit[j]!)})`);
        }
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m && m[0] !== '-') {
      i += m[0].length;
      return float64(Number(m[0]));
    }
    if (c === '-') {
      i++;
      fail('in numeric literal');
    }
    return fail('looking for beginning of value');
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) fail('');
      const c = text[i]!;
      if (c === '"') break;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === undefined) {
          i = n;
          fail('');
        }
        if (!'"\\/bfnrtu'.includes(e!)) {
          i++;
          fail('in string escape code');
        }
        i += e === 'u' ? 6 : 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('in string literal');
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i < n) fail('after top-level value');
  return v;
}

export { JsonSyntaxError };
