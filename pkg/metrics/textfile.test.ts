import { expect } from 'chai';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeLabelValue, renderPlanMetrics, writeTextfileAtomically } from './textfile.js';
import type { Plan } from '../plan/types.js';
import type { Snapshot } from '../snapshot/types.js';

function plan(kinds: string[], refusals = 0): Plan {
  return {
    formatVersion: 'kubeone.plan/v1',
    snapshotHash: 's',
    manifestHash: 'm',
    actions: kinds.map((kind, i) => ({
      id: `${kind}:${i}`,
      kind: kind as Plan['actions'][number]['kind'],
      change: '~',
      hosts: [],
      title: kind,
      reason: 'r',
      dependsOn: [],
      disruptive: false,
      serial: false,
      steps: [],
    })),
    refusals: Array.from({ length: refusals }, (_, i) => ({ rule: 'skew', hosts: [], message: `m${i}`, hint: 'h' })),
    warnings: [],
  };
}

function snapshot(reachable: boolean[]): Snapshot {
  return {
    formatVersion: 'kubeone.snapshot/v1',
    hash: 'h',
    state: {
      cluster: 'c',
      kube: null,
      hosts: reachable.map((r, i) => ({
        name: `h${i}`,
        id: i,
        role: 'staticWorker',
        address: '127.0.0.1',
        privateAddress: '10.0.0.1',
        reachable: r,
      })),
    },
    meta: { tool: 't', probedAt: '2026-01-01T00:00:00Z', durationMs: 2500 },
  };
}

describe('metrics textfile', () => {
  it('counts pending actions by kind, refusals and unreachable hosts', () => {
    const text = renderPlanMetrics({
      cluster: 'prod',
      plan: plan(['upgrade-worker', 'upgrade-worker', 'apply-addon'], 1),
      snapshot: snapshot([true, false, false]),
      timestampSeconds: 1700000000,
      failed: false,
    });
    expect(text).to.contain('kubeone_plan_pending_actions{cluster="prod",kind="upgrade-worker"} 2');
    expect(text).to.contain('kubeone_plan_pending_actions{cluster="prod",kind="apply-addon"} 1');
    expect(text).to.contain('kubeone_plan_pending_actions_total{cluster="prod"} 3');
    expect(text).to.contain('kubeone_plan_refusals{cluster="prod"} 1');
    expect(text).to.contain('kubeone_unreachable_hosts{cluster="prod"} 2');
    expect(text).to.contain('kubeone_probe_duration_seconds{cluster="prod"} 2.5');
    expect(text).to.contain('kubeone_plan_timestamp_seconds{cluster="prod"} 1700000000');
    expect(text).to.contain('# TYPE kubeone_plan_refusals gauge');
    expect(text.endsWith('\n')).to.equal(true);
  });

  it('reports a failed run with zero pending actions', () => {
    const text = renderPlanMetrics({ cluster: 'c', plan: null, snapshot: null, timestampSeconds: 1, failed: true });
    expect(text).to.contain('kubeone_plan_failed{cluster="c"} 1');
    expect(text).to.contain('kubeone_plan_pending_actions_total{cluster="c"} 0');
    expect(text).not.to.match(/kubeone_plan_pending_actions\{/);
  });

  it('escapes label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).to.equal('a\\"b\\\\c\\nd');
  });

  it('writes atomically, leaving no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubeone-metrics-'));
    const path = join(dir, 'sub', 'kubeone.prom');
    await writeTextfileAtomically(path, 'first\n');
    await writeTextfileAtomically(path, 'second\n');
    expect(await readFile(path, 'utf8')).to.equal('second\n');
    expect(await readdir(join(dir, 'sub'))).to.deep.equal(['kubeone.prom']);
  });
});
