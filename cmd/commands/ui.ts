// kubeone ui [--port 8080] [--address 127.0.0.1]: KubeOne's small web dashboard (Nodes with
// their apiserver/etcd health, MachineDeployments and their Machines, the pods of a node, and
// a few actions), served by this process until interrupted. Stricter than KubeOne: loopback
// only by default, a per-run token on every request, Origin/Host checks (pkg/ui/guard.ts).
import { isIP } from 'node:net';
import type { Argv, CommandModule } from 'yargs';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import { controlPlanesLeaderFirst, kubeClientFromLeader, type KubeClient } from '../../pkg/kube/leader.js';
import { SshError } from '../../pkg/ssh/types.js';
import { newToken } from '../../pkg/ui/guard.js';
import { controlPlaneHealth } from '../../pkg/ui/health.js';
import { kubeBackend } from '../../pkg/ui/kube-backend.js';
import { reconnectingBackend } from '../../pkg/ui/reconnect.js';
import { startUiServer } from '../../pkg/ui/server.js';
import type { CommandFactory } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

const EXIT_CODES =
  'Runs until interrupted (Ctrl-C: exit 0). Exit codes: 0 stopped by a signal; 1 bad --port or --address (nothing is contacted) or the address is in use; ' +
  "12 no control plane's API answers; 13/14 no control plane answers over SSH; 15 configuration error.";

interface UiArgs extends HostCommandArgs {
  port: number;
  address: string;
}

const usage = (message: string): KubeOneError => new KubeOneError(message, ExitCode.default);

/** --address: one IP address of this machine (or localhost); not a wildcard, whose Host headers could not be checked. */
export function checkListenFlags(address: string, port: number): { host: string; port: number } {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage(`--port ${String(port)}: expected a port number 0-65535 (0 picks a free one)`);
  const host = address === 'localhost' ? '127.0.0.1' : address;
  if (isIP(host) === 0) throw usage(`--address ${JSON.stringify(address)}: expected an IP address of this machine or localhost`);
  if (host === '0.0.0.0' || host === '::' || /^(0*:)*:?0*$/.test(host)) {
    throw usage(`--address ${address}: listening on every interface is refused; name the one address browsers will use (requests naming another Host are refused)`);
  }
  return { host, port };
}

/** The first control plane (leader first) whose apiserver answers /healthz through its SSH connection. */
async function findControlPlane(loaded: Parameters<typeof controlPlanesLeaderFirst>[0], pool: Parameters<typeof kubeClientFromLeader>[0]): Promise<KubeClient> {
  const failures: Error[] = [];
  for (const host of controlPlanesLeaderFirst(loaded)) {
    try {
      const client = await kubeClientFromLeader(pool, host);
      const health = await client.kubeConfig.getRaw('/healthz').catch((e: Error) => ({ status: 0, body: e.message }));
      if (health.status === 200) return client;
      client.close();
      failures.push(new Error(`${host.name}: the apiserver did not answer /healthz (${health.status || health.body})`));
    } catch (error) {
      failures.push(error instanceof SshError ? error : new Error(`${host.name}: ${(error as Error).message}`));
    }
  }
  if (failures.length > 0 && failures.every((f) => f instanceof SshError)) throw failures[0]!;
  throw new KubeOneError(`no control plane's API answered: ${failures.map((f) => f.message).join('; ') || 'the manifest has no control plane'}`, ExitCode.kubeClient);
}

export const uiCommand: CommandFactory = (ctx): CommandModule<GlobalArgs, UiArgs> => ({
  command: 'ui',
  describe:
    'Web dashboard of the cluster (Nodes with apiserver/etcd health, MachineDeployments, pods of a node; scale, restart, delete) on 127.0.0.1, behind a per-run token. ' +
    "Exit codes: 0 stopped by a signal; 1 bad --port/--address or the address in use; 12 no control plane's API answers; 13/14 SSH; 15 configuration error",
  builder: (y) =>
    (withHostOptions(y) as unknown as Argv<UiArgs>)
      .option('port', { type: 'number', default: 8080, describe: 'port on which the dashboard listens (0 picks a free one)' })
      .option('address', { type: 'string', default: '127.0.0.1', describe: 'address on which the dashboard listens (an IP address of this machine or localhost; not 0.0.0.0)' })
      .epilog(EXIT_CODES),
  handler: hostHandler<UiArgs>(ctx, async (args) => {
    const listen = checkListenFlags(args.address, args.port);
    const log = ctx.logger(args);
    const c = collaboratorsFor(ctx, args);
    const loaded = await c.loadCluster(args.manifest);
    const pool = c.createPool(loaded);
    const health = controlPlaneHealth(loaded, pool);
    const backend = reconnectingBackend(async () => {
      const client = await findControlPlane(loaded, pool);
      return { backend: kubeBackend({ kubeConfig: client.kubeConfig, health: () => health.check() }), via: client.host, close: () => client.close() };
    });
    // The address first: a port in use fails before any host is contacted.
    const server = await startUiServer({ ...listen, token: newToken(), clusterName: loaded.cluster.name ?? 'cluster', backend, log: (m) => log.warn(m) }).catch((error: Error) => {
      throw usage(`listening on ${args.address}:${args.port}: ${error.message}`);
    });
    try {
      const { via } = await backend.connection();
      ctx.print(`Dashboard of ${loaded.cluster.name ?? 'the cluster'} (API through ${via}); open it with its token:\n${server.url}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    } finally {
      await server.close();
      backend.close();
      health.close();
      await pool.closeAll();
    }
  }),
});
