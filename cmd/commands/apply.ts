// kubeone apply [-y] [--parallelism N] [--backup FILE] [PLANFILE]
// probe -> plan -> print -> confirm -> lock -> execute -> probe again: the plan must be empty.
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHelmOption, withHostOptions } from './executor-options.js';
import { humanPlanView } from '../../pkg/views/plan-human.js';
import { interruptSignal, terminalUi } from './terminal-ui.js';

interface ApplyArgs extends HostCommandArgs {
  planfile?: string;
  yes: boolean;
  parallelism: number;
  backup?: string;
}

export const applyCommand: CommandFactory = (ctx) => ({
  command: 'apply [planfile]',
  describe: 'Converge the hosts to the manifest: probe, plan, confirm, execute, verify',
  builder: (y) =>
    withHelmOption(withHostOptions(y))
      .positional('planfile', { type: 'string', describe: 'a plan saved with `kubeone plan --out` (refused when stale)' })
      .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
      .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once (control planes always one at a time)' })
      .option('backup', { type: 'string', describe: 'write a PKI backup tarball (mode 0600) to this path' }),
  handler: hostHandler<ApplyArgs>(ctx, async (args) => {
    if (!Number.isInteger(args.parallelism) || args.parallelism < 1) throw new Error('--parallelism must be a positive integer');
    await runApplyFlow(collaboratorsFor(ctx, args), terminalUi({ logFormat: args['log-format'] === 'json' ? 'json' : 'human', yes: args.yes, view: humanPlanView({ verbose: args.verbose, color: process.stdout.isTTY === true }) }), {
      manifestPath: args.manifest,
      yes: args.yes,
      parallelism: args.parallelism,
      ...(args.planfile ? { planFile: args.planfile } : {}),
      ...(args.backup ? { backupPath: args.backup } : {}),
      command: `kubeone apply${args.planfile ? ` ${args.planfile}` : ''}`,
      signal: interruptSignal(),
    });
  }),
});
