export * from './types.js';
export { buildSnapshot, hashState, loadSnapshotFile, serializeSnapshot, validateSnapshot, type SnapshotValidation } from './snapshot.js';
export { canonicalJson } from '../api/canonical-json.js';
