// Parser of Go's text/template, as Go's text/template/parse: the same grammar, the same
// parse-time checks (every function must be defined, every variable declared, break and
// continue only inside range) and the same error messages, with {{define}}, {{template}}
// and {{block}} building a set of named trees.
import { type Item, type ItemType, TemplateError, itemString, lex } from './lexer.js';

export interface TextNode { type: 'text'; pos: number; text: string }
export interface ActionNode { type: 'action'; pos: number; line: number; pipe: PipeNode }
export interface BranchNode { type: 'if' | 'range' | 'with'; pos: number; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface TemplateNode { type: 'template'; pos: number; line: number; name: string; pipe: PipeNode | null }
export interface BreakNode { type: 'break' | 'continue'; pos: number; line: number }
export interface ListNode { type: 'list'; pos: number; nodes: Node[] }
export type Node = TextNode | ActionNode | BranchNode | TemplateNode | BreakNode | ListNode;

export interface PipeNode { type: 'pipe'; pos: number; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode { type: 'command'; pos: number; args: ArgNode[] }
export interface FieldNode { type: 'field'; pos: number; ident: string[] }
export interface VariableNode { type: 'variable'; pos: number; ident: string[] }
export interface ChainNode { type: 'chain'; pos: number; node: ArgNode; field: string[] }
export interface IdentifierNode { type: 'identifier'; pos: number; ident: string }
export interface DotNode { type: 'dot'; pos: number }
export interface NilNode { type: 'nil'; pos: number }
export interface BoolNode { type: 'bool'; pos: number; value: boolean }
export interface StringNode { type: 'string'; pos: number; quoted: string; text: string }
export interface NumberNode {
  type: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: number;
  float: number;
}
export type ArgNode = FieldNode | VariableNode | ChainNode | IdentifierNode | DotNode | NilNode | BoolNode | StringNode | NumberNode | PipeNode;

/** A parsed template set: the named trees (the file itself under its own name). */
export interface TreeSet {
  text: string;
  /** Name errors report (the file). */
  parseName: string;
  trees: Map<string, ListNode>;
}

type ElseNode = { type: 'else' | 'end'; pos: number; line: number };

const MAX_STACK_DEPTH = 10000;

/** Parses `text` named `name`; `hasFunction` says which identifiers are functions. */
export function parse(name: string, text: string, hasFunction: (n: string) => boolean): TreeSet {
  const set: TreeSet = { text, parseName: name, trees: new Map() };
  const items = lex(text);
  const p = new Parser(name, items, set, hasFunction);
  const root = p.parseRoot();
  p.addTree(name, root);
  return set;
}

class Parser {
  private idx = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private stackDepth = 0;
  /** Highest item index read so far: Go reports the line of the last token lexed. */
  private furthest = 0;
  /** Line of the {{ of the action being parsed (0 outside actions). */
  private actionLine = 0;

  constructor(
    private readonly name: string,
    private readonly items: Item[],
    private readonly set: TreeSet,
    private readonly hasFunction: (n: string) => boolean,
  ) {
  }

  // ---- token stream (spaces are tokens, as in Go) ----

  private next(): Item {
    const i = Math.min(this.idx, this.items.length - 1);
    const it = this.items[i]!;
    if (this.idx < this.items.length) this.idx++;
    this.furthest = Math.max(this.furthest, i);
    return it;
  }
  private backup(n = 1): void {
    this.idx -= n;
  }
  private peek(): Item {
    const i = Math.min(this.idx, this.items.length - 1);
    this.furthest = Math.max(this.furthest, i);
    return this.items[i]!;
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.type === 'space');
    return t;
  }
  private peekNonSpace(): Item {
    const save = this.idx;
    const t = this.nextNonSpace();
    this.idx = save;
    return t;
  }

  private errorf(msg: string): never {
    throw new TemplateError(this.name, this.items[this.furthest]!.line, msg);
  }
  private unexpected(t: Item, context: string): never {
    if (t.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(t.val + extra);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }
  private expect(type: ItemType, context: string): Item {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  addTree(name: string, root: ListNode): void {
    const existing = this.set.trees.get(name);
    if (!existing || isEmptyTree(existing)) {
      this.set.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${JSON.stringify(name)}`);
  }

  // ---- grammar ----

  parseRoot(): ListNode {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'EOF') {
      if (this.peek().type === 'leftDelim') {
        const save = this.idx;
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        this.idx = save;
      }
      const n = this.textOrAction();
      if (isElse(n)) this.errorf(`unexpected ${elseString(n)}`);
      root.nodes.push(n);
    }
    if (this.peek().type === 'error') this.unexpected(this.peek(), 'input');
    return root;
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    if (nameTok.type !== 'string' && nameTok.type !== 'rawString') this.unexpected(nameTok, context);
    const name = unquote(nameTok.val, (m) => this.errorf(m));
    this.expect('rightDelim', context);
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, end } = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${elseString(end)} in ${context}`);
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    this.addTree(name, list);
  }

  private itemList(): { list: ListNode; end: ElseNode } {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'EOF') {
      const n = this.textOrAction();
      if (isElse(n)) return { list, end: n };
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | ElseNode {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'leftDelim':
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(t, 'input');
    }
  }

  private action(): Node | ElseNode {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue': {
        const close = this.nextNonSpace();
        if (close.type !== 'rightDelim') this.unexpected(close, `{{${t.type}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${t.type}}} outside {{range}}`);
        return { type: t.type, pos: t.pos, line: t.line };
      }
      case 'else': {
        const peek = this.peekNonSpace();
        if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos, line: peek.line };
        const close = this.expect('rightDelim', 'else');
        return { type: 'else', pos: close.pos, line: close.line };
      }
      case 'end': {
        const close = this.expect('rightDelim', 'end');
        return { type: 'end', pos: close.pos, line: close.line };
      }
      case 'if':
      case 'range':
      case 'with':
        return this.parseControl(t.type);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const tok = this.peek();
    return { type: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const first = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (first.end.type === 'else') {
        const nextTok = this.peekNonSpace();
        if ((context === 'if' && nextTok.type === 'if') || (context === 'with' && nextTok.type === 'with')) {
          this.nextNonSpace();
          elseList = { type: 'list', pos: first.end.pos, nodes: [this.parseControl(context)] };
        } else {
          const rest = this.itemList();
          if (rest.end.type !== 'end') this.errorf(`expected end; found ${elseString(rest.end)}`);
          elseList = rest.list;
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list: first.list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const tok = this.nextNonSpace();
    const name = this.templateName(tok, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, end } = this.itemList();
    if (end.type !== 'end') this.errorf(`unexpected ${elseString(end)} in ${context}`);
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    this.addTree(name, list);
    return { type: 'template', pos: tok.pos, line: tok.line, name, pipe };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const tok = this.nextNonSpace();
    const name = this.templateName(tok, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: tok.pos, line: tok.line, name, pipe };
  }

  private templateName(tok: Item, context: string): string {
    if (tok.type === 'string' || tok.type === 'rawString') return unquote(tok.val, (m) => this.errorf(m));
    this.unexpected(tok, context);
  }

  private pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    // declarations
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const save = this.idx;
      this.nextNonSpace();
      const after = this.peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        pipe.isAssign = after.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        break;
      }
      if (after.type === 'char' && after.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.idx = save;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'complex':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().type !== 'field') return node;
    const fields: string[] = [];
    const pos = this.peek().pos;
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    // As Go: the merged node takes the position of the chain (its first appended field).
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.errorf(`unexpected . after term ${JSON.stringify(argString(node))}`);
    }
    return { type: 'chain', pos, node, field: fields };
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.errorf(`function ${JSON.stringify(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.val)) this.errorf(`undefined variable ${JSON.stringify(t.val)}`);
        return { type: 'variable', pos: t.pos, ident: [t.val] };
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'complex':
      case 'number':
        return newNumber(t, (m) => this.errorf(m));
      case 'leftParen': {
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', 'rightParen');
        } finally {
          this.stackDepth--;
        }
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: unquote(t.val, (m) => this.errorf(m)) };
    }
    this.backup();
    return null;
  }
}

function isElse(n: Node | ElseNode): n is ElseNode {
  return n.type === 'else' || n.type === 'end';
}

function elseString(n: ElseNode): string {
  return n.type === 'else' ? '{{else}}' : '{{end}}';
}

/** Whether a tree holds nothing but spaces (a redefinition of it is allowed). */
function isEmptyTree(n: ListNode): boolean {
  return n.nodes.every((x) => x.type === 'text' && x.text.trim() === '');
}

// ------------------------------------------------------------------------------ literals

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** strconv.Unquote for "..." and `...`; calls fail with Go's message on bad syntax. */
export function unquote(q: string, fail: (msg: string) => never): string {
  if (q.startsWith('`')) {
    if (!q.endsWith('`') || q.length < 2) fail('invalid syntax');
    return q.slice(1, -1).replace(/\r/g, '');
  }
  const quote = q[0]!;
  if (q.length < 2 || q[q.length - 1] !== quote) fail('invalid syntax');
  const body = q.slice(1, -1);
  let out = '';
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length) {
      out += Buffer.from(bytes).toString('utf8');
      bytes.length = 0;
    }
  };
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c === quote && quote === '"') fail('invalid syntax');
    if (c !== '\\') {
      flushBytes();
      const ch = String.fromCodePoint(body.codePointAt(i)!);
      out += ch;
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) fail('invalid syntax');
    if (SIMPLE_ESCAPES[e!] !== undefined) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'")) fail('invalid syntax');
      flushBytes();
      out += SIMPLE_ESCAPES[e!];
      i += 2;
      continue;
    }
    let m: RegExpExecArray | null;
    if (e === 'x' && (m = /^[0-9a-fA-F]{2}/.exec(body.slice(i + 2)))) {
      bytes.push(parseInt(m[0], 16));
      i += 4;
      continue;
    }
    if (/[0-7]/.test(e!) && (m = /^[0-7]{3}/.exec(body.slice(i + 1)))) {
      const v = parseInt(m[0], 8);
      if (v > 255) fail('invalid syntax');
      bytes.push(v);
      i += 4;
      continue;
    }
    if (e === 'u' && (m = /^[0-9a-fA-F]{4}/.exec(body.slice(i + 2)))) {
      flushBytes();
      out += String.fromCodePoint(parseInt(m[0], 16));
      i += 6;
      continue;
    }
    if (e === 'U' && (m = /^[0-9a-fA-F]{8}/.exec(body.slice(i + 2)))) {
      const cp = parseInt(m[0], 16);
      if (cp > 0x10ffff) fail('invalid syntax');
      flushBytes();
      out += String.fromCodePoint(cp);
      i += 10;
      continue;
    }
    fail('invalid syntax');
  }
  flushBytes();
  return out;
}

function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, s, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, s, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, s, prefixed] = [2, s.slice(2), true];
  else if (/^0\d/.test(s) || /^0_/.test(s)) [base, s] = [8, s.slice(1)];
  if (s.includes('_')) {
    // underscores only between digits (or after a base prefix)
    if (!/^_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(s) || (s.startsWith('_') && !prefixed && base !== 8)) return undefined;
    s = s.replace(/_/g, '');
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!s && base === 8) s = '0';
  if (!digits.test(s)) return undefined;
  let v = 0n;
  for (const c of s) v = v * BigInt(base) + BigInt(parseInt(c, 16));
  return neg ? -v : v;
}

function newNumber(t: Item, fail: (msg: string) => never): NumberNode {
  const n: NumberNode = { type: 'number', pos: t.pos, text: t.val, isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0, float: 0 };
  if (t.type === 'charConstant') {
    const s = unquote(t.val, (m) => fail(m));
    const runes = [...s];
    if (runes.length !== 1) fail(`malformed character constant: ${t.val}`);
    const cp = runes[0]!.codePointAt(0)!;
    return { ...n, isInt: true, isUint: true, isFloat: true, int: cp, float: cp };
  }
  if (t.type === 'complex') fail(`complex numbers are not supported: ${t.val}`);
  const text = t.val;
  if (text.endsWith('i')) fail(`complex numbers are not supported: ${text}`);
  const i = parseGoInt(text);
  const INT64_MAX = (1n << 63n) - 1n;
  const INT64_MIN = -(1n << 63n);
  const UINT64_MAX = (1n << 64n) - 1n;
  if (i !== undefined) {
    if (i >= 0n && i <= UINT64_MAX) n.isUint = true;
    if (i >= INT64_MIN && i <= INT64_MAX) n.isInt = true;
    if (n.isInt || n.isUint) {
      n.int = Number(i);
      n.isFloat = true;
      n.float = Number(i);
      return n;
    }
  }
  const clean = text.replace(/_/g, '');
  let f: number;
  if (/^[+-]?0[xX]/.test(clean)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(clean);
    if (!m) fail(`illegal number syntax: ${JSON.stringify(text)}`);
    const mant = parseInt((m![2] || '0') + (m![3] ?? ''), 16) / 16 ** (m![3]?.length ?? 0);
    f = (m![1] === '-' ? -1 : 1) * mant * 2 ** Number(m![4]);
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(clean)) f = Number(clean);
  else fail(`illegal number syntax: ${JSON.stringify(text)}`);
  if (!/[.eEpP]/.test(text)) fail(`integer overflow: ${text}`);
  n.isFloat = true;
  n.float = f!;
  if (Number.isInteger(f!) && Math.abs(f!) <= Number.MAX_SAFE_INTEGER) {
    n.isInt = true;
    n.int = f!;
    if (f! >= 0) n.isUint = true;
  }
  return n;
}

// ------------------------------------------------------------------------------ String()

/** The text of an argument node, as Go's Node.String (used in error context). */
export function argString(n: ArgNode): string {
  switch (n.type) {
    case 'field':
      return n.ident.map((i) => `.${i}`).join('');
    case 'variable':
      return n.ident.join('.');
    case 'chain':
      return (n.node.type === 'pipe' ? `(${pipeString(n.node)})` : argString(n.node)) + n.field.map((f) => `.${f}`).join('');
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'string':
      return n.quoted;
    case 'number':
      return n.text;
    case 'pipe':
      return pipeString(n);
  }
}

export function commandString(c: CommandNode): string {
  return c.args.map((a) => (a.type === 'pipe' ? `(${pipeString(a)})` : argString(a))).join(' ');
}

export function pipeString(p: PipeNode): string {
  let s = '';
  if (p.decl.length) s = `${p.decl.map((d) => d.ident.join('.')).join(', ')} ${p.isAssign ? '=' : ':='} `;
  return s + p.cmds.map(commandString).join(' | ');
}

export function nodeString(n: Node | CommandNode | ArgNode): string {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'action':
      return `{{${pipeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with':
      return `{{${n.type} ${pipeString(n.pipe)}}}${listString(n.list)}${n.elseList ? `{{else}}${listString(n.elseList)}` : ''}{{end}}`;
    case 'template':
      return `{{template ${JSON.stringify(n.name)}${n.pipe ? ` ${pipeString(n.pipe)}` : ''}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    case 'list':
      return listString(n);
    case 'command':
      return commandString(n);
    default:
      return argString(n);
  }
}

function listString(l: ListNode): string {
  return l.nodes.map(nodeString).join('');
}
