// kubeone kubeconfig: prints the admin kubeconfig, read from the first control plane that
// has one (the file never touches the local disk).
// kubeone kubeconfig generate --cn NAME --on GROUP... | -s [--ttl 1h]: a kubeconfig with a new
// client certificate signed by the cluster CA (read into memory from a control plane).
import { hostname, userInfo } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { readClusterCA } from '../../pkg/addons/certificates.js';
import { parseGoDuration } from '../../pkg/api/duration.js';
import { controlPlanesLeaderFirst } from '../../pkg/kube/leader.js';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import { generateClientKubeconfig } from '../../pkg/kube/client-kubeconfig.js';
import { apiEndpointOf, joinHostPort } from '../../pkg/kubeadm/network.js';
import type { CommandFactory } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

interface GenerateArgs extends HostCommandArgs {
  cn?: string;
  on: string[];
  'super-admin': boolean;
  ttl: string;
}

/** KubeOne's configuration error (exit 15): `configuration <op>\n<message>`. */
const flagError = (flag: string, message: string): KubeOneError => new KubeOneError(`configuration ${flag}\n${message}`, ExitCode.config);

/** The certificate's subject and lifetime from the flags, with KubeOne's rules and messages; nothing is contacted before. */
export function generateRequest(args: Pick<GenerateArgs, 'cn' | 'on' | 'super-admin' | 'ttl'>, env: Record<string, string | undefined>): { cn: string; on: string[]; ttlMs: number } {
  let on = args.on ?? [];
  if (args['super-admin']) {
    if (on.length > 0) throw flagError('--on flag', 'mutually exclusive with --super-admin');
    on = ['system:masters'];
  }
  if (on.length === 0) throw flagError('--on flag', 'can not be empty');
  if (on.some((o) => o.trim() === '')) throw flagError('--on flag', 'an organization name can not be empty');
  const ns = parseGoDuration(args.ttl);
  if (ns === undefined) throw flagError('--ttl flag', `${JSON.stringify(args.ttl)} is not a duration (e.g. 1h, 30m, 8760h)`);
  if (ns <= 0n) throw flagError('--ttl flag', `must be positive, got ${args.ttl}`);
  let cn = args.cn ?? '';
  if (cn === '') {
    const user = env.USER || safeUser() || 'DEFAULT';
    cn = `${user}@${hostname()}`;
  }
  return { cn, on, ttlMs: Number(ns / 1_000_000n) };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

export const kubeconfigCommand: CommandFactory = (ctx) => {
  const generate: CommandModule<GlobalArgs, GenerateArgs> = {
    command: 'generate',
    describe: 'Print a kubeconfig with a new client certificate (CN, O) signed by the cluster CA',
    builder: (y) =>
      (withHostOptions(y) as unknown as Argv<GenerateArgs>)
        .option('cn', { type: 'string', describe: 'CommonName (CN) of the client certificate: the user name (default: $USER@<hostname>)' })
        .option('on', { type: 'string', array: true, default: [] as string[], describe: 'OrganizationName (O) of the client certificate: a group; repeatable' })
        .option('super-admin', { alias: 's', type: 'boolean', default: false, describe: 'shorthand for --on system:masters' })
        .option('ttl', { type: 'string', default: '1h', describe: 'how long the certificate is valid (Go duration: 30m, 24h, ...)' })
        .epilog(
          'Exit codes: 0 printed; 15 a flag is wrong (--on missing or combined with --super-admin, a bad --ttl) or the manifest is invalid, nothing is contacted; 1 no control plane gave the cluster CA; 13/14 SSH errors.',
        ),
    handler: hostHandler<GenerateArgs>(ctx, async (args) => {
      const request = generateRequest(args, ctx.io.env);
      const c = collaboratorsFor(ctx, args);
      const loaded = await c.loadCluster(args.manifest);
      const endpoint = apiEndpointOf(loaded.cluster, loaded.hosts);
      const pool = c.createPool(loaded);
      try {
        const failures: string[] = [];
        for (const host of controlPlanesLeaderFirst(loaded)) {
          try {
            const ca = await readClusterCA(await pool.get(host));
            ctx.io.stdout.write(
              generateClientKubeconfig(ca, {
                clusterName: loaded.cluster.name ?? 'kubernetes',
                server: `https://${joinHostPort(endpoint.host, endpoint.port)}`,
                commonName: request.cn,
                organizations: request.on,
                ttlMs: request.ttlMs,
                now: new Date(),
              }),
            );
            return;
          } catch (error) {
            const message = (error as Error).message;
            failures.push(message.startsWith(host.name) ? message : `${host.name}: ${message}`);
          }
        }
        throw new Error(`no control plane gave the cluster CA (is the cluster installed?):\n  ${failures.join('\n  ')}`);
      } finally {
        await pool.closeAll();
      }
    }),
  };
  return {
    command: 'kubeconfig',
    describe: 'Print the cluster admin kubeconfig (from the leader); `kubeconfig generate` makes one for a user',
    builder: (y) => withHostOptions(y).command(generate),
    handler: hostHandler<HostCommandArgs>(ctx, async (args) => {
      const c = collaboratorsFor(ctx, args);
      const loaded = await c.loadCluster(args.manifest);
      const pool = c.createPool(loaded);
      try {
        const failures: string[] = [];
        for (const host of loaded.hosts.filter((h) => h.role === 'controlPlane')) {
          try {
            const t = await pool.get(host);
            if ((await t.exec('sudo test -f /etc/kubernetes/admin.conf')).code !== 0) {
              failures.push(`${host.name}: no /etc/kubernetes/admin.conf`);
              continue;
            }
            ctx.io.stdout.write((await t.readFile('/etc/kubernetes/admin.conf')).toString('utf8'));
            return;
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
        throw new Error(`no control plane has an admin kubeconfig (is the cluster installed?):\n  ${failures.join('\n  ')}`);
      } finally {
        await pool.closeAll();
      }
    }),
  };
};
