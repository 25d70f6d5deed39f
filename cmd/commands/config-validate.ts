import type { CommandFactory } from '../shared/context.js';

/** `kubeone config validate`: load, default, validate; one line on success, every error otherwise (exit 15). */
export const configValidateCommand: CommandFactory = (ctx) => ({
  command: 'validate',
  describe: 'Load, default and validate the manifest (exit 15 listing every error)',
  handler: ctx.run(async (argv) => {
    const { cluster, hosts } = await ctx.loadCluster(argv);
    const cp = hosts.filter((h) => h.role === 'controlPlane').length;
    const workers = hosts.length - cp;
    ctx.print(
      `${argv.manifest}: configuration is valid (cluster ${cluster.name}, Kubernetes ${cluster.versions?.kubernetes}, ` +
        `${cp} control-plane and ${workers} static worker host${workers === 1 ? '' : 's'})`,
    );
  }),
});
