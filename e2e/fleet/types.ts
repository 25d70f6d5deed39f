// Shapes shared by the sandbox fleet modules. A fleet is a set of Docker
// containers running systemd + sshd (the "hosts") on one dedicated network.

export type HostRole = 'control-plane' | 'worker' | 'bastion';

export interface FleetOptions {
  controlPlanes: number;
  workers: number;
  /** Only the bastion publishes SSH; the other hosts are reached through it. */
  bastion?: boolean;
  /** Fleet name: cluster name, Docker name prefix, label value. Default: random. */
  name?: string;
  /** Where kubeone.yaml, the key and fleet.json go. Default: a new temp dir. */
  dir?: string;
  /** versions.kubernetes of the manifest. Default 1.34.3. */
  kubernetesVersion?: string;
  /** Docker image of the hosts. Default kubeone-host:latest (built if missing). */
  image?: string;
  /** Sandbox fleets outlive the process and are never swept automatically. */
  persistent?: boolean;
  /** How long to wait for every host to accept SSH logins. Default 60 s. */
  readyTimeoutMs?: number;
}

/** Everything a test or the product needs to reach one host. */
export interface FleetHost {
  /** Short name inside the fleet: cp-1, worker-2, bastion. */
  name: string;
  role: HostRole;
  hostname: string;
  /** 127.0.0.1 when the host publishes SSH; undefined behind a bastion. */
  sshAddress?: string;
  sshPort?: number;
  /** Address on the fleet network. */
  privateAddress: string;
  user: string;
  keyPath: string;
  containerName: string;
  containerId: string;
}

export interface FleetNetwork {
  name: string;
  id: string;
  subnet: string;
  gateway: string;
}

/** fleet.json: enough to tear the fleet down or re-attach from another process. */
export interface FleetState {
  version: 1;
  name: string;
  dir: string;
  /** Whether the dir was created by the fleet (and so is removed with it). */
  ownsDir: boolean;
  persistent: boolean;
  image: string;
  kubernetesVersion: string;
  keyPath: string;
  publicKeyPath: string;
  manifestPath: string;
  network: FleetNetwork;
  hosts: FleetHost[];
  createdAt: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Docker labels on every container and network of a fleet (sweeping, teardown). */
export const LABEL_FLEET = 'io.kubeone.fleet';
export const LABEL_HOST = 'io.kubeone.fleet.host';
export const LABEL_OWNER_PID = 'io.kubeone.fleet.owner-pid';
export const LABEL_PERSISTENT = 'io.kubeone.fleet.persistent';

export const LOGIN_USER = 'kubeone';
export const DEFAULT_IMAGE = 'kubeone-host:latest';
export const DEFAULT_KUBERNETES_VERSION = '1.34.3';
