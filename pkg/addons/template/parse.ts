// Parser: tokens -> a small AST of text, actions and control structures (if, range, with).
import { TemplateError, lex, type Token } from './lexer.js';

export type Operand =
  | { kind: 'field'; chain: string[] }
  | { kind: 'variable'; name: string; chain: string[] }
  | { kind: 'dot' }
  | { kind: 'ident'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'pipe'; pipe: Pipeline; chain: string[] };

export interface Command {
  args: Operand[];
}

export interface Pipeline {
  line: number;
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline. */
  decl: string[];
  assign: boolean;
  cmds: Command[];
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; line: number; pipe: Pipeline }
  | { kind: 'if' | 'with' | 'range'; line: number; pipe: Pipeline; list: Node[]; elseList: Node[] | null }
  | { kind: 'break' | 'continue'; line: number };

export function parseTemplate(file: string, src: string): Node[] {
  return new Parser(file, lex(file, src)).parseRoot();
}

class Parser {
  private pos = 0;
  constructor(
    private readonly file: string,
    private readonly tokens: Token[],
  ) {}

  parseRoot(): Node[] {
    const { list, end } = this.parseList();
    if (end) this.fail(end.line, `unexpected {{${end.value}}}`);
    return list;
  }

  private fail(line: number, msg: string): never {
    throw new TemplateError(this.file, line, msg);
  }
  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) this.fail(this.tokens.at(-1)?.line ?? 1, 'unexpected EOF');
    return t;
  }
  private expect(type: Token['type'], what: string): Token {
    const t = this.next();
    if (t.type !== type) this.fail(t.line, `unexpected ${JSON.stringify(t.value)} in ${what}`);
    return t;
  }

  /** Parses nodes until EOF or an `{{end}}` / `{{else ...}}`, which is returned (consumed up to the keyword). */
  private parseList(): { list: Node[]; end: Token | null } {
    const list: Node[] = [];
    while (this.pos < this.tokens.length) {
      const t = this.next();
      if (t.type === 'text') {
        list.push({ kind: 'text', text: t.value });
        continue;
      }
      // t is 'open'
      const k = this.peek();
      if (k?.type === 'keyword') {
        this.pos++;
        switch (k.value) {
          case 'end':
            this.expect('close', 'end');
            return { list, end: k };
          case 'else':
            return { list, end: k };
          case 'if':
          case 'with':
          case 'range':
            list.push(this.parseControl(k.value, k.line));
            continue;
          case 'break':
          case 'continue':
            this.expect('close', k.value);
            list.push({ kind: k.value, line: k.line });
            continue;
          default:
            this.fail(k.line, `{{${k.value}}} is not supported by this template subset`);
        }
      }
      const pipe = this.parsePipeline(t.line, true);
      list.push({ kind: 'action', line: t.line, pipe });
    }
    return { list, end: null };
  }

  private parseControl(kind: 'if' | 'with' | 'range', line: number): Node {
    const pipe = this.parsePipeline(line, kind === 'range' || kind === 'with' || kind === 'if');
    const { list, end } = this.parseList();
    if (!end) this.fail(line, `unexpected EOF: {{${kind}}} has no {{end}}`);
    let elseList: Node[] | null = null;
    if (end.value === 'else') {
      const nextTok = this.peek();
      if (nextTok?.type === 'keyword' && (nextTok.value === 'if' || nextTok.value === 'with') && kind !== 'range') {
        // {{else if ...}} / {{else with ...}}: a nested control sharing our {{end}}.
        this.pos++;
        elseList = [this.parseControl(nextTok.value, nextTok.line)];
      } else {
        this.expect('close', 'else');
        const rest = this.parseList();
        if (!rest.end || rest.end.value !== 'end') this.fail(end.line, `expected {{end}} after {{else}} of {{${kind}}}`);
        elseList = rest.list;
      }
    }
    return { kind, line, pipe, list, elseList };
  }

  /** Parses `[$x[, $y] := | =] cmd | cmd ...` up to the closing delimiter (or `)` when nested). */
  private parsePipeline(line: number, allowDecl: boolean, nested = false): Pipeline {
    const pipe: Pipeline = { line, decl: [], assign: false, cmds: [] };
    if (allowDecl && this.peek()?.type === 'variable' && !this.peek()?.chain?.length) {
      const after = this.peek(1);
      const after2 = this.peek(3);
      if (after?.type === 'declare' || after?.type === 'assign') {
        pipe.decl.push(this.next().value);
        pipe.assign = this.next().type === 'assign';
      } else if (after?.type === 'comma' && this.peek(2)?.type === 'variable' && after2?.type === 'declare') {
        pipe.decl.push(this.next().value);
        this.next();
        pipe.decl.push(this.next().value);
        this.next();
      }
    }
    let cmd: Command = { args: [] };
    for (;;) {
      const t = this.next();
      if (t.type === (nested ? 'rparen' : 'close')) break;
      if (t.type === 'pipe') {
        if (!cmd.args.length) this.fail(t.line, 'missing command before |');
        pipe.cmds.push(cmd);
        cmd = { args: [] };
        continue;
      }
      cmd.args.push(this.parseOperand(t));
    }
    if (!cmd.args.length) this.fail(line, pipe.cmds.length ? 'missing command after |' : 'missing value for command');
    pipe.cmds.push(cmd);
    return pipe;
  }

  private parseOperand(t: Token): Operand {
    switch (t.type) {
      case 'field':
        return { kind: 'field', chain: t.chain! };
      case 'variable':
        return { kind: 'variable', name: t.value, chain: t.chain ?? [] };
      case 'dot':
        return { kind: 'dot' };
      case 'ident':
        return { kind: 'ident', name: t.value };
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'number':
        return { kind: 'literal', value: Number(t.value) };
      case 'bool':
        return { kind: 'literal', value: t.value === 'true' };
      case 'nil':
        return { kind: 'literal', value: null };
      case 'lparen': {
        const pipe = this.parsePipeline(t.line, false, true);
        const follow = this.peek();
        const chain = follow?.type === 'field' && !follow.spaced ? (this.pos++, follow.chain!) : [];
        return { kind: 'pipe', pipe, chain };
      }
      default:
        this.fail(t.line, `unexpected ${JSON.stringify(t.value)} in command`);
    }
  }
}
