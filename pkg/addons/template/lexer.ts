// Lexer of Go's text/template (default delimiters), item for item: text, actions with their
// trim markers, comments, and the tokens inside actions. Positions are offsets into the
// source; lines count from 1. Errors come back as an 'error' item, as in Go.
import { ExitCode } from '../../errors/exit-codes.js';

/** A template parse or execution error, in Go's words and format. */
export class TemplateError extends Error {
  /** KubeOne wraps template errors in fail.Runtime: exit code 10. */
  readonly exitCode = ExitCode.runtime;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
    message?: string,
  ) {
    super(message ?? `template: ${file}:${line}: ${detail}`);
    this.name = 'TemplateError';
  }
}

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'EOF'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'range'
  | 'nil'
  | 'template'
  | 'with';

export interface Item {
  type: ItemType;
  val: string;
  pos: number;
  line: number;
}

const KEYWORDS: ReadonlySet<string> = new Set(['.', 'block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

export function isKeyword(t: ItemType): boolean {
  return KEYWORDS.has(t) || t === 'dot';
}

/** How an item is named in parse errors (Go's item.String). */
export function itemString(i: Item): string {
  if (i.type === 'EOF') return 'EOF';
  if (i.type === 'error') return i.val;
  if (isKeyword(i.type)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${goQuoteShort(runes.slice(0, 10).join(''))}...`;
  return goQuoteShort(i.val);
}

function goQuoteShort(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlphaNumeric(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || /^[\p{L}\p{Nd}]$/u.test(c));
}

function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s[1]);
}

function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s[0]) && s[1] === '-';
}

function rightTrimLength(s: string): number {
  return s.length - s.replace(/[ \t\r\n]+$/, '').length;
}

function leftTrimLength(s: string): number {
  return s.length - s.replace(/^[ \t\r\n]+/, '').length;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Tokenizes `input`; the last item is EOF or an error item. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  let parenDepth = 0;

  const emit = (type: ItemType): void => {
    items.push({ type, val: input.slice(start, pos), pos: start, line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line += countNewlines(input.slice(start, pos));
    start = pos;
    startLine = line;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) {
      pos = input.length + 1;
      return undefined;
    }
    const c = String.fromCodePoint(input.codePointAt(pos)!);
    pos += c.length;
    if (c === '\n') line++;
    return c;
  };
  const backup = (c: string | undefined): void => {
    if (c === undefined) {
      pos = input.length;
      return;
    }
    pos -= c.length;
    if (c === '\n') line--;
  };
  const peek = (): string | undefined => {
    const c = next();
    backup(c);
    return c;
  };
  const fail = (msg: string): Item[] => {
    items.push({ type: 'error', val: msg, pos: start, line: startLine });
    return items;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(input.slice(pos)) && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };
  const atTerminator = (): boolean => {
    const c = peek();
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:)('.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const accept = (valid: string): boolean => {
    const c = next();
    if (c !== undefined && valid.includes(c)) return true;
    backup(c);
    return false;
  };
  const acceptRun = (valid: string): void => {
    for (;;) {
      const c = next();
      if (c === undefined || !valid.includes(c)) {
        backup(c);
        return;
      }
    }
  };
  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  // Text and actions alternate until EOF.
  let insideAction = false;
  for (;;) {
    if (!insideAction) {
      const x = input.indexOf(LEFT, pos);
      if (x < 0) {
        pos = input.length;
        if (pos > start) {
          line += countNewlines(input.slice(start, pos));
          emit('text');
        }
        items.push({ type: 'EOF', val: '', pos, line });
        return items;
      }
      if (x > pos) {
        pos = x;
        const trim = hasLeftTrimMarker(input.slice(pos + LEFT.length)) ? rightTrimLength(input.slice(start, pos)) : 0;
        pos -= trim;
        line += countNewlines(input.slice(start, pos));
        const text = input.slice(start, pos);
        const item: Item = { type: 'text', val: text, pos: start, line: startLine };
        start = pos;
        startLine = line;
        pos += trim;
        ignore();
        if (text.length > 0) items.push(item);
      }
      // left delimiter
      pos += LEFT.length;
      const trimSpace = hasLeftTrimMarker(input.slice(pos));
      const afterMarker = trimSpace ? 2 : 0;
      if (input.startsWith(LEFT_COMMENT, pos + afterMarker)) {
        pos += afterMarker;
        ignore();
        // comment
        pos += LEFT_COMMENT.length;
        const end = input.indexOf(RIGHT_COMMENT, pos);
        if (end < 0) return fail('unclosed comment');
        pos = end + RIGHT_COMMENT.length;
        const d = atRightDelim();
        if (!d.delim) return fail('comment ends before closing delimiter');
        if (d.trim) pos += 2;
        pos += RIGHT.length;
        if (d.trim) pos += leftTrimLength(input.slice(pos));
        ignore();
        continue;
      }
      emit('leftDelim');
      insideAction = true;
      pos += afterMarker;
      ignore();
      parenDepth = 0;
      continue;
    }

    // inside an action
    const d = atRightDelim();
    if (d.delim) {
      if (parenDepth !== 0) return fail('unclosed left paren');
      if (d.trim) {
        pos += 2;
        ignore();
      }
      pos += RIGHT.length;
      emit('rightDelim');
      if (d.trim) {
        pos += leftTrimLength(input.slice(pos));
        ignore();
      }
      insideAction = false;
      continue;
    }
    const c = next();
    if (c === undefined) return fail('unclosed action');
    if (isSpace(c)) {
      backup(c);
      let numSpaces = 0;
      while (isSpace(peek())) {
        next();
        numSpaces++;
      }
      if (hasRightTrimMarker(input.slice(pos - 1)) && input.startsWith(RIGHT, pos + 1)) {
        backup(input[pos - 1]);
        if (numSpaces === 1) continue; // on the " -}}": the right delimiter comes next
      }
      emit('space');
      continue;
    }
    switch (c) {
      case '=':
        emit('assign');
        continue;
      case ':':
        if (next() !== '=') return fail('expected :=');
        emit('declare');
        continue;
      case '|':
        emit('pipe');
        continue;
      case '"': {
        for (;;) {
          const q = next();
          if (q === '\\') {
            const r = next();
            if (r !== undefined && r !== '\n') continue;
            return fail('unterminated quoted string');
          }
          if (q === undefined || q === '\n') return fail('unterminated quoted string');
          if (q === '"') break;
        }
        emit('string');
        continue;
      }
      case '`': {
        for (;;) {
          const q = next();
          if (q === undefined) return fail('unterminated raw quoted string');
          if (q === '`') break;
        }
        emit('rawString');
        continue;
      }
      case '$':
      case '.': {
        if (c === '.' && pos < input.length && input[pos]! >= '0' && input[pos]! <= '9') {
          backup(c);
          if (!scanNumber()) return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
          emit('number');
          continue;
        }
        const type: ItemType = c === '$' ? 'variable' : 'field';
        if (atTerminator()) {
          emit(type === 'variable' ? 'variable' : 'dot');
          continue;
        }
        let r: string | undefined;
        for (;;) {
          r = next();
          if (!isAlphaNumeric(r)) {
            backup(r);
            break;
          }
        }
        if (!atTerminator()) return fail(`bad character ${unicodeName(r)}`);
        emit(type);
        continue;
      }
      case "'": {
        for (;;) {
          const q = next();
          if (q === '\\') {
            const r = next();
            if (r !== undefined && r !== '\n') continue;
            return fail('unterminated character constant');
          }
          if (q === undefined || q === '\n') return fail('unterminated character constant');
          if (q === "'") break;
        }
        emit('charConstant');
        continue;
      }
      case '(':
        parenDepth++;
        emit('leftParen');
        continue;
      case ')':
        parenDepth--;
        if (parenDepth < 0) return fail('unexpected right paren');
        emit('rightParen');
        continue;
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
      backup(c);
      if (!scanNumber()) return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      const sign = peek();
      if (sign === '+' || sign === '-') {
        if (!scanNumber() || input[pos - 1] !== 'i') return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        emit('complex');
        continue;
      }
      emit('number');
      continue;
    }
    if (isAlphaNumeric(c)) {
      let r: string | undefined;
      for (;;) {
        r = next();
        if (!isAlphaNumeric(r)) {
          backup(r);
          break;
        }
      }
      if (!atTerminator()) return fail(`bad character ${unicodeName(r)}`);
      const word = input.slice(start, pos);
      if (KEYWORDS.has(word) && word !== '.') emit(word as ItemType);
      else if (word === 'true' || word === 'false') emit('bool');
      else emit('identifier');
      continue;
    }
    if (c.codePointAt(0)! <= 0x7f && c.codePointAt(0)! >= 0x20) {
      emit('char');
      continue;
    }
    return fail(`unrecognized character in action: ${unicodeName(c)}`);
  }
}

/** Go's %#U: U+0041 'A'. */
export function unicodeName(c: string | undefined): string {
  if (c === undefined) return 'U+FFFFFFFF';
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}
