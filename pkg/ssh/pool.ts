// The SSH connection pool of one run: one connection per host (and one per bastion),
// opened on first use and reused for every command and tunnel until closeAll().
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';

import type { Client } from 'ssh2';

import type { ResolvedHost } from '../api/types.js';
import { connectEndpoint, loadSshLibrary, withConnectRetries } from './connect.js';
import { resolveEndpoints, type SshEndpoint } from './endpoint.js';
import { KnownHosts } from './known-hosts.js';
import { Limiter } from './limiter.js';
import { type Logger, silentLogger } from './logger.js';
import { openTunnel, SshTransport } from './transport.js';
import { type HostTransport, SshError } from './types.js';

export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;

export interface SshPoolOptions {
  /** Commands (and connection handshakes) in flight at once across all hosts. Default 64. */
  concurrency?: number;
  /** known_hosts file kept by the tool. Default ~/.kubeone/known_hosts; the CLI passes the cluster state dir's. */
  knownHostsPath?: string;
  /** Host names (manifest names or addresses) whose changed host key is accepted and recorded; true accepts every host. */
  acceptNewHostKeys?: boolean | string[];
  connectTimeoutMs?: number;
  /** Default per-command timeout (ExecOptions.timeoutMs overrides it). */
  commandTimeoutMs?: number;
  /** Extra connection attempts after network failures (not after auth or host key failures). Default 2. */
  connectRetries?: number;
  retryBackoffMs?: number;
  /** Directory relative key paths resolve against (the manifest's). Default the working directory. */
  baseDir?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface SshPool {
  get(host: ResolvedHost): Promise<HostTransport>;
  /**
   * Starts connecting to these hosts now; each one's next get() gets that connection (or its
   * failure, once). Resolves when the SSH library is loaded and the handshakes are under way:
   * a probe loads its own modules after that, while the hosts answer.
   */
  warm(hosts: readonly ResolvedHost[]): Promise<void>;
  closeAll(): Promise<void>;
  readonly knownHostsPath: string;
}

export function defaultKnownHostsPath(): string {
  return path.join(os.homedir(), '.kubeone', 'known_hosts');
}

/** The cluster state dir's known_hosts: `<manifest dir>/.kubeone/<cluster>/known_hosts` (what the CLI uses). */
export function clusterKnownHostsPath(manifestDir: string, clusterName: string): string {
  return path.join(manifestDir, '.kubeone', clusterName || 'default', 'known_hosts');
}

export function createSshPool(options: SshPoolOptions = {}): SshPool {
  const logger = options.logger ?? silentLogger;
  const knownHostsPath = options.knownHostsPath ?? defaultKnownHostsPath();
  const accept = options.acceptNewHostKeys === true ? ['*'] : options.acceptNewHostKeys || [];
  const knownHosts = new KnownHosts(knownHostsPath, new Set(accept));
  const limiter = new Limiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const retries = options.connectRetries ?? 2;
  const backoffMs = options.retryBackoffMs ?? 250;
  const baseDir = options.baseDir ?? process.cwd();
  const transports = new Map<string, Promise<SshTransport>>();
  const warmed = new Map<string, Promise<SshTransport>>();
  const resolved = new Map<string, SshTransport>();
  const bastions = new Map<string, Promise<Client>>();
  const clients = new Set<Client>();
  // Private keys by file, read once per pool (a failed read is tried again by the next host).
  const keyFiles = new Map<string, Promise<string>>();
  const readKeyFile = (file: string): Promise<string> => {
    let pending = keyFiles.get(file);
    if (!pending) {
      pending = readFile(file, 'utf8');
      keyFiles.set(file, pending);
      pending.catch(() => keyFiles.delete(file));
    }
    return pending;
  };

  const track = (client: Client) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
    return client;
  };

  const connectBastion = (hostName: string, bastion: SshEndpoint): Promise<Client> => {
    const key = `${bastion.user}@${bastion.address}:${bastion.port}`;
    let pending = bastions.get(key);
    if (!pending) {
      pending = withConnectRetries(() => connectEndpoint(bastion, { hostName, bastion: true, knownHosts, timeoutMs, logger, readKeyFile }), retries, backoffMs).then(track);
      bastions.set(key, pending);
      // A failed bastion is retried by the next host that needs it.
      pending.catch(() => bastions.delete(key));
      pending.then((c) => c.once('close', () => bastions.delete(key)), () => undefined);
    }
    return pending.catch((error: unknown) => {
      if (!(error instanceof SshError)) throw error;
      throw new SshError(hostName, error.kind, `bastion ${bastion.label}: ${error.detail}`, { cause: error });
    });
  };

  const forwardFromBastion = (hostName: string, client: Client, endpoint: SshEndpoint): Promise<Duplex> =>
    openTunnel(client, endpoint.address, endpoint.port).catch((error: Error) => {
      throw new SshError(hostName, 'unreachable', `unreachable through the bastion: ${endpoint.label}: ${error.message}`, { cause: error });
    });

  const open = async (host: ResolvedHost): Promise<SshTransport> => {
    const endpoints = resolveEndpoints(host, baseDir, options.env ?? process.env);
    const client = await limiter.run(() =>
      withConnectRetries(async () => {
        const sock = endpoints.bastion
          ? await forwardFromBastion(host.name, await connectBastion(host.name, endpoints.bastion), endpoints.host)
          : undefined;
        return connectEndpoint(endpoints.host, { hostName: host.name, knownHosts, timeoutMs, sock, logger, readKeyFile });
      }, retries, backoffMs),
    );
    track(client);
    logger.debug(`${host.name}: connected to ${endpoints.host.label}`);
    const transport: SshTransport = new SshTransport({
      host: host.name,
      client,
      root: endpoints.host.user === 'root',
      limiter,
      defaultTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      onClose: async () => {
        transports.delete(host.name);
        resolved.delete(host.name);
        client.end();
      },
    });
    resolved.set(host.name, transport);
    client.once('close', () => {
      // A dropped connection is reopened by the next get().
      if (resolved.get(host.name) !== transport) return;
      resolved.delete(host.name);
      transports.delete(host.name);
    });
    return transport;
  };

  return {
    knownHostsPath,
    get(host: ResolvedHost): Promise<HostTransport> {
      let pending = transports.get(host.name);
      if (!pending) {
        pending = warmed.get(host.name) ?? open(host);
        warmed.delete(host.name);
        transports.set(host.name, pending);
        pending.catch(() => transports.delete(host.name));
      }
      return pending;
    },
    async warm(hosts: readonly ResolvedHost[]): Promise<void> {
      for (const host of hosts) {
        if (transports.has(host.name) || warmed.has(host.name)) continue;
        const pending = open(host);
        pending.catch(() => undefined); // Reported to the get() that takes it.
        warmed.set(host.name, pending);
      }
      if (hosts.length > 0) await loadSshLibrary();
    },
    async closeAll(): Promise<void> {
      // A warmed connection nobody took may still be connecting: let it finish, then end it.
      await Promise.allSettled([...warmed.values()]);
      warmed.clear();
      keyFiles.clear();
      const open = [...clients];
      transports.clear();
      resolved.clear();
      bastions.clear();
      await Promise.all(
        open.map(
          (client) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 2_000);
              client.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              client.end();
            }),
        ),
      );
    },
  };
}
