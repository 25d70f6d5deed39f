// What the commands that touch hosts (plan, apply, reset, kubeconfig, unlock) share: the
// SSH flags, the wiring to the real packages, and error reporting in text or JSON.
import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { Collaborators } from '../../pkg/pipeline/collaborators.js';
import { exitCodeOf } from '../../pkg/errors/exit-codes.js';
import type { CliContext } from '../shared/context.js';
import type { GlobalArgs } from '../shared/global-flags.js';
import { realCollaborators } from './executor-wiring.js';
import { type ProbeFlags, probeContext, withProbeFlags } from './probe-flags.js';

export type HostCommandArgs = GlobalArgs & ProbeFlags & { 'helm-binary'?: string };

export function withHostOptions<T>(y: Argv<T>): Argv<T & HostCommandArgs> {
  return withProbeFlags(y) as unknown as Argv<T & HostCommandArgs>;
}

/** plan and apply: the helm client the helmReleases are resolved and installed with. */
export function withHelmOption<T>(y: Argv<T>): Argv<T> {
  return y.option('helm-binary', { type: 'string', describe: 'the helm client for helmReleases (default: helm on PATH)' }) as unknown as Argv<T>;
}

/** The real collaborators, loading the manifest through the CLI context (so -t and -c work). */
export function collaboratorsFor(ctx: CliContext, args: HostCommandArgs): Collaborators {
  const logger = ctx.logger(args);
  return realCollaborators({
    load: () => ctx.loadCluster(args),
    probeContext: (loaded) => probeContext(loaded, args, logger),
    ...(args['helm-binary'] ? { helmBinary: args['helm-binary'] } : {}),
  });
}

export const wantsJson = (args: HostCommandArgs): boolean => args['log-format'] === 'json' || (args as { output?: string }).output === 'json';

/**
 * Wraps a host command's handler: a failure becomes an exit code (the error's own, as
 * KubeOne's table, else 1) and is printed as text on stderr, or as one JSON event on
 * stdout when the output is JSON.
 */
export function hostHandler<A extends HostCommandArgs>(ctx: CliContext, handler: (args: A) => Promise<void>): (argv: ArgumentsCamelCase<object>) => Promise<void> {
  return async (argv) => {
    const args = argv as unknown as A;
    try {
      await handler(args);
    } catch (error) {
      if (wantsJson(args)) {
        ctx.exitCode = exitCodeOf(error);
        const message = error instanceof Error ? error.message : String(error);
        ctx.io.stdout.write(`${JSON.stringify({ type: 'error', message })}\n`);
      } else {
        ctx.fail(error, Boolean(args.debug));
      }
    }
  };
}
