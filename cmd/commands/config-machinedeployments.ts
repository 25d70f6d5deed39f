import { machineDeploymentsYaml } from '../../pkg/machines/machine-deployments.js';
import type { CommandFactory } from '../shared/context.js';

/**
 * `kubeone config machinedeployments`: the MachineDeployments of dynamicWorkers (-m, -t for
 * Terraform's kubeone_workers), as YAML on stdout; nothing when there are none. No SSH. As
 * KubeOne, the objects are printed as they are: cloudProviderSpec holds no credentials
 * (machine-controller reads those from its own Secret).
 */
export const configMachineDeploymentsCommand: CommandFactory = (ctx) => ({
  command: 'machinedeployments',
  describe: 'Print the MachineDeployments of dynamicWorkers (the objects apply creates on first install)',
  builder: (y) => y.example('kubeone config machinedeployments -m kubeone.yaml -t tf.json', 'the workers of the manifest and the Terraform output'),
  handler: ctx.run(async (argv) => {
    const loaded = await ctx.loadCluster(argv);
    ctx.io.stdout.write(machineDeploymentsYaml(loaded.cluster));
  }),
});
