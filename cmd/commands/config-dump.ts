import { stringify } from 'yaml';
import { collectSecrets, redactCluster } from '../../pkg/api/redact.js';
import type { CommandFactory } from '../shared/context.js';

/** `kubeone config dump`: the defaulted manifest as YAML, credential values redacted. No SSH. */
export const configDumpCommand: CommandFactory = (ctx) => ({
  command: 'dump',
  describe: 'Print the defaulted manifest as YAML (credentials redacted)',
  handler: ctx.run(async (argv) => {
    const loaded = await ctx.loadCluster(argv);
    ctx.print(stringify(redactCluster(loaded.cluster, collectSecrets(loaded, ctx.io.env)), { lineWidth: 0 }));
  }),
});
