// kubeone proxy [--listen 127.0.0.1:8888]: an HTTPS (CONNECT) proxy on this machine tunnelling
// over SSH through a control plane, until interrupted (Ctrl-C).
import type { Argv, CommandModule } from 'yargs';
import type { ResolvedHost } from '../../pkg/api/types.js';
import { controlPlanesLeaderFirst } from '../../pkg/kube/leader.js';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import { joinHostPort } from '../../pkg/kubeadm/network.js';
import { parseListenAddress, startConnectProxy } from '../../pkg/proxy/connect-proxy.js';
import type { CommandFactory } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

interface ProxyArgs extends HostCommandArgs {
  listen: string;
}

export const proxyCommand: CommandFactory = (ctx): CommandModule<GlobalArgs, ProxyArgs> => ({
  command: 'proxy',
  describe: 'HTTPS (CONNECT) proxy on this machine tunnelling over SSH through a control plane, e.g. for kubectl and an API endpoint only the hosts reach',
  builder: (y) =>
    (withHostOptions(y) as unknown as Argv<ProxyArgs>)
      .option('listen', { type: 'string', default: '127.0.0.1:8888', describe: 'address the proxy listens on (host:port; port 0 picks a free one)' })
      .epilog(
        'Runs until interrupted (Ctrl-C: exit 0). Anyone who can reach the listen address can reach what the control planes reach: keep it on 127.0.0.1. Exit codes: 0 stopped by a signal; 1 bad --listen or the address is in use (nothing is contacted); 15 configuration error; 13/14 no control plane answers over SSH.',
      ),
  handler: hostHandler<ProxyArgs>(ctx, async (args) => {
    let listen;
    try {
      listen = parseListenAddress(args.listen);
    } catch (error) {
      throw new KubeOneError((error as Error).message, ExitCode.default);
    }
    const log = ctx.logger(args);
    const c = collaboratorsFor(ctx, args);
    const loaded = await c.loadCluster(args.manifest);
    const pool = c.createPool(loaded);
    const cps = controlPlanesLeaderFirst(loaded);
    // The control plane that answered last carries the next tunnel; another is tried when it fails.
    let preferred: ResolvedHost | undefined;
    const tunnelHost = async (): Promise<ResolvedHost> => {
      const errors: Error[] = [];
      for (const host of preferred ? [preferred, ...cps.filter((h) => h !== preferred)] : cps) {
        try {
          await pool.get(host);
          preferred = host;
          return host;
        } catch (error) {
          errors.push(error as Error);
        }
      }
      throw errors[0] ?? new Error('the manifest has no control plane');
    };
    try {
      // The address first (a port in use fails before any host is contacted), then a control plane.
      const proxy = await startConnectProxy({
        listen,
        log: (m) => log.warn(m),
        dial: async (host, port) => (await pool.get(await tunnelHost())).forwardOut(host, port),
      }).catch((error: Error) => {
        throw new KubeOneError(`listening on ${args.listen}: ${error.message}`, ExitCode.default);
      });
      let first: ResolvedHost;
      try {
        first = await tunnelHost();
      } catch (error) {
        await proxy.close();
        throw error;
      }
      if (listen.host !== '' && listen.host !== 'localhost' && !listen.host.startsWith('127.') && listen.host !== '::1') {
        log.warn(`the proxy listens on ${args.listen}: whoever reaches it reaches the network of ${first.name}`);
      }
      const shown = joinHostPort(proxy.address.host || '127.0.0.1', proxy.address.port);
      ctx.print(`SSH tunnel started (through ${first.name}), please open another terminal and set up the environment:\nexport HTTPS_PROXY=http://${shown}`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await proxy.close();
    } finally {
      await pool.closeAll();
    }
  }),
});
