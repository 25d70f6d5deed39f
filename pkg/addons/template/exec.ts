// Executor of parsed templates, step for step as Go's text/template/exec.go: variables on a
// stack with Go's scoping, field and method lookup by Go type, map keys (<no value> when
// missing), argument checking against parameter types, and Go's error messages with the
// file:line:col and the node being evaluated.
//
// Sandbox: a template reaches only the data it is given and the functions of the FuncMap.
// Lookups go through GoStruct field tables, GoMap entries and declared methods, never
// through JavaScript properties; there are no function values, so nothing else is callable.
import { TemplateError } from './lexer.js';
import { sprint, sprintV } from './fmt.js';
import { TIME_METHODS } from './gotime.js';
import {
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type TemplateNode,
  type TreeSet,
  type VariableNode,
  argString,
  nodeString,
} from './parse.js';
import {
  ANY,
  GoMap,
  GoStruct,
  GoTime,
  type GoValue,
  type Method,
  NilPointer,
  NO_VALUE,
  type ParamType,
  Scalar,
  VALUE,
  assignable,
  canBeNil,
  float64,
  kindOf,
  normalize,
  truth,
  typeName,
  zeroOf,
} from './values.js';

/** A template function: parameter types as Go declares them, and its implementation. */
export interface FuncDef {
  params: ParamType[];
  /** Element type of a final variadic parameter. */
  variadic?: ParamType;
  /** Returns the result; throws an Error for a non-nil `error` result (or a panic). */
  fn: (...args: GoValue[]) => GoValue;
  /** Receives interface{} arguments as they are (with their named types) instead of normalized. */
  raw?: boolean;
  /** One of Go's builtins (and/or short-circuit and `call` are special there). */
  builtin?: boolean;
}

export type FuncMap = ReadonlyMap<string, FuncDef>;

/** Go's missingVal: "no final argument from a previous pipeline stage". */
const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}

/** How deep {{template}} may nest (Go allows 100000; a JavaScript stack does not). */
export const MAX_EXEC_DEPTH = 1000;

interface Variable {
  name: string;
  value: GoValue;
}

type AnyNode = Node | CommandNode | ArgNode;

export class Executor {
  private vars: Variable[] = [];
  private node: AnyNode | null = null;
  private out: string[] = [];
  private tmplName: string;
  private depth = 0;

  constructor(
    private readonly set: TreeSet,
    private readonly funcs: FuncMap,
  ) {
    this.tmplName = set.parseName;
  }

  /** Executes the template named like the set (the file) with `data` as dot and $. */
  execute(data: GoValue): string {
    const root = this.set.trees.get(this.set.parseName);
    if (!root) this.errorf(`${JSON.stringify(this.set.parseName)} is an incomplete or empty template`);
    this.vars = [{ name: '$', value: data }];
    this.walk(data, root);
    return this.out.join('');
  }

  // ---------------------------------------------------------------------- errors

  private at(n: AnyNode): void {
    this.node = n;
  }

  private errorf(msg: string): never {
    const name = this.tmplName;
    if (!this.node) throw new TemplateError(this.set.parseName, 0, msg, `template: ${name}: ${msg}`);
    const pos = this.node.pos;
    const before = this.set.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1), 'utf8');
    const location = `${this.set.parseName}:${line}:${col}`;
    throw new TemplateError(this.set.parseName, line, msg, `template: ${location}: executing ${JSON.stringify(name)} at <${nodeString(this.node)}>: ${msg}`);
  }

  // ---------------------------------------------------------------------- variables

  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private push(name: string, value: GoValue): void {
    this.vars.push({ name, value });
  }
  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: GoValue): void {
    this.vars[this.vars.length - n]!.value = value;
  }
  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ---------------------------------------------------------------------- walking

  private walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
      case 'if':
      case 'with':
        this.walkIfOrWith(node, dot);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'text':
        this.out.push(node.text);
        return;
    }
  }

  private walkIfOrWith(node: BranchNode, dot: GoValue): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (truth(val)) this.walk(node.type === 'with' ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: GoValue, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = this.evalPipeline(dot, r.pipe);
      if (val instanceof GoStruct && val.pointer) val = new GoStruct(val.type, val.values, false);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: GoValue, elem: GoValue): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.pop(mark);
        }
      };
      const kind = kindOf(val);
      let ran = false;
      try {
        if (kind === 'slice') {
          (val as GoValue[]).forEach((x, i) => {
            ran = true;
            oneIteration(i, x);
          });
        } else if (kind === 'map') {
          const m = val as GoMap;
          for (const k of m.sortedKeys()) {
            ran = true;
            oneIteration(k, m.entries.get(k)!);
          }
        } else if (kind === 'int' || kind === 'uint') {
          if (decl.length > 1) this.errorf(`can't use ${this.v(val)} to iterate over more than one variable`);
          const n = (val instanceof Scalar ? val.value : val) as number;
          for (let i = 0; i < n; i++) {
            ran = true;
            oneIteration(NO_VALUE, val instanceof Scalar ? new Scalar(val.type, val.kind, i) : i);
          }
        } else if (kind !== 'invalid') {
          this.errorf(`range can't iterate over ${this.v(val)}`);
        }
      } catch (e) {
        if (!(e instanceof BreakSignal)) throw e;
        return;
      }
      if (ran) return;
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): void {
    this.at(t);
    const tree = this.set.trees.get(t.name);
    if (!tree) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : NO_VALUE;
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walk(newDot, tree);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  // ---------------------------------------------------------------------- evaluation

  private evalPipeline(dot: GoValue, pipe: PipeNode): GoValue {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // A nil interface{} result is Go's invalid value after the pipeline stage.
      if (value === null) value = NO_VALUE;
    }
    const result = value === MISSING ? NO_VALUE : value;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, result);
      else this.push(v.ident[0]!, result);
    }
    return result;
  }

  private notAFunction(args: ArgNode[] | null, final: Final): void {
    if ((args && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${argString(args![0]!)}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: Final): GoValue {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    const isHex = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    const isRune = n.text.startsWith("'");
    if (n.isFloat && !isHex && !isRune && /[.eEpP]/.test(n.text)) return float64(n.float);
    if (n.isInt) return n.int;
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return NO_VALUE;
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: ArgNode[] | null, final: Final): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: ArgNode[] | null, final: Final): GoValue {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${argString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: GoValue, v: VariableNode, args: ArgNode[] | null, final: Final): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, node: AnyNode, ident: string[], args: ArgNode[] | null, final: Final): GoValue {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = this.evalField(dot, ident[i]!, node, null, MISSING, r);
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, r);
  }

  private evalFunction(dot: GoValue, node: IdentifierNode, cmd: AnyNode, args: ArgNode[] | null, final: Final): GoValue {
    this.at(node);
    const fn = this.funcs.get(node.ident);
    if (!fn) this.errorf(`${JSON.stringify(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.ident, args, final);
  }

  /** Methods of a value's type (structs, nil pointers to structs, named scalars). */
  private methodOf(receiver: GoValue, name: string): Method | undefined {
    if (receiver instanceof GoStruct) return receiver.type.methods?.get(name);
    if (receiver instanceof NilPointer) return receiver.elem?.methods?.get(name);
    if (receiver instanceof Scalar) return receiver.methods?.get(name);
    if (receiver instanceof GoTime) return TIME_METHODS.get(name);
    return undefined;
  }

  private evalField(dot: GoValue, fieldName: string, node: AnyNode, args: ArgNode[] | null, final: Final, receiver: GoValue): GoValue {
    if (receiver === NO_VALUE) return NO_VALUE;
    const typ = receiver === null ? 'interface {}' : typeName(receiver);
    if (receiver === null) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const method = this.methodOf(receiver, fieldName);
    if (method) {
      const def: FuncDef = { params: method.params, ...(method.variadic ? { variadic: method.variadic } : {}), fn: (...a) => method.call(receiver, a) };
      return this.evalCall(dot, def, node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const v = receiver.field(fieldName);
      if (v !== undefined) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return v;
      }
    } else if (receiver instanceof GoMap) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      return receiver.entries.has(fieldName) ? receiver.entries.get(fieldName)! : NO_VALUE;
    } else if (receiver instanceof NilPointer) {
      if (receiver.elem && receiver.elem.fields.some((f) => f.name === fieldName)) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: GoValue, fn: FuncDef, node: AnyNode, name: string, allArgs: ArgNode[] | null, final: Final): GoValue {
    const args = allArgs ? allArgs.slice(1) : [];
    const params = fn.params;
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic !== undefined) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${args.length}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    // and/or short-circuit: arguments are evaluated only until the result is known.
    if (fn.builtin && (name === 'and' || name === 'or')) {
      let v: GoValue = NO_VALUE;
      for (const a of args) {
        v = this.evalArg(dot, VALUE, a);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, VALUE);
      return v;
    }
    // call: only registered functions are callable, and they are no values: every call fails as Go's would on a non-function.
    if (fn.builtin && name === 'call') {
      const callee = args.length ? this.evalArg(dot, VALUE, args[0]!) : this.validateType(final as GoValue, VALUE);
      for (const a of args.slice(1)) this.evalArg(dot, VALUE, a);
      this.at(node);
      if (callee === NO_VALUE || callee === null) this.errorf(`error calling call: call of nil`);
      this.errorf(`error calling call: non-function ${args.length ? argString(args[0]!) : 'final'} of type ${typeName(callee)}`);
    }

    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, params[i]!, args[i]!));
    if (fn.variadic !== undefined) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]!));
    if (final !== MISSING) {
      let t = params[params.length - 1];
      if (fn.variadic !== undefined) t = numIn - 1 < numFixed ? params[numIn - 1] : fn.variadic;
      argv.push(this.validateType(final, t!));
    }
    const types = argv.map((_, j) => (j < params.length && !(fn.variadic !== undefined && j >= numFixed) ? params[j]! : fn.variadic!));
    const passed = argv.map((v, j) => this.prepare(v, types[j]!, fn.raw === true));
    let result: GoValue;
    try {
      result = fn.fn(...passed);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return result === undefined ? NO_VALUE : result;
  }

  /** What a function receives for a parameter: typed scalars as JS primitives, interface{} values normalized. */
  private prepare(v: GoValue, t: ParamType, raw: boolean): GoValue {
    if (t === VALUE) return v;
    if (t === ANY) return raw ? (v === NO_VALUE ? null : v) : normalize(v);
    if (v instanceof Scalar) return v.value;
    return v;
  }

  private validateType(value: GoValue, typ: ParamType | undefined): GoValue {
    if (value === NO_VALUE || (value === null && typ !== ANY)) {
      if (typ === undefined) return NO_VALUE;
      if (typ === VALUE) return NO_VALUE;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === undefined || typ === VALUE || typ === ANY) return value;
    if (assignable(value, typ)) return value;
    if (value instanceof GoStruct && value.pointer && value.type.name === typ) return new GoStruct(value.type, value.values, false);
    if (value instanceof NilPointer && value.type === `*${typ}`) this.errorf(`dereference of nil pointer of type ${typ}`);
    if (value instanceof GoStruct && !value.pointer && typ === `*${value.type.name}`) return new GoStruct(value.type, value.values, true);
    this.errorf(`wrong type for value; expected ${typ}; got ${typeName(value)}`);
  }

  private evalArg(dot: GoValue, typ: ParamType | undefined, n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === undefined || canBeNil(typ)) return typ === undefined || typ === VALUE ? NO_VALUE : zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n as FieldNode, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    if (typ === undefined || typ === ANY || typ === VALUE) return this.evalEmptyInterface(dot, n);
    if (typ === 'bool') {
      if (n.type === 'bool') return n.value;
      this.errorf(`expected bool; found ${argString(n)}`);
    }
    if (typ === 'string') {
      if (n.type === 'string') return n.text;
      this.errorf(`expected string; found ${argString(n)}`);
    }
    if (typ === 'float64' || typ === 'float32') {
      if (n.type === 'number' && n.isFloat) return new Scalar(typ, 'float', n.float);
      this.errorf(`expected float; found ${argString(n)}`);
    }
    if (/^int(8|16|32|64)?$/.test(typ)) {
      if (n.type === 'number' && n.isInt) return typ === 'int' ? n.int : new Scalar(typ, 'int', n.int);
      this.errorf(`expected integer; found ${argString(n)}`);
    }
    if (/^uint(8|16|32|64|ptr)?$/.test(typ)) {
      if (n.type === 'number' && n.isUint) return new Scalar(typ, 'uint', n.int);
      this.errorf(`expected unsigned integer; found ${argString(n)}`);
    }
    this.errorf(`can't handle ${argString(n)} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: GoValue, n: ArgNode): GoValue {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'dot':
        return dot;
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
      default:
        this.errorf(`can't handle assignment of ${argString(n)} to empty interface argument`);
    }
  }

  private printValue(n: Node, v: GoValue): void {
    this.at(n);
    if (v === NO_VALUE) {
      this.out.push('<no value>');
      return;
    }
    let p = v;
    if (p instanceof GoStruct && p.pointer) p = new GoStruct(p.type, p.values, false);
    if (p instanceof NilPointer) {
      this.out.push('<nil>');
      return;
    }
    this.out.push(sprint([p]));
  }

  /** %v of a value, for messages. */
  private v(val: GoValue): string {
    return sprintV(val);
  }
}

/** Lists the trees of a set (for tests and tools). */
export function treeNames(set: TreeSet): string[] {
  return [...set.trees.keys()];
}

export type { ListNode };
