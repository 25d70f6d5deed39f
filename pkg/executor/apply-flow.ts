// The apply and reset flows: probe -> plan -> show -> confirm -> lock -> execute -> probe
// again and verify the plan is empty. Printing and confirming go through FlowUi; the
// other packages through Collaborators. Nothing on a host is touched before confirmation.
import type { LoadedCluster } from '../api/types.js';
import { computeDesired } from '../desired/index.js';
import { JournalWriter, journalPath } from '../journal/journal.js';
import { CHECKPOINT_ACTION } from '../journal/resume.js';
import type { Collaborators, TransportPool } from '../pipeline/collaborators.js';
import { readPlanFile, verifySavedPlan } from '../pipeline/plan-file.js';
import { planFor } from '../pipeline/plan-for.js';
import { leaderOf } from '../plan/context.js';
import type { DesiredState, Plan, PlanOptions } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { execute } from './engine.js';
import { transportMarkers } from './inflight.js';
import { acquireLock, newLockInfo } from './lock.js';
import { backupPki } from './pki-backup.js';
import { buildRunContext, transportFor } from './run-context.js';
import type { ExecuteSummary, Listener } from './types.js';

export interface FlowUi {
  /** Shows the plan about to run (the same view as `kubeone plan`). */
  showPlan(plan: Plan): void;
  /** Asks for confirmation; returns true only for exactly `yes`. */
  confirm(question: string): Promise<boolean>;
  info(message: string): void;
  /** Progress listeners (TTY view or JSON lines). */
  listeners: Listener[];
}

export interface FlowOptions {
  manifestPath: string;
  credentialsPath?: string;
  yes: boolean;
  parallelism: number;
  /** apply PLANFILE: a saved plan, run only when it is exactly the plan computed now. */
  planFile?: string;
  /** reset: plan the removal of everything. */
  reset?: boolean;
  removeBinaries?: boolean;
  /** reset: delete the LoadBalancer Services / the volumes first (KubeOne's defaults: true). */
  removeLbServices?: boolean;
  removeVolumes?: boolean;
  /** reset: delete machine-controller's MachineDeployments and wait for their Machines first (KubeOne's default: true). */
  destroyWorkers?: boolean;
  /** Write a PKI backup tarball here after a successful run (a function: the path from the loaded manifest). */
  backupPath?: string | ((loaded: LoadedCluster) => string);
  command: string;
  signal: AbortSignal;
  planOptions?: Partial<PlanOptions>;
  /**
   * One-time requests (`--force-upgrade`, `--force-install`, `certificates renew`): they shape
   * the plan that runs, and the plan after the run, which must be empty, is made without them.
   */
  requests?: Partial<PlanOptions>;
}

export class FlowError extends Error {
  constructor(message: string, readonly exitCode = 1, readonly summary?: ExecuteSummary) {
    super(message);
    this.name = 'FlowError';
  }
}

/** The host that holds the lock: the leader, else the first reachable control plane. */
export function lockHost(loaded: LoadedCluster, snapshot: Snapshot, desired: DesiredState = computeDesired(loaded, null)): string {
  const leader = leaderOf(desired, snapshot);
  if (leader) return leader;
  const cp = loaded.hosts.find((h) => h.role === 'controlPlane' && snapshot.state.hosts.find((f) => f.name === h.name)?.reachable);
  if (!cp) throw new FlowError('no reachable control-plane host to hold the cluster lock');
  return cp.name;
}

/** Markers a killed run left on hosts no step touched this time: the run is over, say so and clear them. */
async function clearLeftoverMarkers(snapshot: Snapshot, transport: (h: string) => Promise<import('../ssh/types.js').HostTransport>, ui: FlowUi): Promise<void> {
  for (const h of snapshot.state.hosts) {
    if (!h.reachable || !h.inflight) continue;
    ui.info(`${h.name}: step ${h.inflight.step} of ${h.inflight.actionId} was interrupted (run ${h.inflight.runId}); it has been finished or superseded by this run`);
    await transportMarkers(transport).clear(h.name).catch(() => undefined);
  }
}

function describeSummary(s: ExecuteSummary): string {
  const lines = [`${s.completed.length} action(s) done, ${s.failed.length} failed, ${s.blocked.length} blocked, ${s.notStarted.length} not started`];
  for (const f of s.failed) lines.push(`  failed: ${f.title}${f.host ? ` on ${f.host}` : ''} at ${f.stepId}: ${f.error}`);
  for (const b of s.blocked) lines.push(`  remaining: ${b.title} (waits for ${b.blockedBy})`);
  for (const n of s.notStarted) lines.push(`  remaining: ${n} (not started)`);
  return lines.join('\n');
}

/** The PKI backup, once the cluster has a CA (`apply --no-init` installs no cluster: nothing to back up). */
async function writeBackup(leader: import('../ssh/types.js').HostTransport, path: string, ui: FlowUi): Promise<void> {
  if ((await leader.exec('sudo test -f /etc/kubernetes/pki/ca.key')).code !== 0) {
    ui.info(`No PKI backup written: ${leader.host} has no cluster CA yet`);
    return;
  }
  const outcome = await backupPki(leader, path);
  if (!outcome.written) ui.info(`PKI backup ${path} is current`);
  else if (outcome.movedAside) ui.info(`PKI backup written to ${path} (mode 0600); the different file that was there is kept as ${outcome.movedAside}`);
  else ui.info(`PKI backup written to ${path} (mode 0600)`);
}

export async function runApplyFlow(c: Collaborators, ui: FlowUi, opts: FlowOptions): Promise<ExecuteSummary | null> {
  const loaded = await c.loadCluster(opts.manifestPath, opts.credentialsPath);
  // A saved plan is checked before anything else: a malformed one is refused before any connection.
  const saved = opts.planFile ? readPlanFile(opts.planFile) : null;
  const pool = c.createPool(loaded);
  try {
    return await applyWithPool(c, ui, opts, loaded, pool, saved);
  } finally {
    await pool.closeAll();
  }
}

async function applyWithPool(c: Collaborators, ui: FlowUi, opts: FlowOptions, loaded: LoadedCluster, pool: TransportPool, saved: Plan | null) {
  const snapshot = await c.probe(loaded, pool);
  const { desired, plan } = await planFor(c, loaded, snapshot, { ...opts, planOptions: { ...opts.planOptions, ...opts.requests } });
  const backupPath = typeof opts.backupPath === 'function' ? opts.backupPath(loaded) : opts.backupPath;
  // What runs is always the plan computed now; a saved plan only confirms it, action for action.
  if (saved) verifySavedPlan(saved, plan, opts.planFile!);
  if (plan.refusals.length > 0) {
    throw new FlowError(
      ['the plan refuses to proceed:', ...plan.refusals.map((r) => `  ${r.rule}${r.hosts.length ? ` (${r.hosts.join(', ')})` : ''}: ${r.message}\n    hint: ${r.hint}`)].join('\n'),
    );
  }
  const actions = plan.actions;
  if (actions.length === 0) {
    ui.info('No changes. The cluster matches the manifest.');
    const leader = leaderOf(desired, snapshot);
    if (backupPath && leader && !opts.reset) await writeBackup(await transportFor(loaded, pool)(leader), backupPath, ui);
    return null;
  }
  ui.showPlan(plan);
  if (!opts.yes && !(await ui.confirm('Do you want to perform these actions? Only "yes" is accepted'))) {
    throw new FlowError('apply cancelled', 1);
  }

  const transport = transportFor(loaded, pool, snapshot);
  const lockOn = await transport(lockHost(loaded, snapshot, desired));
  const lock = await acquireLock(lockOn, newLockInfo(opts.command));
  if (lock.info.takenOverFrom) ui.info(`Took over lock ${lock.info.takenOverFrom}: its run (same user, this machine) is no longer running.`);
  let summary: ExecuteSummary;
  // desired.cluster: hosts carry their Node names (detected on the machines when the manifest gives none).
  const ctx = buildRunContext({ loaded: desired.cluster, snapshot, desired, plan, actions, pool, collaborators: c, parallelism: opts.parallelism, listeners: ui.listeners, signal: opts.signal });
  try {
    summary = await execute(actions, ctx.options);
    if (summary.failed.length === 0) await clearLeftoverMarkers(snapshot, transport, ui);
    if (backupPath && summary.failed.length === 0 && !opts.reset) {
      const leader = ctx.deps.leader ?? lockOn.host;
      await writeBackup(await transport(leader), backupPath, ui);
    }
  } finally {
    ctx.close();
    await lock.release().catch(() => undefined);
  }
  if (summary.failed.length > 0 || summary.blocked.length > 0 || summary.notStarted.length > 0) {
    throw new FlowError(`apply did not finish:\n${describeSummary(summary)}\nRun \`kubeone apply\` again to finish (completed steps are not redone).`, 1, summary);
  }

  // Verify: a fresh probe must plan nothing.
  const after = await c.probe(loaded, pool);
  const again = await planFor(c, loaded, after, opts);
  const residue = again.plan.actions;
  if (residue.length > 0) {
    throw new FlowError(
      ['apply finished but the cluster still differs from the manifest:', ...residue.map((a) => `  ${a.change} ${a.title}: ${a.reason}`)].join('\n'),
      1,
      summary,
    );
  }
  // Verified: nothing in the journal before this point needs resuming. Not after a run limited
  // to some kinds (certificates renew, apply --no-init): it verified only those, and what the
  // journal says about earlier runs (Nodes left cordoned) is still for apply to repair.
  if (!opts.planOptions?.only) {
    const checkpoint = new JournalWriter(journalPath(loaded.baseDir, loaded.cluster.name ?? 'default'));
    checkpoint.append({ ts: new Date().toISOString(), runId: ctx.options.runId, planHash: after.hash, actionId: CHECKPOINT_ACTION, stepId: '', event: 'finished' });
    checkpoint.close();
  }
  ui.info(`Done: ${summary.completed.length} action(s), ${summary.stepsRun} step(s) run, ${summary.stepsSkipped} skipped as already done, in ${(summary.durationMs / 1000).toFixed(1)}s.`);
  return summary;
}
