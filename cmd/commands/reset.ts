// kubeone reset [-y] [--remove-binaries] [--remove-lb-services] [--remove-volumes]
// [--destroy-workers]: unprovision every host (kubeadm reset, remove the files, optionally the
// kube binaries) through the same planner and executor as apply, after deleting the
// LoadBalancer Services, volumes and machine-controller's worker machines a cloud would keep
// (all default true, as KubeOne).
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';
import { runFlowOnTerminal } from './terminal-ui.js';

interface ResetArgs extends HostCommandArgs {
  yes: boolean;
  'remove-binaries': boolean;
  'remove-lb-services': boolean;
  'remove-volumes': boolean;
  'destroy-workers': boolean;
  parallelism: number;
}

export const resetCommand: CommandFactory = (ctx) => ({
  command: 'reset',
  describe: 'Tear the cluster down on every host (there is no way to recover it afterwards)',
  builder: (y) =>
    withHostOptions(y)
      .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
      .option('remove-binaries', { type: 'boolean', default: false, describe: 'also remove kubeadm, kubelet and kubectl' })
      .option('remove-lb-services', { type: 'boolean', default: true, describe: 'first delete every Service of type LoadBalancer and wait for its cloud load balancer to go' })
      .option('remove-volumes', { type: 'boolean', default: true, describe: 'first delete every PersistentVolumeClaim and wait for the dynamically provisioned, unretained volumes to go' })
      .option('destroy-workers', { type: 'boolean', default: true, describe: 'first delete machine-controller\'s MachineDeployments, MachineSets and Machines and wait for the Machines and their Nodes to go' })
      .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once' }),
  handler: hostHandler<ResetArgs>(ctx, async (args) => {
    if (!Number.isInteger(args.parallelism) || args.parallelism < 1) throw new Error('--parallelism must be a positive integer');
    await runFlowOnTerminal(collaboratorsFor(ctx, args), args, {
      manifestPath: args.manifest,
      yes: args.yes,
      parallelism: args.parallelism,
      reset: true,
      removeBinaries: args['remove-binaries'],
      removeLbServices: args['remove-lb-services'],
      removeVolumes: args['remove-volumes'],
      destroyWorkers: args['destroy-workers'],
      command: 'kubeone reset',
    });
  }),
});
