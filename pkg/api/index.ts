// Public surface of the KubeOneCluster API package.
export * from './types.js';
export { ConfigError, formatIssue, isConfigError, type Issue } from './errors.js';
export { canonicalJson } from './canonical-json.js';
export { parseManifest, locateIssues, type ParsedManifest, type Position } from './parse.js';
export { applyDefaults } from './defaults.js';
export { validate } from './validate/index.js';
export { unsupportedFields, removedFeatures, NOT_SUPPORTED_YET } from './validate/unsupported.js';
export { withNodeNames, nodeNameFor, detectedHostname } from './node-names.js';
export { resolveHosts } from './hosts.js';
export { applyTerraformOutput } from './terraform.js';
export { parseCredentials, applyCredentials } from './credentials.js';
export { redactCluster } from './redact.js';
export { manifestHash } from './manifest-hash.js';
export { collectWarnings } from './warnings.js';
export { manifestSchema } from './schema.js';
export { loadCluster, type LoadOptions } from './load.js';
