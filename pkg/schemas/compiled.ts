// The JSON schemas the CLI validates input against, compiled to code once at build time
// (ajv's standalone code, `npm run build` runs hack/gen-validators.ts), not at every start:
// compiling the manifest schema costs more CPU than starting node. From sources (tsx, tests)
// there is no generated code and the schema is read and compiled on first use, with the same options.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { AnySchema, Options, ValidateFunction } from 'ajv';

/**
 * A schema of the package's schemas/ directory (shipped with it), found upward from this module
 * (pkg/schemas/, dist/pkg/schemas/ or dist/cmd/bundle/) and read when asked: the built CLI
 * validates with the generated code and never reads them, so they are not evaluated at start.
 */
export function schemaFile(file: string): AnySchema {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const path = join(dir, 'schemas', file);
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as AnySchema;
  }
  throw new Error(`schemas/${file} not found above ${fileURLToPath(import.meta.url)}`);
}

interface CompiledSchema {
  /** JSON Schema dialect: the manifest schema is draft 2020-12, the others draft-07. */
  draft: '2020-12' | '07';
  schema: () => AnySchema;
  options: Options;
}

/** One definition of the snapshot schema, validated on its own (e.g. the ownership record in the cluster). */
const snapshotDefinition = (definition: string) => (): AnySchema => ({
  definitions: (schemaFile('snapshot-v1.json') as { definitions: object }).definitions,
  allOf: [{ $ref: `#/definitions/${definition}` }],
});

export const COMPILED_SCHEMAS = {
  manifest: { draft: '2020-12', schema: () => schemaFile('kubeonecluster-v1beta2.json'), options: { allErrors: true, strict: true, allowUnionTypes: true } },
  plan: { draft: '07', schema: () => schemaFile('plan-v1.json'), options: { allErrors: true, strict: true } },
  // The first error only: a hostile file with a million unknown keys would otherwise make a million errors.
  snapshot: { draft: '07', schema: () => schemaFile('snapshot-v1.json'), options: { allErrors: false, strict: true } },
  'snapshot-ownership': { draft: '07', schema: snapshotDefinition('ownership'), options: { allErrors: false, strict: true } },
} satisfies Record<string, CompiledSchema>;

export type SchemaName = keyof typeof COMPILED_SCHEMAS;

const require = createRequire(import.meta.url);

/** The standalone validator of `name` in `dir` (CommonJS, as ajv's runtime helpers are). */
export function generatedValidatorPath(name: SchemaName, dir: string): string {
  return join(dir, `${name}.cjs`);
}

/**
 * dist/validators, where the build writes them: found upward from this module, which is
 * dist/pkg/schemas/compiled.js or a chunk of the bundled CLI (dist/cmd/bundle/). Not found
 * from sources (pkg/schemas/), where nothing is generated.
 */
function generatedDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'validators', 'manifest.cjs'))) return join(dir, 'validators');
  }
  return undefined;
}

/** A configured ajv for `name` (ajv and ajv-formats are CommonJS; required, not imported, so they load only here). */
export function ajvFor(name: SchemaName, extra: Options = {}) {
  const { draft, options } = COMPILED_SCHEMAS[name] as CompiledSchema;
  type AjvClass = new (o: Options) => import('ajv').default;
  const AjvCtor = (draft === '2020-12' ? require('ajv/dist/2020.js').Ajv2020 : require('ajv').Ajv) as AjvClass;
  const addFormats = require('ajv-formats') as { default: (ajv: unknown) => void };
  const ajv = new AjvCtor({ ...options, ...extra });
  addFormats.default(ajv);
  return ajv;
}

const validators = new Map<SchemaName, ValidateFunction>();

/** The validator of `name`: the build's standalone code, else compiled now; once per process. */
export function compiledValidator(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) {
    const dir = generatedDir();
    validate = dir ? (require(generatedValidatorPath(name, dir)) as ValidateFunction) : ajvFor(name).compile(COMPILED_SCHEMAS[name].schema());
    validators.set(name, validate);
  }
  return validate;
}
