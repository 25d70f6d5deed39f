// A tiny CLI for the crash tests: runs the host-preparation plan against a fleet manifest
// under the cluster lock, journaled, exactly as apply executes a plan. Killed with SIGKILL
// by the test at a chosen moment.
//   tsx e2e/executor/run-host-plan.ts MANIFEST BUNDLE_TEMPLATE VERSION
import { computeDesired } from '../../pkg/desired/index.js';
import { execute } from '../../pkg/executor/engine.js';
import { lockHost } from '../../pkg/executor/apply-flow.js';
import { acquireLock, newLockInfo } from '../../pkg/executor/lock.js';
import { actionsWithRepairs } from '../../pkg/executor/repairs.js';
import { buildRunContext, transportFor } from '../../pkg/executor/run-context.js';
import type { Plan } from '../../pkg/plan/types.js';
import { jsonProgressListener } from '../../pkg/views/progress-json.js';
import { loadFleetManifest, pendingHostActions, probeHosts, sshPool } from './helpers.js';

const [manifest, bundle, version] = process.argv.slice(2);
const loaded = loadFleetManifest(manifest!, { kubernetesBinaries: { bundle: { path: bundle! } }, versions: { kubernetes: version! } });
const pool = await sshPool(loaded);
try {
  const snapshot = await probeHosts(loaded, pool);
  const desired = computeDesired(loaded, []);
  const plan: Plan = { formatVersion: 'kubeone.plan/v1', snapshotHash: snapshot.hash, manifestHash: desired.manifestHash, actions: pendingHostActions(loaded, snapshot, desired), refusals: [], warnings: [] };
  const { actions } = actionsWithRepairs(plan, loaded, snapshot);
  const lock = await acquireLock(await transportFor(loaded, pool)(lockHost(loaded, snapshot)), newLockInfo('run-host-plan'));
  const ctx = buildRunContext({
    loaded, snapshot, desired, plan, actions, pool, parallelism: 2, signal: new AbortController().signal,
    listeners: [jsonProgressListener((l) => process.stdout.write(l))],
    collaborators: { createTunnelledKubeConfig: async () => ({}), addons: { apply: async () => undefined, prune: async () => undefined } } as never,
  });
  try {
    const summary = await execute(actions, ctx.options);
    process.exitCode = summary.failed.length ? 1 : 0;
  } finally {
    ctx.close();
    await lock.release();
  }
} finally {
  await pool.closeAll();
}
