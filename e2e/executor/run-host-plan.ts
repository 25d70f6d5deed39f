// A tiny CLI for the crash tests: runs the host-preparation plan against a fleet manifest
// under the cluster lock, journaled, exactly as apply executes a plan. Killed with SIGKILL
// by the test at a chosen moment.
//   tsx e2e/executor/run-host-plan.ts MANIFEST BUNDLE_TEMPLATE VERSION
import { jsonProgressListener } from '../../pkg/views/progress-json.js';
import { loadFleetManifest, runOnHosts, sshPool } from './helpers.js';

const [manifest, bundle, version] = process.argv.slice(2);
const loaded = loadFleetManifest(manifest!, { kubernetesBinaries: { bundle: { path: bundle! } }, versions: { kubernetes: version! } });
const pool = sshPool(loaded);
try {
  const { summary } = await runOnHosts(loaded, pool, { lock: 'run-host-plan', listeners: [jsonProgressListener((l) => process.stdout.write(l))] });
  process.exitCode = summary.failed.length ? 1 : 0;
} finally {
  await pool.closeAll();
}
