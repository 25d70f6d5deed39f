import type { ErrorObject } from 'ajv';
import { compiledValidator, schemaFile } from '../schemas/compiled.js';
import type { Issue } from './errors.js';
import { joinPath } from './path.js';

/** The manifest JSON Schema (draft 2020-12), as shipped in schemas/ (read when asked: `config schema`). */
export function manifestSchema(): object {
  return schemaFile('kubeonecluster-v1beta2.json') as object;
}

// Errors after which the data does not have the declared shape: stop before defaulting.
const BLOCKING = new Set(['type', 'additionalProperties', 'required', 'const']);

/** The dotted path of a JSON pointer into `data`, and the value found there (the validator is not verbose: it does not carry it). */
function locate(data: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(seg);
      path = joinPath(path, index);
      node = node[index];
    } else {
      path = joinPath(path, seg);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return { path, value: node };
}

function describe(data: unknown, e: ErrorObject): Issue {
  const { path: at, value } = locate(data, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: joinPath(at, String(p.additionalProperty)), message: `unknown field ${JSON.stringify(p.additionalProperty)}` };
    case 'required':
      return { path: joinPath(at, String(p.missingProperty)), message: 'required field is missing' };
    case 'type':
      return { path: at, message: `must be ${p.type === 'integer' ? 'an integer' : `a ${String(p.type)}`}` };
    case 'enum':
      return { path: at, message: `unsupported value ${JSON.stringify(value)}; supported values: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'format':
      return { path: at, message: `must be a valid ${String(p.format).toUpperCase()}` };
    case 'anyOf':
      return { path: at, message: 'must be empty or a valid URI' };
    default:
      return { path: at, message: e.message ?? e.keyword };
  }
}

/** Structural check against the schema, split into blocking (shape) and value-level issues. */
export function checkStructure(data: unknown): { blocking: Issue[]; nonBlocking: Issue[] } {
  const validateSchema = compiledValidator('manifest');
  if (validateSchema(data)) return { blocking: [], nonBlocking: [] };
  const blocking: Issue[] = [];
  const nonBlocking: Issue[] = [];
  const seen = new Set<string>();
  const errors = validateSchema.errors ?? [];
  // An anyOf failure is reported once, not with each failed alternative.
  const anyOfAt = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const e of errors) {
    if (anyOfAt.has(e.instancePath) && e.schemaPath.includes('/anyOf/')) continue;
    const issue = describe(data, e);
    const key = `${issue.path}\0${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (BLOCKING.has(e.keyword) ? blocking : nonBlocking).push(issue);
  }
  return { blocking, nonBlocking };
}
