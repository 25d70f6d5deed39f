// A kubeconfig for a local client process (helm) that reaches the apiserver through the same
// SSH connection as the rest of the run: a listener on 127.0.0.1 (a port the system picks)
// forwards each connection over HostTransport.forwardOut to the control plane's apiserver.
// TLS stays end to end: the client verifies the apiserver certificate against the cluster
// CA of admin.conf, for the apiserver's own address (tls-server-name), and authenticates
// with admin.conf's client certificate; the listener only relays bytes. It is open only
// while the client runs.
import net from 'node:net';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { HostTransport } from '../ssh/types.js';

export interface LocalApiTunnel {
  /** The kubeconfig text (admin.conf pointed at the local listener). Holds a client key: write it 0600 only. */
  kubeconfig: string;
  port: number;
  close(): Promise<void>;
}

type KubeconfigDoc = {
  'current-context'?: string;
  contexts?: { name: string; context?: { cluster?: string } }[];
  clusters?: { name: string; cluster?: Record<string, unknown> }[];
};

/** admin.conf with the current context's cluster served at https://127.0.0.1:port and verified as `serverName`. */
export function pointKubeconfigAt(adminConf: string, port: number, serverName: string): string {
  const doc = parseYaml(adminConf) as KubeconfigDoc;
  const context = doc.contexts?.find((c) => c.name === doc['current-context']);
  const cluster = doc.clusters?.find((c) => c.name === context?.context?.cluster);
  if (!cluster?.cluster) throw new Error('admin.conf has no cluster for its current context');
  cluster.cluster.server = `https://127.0.0.1:${port}`;
  cluster.cluster['tls-server-name'] = serverName;
  return stringifyYaml(doc);
}

export async function openLocalApiTunnel(transport: HostTransport, adminConf: string, apiHost: string, apiPort: number): Promise<LocalApiTunnel> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    transport.forwardOut(apiHost, apiPort).then(
      (channel) => {
        channel.on('error', () => socket.destroy());
        socket.once('close', () => channel.destroy());
        channel.once('close', () => socket.destroy());
        socket.pipe(channel).pipe(socket);
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    kubeconfig: pointKubeconfigAt(adminConf, port, apiHost),
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
