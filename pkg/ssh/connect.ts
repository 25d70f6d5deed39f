// Opens one authenticated SSH connection (node-ssh over ssh2) to an endpoint, optionally
// over a channel forwarded by a bastion, verifying the host key first. Failures come back
// as SshError of kind unreachable, timeout, auth or hostKeyChanged.
import { readFile } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import type { Config } from 'node-ssh';
import type { Client } from 'ssh2';

import type { SshEndpoint } from './endpoint.js';
import { classifyConnectError } from './errors.js';
import { declineHostKeysProof } from './host-keys-proof.js';
import { fingerprint, hostKeyAlgorithmsFor, type KnownHosts, parsePublicKey, type HostKey } from './known-hosts.js';
import type { Logger } from './logger.js';
import { SshError } from './types.js';

export interface ConnectOptions {
  /** Manifest host name, for errors. */
  hostName: string;
  /**
   * This endpoint is the bastion in front of hostName: a changed key is accepted only by the
   * bastion's own name (its address or known_hosts id), never by the name of a host behind it.
   */
  bastion?: boolean;
  knownHosts: KnownHosts;
  timeoutMs: number;
  /** A forwarded channel from the bastion to this endpoint. */
  sock?: Duplex;
  logger: Logger;
  /**
   * Reads a private key file; the pool passes one that reads each file once per run (fifty
   * hosts sharing a key read it once). Default: read it now.
   */
  readKeyFile?: (file: string) => Promise<string>;
}

let sshLibrary: Promise<typeof import('node-ssh')> | undefined;

/** node-ssh (and ssh2), imported on the first connection: commands that open none (plan --snapshot) skip it. */
export function loadSshLibrary(): Promise<typeof import('node-ssh')> {
  return (sshLibrary ??= import('node-ssh'));
}

async function readKey(hostName: string, file: string, read: (file: string) => Promise<string> = (f) => readFile(f, 'utf8')): Promise<string> {
  try {
    return await read(file);
  } catch (error) {
    throw new SshError(hostName, 'auth', `cannot read the SSH private key file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

/**
 * A TCP connection to the endpoint, started before the SSH library is loaded and the key read:
 * the host's sshd accepts, forks and sends its banner meanwhile (what it sends waits in the
 * socket). ssh2 takes a socket that is still connecting where it is.
 */
function startTcp(endpoint: SshEndpoint): { socket: Socket; failure: () => Error | undefined } {
  const socket = connectTcp({ host: endpoint.address, port: endpoint.port });
  let failure: Error | undefined;
  // Until ssh2 listens (and after: it reports errors itself), a failure is kept, not thrown.
  socket.on('error', (error) => (failure ??= error));
  return { socket, failure: () => failure };
}

export async function connectEndpoint(endpoint: SshEndpoint, options: ConnectOptions): Promise<Client> {
  const { hostName } = options;
  if (!endpoint.privateKeyFile && !endpoint.agentSocket) {
    throw new SshError(hostName, 'auth', `no credentials for ${endpoint.label}: set sshPrivateKeyFile or run an SSH agent (SSH_AUTH_SOCK / sshAgentSocket)`);
  }
  let manifestKey: HostKey | undefined;
  if (endpoint.hostPublicKey) {
    try {
      manifestKey = parsePublicKey(endpoint.hostPublicKey);
    } catch (error) {
      throw new SshError(hostName, 'hostKeyChanged', `sshHostPublicKey of ${endpoint.label}: ${(error as Error).message}`);
    }
  }
  const tcp = options.sock ? undefined : startTcp(endpoint);
  try {
    return await handshake(endpoint, options, manifestKey, tcp);
  } catch (error) {
    tcp?.socket.destroy();
    throw error;
  }
}

async function handshake(endpoint: SshEndpoint, options: ConnectOptions, manifestKey: HostKey | undefined, tcp: ReturnType<typeof startTcp> | undefined): Promise<Client> {
  const { hostName, knownHosts } = options;
  await knownHosts.load();
  const expectedType = manifestKey?.type ?? knownHosts.lookup(endpoint.knownHostsId)[0]?.type;

  let refusal: SshError | undefined;
  // The names --accept-new-host-key may use for THIS endpoint.
  const names = options.bastion ? [endpoint.address, endpoint.knownHostsId] : [hostName, endpoint.address, endpoint.knownHostsId];
  const acceptAs = options.bastion ? endpoint.address : hostName;
  const config: Config = {
    sock: (options.sock ?? tcp!.socket) as Config['sock'],
    username: endpoint.user,
    readyTimeout: options.timeoutMs,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    ...(endpoint.privateKeyFile ? { privateKey: await readKey(hostName, endpoint.privateKeyFile, options.readKeyFile) } : {}),
    ...(endpoint.agentSocket ? { agent: endpoint.agentSocket } : {}),
    ...(expectedType ? { algorithms: { serverHostKey: hostKeyAlgorithmsFor(expectedType) as never } } : {}),
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      knownHosts.verify(endpoint.knownHostsId, key, names, manifestKey).then(
        (verdict) => {
          if (verdict.ok) {
            if (verdict.recorded) options.logger.info(`${hostName}: trusted new host key ${fingerprint(key)} of ${endpoint.knownHostsId} (recorded in ${knownHosts.file})`);
            verify(true);
            return;
          }
          const hint = verdict.source === 'manifest'
            ? 'fix sshHostPublicKey in the manifest if the host was legitimately replaced'
            : options.bastion
              ? `if the bastion was legitimately reinstalled, accept its new key with --accept-new-host-key ${acceptAs} (a bastion is accepted by its own name, not by the hosts behind it)`
              : `if the host was legitimately reinstalled, accept the new key with --accept-new-host-key ${acceptAs}`;
          refusal = new SshError(hostName, 'hostKeyChanged',
            `host key of ${endpoint.label} changed: expected ${verdict.expected} (${verdict.source}), host presented ${verdict.presented}; ${hint}`);
          verify(false);
        },
        (error) => {
          refusal = new SshError(hostName, 'hostKeyChanged', `cannot check the host key of ${endpoint.label}: ${(error as Error).message}`);
          verify(false);
        },
      );
    },
  };
  const { NodeSSH } = await loadSshLibrary();
  const ssh = new NodeSSH();
  const early = tcp?.failure();
  if (early) throw classifyConnectError(hostName, endpoint.label, early);
  try {
    const connecting = ssh.connect(config);
    // node-ssh creates the ssh2 client and starts it synchronously, long before the host
    // authenticates us and announces its keys.
    if (ssh.connection) declineHostKeysProof(ssh.connection);
    await connecting;
  } catch (error) {
    ssh.dispose();
    throw refusal ?? classifyConnectError(hostName, endpoint.label, error);
  }
  const client = ssh.connection!;
  // node-ssh drops its error listener once connected; an unhandled 'error' would crash the process.
  client.on('error', (error) => options.logger.debug(`${hostName}: connection error: ${(error as Error).message}`));
  return client;
}

/** Retries connection attempts that failed for network reasons, with exponential backoff. */
export async function withConnectRetries<T>(attempt: () => Promise<T>, retries: number, backoffMs: number): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = error instanceof SshError && error.kind === 'unreachable';
      if (!retryable || i >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** i));
    }
  }
}
