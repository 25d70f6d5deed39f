// `kubeone proxy`: an HTTP proxy that only speaks CONNECT, on a local address, whose every
// tunnel is a TCP channel opened by a control plane over its SSH connection: kubectl (with
// HTTPS_PROXY) reaches an API endpoint only the control planes can reach. TLS stays end to end
// between the client and the apiserver: the proxy sees only encrypted bytes.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:8888`, `[::1]:8888`, `localhost:0`, `:8888` (every interface, as Go's net/http) -> host and port. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  const host = m ? (m[1] ?? m[2] ?? '') : '';
  if (!m || port > 65535) throw new Error(`--listen ${JSON.stringify(text)}: expected host:port (e.g. 127.0.0.1:8888), port 0-65535`);
  if (host !== '' && host !== 'localhost' && net.isIP(host) === 0) throw new Error(`--listen ${JSON.stringify(text)}: the host must be an IP address or localhost`);
  return { host, port };
}

/** `host:port` of a CONNECT request (IPv6 in brackets), or null when it is not one. */
export function parseConnectTarget(target: string | undefined): ListenAddress | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(target ?? '');
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1] ?? m[2]!, port };
}

export interface ConnectProxy {
  /** The address it listens on (the real port when 0 was asked). */
  address: ListenAddress;
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  listen: ListenAddress;
  /** Opens a TCP channel to host:port from a control plane (throws when none can). */
  dial(host: string, port: number): Promise<Duplex>;
  log(message: string): void;
}

export async function startConnectProxy(opts: ConnectProxyOptions): Promise<ConnectProxy> {
  const sockets = new Set<Duplex>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'CONNECT' });
    res.end('this proxy only tunnels with CONNECT (set HTTPS_PROXY)\n');
  });
  server.headersTimeout = 60_000;
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = parseConnectTarget(req.url);
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\n\r\nCONNECT needs host:port\n');
      return;
    }
    opts.dial(target.host, target.port).then(
      (channel) => {
        sockets.add(channel);
        channel.on('close', () => {
          sockets.delete(channel);
          client.destroy();
        });
        channel.on('error', () => channel.destroy());
        client.on('close', () => channel.destroy());
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) channel.write(head);
        client.pipe(channel);
        channel.pipe(client);
      },
      (error: Error) => {
        opts.log(`CONNECT ${req.url}: ${error.message}`);
        client.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\n\r\n${error.message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listen.port, opts.listen.host || undefined, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  return {
    address: { host: opts.listen.host === '' ? '' : bound.address, port: bound.port },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
