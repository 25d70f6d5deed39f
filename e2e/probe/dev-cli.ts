// Stand-in entry point with the product's status and snapshot commands, for the benchmark
// and manual runs before the CLI skeleton (cmd/kubeone.ts) is merged:
//   npx tsx e2e/probe/dev-cli.ts status -m kubeone.yaml
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

import { makeSnapshotCommand } from '../../cmd/commands/snapshot.js';
import { makeStatusCommand } from '../../cmd/commands/status.js';
import type { Logger } from '../../pkg/ssh/logger.js';
import { loadManifestForProbe } from './manifest-loader.js';

const stderrLogger = (verbose: boolean): Logger => ({
  debug: (m) => (verbose ? process.stderr.write(`debug: ${m}\n`) : undefined),
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
});
const deps = { loadCluster: (argv: { manifest: string }) => loadManifestForProbe(argv.manifest), logger: (argv: Record<string, unknown>) => stderrLogger(argv.verbose === true) };

await yargs(hideBin(process.argv))
  .scriptName('kubeone')
  .option('manifest', { alias: 'm', type: 'string', default: './kubeone.yaml' })
  .option('verbose', { alias: 'v', type: 'boolean', default: false })
  .command(makeStatusCommand(deps) as never)
  .command(makeSnapshotCommand(deps) as never)
  .demandCommand(1)
  .strict()
  .fail((message, error) => {
    process.stderr.write(`Error: ${error?.message ?? message}\n`);
    process.exit(1);
  })
  .parseAsync();
