// kubeone plan: probe (or read a saved snapshot), then show what apply would do and why.
// Changes nothing. --out saves exactly the plan shown (bound to the snapshot and manifest
// hashes) for `kubeone apply FILE`; --metrics-file writes drift metrics for node_exporter's
// textfile collector (cron jobs).
import type { LoadedCluster } from '../../pkg/api/types.js';
import { renderPlanMetrics, writeTextfileAtomically } from '../../pkg/metrics/textfile.js';
import { writePlanFile } from '../../pkg/pipeline/plan-file.js';
import { planFor } from '../../pkg/pipeline/plan-for.js';
import type { Plan } from '../../pkg/plan/types.js';
import { loadSnapshotFile } from '../../pkg/snapshot/index.js';
import type { Snapshot } from '../../pkg/snapshot/types.js';
import { renderPlanHuman } from '../../pkg/views/plan-human.js';
import { renderPlanJson } from '../../pkg/views/plan-json.js';
import { detailedExitCode } from '../../pkg/views/plan-view.js';
import type { CommandFactory } from '../shared/context.js';
import { collaboratorsFor, type HostCommandArgs, hostHandler, withHelmOption, withHostOptions } from './executor-options.js';

interface PlanArgs extends HostCommandArgs {
  out?: string;
  snapshot?: string;
  'metrics-file'?: string;
  'detailed-exitcode': boolean;
  output: 'text' | 'json';
}

export const planCommand: CommandFactory = (ctx) => ({
  command: 'plan',
  describe: 'Show the actions apply would run, each with its reason (changes nothing)',
  builder: (y) =>
    withHelmOption(withHostOptions(y))
      .option('out', { type: 'string', describe: 'save the plan as JSON for `kubeone apply FILE`' })
      .option('snapshot', { type: 'string', describe: 'plan against a saved snapshot (`kubeone snapshot -o FILE`) instead of probing the hosts' })
      .option('metrics-file', { type: 'string', describe: 'write drift metrics in Prometheus textfile format to this path (written atomically)' })
      .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0: no changes, 2: changes, 1: something is refused (apply would refuse too); errors keep their codes (15: manifest, 13/14/16: SSH)' })
      .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }),
  handler: hostHandler<PlanArgs>(ctx, async (args) => {
    const c = collaboratorsFor(ctx, args);
    let loaded: LoadedCluster | null = null;
    let snapshot: Snapshot | null = null;
    let plan: Plan | null = null;
    try {
      loaded = await c.loadCluster(args.manifest);
      if (args.snapshot) {
        snapshot = await loadSnapshotFile(args.snapshot);
      } else {
        const pool = c.createPool(loaded);
        try {
          snapshot = await c.probe(loaded, pool);
        } finally {
          await pool.closeAll();
        }
      }
      plan = (await planFor(c, loaded, snapshot)).plan;
      if (args.out) writePlanFile(args.out, plan);
    } finally {
      if (args['metrics-file']) {
        const text = renderPlanMetrics({ cluster: loaded?.cluster.name ?? '', plan, snapshot, timestampSeconds: Math.floor(Date.now() / 1000), failed: plan === null });
        await writeTextfileAtomically(args['metrics-file'], text);
      }
    }
    ctx.print(args.output === 'json' ? renderPlanJson(plan) : renderPlanHuman(plan, { verbose: args.verbose, color: process.stdout.isTTY === true }));
    const code = detailedExitCode(plan);
    // Without --detailed-exitcode only refusals fail the command.
    ctx.exitCode = args['detailed-exitcode'] ? code : code === 1 ? 1 : 0;
  }),
});
