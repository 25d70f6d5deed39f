// kubeone reset [-y] [--remove-binaries]: unprovision every host (kubeadm reset, remove the
// files, optionally the kube binaries) through the same planner and executor as apply.
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';
import { humanPlanView } from '../../pkg/views/plan-human.js';
import { interruptSignal, terminalUi } from './terminal-ui.js';

interface ResetArgs extends HostCommandArgs {
  yes: boolean;
  'remove-binaries': boolean;
  parallelism: number;
}

export const resetCommand: CommandFactory = (ctx) => ({
  command: 'reset',
  describe: 'Tear the cluster down on every host (there is no way to recover it afterwards)',
  builder: (y) =>
    withHostOptions(y)
      .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
      .option('remove-binaries', { type: 'boolean', default: false, describe: 'also remove kubeadm, kubelet and kubectl' })
      .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once' }),
  handler: hostHandler<ResetArgs>(ctx, async (args) => {
    if (!Number.isInteger(args.parallelism) || args.parallelism < 1) throw new Error('--parallelism must be a positive integer');
    await runApplyFlow(collaboratorsFor(ctx, args), terminalUi({ logFormat: args['log-format'] === 'json' ? 'json' : 'human', yes: args.yes, view: humanPlanView({ verbose: args.verbose, color: process.stdout.isTTY === true }) }), {
      manifestPath: args.manifest,
      yes: args.yes,
      parallelism: args.parallelism,
      reset: true,
      removeBinaries: args['remove-binaries'],
      command: 'kubeone reset',
      signal: interruptSignal(),
    });
  }),
});
