// kubeone reset removes what a cloud keeps once the hosts are gone (KubeOne's
// --remove-lb-services and --remove-volumes, both default true): planned from the probe's
// cloudResources, before every reset-host; refused without the API; the model test converges.
import { expect } from 'chai';
import { computePlan } from './index.js';
import type { Plan, PlanOptions } from './types.js';
import { clusterConfiguration, desiredState, SnapshotBuilder } from './testing/snapshot-builder.js';
import type { CloudResourceFacts } from '../snapshot/types.js';

const RESET: PlanOptions = { now: '2026-11-25T00:00:00Z', reset: true, removeLbServices: true, removeVolumes: true };
const ids = (plan: Plan): string[] => plan.actions.map((a) => a.id);
const want = () => desiredState({ version: '1.35.1', controlPlanes: ['cp-1'], workers: ['w-1'] });

function cluster(resources: CloudResourceFacts | undefined, leader: string | null = 'cp-1'): SnapshotBuilder {
  return new SnapshotBuilder()
    .convergedHost('cp-1', 'controlPlane', { version: '1.35.1' })
    .convergedHost('w-1', 'staticWorker', { version: '1.35.1' })
    .cluster({ leader, clusterConfiguration: clusterConfiguration() })
    .editKube((k) => {
      if (resources) k.cloudResources = resources;
      else delete k.cloudResources;
    });
}

const FOUND: CloudResourceFacts = { loadBalancerServices: ['shop/web'], volumeClaims: ['shop/data'], dynamicVolumes: ['pvc-1234'] };

describe('reset: LoadBalancer Services and volumes first (--remove-lb-services, --remove-volumes)', () => {
  it('deletes the LoadBalancer Services, then the claims, then resets the hosts', () => {
    const plan = computePlan(want(), cluster(FOUND).build(), RESET);
    expect(ids(plan)).to.deep.equal(['remove-lb-services:cluster', 'remove-volumes:cluster', 'reset-host:w-1', 'reset-host:cp-1']);
    const byId = Object.fromEntries(plan.actions.map((a) => [a.id, a]));
    expect(byId['remove-lb-services:cluster']!.steps.map((s) => [s.op, s.params])).to.deep.equal([['cluster.loadBalancers.remove', { services: ['shop/web'] }]]);
    expect(byId['remove-volumes:cluster']!.steps.map((s) => [s.op, s.params])).to.deep.equal([['cluster.volumes.remove', { claims: ['shop/data'], volumes: ['pvc-1234'] }]]);
    expect(byId['remove-volumes:cluster']!.dependsOn).to.deep.equal(['remove-lb-services:cluster']);
    expect(byId['reset-host:w-1']!.dependsOn).to.deep.equal(['remove-lb-services:cluster', 'remove-volumes:cluster']);
    expect(byId['remove-lb-services:cluster']!.reason).to.contain('shop/web').and.contain('--remove-lb-services');
    expect(plan.refusals).to.deep.equal([]);
  });

  it('plans nothing extra when there is nothing to remove, or when the flags are off', () => {
    expect(ids(computePlan(want(), cluster({ loadBalancerServices: [], volumeClaims: [], dynamicVolumes: [] }).build(), RESET))).to.deep.equal(['reset-host:w-1', 'reset-host:cp-1']);
    expect(ids(computePlan(want(), cluster(FOUND).build(), { ...RESET, removeLbServices: false, removeVolumes: false }))).to.deep.equal(['reset-host:w-1', 'reset-host:cp-1']);
    expect(ids(computePlan(want(), cluster(FOUND).build(), { ...RESET, removeLbServices: false }))).to.deep.equal(['remove-volumes:cluster', 'reset-host:w-1', 'reset-host:cp-1']);
    // A leftover volume without a claim is still awaited... and a retained one never shows up here (the probe filters it).
    expect(ids(computePlan(want(), cluster({ loadBalancerServices: [], volumeClaims: [], dynamicVolumes: ['pvc-9'] }).build(), RESET))[0]).to.equal('remove-volumes:cluster');
  });

  it('is refused when the cluster exists but its API did not answer (nothing can be listed), unless both flags are off', () => {
    const plan = computePlan(want(), cluster(undefined, null).build(), RESET);
    expect(plan.refusals.map((r) => r.rule)).to.deep.equal(['no-leader']);
    expect(plan.refusals[0]!.hint).to.contain('--remove-lb-services=false --remove-volumes=false');
    expect(computePlan(want(), cluster(undefined, null).build(), { ...RESET, removeLbServices: false, removeVolumes: false }).refusals).to.deep.equal([]);
  });

  it('is not part of apply', () => {
    expect(ids(computePlan(want(), cluster(FOUND).build(), { now: RESET.now, removeLbServices: true, removeVolumes: true }))).to.deep.equal([]);
  });
});
