// Executor: walks the AST against a data value. Semantics follow Go's text/template where
// addon manifests depend on them: truthiness, map iteration in key order, pipelines passing
// the previous result as the last argument, `<no value>` for missing map keys.
import { TemplateError } from './lexer.js';
import type { Command, Node, Operand, Pipeline } from './parse.js';

export type TemplateFunc = (...args: unknown[]) => unknown;
export type FuncMap = Record<string, TemplateFunc>;

/** Marker for "no value" (Go's invalid reflect.Value): a missing map key. */
export const NO_VALUE: unique symbol = Symbol('no value');

type ControlNode = Extract<Node, { pipe: Pipeline; list: Node[] }>;

class BreakSignal {}
class ContinueSignal {}

interface Scope {
  vars: { name: string; value: unknown }[];
}

/**
 * Marks an object as a Go struct (rather than a map): a non-nil struct pointer is true even
 * when all its fields are empty, as in `{{ if .Config.CloudProvider.AWS }}` with `aws: {}`.
 */
export const STRUCT: unique symbol = Symbol.for('kubeone.template.struct');

export function markStruct<T extends object>(o: T): T {
  Object.defineProperty(o, STRUCT, { value: true, enumerable: false });
  return o;
}

export function isTrue(v: unknown): boolean {
  if (v === undefined || v === null || v === NO_VALUE || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && (v as Record<symbol, unknown>)[STRUCT]) return true;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Go's fmt %v rendering of template values. */
export function printValue(v: unknown): string {
  if (v === NO_VALUE || v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'function') return '<func>';
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, x]) => `${k}:${printValue(x)}`).join(' ')}]`;
}

export class Executor {
  private readonly scopes: Scope[] = [];
  private line = 1;

  constructor(
    private readonly file: string,
    private readonly funcs: FuncMap,
    private readonly root: unknown,
  ) {}

  run(nodes: Node[]): string {
    this.scopes.push({ vars: [{ name: '$', value: this.root }] });
    const out: string[] = [];
    this.walkList(nodes, this.root, out);
    return out.join('');
  }

  private fail(msg: string): never {
    throw new TemplateError(this.file, this.line, msg);
  }

  private walkList(nodes: Node[], dot: unknown, out: string[]): void {
    const mark = this.scopes.length;
    this.scopes.push({ vars: [] });
    try {
      for (const n of nodes) this.walk(n, dot, out);
    } finally {
      this.scopes.length = mark;
    }
  }

  private walk(n: Node, dot: unknown, out: string[]): void {
    switch (n.kind) {
      case 'text':
        out.push(n.text);
        return;
      case 'action': {
        this.line = n.line;
        const v = this.evalPipeline(dot, n.pipe);
        if (!n.pipe.decl.length) out.push(printValue(v));
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'if':
      case 'with': {
        this.line = n.line;
        const mark = this.scopes.length;
        this.scopes.push({ vars: [] });
        try {
          const v = this.evalPipeline(dot, n.pipe);
          if (isTrue(v)) this.walkList(n.list, n.kind === 'with' ? v : dot, out);
          else if (n.elseList) this.walkList(n.elseList, dot, out);
        } finally {
          this.scopes.length = mark;
        }
        return;
      }
      case 'range':
        this.walkRange(n, dot, out);
        return;
    }
  }

  private walkRange(n: ControlNode, dot: unknown, out: string[]): void {
    this.line = n.line;
    const decl = n.pipe.decl;
    const v = this.evalPipeline(dot, { ...n.pipe, decl: [] });
    let items: [unknown, unknown][];
    if (v === undefined || v === null || v === NO_VALUE) items = [];
    else if (Array.isArray(v)) items = v.map((x, i) => [i, x]);
    else if (typeof v === 'number') items = Array.from({ length: Math.max(0, v) }, (_, i) => [i, i]);
    else if (typeof v === 'object') items = Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]);
    else this.fail(`range can't iterate over ${printValue(v)}`);
    if (!items.length) {
      if (n.elseList) this.walkList(n.elseList, dot, out);
      return;
    }
    for (const [k, x] of items) {
      const mark = this.scopes.length;
      const vars: Scope['vars'] = [];
      if (decl.length === 1) vars.push({ name: decl[0]!, value: x });
      if (decl.length === 2) vars.push({ name: decl[0]!, value: k }, { name: decl[1]!, value: x });
      this.scopes.push({ vars });
      try {
        this.walkList(n.list, x, out);
      } catch (e) {
        if (e instanceof BreakSignal) break;
        if (!(e instanceof ContinueSignal)) throw e;
      } finally {
        this.scopes.length = mark;
      }
    }
  }

  private lookupVar(name: string): { value: unknown; set(v: unknown): void } {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const vars = this.scopes[i]!.vars;
      for (let j = vars.length - 1; j >= 0; j--) {
        const entry = vars[j]!;
        if (entry.name === name) return { value: entry.value, set: (v) => (entry.value = v) };
      }
    }
    this.fail(`undefined variable "${name}"`);
  }

  private evalPipeline(dot: unknown, pipe: Pipeline): unknown {
    this.line = pipe.line;
    let value: unknown = undefined;
    let first = true;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, first ? [] : [value]);
      first = false;
    }
    if (pipe.decl.length === 1) {
      const name = pipe.decl[0]!;
      if (pipe.assign) this.lookupVar(name).set(value);
      else this.scopes.at(-1)!.vars.push({ name, value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, final: unknown[]): unknown {
    const [head, ...rest] = cmd.args;
    if (!head) this.fail('empty command');
    if (head.kind === 'ident') {
      const fn = this.funcs[head.name];
      if (!fn) this.fail(`function "${head.name}" not defined`);
      // and/or short-circuit, as Go's do since 1.18.
      if (head.name === 'and' || head.name === 'or') {
        const args = [...rest.map((a) => () => this.evalArg(dot, a)), ...final.map((f) => () => f)];
        if (!args.length) this.fail(`wrong number of args for ${head.name}: want at least 1 got 0`);
        let v: unknown;
        for (const get of args) {
          v = get();
          if (head.name === 'and' ? !isTrue(v) : isTrue(v)) return v;
        }
        return v;
      }
      return this.call(head.name, fn, [...rest.map((a) => this.evalArg(dot, a)), ...final]);
    }
    if (head.kind === 'field' || head.kind === 'variable' || (head.kind === 'pipe' && head.chain.length)) {
      const { value, receiver, name } = this.evalChain(dot, head);
      if (typeof value === 'function') {
        return this.call(name, (...a: unknown[]) => (value as TemplateFunc).apply(receiver, a), [
          ...rest.map((a) => this.evalArg(dot, a)),
          ...final,
        ]);
      }
      if (rest.length || final.length) this.fail(`${name} is not a method but has arguments`);
      return value;
    }
    if (rest.length || final.length) this.fail(`can't give argument to non-function ${describe(head)}`);
    return this.evalArg(dot, head);
  }

  private call(name: string, fn: TemplateFunc, args: unknown[]): unknown {
    try {
      return fn(...args.map((x) => (x === NO_VALUE ? undefined : x)));
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.fail(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private evalArg(dot: unknown, a: Operand): unknown {
    switch (a.kind) {
      case 'literal':
        return a.value;
      case 'dot':
        return dot;
      case 'ident': {
        const fn = this.funcs[a.name];
        if (!fn) this.fail(`function "${a.name}" not defined`);
        return this.call(a.name, fn, []);
      }
      case 'pipe':
      case 'field':
      case 'variable': {
        if (a.kind === 'pipe' && !a.chain.length) return this.evalPipeline(dot, a.pipe);
        const { value, receiver, name } = this.evalChain(dot, a);
        return typeof value === 'function' ? this.call(name, () => (value as TemplateFunc).call(receiver), []) : value;
      }
    }
  }

  /** Resolves `.A.B`, `$x.A` or `(pipe).A`, returning the final value and its receiver (for methods). */
  private evalChain(dot: unknown, a: Operand): { value: unknown; receiver: unknown; name: string } {
    let value: unknown;
    let chain: string[];
    let path: string;
    if (a.kind === 'field') [value, chain, path] = [dot, a.chain, ''];
    else if (a.kind === 'variable') [value, chain, path] = [this.lookupVar(a.name).value, a.chain, a.name];
    else if (a.kind === 'pipe') [value, chain, path] = [this.evalPipeline(dot, a.pipe), a.chain, '(...)'];
    else this.fail(`internal: no chain on ${a.kind}`);
    let receiver: unknown = undefined;
    for (const field of chain) {
      if (value === undefined || value === null || value === NO_VALUE) this.fail(`nil pointer evaluating ${path || '.'}.${field}`);
      if (typeof value !== 'object') this.fail(`can't evaluate field ${field} in type ${typeof value}`);
      receiver = value;
      const obj = value as Record<string, unknown>;
      value = Object.prototype.hasOwnProperty.call(obj, field) || typeof obj[field] === 'function' ? obj[field] : NO_VALUE;
      path += `.${field}`;
    }
    return { value, receiver, name: path };
  }
}

function describe(op: Operand): string {
  return op.kind === 'literal' ? JSON.stringify(op.value) : op.kind;
}
