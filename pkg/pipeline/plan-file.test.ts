import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { computeDesired } from '../desired/index.js';
import { FlowError, runApplyFlow } from '../executor/apply-flow.js';
import { action, step } from '../executor/testing/plan-builder.js';
import { FakeTransport } from '../ops/testing/fake-transport.js';
import { computePlan } from '../plan/index.js';
import { clusterConfiguration, desiredState, SnapshotBuilder } from '../plan/testing/snapshot-builder.js';
import type { Plan } from '../plan/types.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import type { Snapshot } from '../snapshot/types.js';
import { renderPlanJson } from '../views/plan-json.js';
import type { Collaborators } from './collaborators.js';
import { PlanFileError, readPlanFile, verifySavedPlan, writePlanFile } from './plan-file.js';

const NOW = { now: '2026-11-25T00:00:00Z' };
const dir = mkdtempSync(join(tmpdir(), 'planfile-'));
let n = 0;
const save = (content: unknown): string => {
  const path = join(dir, `p${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

/** An upgrade plan (kubeadm.upgrade.*, host.binaries.install with versions) from the real planner. */
function upgradePlan(): Plan {
  const desired = desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'] });
  const b = new SnapshotBuilder()
    .convergedHost('cp-1', 'controlPlane', { version: '1.34.3' })
    .convergedHost('w-1', 'staticWorker', { version: '1.34.3' })
    .cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() });
  return computePlan(desired, b.build(), NOW);
}

const HOSTILE_VERSION = '1.35.0"; touch /tmp/pwned; "';

function expectRefused(fn: () => unknown, pattern: RegExp, exitCode = 15): PlanFileError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'refused').to.be.instanceOf(PlanFileError);
  expect((error as PlanFileError).message).to.match(pattern);
  expect((error as PlanFileError).exitCode).to.equal(exitCode);
  return error as PlanFileError;
}

describe('saved plan files are data to verify', () => {
  it('the plan the planner saves reads back unchanged', () => {
    const plan = upgradePlan();
    const path = join(dir, 'ok.json');
    writePlanFile(path, plan);
    expect(readPlanFile(path)).to.deep.equal(JSON.parse(renderPlanJson(plan)));
  });

  it('saves the plan as one line of canonical JSON; a plan saved indented (earlier versions) still reads and verifies', () => {
    const plan = upgradePlan();
    const path = join(dir, 'compact.json');
    writePlanFile(path, plan);
    const text = readFileSync(path, 'utf8');
    expect(text.indexOf('\n')).to.equal(text.length - 1);
    const indented = save(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const saved = readPlanFile(indented);
    expect(saved).to.deep.equal(JSON.parse(text));
    verifySavedPlan(saved, upgradePlan(), indented);
  });

  it('refuses a version that would reach a shell, naming the file and the field', () => {
    const plan = JSON.parse(renderPlanJson(upgradePlan())) as Plan;
    const install = plan.actions[0]!.steps.find((s) => s.op === 'host.binaries.install')!;
    (install.params as { version: string }).version = HOSTILE_VERSION;
    const path = save(plan);
    const e = expectRefused(() => readPlanFile(path), /not a valid kubeone plan/);
    expect(e.message).to.contain(path).and.contain('/actions/0/steps/2/params/version').and.contain('must match pattern');
    // The same value in kubeadm.upgrade.apply's version.
    const apply = JSON.parse(renderPlanJson(upgradePlan())) as Plan;
    (apply.actions[0]!.steps.find((s) => s.op === 'kubeadm.upgrade.apply')!.params as { version: string }).version = HOSTILE_VERSION;
    expectRefused(() => readPlanFile(save(apply)), /params\/version: must match pattern/);
  });

  it('refuses other hostile shapes: a host with shell characters, an unknown op, params on an op that takes none, extra fields', () => {
    const base = () => JSON.parse(renderPlanJson(upgradePlan())) as Record<string, any>;
    const host = base();
    host.actions[0].steps[0].host = 'cp-1; rm -rf /';
    expectRefused(() => readPlanFile(save(host)), /\/actions\/0\/steps\/0\/host: must match pattern/);
    const op = base();
    op.actions[0].steps[0].op = 'host.exec';
    expectRefused(() => readPlanFile(save(op)), /\/actions\/0\/steps\/0\/op: must be equal to one of the allowed values/);
    const params = base();
    const restart = params.actions[0].steps.find((s: { op: string }) => s.op === 'host.kubelet.restart');
    restart.params = { script: 'id' };
    expectRefused(() => readPlanFile(save(params)), /params: boolean schema is false/);
    const extra = base();
    extra.actions[0].steps[0].command = 'id';
    expectRefused(() => readPlanFile(save(extra)), /must NOT have additional properties/);
    expectRefused(() => readPlanFile(save('{"formatVersion": "kubeone.plan/v1", ')), /invalid JSON/);
    expectRefused(() => readPlanFile(join(dir, 'missing.json')), /cannot read the plan file/);
  });

  it('refuses a valid plan that is not what the planner produces now, naming the first differing action', () => {
    const fresh = upgradePlan();
    const path = 'p.json';
    // Same actions: accepted (the reason is prose and may change with time).
    const sameWork = structuredClone(fresh);
    sameWork.actions[0]!.reason = 'written yesterday';
    verifySavedPlan(sameWork, fresh, path);
    // An action the planner would not plan.
    const extra = structuredClone(fresh);
    extra.actions.splice(1, 0, action('reset-host:cp-1', { kind: 'reset-host', hosts: ['cp-1'], steps: [step('kubeadm.reset', 'cp-1')] }));
    expectRefused(() => verifySavedPlan(extra, fresh, path), /^refused: p\.json: action 2 \(reset-host:cp-1\) is not what the planner produces .*the planner plans upgrade-worker:w-1:1\.35\.1 there/);
    // A step moved to another host.
    const moved = structuredClone(fresh);
    moved.actions[1]!.steps[0]!.host = 'cp-1';
    expectRefused(() => verifySavedPlan(moved, fresh, path), /action 2 \(upgrade-worker:w-1:1\.35\.1\)/);
    // A dependency dropped (the worker would be upgraded before its control plane).
    const unordered = structuredClone(fresh);
    unordered.actions[1]!.dependsOn = [];
    expectRefused(() => verifySavedPlan(unordered, fresh, path), /action 2/);
    // Actions missing at the end.
    const short = structuredClone(fresh);
    short.actions.pop();
    expectRefused(() => verifySavedPlan(short, fresh, path), /the plan ends after 1 action\(s\)/);
    // Stale: other snapshot or manifest (exit 1, as before).
    expectRefused(() => verifySavedPlan({ ...fresh, snapshotHash: '0'.repeat(64) }, fresh, path), /^stale plan: p\.json was computed from snapshot 000000000000/, 1);
    expectRefused(() => verifySavedPlan({ ...fresh, manifestHash: '0'.repeat(64) }, fresh, path), /^stale plan: .* different manifest/, 1);
  });

  it('apply PLANFILE with a hostile plan: refused before any connection, exit 15, nothing run', async () => {
    const loaded = fixtureCluster();
    loaded.baseDir = dir;
    const transports = new Map(loaded.hosts.map((h) => [h.name, new FakeTransport(h.name)]));
    let pools = 0;
    let probes = 0;
    const snapshot: Snapshot = new SnapshotBuilder('demo').host('cp-1', 'controlPlane').build();
    const c: Collaborators = {
      loadCluster: async () => loaded,
      createPool: () => {
        pools++;
        return { get: async (h) => transports.get(h.name)!, closeAll: async () => undefined };
      },
      probe: async () => {
        probes++;
        return snapshot;
      },
      renderAddons: async () => [],
      computePlan,
      createTunnelledKubeConfig: async () => ({}),
      addons: { apply: async () => undefined, prune: async () => undefined },
    };
    const plan = JSON.parse(renderPlanJson(upgradePlan())) as Plan;
    (plan.actions[0]!.steps.find((s) => s.op === 'host.binaries.install')!.params as { version: string }).version = HOSTILE_VERSION;
    const err = await runApplyFlow(c, { showPlan: () => undefined, confirm: async () => true, info: () => undefined, listeners: [] }, {
      manifestPath: join(dir, 'kubeone.yaml'),
      yes: true,
      parallelism: 1,
      command: 'kubeone apply',
      signal: new AbortController().signal,
      planFile: save(plan),
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PlanFileError).and.not.be.instanceOf(FlowError);
    expect((err as PlanFileError).exitCode).to.equal(15);
    expect(pools + probes).to.equal(0);
    expect([...transports.values()].every((t) => t.execs.length === 0)).to.equal(true);
    expect(existsSync('/tmp/pwned')).to.equal(false);
    // The desired state is not even computed for it.
    expect(computeDesired(loaded, []).manifestHash).to.match(/^[0-9a-f]{64}$/);
  });

  it('plan files are written 0600, also over an existing file with a wider mode', () => {
    const path = join(dir, 'existing.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    chmodSync(path, 0o644);
    writePlanFile(path, upgradePlan());
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path, 'utf8')).to.equal(renderPlanJson(upgradePlan()));
  });
});
