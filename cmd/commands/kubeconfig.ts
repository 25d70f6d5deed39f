// kubeone kubeconfig: prints the admin kubeconfig, read from the first control plane that
// has one (the file never touches the local disk).
import type { CommandModule } from 'yargs';
import { realCollaborators } from './executor-wiring.js';
import { type HostCommandArgs, manifestPath, reportFailure, withHostOptions } from './executor-options.js';

export const kubeconfigCommand: CommandModule<object, HostCommandArgs> = {
  command: 'kubeconfig',
  describe: 'Print the cluster admin kubeconfig (from the leader)',
  builder: (y) => withHostOptions(y) as never,
  handler: async (args) => {
    try {
      const c = await realCollaborators();
      const loaded = await c.loadCluster(manifestPath(args), args.credentials);
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
            process.stdout.write((await t.readFile('/etc/kubernetes/admin.conf')).toString('utf8'));
            return;
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
        throw new Error(`no control plane has an admin kubeconfig (is the cluster installed?):\n  ${failures.join('\n  ')}`);
      } finally {
        await pool.closeAll();
      }
    } catch (error) {
      reportFailure(error, args['log-format'] === 'json');
    }
  },
};

export default kubeconfigCommand;
