import { expect } from 'chai';
import { computeDesired } from '../desired/index.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import type { HostFacts, NodeFacts, Snapshot } from '../snapshot/types.js';
import { effectStillVisible } from './effects.js';
import { step } from './testing/plan-builder.js';

function snap(host: Partial<HostFacts>, nodes: Partial<NodeFacts>[] = []): Snapshot {
  return {
    formatVersion: 'kubeone.snapshot/v1',
    hash: 'h',
    state: {
      cluster: 'demo',
      hosts: [{ name: 'worker-1', id: 2, role: 'staticWorker', address: 'a', privateAddress: 'p', reachable: true, ...host }],
      kube: {
        leader: 'cp-1',
        apiserverHealthy: {},
        nodes: nodes.map((n) => ({ name: 'worker-1', kubeletVersion: '', containerRuntimeVersion: '', ready: true, unschedulable: false, labels: {}, taints: [], annotations: {}, internalIP: '', host: 'worker-1', ...n })),
        etcdMembers: [],
        components: {},
        clusterConfiguration: null,
        addonObjects: [],
      },
    },
    meta: { tool: 't', probedAt: 'x', durationMs: 1 },
  };
}

describe('effectStillVisible (resume decisions)', () => {
  const desired = computeDesired(fixtureCluster(), []);
  const cases: [string, ReturnType<typeof step>, Snapshot, boolean][] = [
    ['drain: node still cordoned', step('node.drain', 'worker-1', { node: 'worker-1' }), snap({}, [{ unschedulable: true }]), true],
    ['drain: someone uncordoned it', step('node.drain', 'worker-1', { node: 'worker-1' }), snap({}, [{ unschedulable: false }]), false],
    ['binaries at the version', step('host.binaries.install', 'worker-1', { version: '1.35.1', components: ['kubeadm'] }), snap({ kubeadm: { version: '1.35.1' } }), true],
    ['binaries rolled back', step('host.binaries.install', 'worker-1', { version: '1.35.1', components: ['kubelet'] }), snap({ kubelet: { version: '1.34.3' } as HostFacts['kubelet'] }), false],
    ['join: kubelet.conf present', step('kubeadm.join', 'worker-1', { controlPlane: false, version: '1.35.1' }), snap({ kubelet: { kubeconfig: true } as HostFacts['kubelet'] }), true],
    ['join: host was wiped', step('kubeadm.join', 'worker-1', { controlPlane: false, version: '1.35.1' }), snap({ kubelet: { kubeconfig: false } as HostFacts['kubelet'] }), false],
    ['kubelet files drifted since', step('host.kubelet.configure', 'worker-1'), snap({ managedFiles: {} }), false],
    ['config uploads: trust the journal', step('kubeadm.config.render', 'worker-1'), snap({}), true],
  ];
  for (const [name, s, snapshot, expected] of cases) {
    it(name, () => expect(effectStillVisible(s, snapshot, desired)).to.equal(expected));
  }

  it('kubelet files matching the desired hashes count as done', () => {
    const files = Object.fromEntries(
      Object.entries(desired.managedFiles['worker-1']!).map(([p, sha]) => [p, { exists: true, sha256: sha }]),
    );
    expect(effectStillVisible(step('host.kubelet.configure', 'worker-1'), snap({ managedFiles: files }), desired)).to.equal(true);
  });
});
