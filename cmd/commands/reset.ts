// kubeone reset [-y] [--remove-binaries]: unprovision every host (kubeadm reset, remove the
// files, optionally the kube binaries) through the same planner and executor as apply.
import type { CommandModule } from 'yargs';
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { realCollaborators } from './executor-wiring.js';
import { type HostCommandArgs, manifestPath, reportFailure, withHostOptions } from './executor-options.js';
import { interruptSignal, terminalUi } from './terminal-ui.js';

interface ResetArgs extends HostCommandArgs {
  yes: boolean;
  'remove-binaries': boolean;
  parallelism: number;
}

export const resetCommand: CommandModule<object, ResetArgs> = {
  command: 'reset',
  describe: 'Tear the cluster down on every host (there is no way to recover it afterwards)',
  builder: (y) =>
    withHostOptions(y)
      .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
      .option('remove-binaries', { type: 'boolean', default: false, describe: 'also remove kubeadm, kubelet and kubectl' })
      .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once' }) as never,
  handler: async (args) => {
    const json = args['log-format'] === 'json';
    try {
      await runApplyFlow(await realCollaborators(), terminalUi({ logFormat: args['log-format'] === 'json' ? 'json' : 'human', yes: args.yes }), {
        manifestPath: manifestPath(args),
        ...(args.credentials ? { credentialsPath: args.credentials } : {}),
        yes: args.yes,
        parallelism: args.parallelism,
        reset: true,
        removeBinaries: args['remove-binaries'],
        command: 'kubeone reset',
        signal: interruptSignal(),
      });
    } catch (error) {
      reportFailure(error, json);
    }
  },
};

export default resetCommand;
