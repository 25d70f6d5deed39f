// A @kubernetes/client-node KubeConfig whose HTTPS connections are dialled through the SSH
// connection of a control-plane host (HostTransport.forwardOut), verified against the
// cluster CA of that host's admin.conf. The admin.conf text stays in memory only.
// No network path from here to the API is needed, so bastions work as well.
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

import type { HostTransport } from '../ssh/types.js';

const SOCKET_IDLE_TIMEOUT_MS = 30_000;

/** An https.Agent that opens each TLS connection over a freshly forwarded SSH channel. */
export class TunnelAgent extends https.Agent {
  constructor(
    private readonly dial: () => Promise<Duplex>,
    options: https.AgentOptions,
  ) {
    super({ keepAlive: true, maxSockets: 16, timeout: SOCKET_IDLE_TIMEOUT_MS, ...options });
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    this.dial().then(
      (channel) => {
        const host = String(options.host ?? options.hostname ?? '');
        const socket = tls.connect({
          ...(options as tls.ConnectionOptions),
          socket: channel,
          // SNI must not be an IP address; certificate checks still use the host.
          servername: net.isIP(host) ? undefined : (options.servername ?? host),
        });
        // A request that sees no byte for this long is dead (e.g. the apiserver was restarted
        // under it): destroying the socket fails the request, so callers retry on a fresh one
        // instead of waiting forever. Idle keep-alive sockets are dropped the same way.
        // (The agent re-arms the socket timer with its `timeout` option each time the socket
        // is handed out or returned, so that option carries the value; this is the action.)
        socket.setTimeout(SOCKET_IDLE_TIMEOUT_MS, () => socket.destroy(new Error(`no answer from the apiserver through the SSH tunnel for ${SOCKET_IDLE_TIMEOUT_MS / 1000} s`)));
        // The far end closing (apiserver restarted) ends the channel's readable side only: a
        // half-open socket would stay in the keep-alive pool and the next request on it would
        // wait forever. Such a socket is finished.
        channel.once('end', () => socket.destroy());
        channel.once('close', () => socket.destroy());
        socket.once('end', () => socket.destroy());
        callback?.(null, socket);
      },
      (error: Error) => callback?.(error, undefined as never),
    );
    return undefined;
  }
}

export class TunnelledKubeConfig extends KubeConfig {
  private agent?: TunnelAgent;

  constructor(
    private readonly dial: () => Promise<Duplex>,
  ) {
    super();
  }

  /** The agent every request of this config uses (built once: connections are kept alive and reused). */
  tunnelAgent(): TunnelAgent {
    if (this.agent) return this.agent;
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (!cluster?.caData) throw new Error('admin.conf has no certificate-authority-data');
    this.agent = new TunnelAgent(this.dial, {
      ca: Buffer.from(cluster.caData, 'base64'),
      cert: user?.certData ? Buffer.from(user.certData, 'base64') : undefined,
      key: user?.keyData ? Buffer.from(user.keyData, 'base64') : undefined,
      rejectUnauthorized: true,
    });
    return this.agent;
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setAgent(this.tunnelAgent());
  }

  override async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    opts.agent = this.tunnelAgent();
  }

  /** GET a raw path (e.g. /healthz) through the tunnel; resolves with status and body. */
  async getRaw(path: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
    const server = new URL(this.getCurrentCluster()!.server);
    const opts: https.RequestOptions = { host: server.hostname, port: Number(server.port || 443), path, method: 'GET', timeout: timeoutMs };
    await this.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const req = https.request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent?.destroy();
  }
}

/**
 * Builds a KubeConfig from admin.conf text whose server is https://apiHost:apiPort, dialled
 * from `transport`'s host. apiHost must be an address the apiserver certificate names
 * (the control plane's advertise/private address or the API endpoint).
 */
export function createTunnelledKubeConfig(transport: HostTransport, adminConfText: string, apiHost: string, apiPort: number): TunnelledKubeConfig {
  const kc = new TunnelledKubeConfig(() => transport.forwardOut(apiHost, apiPort));
  kc.loadFromString(adminConfText);
  const current = kc.getCurrentCluster();
  if (!current) throw new Error(`${transport.host}: admin.conf has no current cluster`);
  const server = `https://${net.isIPv6(apiHost) ? `[${apiHost}]` : apiHost}:${apiPort}`;
  kc.clusters = kc.clusters.map((c) => (c.name === current.name ? { ...c, server } : c));
  return kc;
}
