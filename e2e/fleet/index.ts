// Sandbox fleet: real Linux hosts (systemd + sshd containers) for the e2e tests
// and the demo. See docs/sandbox.md.
export { Fleet, FLEET_STATE_FILE, type DisconnectMode } from './fleet.js';
export { startFleet } from './start-fleet.js';
export { inspect as inspectContainer } from './docker.js';
export { sweepAbandonedFleets } from './sweep.js';
export { ensureDocker, ensureHostImage } from './setup.js';
export { sshConnect, sshExec, sshRun, fingerprint, type SshConnection, type SshTarget } from './ssh.js';
export { KUBESIM_BUNDLE_TEMPLATE, REPO_ROOT } from './manifest.js';
export * from './types.js';
export { HOST_ETCDCTL, scenarioHooks } from './scenario.js';
