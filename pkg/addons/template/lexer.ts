// Lexer for the Go text/template subset addon manifests use. It splits a template into
// text and action tokens and records the line of every token, so errors can name it.

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`template: ${file}:${line}: ${detail}`);
    this.name = 'TemplateError';
  }
}

export type TokenType =
  | 'text'
  | 'open'
  | 'close'
  | 'field'
  | 'variable'
  | 'dot'
  | 'ident'
  | 'string'
  | 'number'
  | 'bool'
  | 'nil'
  | 'declare'
  | 'assign'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'keyword';

export interface Token {
  type: TokenType;
  value: string;
  line: number;
  /** Whether whitespace preceded the token inside an action (chains like `(x).Field` need none). */
  spaced: boolean;
  /** For field and variable tokens: the chain of field names. */
  chain?: string[];
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** Splits `src` into tokens; `{{-` and `-}}` trim the neighbouring whitespace as Go does. */
export function lex(file: string, src: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let trimNext = false;
  const countLines = (s: string): number => (s.match(/\n/g) ?? []).length;

  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    let text = open < 0 ? src.slice(pos) : src.slice(pos, open);
    const textLine = line;
    line += countLines(text);
    const trimLeft = open >= 0 && /^\{\{-[ \t\r\n]/.test(src.slice(open, open + 4));
    if (trimNext) text = text.replace(/^\s+/, '');
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text) tokens.push({ type: 'text', value: text, line: textLine, spaced: false });
    trimNext = false;
    if (open < 0) break;

    pos = open + (trimLeft ? 3 : 2);
    // Comments: {{/* ... */}} (with optional trim markers).
    const rest = src.slice(pos).replace(/^\s*/, '');
    if (rest.startsWith('/*')) {
      const start = src.indexOf('/*', pos);
      const end = src.indexOf('*/', start + 2);
      if (end < 0) throw new TemplateError(file, line, 'unclosed comment');
      line += countLines(src.slice(pos, end));
      let after = end + 2;
      const m = /^\s*(-?)\s*\}\}/.exec(src.slice(after));
      if (!m) throw new TemplateError(file, line, 'comment ends before closing delimiter');
      trimNext = m[1] === '-';
      after += m[0].length;
      pos = after;
      continue;
    }
    tokens.push({ type: 'open', value: '{{', line, spaced: false });
    // Lex inside the action until the closing delimiter.
    let spaced = true;
    for (;;) {
      if (pos >= src.length) throw new TemplateError(file, line, 'unclosed action');
      const c = src[pos]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        if (c === '\n') line++;
        pos++;
        spaced = true;
        continue;
      }
      if (src.startsWith('-}}', pos) && spaced) {
        trimNext = true;
        pos += 3;
        tokens.push({ type: 'close', value: '}}', line, spaced });
        break;
      }
      if (src.startsWith('}}', pos)) {
        pos += 2;
        tokens.push({ type: 'close', value: '}}', line, spaced });
        break;
      }
      const push = (type: TokenType, value: string, len: number, chain?: string[]): void => {
        tokens.push({ type, value, line, spaced, ...(chain ? { chain } : {}) });
        pos += len;
        spaced = false;
      };
      const tail = src.slice(pos);
      let m: RegExpExecArray | null;
      if (c === '"') {
        m = /^"(?:[^"\\\n]|\\.)*"/.exec(tail);
        if (!m) throw new TemplateError(file, line, 'unterminated quoted string');
        push('string', JSON.parse(m[0]) as string, m[0].length);
      } else if (c === '`') {
        const end = src.indexOf('`', pos + 1);
        if (end < 0) throw new TemplateError(file, line, 'unterminated raw quoted string');
        const raw = src.slice(pos + 1, end);
        push('string', raw, end + 1 - pos);
        line += countLines(raw);
      } else if (c === "'") {
        m = /^'(\\.|[^'\\])'/.exec(tail);
        if (!m) throw new TemplateError(file, line, 'bad character constant');
        push('number', String((JSON.parse(`"${m[1]}"`) as string).codePointAt(0)), m[0].length);
      } else if (c === ':' && src[pos + 1] === '=') push('declare', ':=', 2);
      else if (c === '=') push('assign', '=', 1);
      else if (c === '|') push('pipe', '|', 1);
      else if (c === '(') push('lparen', '(', 1);
      else if (c === ')') push('rparen', ')', 1);
      else if (c === ',') push('comma', ',', 1);
      else if ((m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(tail))) push('field', m[0], m[0].length, m[0].slice(1).split('.'));
      else if (c === '.') push('dot', '.', 1);
      else if ((m = /^\$[A-Za-z0-9_]*((\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(tail))) {
        const [name, ...chain] = m[0].split('.');
        push('variable', name!, m[0].length, chain);
      } else if ((m = /^[-+]?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(tail))) push('number', m[0], m[0].length);
      else if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(tail))) {
        const w = m[0];
        if (w === 'true' || w === 'false') push('bool', w, w.length);
        else if (w === 'nil') push('nil', w, w.length);
        else if (KEYWORDS.has(w)) push('keyword', w, w.length);
        else push('ident', w, w.length);
      } else throw new TemplateError(file, line, `unexpected ${JSON.stringify(c)} in action`);
    }
  }
  return tokens;
}
