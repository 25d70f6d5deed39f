// kubeone apply [-y] [--parallelism N] [--backup FILE] [PLANFILE]
// probe -> plan -> print -> confirm -> lock -> execute -> probe again: the plan must be empty.
import type { Argv } from 'yargs';
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import type { Collaborators } from '../../pkg/pipeline/collaborators.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';
import { humanPlanView } from '../../pkg/views/plan-human.js';
import { interruptSignal, terminalUi } from './terminal-ui.js';

export interface ApplyArgs extends HostCommandArgs {
  planfile?: string;
  yes: boolean;
  parallelism: number;
  backup?: string;
}

export const applyCommand: CommandFactory = (ctx) => ({
  command: 'apply [planfile]',
  describe: 'Converge the hosts to the manifest: probe, plan, confirm, execute, verify',
  builder: (y) => withApplyOptions(withHostOptions(y).positional('planfile', { type: 'string', describe: 'a plan saved with `kubeone plan --out` (refused when stale)' })),
  handler: hostHandler<ApplyArgs>(ctx, async (args) => runApply(collaboratorsFor(ctx, args), args, `kubeone apply${args.planfile ? ` ${args.planfile}` : ''}`)),
});

/** The options apply shares with `kubeone local`. */
export function withApplyOptions<T>(y: Argv<T>) {
  return y
    .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
    .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once (control planes always one at a time)' })
    .option('backup', { type: 'string', describe: 'write a PKI backup tarball (mode 0600) to this path' });
}

/** The apply flow with these options; `kubeone local` runs it with its own collaborators. */
export async function runApply(collaborators: Collaborators, args: ApplyArgs, command: string): Promise<void> {
  if (!Number.isInteger(args.parallelism) || args.parallelism < 1) throw new Error('--parallelism must be a positive integer');
  await runApplyFlow(collaborators, terminalUi({ logFormat: args['log-format'] === 'json' ? 'json' : 'human', yes: args.yes, view: humanPlanView({ verbose: args.verbose, color: process.stdout.isTTY === true }) }), {
    manifestPath: args.manifest,
    yes: args.yes,
    parallelism: args.parallelism,
    ...(args.planfile ? { planFile: args.planfile } : {}),
    ...(args.backup ? { backupPath: args.backup } : {}),
    command,
    signal: interruptSignal(),
  });
}
