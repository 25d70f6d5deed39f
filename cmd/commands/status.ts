// `kubeone status`: probe every host and the cluster, print a table and the problems found.
import type { CommandModule } from 'yargs';

import { runStatus } from '../../pkg/probe/commands.js';
import { type ProbeCommandDeps, type ProbeFlags, probeContext, withProbeFlags } from './probe-flags.js';

export function makeStatusCommand(deps: ProbeCommandDeps): CommandModule<object, ProbeFlags> {
  return {
    command: 'status',
    describe: 'Show the state of every host and of the cluster (table, then problems found)',
    builder: (yargs) => withProbeFlags(yargs) as never,
    handler: (deps.run ?? ((h) => h))(async (argv: ProbeFlags) => {
      const logger = deps.logger(argv);
      const loaded = await deps.loadCluster(argv);
      await runStatus({ ...probeContext(loaded, argv, logger), write: deps.write });
    }),
  };
}
