export * from './types.js';
export { createSshPool, clusterKnownHostsPath, defaultKnownHostsPath, DEFAULT_CONCURRENCY, type SshPool, type SshPoolOptions } from './pool.js';
export { checkResult, commandError, isSudoPasswordError } from './errors.js';
export { fingerprint, parsePublicKey } from './known-hosts.js';
export { type Logger, silentLogger } from './logger.js';
