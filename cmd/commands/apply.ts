// kubeone apply [-y] [--parallelism N] [--backup FILE | --no-backup] [--no-init] [--force-upgrade]
//               [--force-install] [--prune-images] [--rotate-encryption-key] [PLANFILE]
// probe -> plan -> print -> confirm -> lock -> execute -> probe again: the plan must be empty.
import path from 'node:path';
import type { Argv } from 'yargs';
import type { Collaborators } from '../../pkg/pipeline/collaborators.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHelmOption, withHostOptions } from './executor-options.js';
import { runFlowOnTerminal } from './terminal-ui.js';
import { applyRequests, type ApplyRequestArgs, withApplyRequestFlags } from './apply-requests.js';

export interface ApplyArgs extends HostCommandArgs, ApplyRequestArgs {
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

export const APPLY_EXIT_CODES =
  'Exit codes: 0 converged; 1 refused plan, stale plan file, lock held, not confirmed, failed step or a plan not empty after the run; 15 configuration error or a plan file that differs; 13/14/16 SSH errors.';

export const applyCommand: CommandFactory = (ctx) => ({
  command: 'apply [planfile]',
  describe: 'Converge the hosts to the manifest: probe, plan, confirm, execute, verify',
  builder: (y) =>
    withApplyOptions(withHelmOption(withHostOptions(y)).positional('planfile', { type: 'string', describe: 'a plan saved with `kubeone plan --out` (refused when stale)' })).epilog(APPLY_EXIT_CODES),
  handler: hostHandler<ApplyArgs>(ctx, async (args) => runApply(collaboratorsFor(ctx, args), args, `kubeone apply${args.planfile ? ` ${args.planfile}` : ''}`)),
});

/** The options apply shares with `kubeone local`. */
export function withApplyOptions<T>(y: Argv<T>) {
  return withApplyRequestFlags(
    y
      .option('yes', { alias: ['y', 'auto-approve'], type: 'boolean', default: false, describe: 'do not ask for confirmation' })
      .option('parallelism', { type: 'number', default: 5, describe: 'worker actions run at once (control planes always one at a time)' })
      .option('backup', {
        alias: 'b',
        type: 'string',
        describe: 'PKI backup tarball (mode 0600) written after a successful run; default <manifest dir>/<cluster name>.tar.gz; --no-backup skips it',
      }),
  );
}

/** The apply flow with these options; `kubeone local` runs it with its own collaborators. */
export async function runApply(collaborators: Collaborators, args: ApplyArgs, command: string): Promise<void> {
  if (!Number.isInteger(args.parallelism) || args.parallelism < 1) throw new Error('--parallelism must be a positive integer');
  if (args.backup === '') throw new Error('--backup needs a path (or --no-backup to skip the backup)');
  const requests = applyRequests(args);
  const backup = args.backup;
  await runFlowOnTerminal(collaborators, args, {
    manifestPath: args.manifest,
    yes: args.yes,
    parallelism: args.parallelism,
    ...(args.planfile ? { planFile: args.planfile } : {}),
    ...(backup === false ? {} : { backupPath: backup ? backup : (loaded) => defaultBackupPath(args.manifest, loaded.cluster.name ?? 'kubeone') }),
    ...requests,
    command,
  });
}
