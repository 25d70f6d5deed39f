// kubeone kubeconfig: prints the admin kubeconfig, read from the first control plane that
// has one (the file never touches the local disk).
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';

export const kubeconfigCommand: CommandFactory = (ctx) => ({
  command: 'kubeconfig',
  describe: 'Print the cluster admin kubeconfig (from the leader)',
  builder: (y) => withHostOptions(y),
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
});
