// Flags shared by the commands that open SSH connections (status, snapshot; plan and apply
// may reuse them), and how they become the probe commands' context.
import type { Argv } from 'yargs';

import type { LoadedCluster } from '../../pkg/api/types.js';
import type { ProbeCommandContext } from '../../pkg/probe/commands.js';
import { DEFAULT_CONCURRENCY } from '../../pkg/ssh/pool.js';
import type { Logger } from '../../pkg/ssh/logger.js';

export interface ProbeFlags {
  manifest: string;
  concurrency: number;
  'accept-new-host-key': string[];
  'connect-timeout': number;
  'known-hosts'?: string;
}

/**
 * What the CLI skeleton provides to these commands. With cmd/shared/context.ts's CliContext:
 *   (ctx) => makeStatusCommand({ loadCluster: (a) => ctx.loadCluster(a), logger: (a) => ctx.logger(a),
 *                                write: (t) => ctx.io.stdout.write(t), run: (h) => ctx.run(h) })
 */
export interface ProbeCommandDeps {
  /** Loads, defaults and validates the manifest the global flags name (-m, -t, -c). */
  loadCluster: (argv: any) => Promise<LoadedCluster>;
  logger: (argv: any) => Logger;
  /** Standard output (process.stdout by default). */
  write?: (text: string) => void;
  /** Wraps the handler (error printing, exit codes); identity by default. */
  run?: (handler: (argv: any) => Promise<void>) => (argv: any) => Promise<void>;
}

export function withProbeFlags<T>(yargs: Argv<T>) {
  return yargs
    .option('concurrency', { type: 'number', default: DEFAULT_CONCURRENCY, describe: 'SSH commands and handshakes in flight at once, across all hosts' })
    .option('accept-new-host-key', { type: 'string', array: true, default: [] as string[], describe: 'accept and record a changed SSH host key for this host only (name or address; a bastion by its own address); repeatable' })
    .option('connect-timeout', { type: 'number', default: 15, describe: 'seconds to wait for an SSH connection' })
    .option('known-hosts', { type: 'string', describe: 'known_hosts file kept by kubeone (default: .kubeone/<cluster>/known_hosts beside the manifest)' });
}

export function probeContext(loaded: LoadedCluster, argv: ProbeFlags, logger: Logger): ProbeCommandContext {
  if (!Number.isInteger(argv.concurrency) || argv.concurrency < 1) throw new Error(`--concurrency must be a positive integer, got ${argv.concurrency}`);
  if (!(argv['connect-timeout'] > 0)) throw new Error(`--connect-timeout must be a positive number of seconds, got ${argv['connect-timeout']}`);
  return {
    loaded,
    logger,
    concurrency: argv.concurrency,
    acceptNewHostKeys: argv['accept-new-host-key'],
    connectTimeoutMs: argv['connect-timeout'] * 1000,
    knownHostsPath: argv['known-hosts'],
  };
}
