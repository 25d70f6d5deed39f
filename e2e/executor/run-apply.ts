// `kubeone apply -y --log-format json` for e2e tests, as a separate process the tests can
// SIGKILL: the whole apply flow with the real collaborators, one JSON event per line.
//   tsx e2e/executor/run-apply.ts MANIFEST VERSION
import { runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { jsonProgressListener } from '../../pkg/views/progress-json.js';
import { e2eCollaborators } from './helpers.js';

const [manifest, version] = process.argv.slice(2);
const c = e2eCollaborators({ versions: { kubernetes: version! } });
const write = (line: string) => process.stdout.write(line);
try {
  await runApplyFlow(
    c,
    {
      showPlan: (plan) => write(`${JSON.stringify({ type: 'plan', actions: plan.actions.map((a) => a.id) })}\n`),
      confirm: async () => true,
      info: (message) => write(`${JSON.stringify({ type: 'info', message })}\n`),
      listeners: [jsonProgressListener(write)],
    },
    { manifestPath: manifest!, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal },
  );
} catch (error) {
  write(`${JSON.stringify({ type: 'error', message: (error as Error).message })}\n`);
  process.exitCode = 1;
}
