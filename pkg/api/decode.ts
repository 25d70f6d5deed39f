// Bounded decoding of input files (manifest, credentials file, Terraform output, snapshots):
// whatever a file under the 4 MiB input limit holds, it is decided in linear time and memory.
// The yaml library's own duplicate-key check is quadratic and its composer recurses once per
// nesting level, so the text is first run through its (iterative) lexer and parser with a
// nesting, alias and document budget, and duplicate keys are found here with one Set per map.
// Error messages name positions, never quote the input (it may be binary or hold secrets).
import { Composer, CST, type Document, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, type Node, Parser } from 'yaml';

/** Deeper than any manifest, Helm values file or snapshot needs; far below the stack limit. */
export const MAX_NESTING = 64;
/** Aliases resolve in quadratic time in the yaml library; manifests use a handful at most. */
export const MAX_ALIASES = 1000;
/**
 * Scalars (keys and values) in one file. The yaml library needs ~20 µs per key on a busy
 * 2-core machine, so 4 MiB of short keys would take seconds; a 5,000-host manifest has
 * about 60,000 scalars. Large Helm values belong in valuesFile, large configs in strings.
 */
export const MAX_SCALARS = 100_000;
/** Values (array elements and object members) in one JSON file: a 5,000-host snapshot has about 300,000. */
export const MAX_JSON_VALUES = 500_000;

export interface DecodeProblem {
  message: string;
  line?: number;
  col?: number;
}

export class DecodeError extends Error {
  constructor(readonly problems: DecodeProblem[]) {
    super(problems.map((p) => (p.line !== undefined ? `${p.line}:${p.col}: ${p.message}` : p.message)).join('\n'));
    this.name = 'DecodeError';
  }
}

export interface DecodedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * Parses `text` as exactly one YAML document (YAML 1.1, as Go's decoder), refusing more than
 * MAX_NESTING levels, more than MAX_ALIASES aliases, a second non-empty document and
 * duplicate keys. `what` names the input in messages ("the manifest").
 */
export function decodeYamlDocument(text: string, what: string): DecodedYaml {
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  const at = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);
  let documents = 0;
  let aliases = 0;
  let scalars = 0;
  let afterScalarMarker = false;
  const accept = (token: CST.Token): void => {
    if (token.type === 'document') {
      documents++;
      // A trailing `---` with nothing after it is tolerated, anything more is not.
      if (documents > 2 || (documents > 1 && token.value !== undefined)) {
        throw new DecodeError([{ message: `${what} must be a single YAML document (found a second document)`, ...at(token.offset) }]);
      }
    }
    tokens.push(token);
  };
  for (const lexeme of new Lexer().lex(text)) {
    // Content after the scalar marker is scalar text even when it starts with `*`.
    const type = afterScalarMarker ? 'scalar' : CST.tokenType(lexeme);
    if (type === 'alias' && ++aliases > MAX_ALIASES) {
      throw new DecodeError([{ message: `${what} uses more than ${MAX_ALIASES} YAML aliases`, ...at(parser.offset) }]);
    }
    if ((lexeme === CST.SCALAR || type === 'single-quoted-scalar' || type === 'double-quoted-scalar') && ++scalars > MAX_SCALARS) {
      throw new DecodeError([{ message: `${what} has more than ${MAX_SCALARS} YAML scalars (keys and values)`, ...at(parser.offset) }]);
    }
    afterScalarMarker = lexeme === CST.SCALAR;
    for (const token of parser.next(lexeme)) accept(token);
    // The parser's stack holds the document and every collection still open.
    if (parser.stack.length > MAX_NESTING + 1) {
      throw new DecodeError([{ message: `${what} nests collections more than ${MAX_NESTING} levels deep`, ...at(parser.offset) }]);
    }
  }
  for (const token of parser.end()) accept(token);

  const composer = new Composer({ version: '1.1', uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const docs = [...composer.compose(tokens, true, text.length)];
  const doc = docs[0]!;
  const problems: DecodeProblem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { message: printable(e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')), ...(pos ? { line: pos.line, col: pos.col } : {}) };
  });
  if (problems.length > 0) throw new DecodeError(problems);
  const duplicates = duplicateKeys(doc.contents as Node | null, lineCounter);
  if (duplicates.length > 0) throw new DecodeError(duplicates);
  return { doc, lineCounter };
}

/** Library messages may quote a character of the input: control characters are shown escaped, never sent to a terminal. */
function printable(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Every key that repeats an earlier key of its map (compared as strings, as they land in JS). */
function duplicateKeys(root: Node | null, lineCounter: LineCounter): DecodeProblem[] {
  const problems: DecodeProblem[] = [];
  const pending: (Node | null | undefined)[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        if (isScalar(key) && key.value !== '<<') {
          const name = String(key.value);
          if (seen.has(name)) {
            const start = key.range?.[0];
            problems.push({ message: 'duplicate key (map keys must be unique)', ...(start !== undefined ? lineCounter.linePos(start) : {}) });
          }
          seen.add(name);
        }
        pending.push(item.value as Node | null);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item as Node | null);
    }
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/** toJS with the alias budget; unresolved aliases and alias bombs become a DecodeError. */
export function yamlToJS(decoded: DecodedYaml): unknown {
  try {
    return decoded.doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new DecodeError([{ message: `invalid YAML: ${printable((e as Error).message.split('\n')[0]!)}` }]);
  }
}

/** One YAML document to a JS value (credentials file, registriesAuth, Helm inline values). */
export function decodeYaml(text: string, what: string): unknown {
  return yamlToJS(decodeYamlDocument(text, what));
}

/** Line and column (1-based) of a character offset. */
function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/**
 * JSON.parse with a nesting budget checked first (one linear scan), and errors that give a
 * position instead of V8's message, which quotes the input.
 */
export function decodeJson(text: string, what: string): unknown {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) throw new DecodeError([{ message: `${what} nests more than ${MAX_NESTING} levels deep`, ...positionOf(text, i) }]);
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++values > MAX_JSON_VALUES) {
      throw new DecodeError([{ message: `${what} has more than ${MAX_JSON_VALUES} values`, ...positionOf(text, i) }]);
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const offset = /at position (\d+)/.exec((e as Error).message)?.[1];
    const where = offset !== undefined ? positionOf(text, Number(offset)) : {};
    const message = /Unexpected end of JSON input/.test((e as Error).message) ? `${what} is not valid JSON (unexpected end)` : `${what} is not valid JSON`;
    throw new DecodeError([{ message, ...where }]);
  }
}
