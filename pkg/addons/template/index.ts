// Go's text/template for addon manifests (see docs/addons.md): parse with the function map,
// execute against Go-typed data. One entry point for the renderer: renderTemplate.
import { builtinFuncs } from './builtins.js';
import { Executor, type FuncDef, type FuncMap } from './exec.js';
import { type TreeSet, parse } from './parse.js';
import type { GoValue } from './values.js';

export { TemplateError } from './lexer.js';
export type { FuncDef, FuncMap } from './exec.js';
export type { TreeSet } from './parse.js';

/** Go's builtins overlaid with `extra` (a FuncMap function shadows a builtin of its name, as in Go). */
export function withBuiltins(extra: Iterable<[string, FuncDef]>): FuncMap {
  const m = builtinFuncs();
  for (const [k, v] of extra) m.set(k, v);
  return m;
}

/** Parses a template file: undefined functions and variables anywhere are errors here, as in Go. */
export function parseTemplate(name: string, text: string, funcs: FuncMap): TreeSet {
  return parse(name, text, (n) => funcs.has(n));
}

export function executeTemplate(set: TreeSet, data: GoValue, funcs: FuncMap): string {
  return new Executor(set, funcs).execute(data);
}

/** Parses and executes `text` (named `name` in errors) with `data` as dot. Throws TemplateError. */
export function renderTemplate(name: string, text: string, data: GoValue, funcs: FuncMap): string {
  return executeTemplate(parseTemplate(name, text, funcs), data, funcs);
}
