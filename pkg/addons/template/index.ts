// renderTemplate: the one entry point of the Go-template subset (see docs/addons.md).
import { Executor, type FuncMap } from './exec.js';
import { parseTemplate } from './parse.js';

export { TemplateError } from './lexer.js';
export { builtinFuncs, type BuiltinOptions } from './funcs.js';
export { markStruct } from './exec.js';
export type { FuncMap, TemplateFunc } from './exec.js';

/** Renders `src` (named `file` in errors) against `data`. Throws TemplateError naming file and line. */
export function renderTemplate(file: string, src: string, data: unknown, funcs: FuncMap): string {
  return new Executor(file, funcs, data).run(parseTemplate(file, src));
}
