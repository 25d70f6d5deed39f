// Where and how to log in to one host: the manifest's SSH fields with KubeOne's defaults
// (port 22, user root, agent from SSH_AUTH_SOCK) resolved into plain values.
import os from 'node:os';
import path from 'node:path';

import type { HostConfig, ResolvedHost } from '../api/types.js';
import { knownHostsId } from './known-hosts.js';

export interface SshEndpoint {
  address: string;
  port: number;
  user: string;
  /** Absolute path of the private key file, if any. */
  privateKeyFile?: string;
  /** Path of the SSH agent socket, if any. */
  agentSocket?: string;
  /** Expected host key (authorized_keys format) from the manifest, if set. */
  hostPublicKey?: string;
  /** How to name it in messages and known_hosts. */
  label: string;
  knownHostsId: string;
}

export interface HostEndpoints {
  host: SshEndpoint;
  bastion?: SshEndpoint;
}

function expandPath(file: string, baseDir: string): string {
  if (file === '~' || file.startsWith('~/')) return path.join(os.homedir(), file.slice(1));
  return path.resolve(baseDir, file);
}

/** `env:NAME` reads the variable (KubeOne's default is env:SSH_AUTH_SOCK); '' means none. */
export function resolveAgentSocket(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const raw = value ?? 'env:SSH_AUTH_SOCK';
  const resolved = raw.startsWith('env:') ? env[raw.slice(4)] : raw;
  return resolved ? resolved : undefined;
}

export function resolveEndpoints(host: ResolvedHost, baseDir: string, env: NodeJS.ProcessEnv = process.env): HostEndpoints {
  const c: HostConfig = host.config;
  const address = c.publicAddress || c.privateAddress;
  if (!address) throw new Error(`host ${host.name}: neither publicAddress nor privateAddress is set`);
  const port = c.sshPort ?? 22;
  const user = c.sshUsername || 'root';
  const privateKeyFile = c.sshPrivateKeyFile ? expandPath(c.sshPrivateKeyFile, baseDir) : undefined;
  const agentSocket = resolveAgentSocket(c.sshAgentSocket, env);
  const endpoint: SshEndpoint = {
    address,
    port,
    user,
    privateKeyFile,
    agentSocket,
    hostPublicKey: c.sshHostPublicKey || undefined,
    label: `${user}@${address}:${port}`,
    knownHostsId: knownHostsId(address, port),
  };
  if (!c.bastion) return { host: endpoint };
  const bastionPort = c.bastionPort ?? 22;
  const bastionUser = c.bastionUser || user;
  const bastion: SshEndpoint = {
    address: c.bastion,
    port: bastionPort,
    user: bastionUser,
    privateKeyFile: c.bastionPrivateKeyFile ? expandPath(c.bastionPrivateKeyFile, baseDir) : privateKeyFile,
    agentSocket,
    hostPublicKey: c.bastionHostPublicKey || undefined,
    label: `${bastionUser}@${c.bastion}:${bastionPort}`,
    knownHostsId: knownHostsId(c.bastion, bastionPort),
  };
  return { host: { ...endpoint, label: `${endpoint.label} via ${bastion.label}` }, bastion };
}
