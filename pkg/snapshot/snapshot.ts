// Building, hashing, validating, serializing and loading snapshots.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

import type { ValidateFunction } from 'ajv';

// Imported, not read from disk: the build puts it beside the compiled code (dist/schemas).
import snapshotSchema from '../../schemas/snapshot-v1.json' with { type: 'json' };
import { canonicalJson } from '../api/canonical-json.js';
import { DecodeError, decodeJson } from '../api/decode.js';
import { MAX_SNAPSHOT_BYTES, readTextFile } from '../api/read-input.js';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotState } from './types.js';

/** sha256 (hex) of the canonical JSON of the state: the snapshot's identity. */
export function hashState(state: SnapshotState): string {
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}

export function buildSnapshot(state: SnapshotState, meta: Snapshot['meta']): Snapshot {
  return { formatVersion: SNAPSHOT_FORMAT, hash: hashState(state), state, meta };
}

/** Stable text form: keys sorted at every level, 2-space indent, trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(snapshot)), null, 2)}\n`;
}

const validators = new Map<string, ValidateFunction>();

/** The whole snapshot schema, or one of its definitions (`definition`), compiled once. */
function schemaValidator(definition?: string): ValidateFunction {
  const known = validators.get(definition ?? '');
  if (known) return known;
  // ajv and ajv-formats are CommonJS; their default export shapes differ between bundlers.
  const require = createRequire(import.meta.url);
  const AjvModule = require('ajv') as { default: new (o: object) => { compile(s: object): ValidateFunction } };
  const addFormats = require('ajv-formats') as { default: (ajv: unknown) => void };
  // The first error only: a hostile file with a million unknown keys would otherwise make a million errors.
  const ajv = new AjvModule.default({ allErrors: false, strict: true });
  addFormats.default(ajv);
  const schema = definition === undefined ? snapshotSchema : { definitions: snapshotSchema.definitions, allOf: [{ $ref: `#/definitions/${definition}` }] };
  const validator = ajv.compile(schema as object);
  validators.set(definition ?? '', validator);
  return validator;
}

/** Validates a value against one definition of schemas/snapshot-v1.json (e.g. `ownership`). */
export function validateDefinition(definition: string, json: unknown): SnapshotValidation {
  const validate = schemaValidator(definition);
  if (validate(json)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`) };
}

export interface SnapshotValidation {
  valid: boolean;
  /** `<instance path>: <message>` per violation. */
  errors: string[];
}

/** Validates against schemas/snapshot-v1.json and checks that the hash matches the state. */
export function validateSnapshot(json: unknown): SnapshotValidation {
  const validate = schemaValidator();
  if (!validate(json)) {
    return { valid: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`) };
  }
  const snapshot = json as Snapshot;
  const expected = hashState(snapshot.state);
  if (snapshot.hash !== expected) return { valid: false, errors: [`/hash: ${snapshot.hash} does not match the state (${expected})`] };
  return { valid: true, errors: [] };
}

/**
 * Reads a saved snapshot: size limit and binary content are refused like any input file
 * (described, never echoed), nesting is bounded, then schema and hash are checked.
 */
export async function loadSnapshotFile(file: string): Promise<Snapshot> {
  const text = await readTextFile(file, 'snapshot', MAX_SNAPSHOT_BYTES);
  let parsed: unknown;
  try {
    parsed = decodeJson(text, 'the snapshot');
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const p = error.problems[0]!;
    throw new Error(`${file}${p.line !== undefined ? `:${p.line}:${p.col}` : ''}: not a readable JSON snapshot: ${p.message}`);
  }
  const result = validateSnapshot(parsed);
  if (!result.valid) throw new Error(`${file}: invalid snapshot:\n  ${result.errors.join('\n  ')}`);
  return parsed as Snapshot;
}
