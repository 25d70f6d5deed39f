// `kubeone status`: probe every host and the cluster, print a table and the problems found.
import type { CommandModule } from 'yargs';

import { runStatus } from '../../pkg/probe/commands.js';
import { type ProbeCommandDeps, type ProbeFlags, probeContext, withProbeFlags } from './probe-flags.js';

export function makeStatusCommand(deps: ProbeCommandDeps): CommandModule<object, ProbeFlags> {
  return {
    command: 'status',
    describe: 'Show the state of every host and of the cluster (table, then problems found)',
    builder: (yargs) => withProbeFlags(yargs) as never,
    handler: async (argv) => {
      const logger = deps.logger(argv as unknown as Record<string, unknown>);
      const loaded = await deps.loadCluster(argv.manifest);
      await runStatus(probeContext(loaded, argv, logger));
    },
  };
}
