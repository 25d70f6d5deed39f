// kubeone plan [--out FILE] [--detailed-exitcode] [-o json]: probe, then show what apply
// would do and why. --out saves the plan (bound to the snapshot hash) for `kubeone apply FILE`.
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { planFor } from '../../pkg/executor/apply-flow.js';
import { actionsWithRepairs } from '../../pkg/executor/run-context.js';
import { realCollaborators } from './executor-wiring.js';
import { type HostCommandArgs, manifestPath, reportFailure, withHostOptions } from './executor-options.js';
import { planText } from './terminal-ui.js';

interface PlanArgs extends HostCommandArgs {
  out?: string;
  'detailed-exitcode': boolean;
  output: 'text' | 'json';
}

export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan',
  describe: 'Show the actions apply would run, each with its reason (changes nothing)',
  builder: (y) =>
    withHostOptions(y)
      .option('out', { type: 'string', describe: 'save the plan as JSON for `kubeone apply FILE`' })
      .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0: no changes, 2: changes, 1: error' })
      .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const }) as never,
  handler: async (args) => {
    try {
      const c = await realCollaborators();
      const loaded = await c.loadCluster(manifestPath(args), args.credentials);
      const pool = c.createPool(loaded);
      try {
        const snapshot = await c.probe(loaded, pool);
        const { plan } = await planFor(c, loaded, snapshot, { manifestPath: loaded.manifestPath, yes: false, parallelism: 1, command: 'kubeone plan', signal: new AbortController().signal });
        const { repairs } = actionsWithRepairs(plan, loaded, snapshot);
        if (args.output === 'json') process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
        else if (plan.actions.length + repairs.length === 0 && plan.refusals.length === 0) process.stdout.write('No changes. The cluster matches the manifest.\n');
        else process.stdout.write(planText(plan, repairs));
        for (const r of plan.refusals) process.stderr.write(`refused (${r.rule}) ${r.hosts.join(', ')}: ${r.message}\n  hint: ${r.hint}\n`);
        if (args.out) writeFileSync(args.out, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
        if (plan.refusals.length > 0) process.exitCode = 1;
        else if (args['detailed-exitcode'] && plan.actions.length + repairs.length > 0) process.exitCode = 2;
      } finally {
        await pool.closeAll();
      }
    } catch (error) {
      reportFailure(error, args.output === 'json');
    }
  },
};

export default planCommand;
