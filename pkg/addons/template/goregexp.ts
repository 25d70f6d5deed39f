// Go's regexp (RE2 syntax) on JavaScript's engine: the pattern is translated (flags,
// named groups, \A \z, POSIX classes, \Q...\E, escapes of punctuation) and the methods sprig
// calls behave as Go's: FindAllString's handling of empty matches, Split, and
// ReplaceAllString's $1 / ${name} expansion.
import { own } from './values.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

function escapeLiteral(ch: string, inClass: boolean): string {
  if (JS_SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
  return ch;
}

/** Translates an RE2 pattern to a JS RegExp (flags: u, plus i/s/m from a leading (?flags)). */
export function compileGoRegexp(pattern: string): RegExp {
  let src = pattern;
  let flags = 'u';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U')) throw new Error(`error parsing regexp: ungreedy flag (?U) is not supported: \`${pattern}\``);
    flags += [...new Set(lead[1]!.replace('U', ''))].join('');
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  // For Go's error messages: where the open class starts, open groups, and what came before.
  let classStart = 0;
  let depth = 0;
  let prev: 'start' | 'atom' | 'repeat' | 'lazy' = 'start';
  const fail = (code: string, expr: string): never => {
    throw new Error(`error parsing regexp: ${code}: \`${expr}\``);
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (!inClass && (c === '*' || c === '+' || c === '?')) {
      if (prev === 'start') fail('missing argument to repetition operator', c);
      if (prev === 'lazy' || (prev === 'repeat' && c !== '?')) fail('invalid nested repetition operator', src.slice(i - 1, i + 1));
      prev = prev === 'repeat' && c === '?' ? 'lazy' : 'repeat';
      out += c;
      continue;
    }
    if (!inClass) prev = c === '(' || c === '|' ? 'start' : 'atom';
    if (!inClass && c === ')') {
      if (depth === 0) fail('unexpected )', pattern);
      depth--;
    }
    if (!inClass && c === '(') {
      depth++;
      if (src.startsWith('(?:', i)) {
        out += '(?:';
        i += 2;
        continue;
      }
    }
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) throw new Error(`error parsing regexp: trailing backslash at end of expression: \`\``);
      i++;
      if (e === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const lit = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        out += [...lit].map((ch) => escapeLiteral(ch, inClass)).join('');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (e === 'A' && !inClass) {
        out += '(?<![\\s\\S])';
        continue;
      }
      if (e === 'z' && !inClass) {
        out += '(?![\\s\\S])';
        continue;
      }
      if (e === 'p' || e === 'P') {
        if (src[i + 1] === '{') {
          const end = src.indexOf('}', i);
          out += `\\${e}{${src.slice(i + 2, end)}}`;
          i = end;
        } else {
          out += `\\${e}{${src[i + 1]}}`;
          i++;
        }
        continue;
      }
      if ('dDsSwWbBtnrfv'.includes(e)) {
        out += `\\${e}`;
        continue;
      }
      if (e === 'a') {
        out += '\\x07';
        continue;
      }
      if (e === 'x') {
        if (src[i + 1] === '{') {
          const close = src.indexOf('}', i);
          out += `\\u{${src.slice(i + 2, close)}}`;
          i = close;
        } else {
          out += `\\x${src.slice(i + 1, i + 3)}`;
          i += 2;
        }
        continue;
      }
      if (/[0-7]/.test(e)) {
        const oct = /^[0-7]{1,3}/.exec(src.slice(i))![0];
        if (e !== '0' && oct.length === 1) throw new Error(`error parsing regexp: invalid escape sequence: \`\\${e}\``);
        out += `\\u{${parseInt(oct, 8).toString(16)}}`;
        i += oct.length - 1;
        continue;
      }
      if (/[A-Za-z0-9]/.test(e)) throw new Error(`error parsing regexp: invalid escape sequence: \`\\${e}\``);
      out += escapeLiteral(e, inClass);
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end > 0) {
          const name = src.slice(i + 2, end);
          const neg = name.startsWith('^');
          const cls = own(POSIX, neg ? name.slice(1) : name);
          if (!cls) throw new Error(`error parsing regexp: invalid character class range: \`[:${name}:]\``);
          if (neg) throw new Error(`error parsing regexp: negated POSIX classes are not supported: \`[:${name}:]\``);
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      const lo = src[i - 1]!;
      const hi = src[i + 1];
      if (c === '-' && i - 1 > classStart && src[i - 2] !== '\\' && lo !== '^' && hi !== undefined && hi !== ']' && hi !== '\\' && hi < lo) {
        fail('invalid character class range', `${lo}-${hi}`);
      }
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = i;
      out += c;
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && /^\(\?[imsU-]+[:)]/.test(src.slice(i))) {
      throw new Error(`error parsing regexp: inline flag groups are not supported: \`${pattern}\``);
    }
    out += c;
  }
  if (inClass) fail('missing closing ]', src.slice(classStart));
  if (depth > 0) fail('missing closing )', pattern);
  try {
    return new RegExp(out, `${flags}g`);
  } catch (e) {
    // What JavaScript refuses and the checks above do not name (a reversed range, ...).
    const reason = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    return fail(reason.charAt(0).toLowerCase() + reason.slice(1), pattern);
  }
}

/** regexp.MustCompile's panic text. */
export function mustCompile(pattern: string): RegExp {
  try {
    return compileGoRegexp(pattern);
  } catch (e) {
    throw new Error(`regexp: Compile(${JSON.stringify(pattern)}): ${(e as Error).message}`);
  }
}

function advance(s: string, i: number): number {
  const cp = s.codePointAt(i);
  return i + (cp !== undefined && cp > 0xffff ? 2 : 1);
}

/** FindAllStringSubmatchIndex with Go's rules: n < 0 means all; an empty match right after a match is skipped. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    let accept = true;
    if (end === start) {
      if (start === prevEnd) accept = false;
      pos = start < s.length ? advance(s, start) : s.length + 1;
    } else pos = end;
    if (accept) {
      out.push(m);
      prevEnd = end;
    }
  }
  return out;
}

export function matchString(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s);
}

export function findString(re: RegExp, s: string): string {
  re.lastIndex = 0;
  const m = re.exec(s);
  return m ? m[0] : '';
}

export function split(re: RegExp, s: string, n: number, pattern: string): string[] {
  if (n === 0) return [];
  if (pattern.length > 0 && s.length === 0) return [''];
  const matches = findAll(re, s, n);
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of matches) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's Regexp.Expand of a template against a match: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let len = 0;
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const bare = /^[A-Za-z0-9_]+/.exec(rest);
    if (braced) [name, len] = [braced[1], braced[0].length];
    else if (bare) [name, len] = [bare[0], bare[0].length];
    if (name === undefined) {
      out += '$';
      continue;
    }
    i += len;
    if (/^\d+$/.test(name)) {
      const idx = Number(name);
      out += idx < m.length ? (m[idx] ?? '') : '';
    } else out += m.groups?.[name] ?? '';
  }
  return out;
}

export function replaceAll(re: RegExp, s: string, repl: string, literal: boolean): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, s, -1)) {
    out += s.slice(last, m.index) + (literal ? repl : expand(repl, m));
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
