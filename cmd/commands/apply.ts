// kubeone apply [-y] [--parallelism N] [--backup FILE | --no-backup] [--no-init] [--force-upgrade]
//               [--force-install] [--prune-images] [PLANFILE]
// probe -> plan -> print -> confirm -> lock -> execute -> probe again: the plan must be empty.
import path from 'node:path';
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHostOptions } from './executor-options.js';
import { humanPlanView } from '../../pkg/views/plan-human.js';
import { interruptSignal, terminalUi } from './terminal-ui.js';
import { applyRequests, type ApplyRequestArgs, withApplyRequestFlags } from './apply-requests.js';

interface ApplyArgs extends HostCommandArgs, ApplyRequestArgs {
  planfile?: string;
  yes: boolean;
  parallelism: number;
  /** A path, or false with --no-backup; undefined: KubeOne's default beside the manifest. */
  backup?: string | false;
}

/** KubeOne's default: `<manifest dir>/<cluster name>.tar.gz` (the working directory for a manifest on stdin). */
export function defaultBackupPath(manifestPath: string, clusterName: string): string {
  const dir = manifestPath === '-' ? process.cwd() : path.dirname(path.resolve(manifestPath));
  return path.join(dir, `${clusterName}.tar.gz`);
}

export const applyCommand: CommandFactory = (ctx) => ({
  command: 'apply [planfile]',
  describe: 'Converge the hosts to the manifest: probe, plan, confirm, execute, verify',
  builder: (y) =>
    withApplyRequestFlags(
      withHostOptions(y)
        .positional('planfile', { type: 'string', describe: 'a plan saved with `kubeone plan --out` (refused when stale)' })
        .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
        .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once (control planes always one at a time)' })
        .option('backup', {
          alias: 'b',
          type: 'string',
          describe: 'PKI backup tarball (mode 0600) written after a successful run; default <manifest dir>/<cluster name>.tar.gz; --no-backup skips it',
        }),
    ).epilog('Exit codes: 0 converged; 1 refused plan, stale plan file, lock held, not confirmed, failed step or a plan not empty after the run; 15 configuration error or a plan file that differs; 13/14/16 SSH errors.'),
  handler: hostHandler<ApplyArgs>(ctx, async (args) => {
    if (!Number.isInteger(args.parallelism) || args.parallelism < 1) throw new Error('--parallelism must be a positive integer');
    if (args.backup === '') throw new Error('--backup needs a path (or --no-backup to skip the backup)');
    const requests = applyRequests(args);
    const backup = args.backup;
    await runApplyFlow(collaboratorsFor(ctx, args), terminalUi({ logFormat: args['log-format'] === 'json' ? 'json' : 'human', yes: args.yes, view: humanPlanView({ verbose: args.verbose, color: process.stdout.isTTY === true }) }), {
      manifestPath: args.manifest,
      yes: args.yes,
      parallelism: args.parallelism,
      ...(args.planfile ? { planFile: args.planfile } : {}),
      ...(backup === false ? {} : { backupPath: backup ? backup : (loaded) => defaultBackupPath(args.manifest, loaded.cluster.name ?? 'kubeone') }),
      ...requests,
      command: `kubeone apply${args.planfile ? ` ${args.planfile}` : ''}`,
      signal: interruptSignal(),
    });
  }),
});
