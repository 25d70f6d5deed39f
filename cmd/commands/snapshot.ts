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
    handler: async (argv) => {
      const logger = deps.logger(argv as unknown as Record<string, unknown>);
      const loaded = await deps.loadCluster(argv.manifest);
      await runSnapshot({ ...probeContext(loaded, argv, logger), output: argv.output });
    },
  };
}
