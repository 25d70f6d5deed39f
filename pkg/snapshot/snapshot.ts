// Building, hashing, validating, serializing and loading snapshots.

import { canonicalJson } from '../api/canonical-json.js';
import { DecodeError, decodeJson } from '../api/decode.js';
import { MAX_SNAPSHOT_BYTES, readTextFile } from '../api/read-input.js';
import { compiledValidator } from '../schemas/compiled.js';
import { SNAPSHOT_FORMAT, type Snapshot, type SnapshotState } from './types.js';
import { sha256Hex } from '../api/sha256.js';

/** sha256 (hex) of the canonical JSON of the state: the snapshot's identity. */
export function hashState(state: SnapshotState): string {
  return sha256Hex(canonicalJson(state));
}

export function buildSnapshot(state: SnapshotState, meta: Snapshot['meta']): Snapshot {
  return { formatVersion: SNAPSHOT_FORMAT, hash: hashState(state), state, meta };
}

/** Stable text form: keys sorted at every level, 2-space indent, trailing newline. */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(snapshot)), null, 2)}\n`;
}

/** Validates a value against one definition of schemas/snapshot-v1.json (e.g. `ownership`). */
export function validateDefinition(definition: 'ownership', json: unknown): SnapshotValidation {
  const validate = compiledValidator(`snapshot-${definition}`);
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
  const validate = compiledValidator('snapshot');
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
