// `kubeone snapshot [-o FILE]`: the probe's snapshot as JSON (stdout by default).
import type { CommandModule } from 'yargs';

import { runSnapshot } from '../../pkg/probe/commands.js';
import { type ProbeCommandDeps, type ProbeFlags, probeContext, withProbeFlags } from './probe-flags.js';

type SnapshotFlags = ProbeFlags & { output?: string };

export function makeSnapshotCommand(deps: ProbeCommandDeps): CommandModule<object, SnapshotFlags> {
  return {
    command: 'snapshot',
    describe: 'Probe every host and the cluster and print the snapshot (versioned, redacted JSON)',
    builder: (yargs) => withProbeFlags(yargs).option('output', { alias: 'o', type: 'string', describe: 'write the snapshot to FILE instead of stdout' }) as never,
    handler: (deps.run ?? ((h) => h))(async (argv: SnapshotFlags) => {
      const logger = deps.logger(argv);
      const loaded = await deps.loadCluster(argv);
      await runSnapshot({ ...probeContext(loaded, argv, logger), output: argv.output, write: deps.write });
    }),
  };
}
