import { expect } from 'chai';

import type { ResolvedHost } from '../api/types.js';
import { buildSnapshot } from '../snapshot/snapshot.js';
import type { ClusterFacts, HostFacts } from '../snapshot/types.js';
import { parseHostOutput } from './host-facts.js';
import { PROVISIONED_CP } from './testing/fixtures.js';
import { renderStatus, statusProblems } from './status.js';

const cpHost: ResolvedHost = { id: 0, role: 'controlPlane', name: 'cp-1', config: { publicAddress: '127.0.0.1', privateAddress: '10.5.0.11' } };
const cp = parseHostOutput(cpHost, { ...PROVISIONED_CP, lock: '' }).facts;
const down: HostFacts = { name: 'worker-1', id: 1, role: 'staticWorker', address: '127.0.0.1:2202', privateAddress: '10.5.0.21', reachable: false, error: { kind: 'timeout', message: 'timed out connecting to kubeone@127.0.0.1:2202' } };
const kube: ClusterFacts = {
  leader: 'cp-1',
  apiserverHealthy: { 'cp-1': true },
  nodes: [{ name: 'cp-1', kubeletVersion: '1.35.1', containerRuntimeVersion: 'containerd://1.6.20', ready: true, unschedulable: false, labels: {}, taints: [], annotations: {}, internalIP: '10.5.0.11', host: 'cp-1' }],
  etcdMembers: [{ id: 'a', name: 'cp-1', peerURLs: [], clientURLs: [], isLearner: false, healthy: true, host: 'cp-1' }],
  components: {},
  clusterConfiguration: null,
  addonObjects: [],
};
const meta = { tool: 't', probedAt: '2026-11-25T00:00:00Z', durationMs: 1 };

describe('pkg/probe status', () => {
  it('prints the table and the problems', () => {
    const text = renderStatus(buildSnapshot({ cluster: 'c', hosts: [cp, down], kube }, meta), { kubernetesVersion: 'v1.35.1', now: '2026-11-25T00:00:00Z' });
    const lines = text.split('\n');
    expect(lines[0]).to.match(/^NODE\s+ROLE\s+OS\s+CONTAINERD\s+KUBELET\s+APISERVER\s+ETCD\s+READY$/);
    expect(lines[1]).to.match(/^cp-1\s+control-plane\s+debian 12\s+1\.6\.20\s+1\.35\.1 \(failed\)\s+healthy\s+healthy\s+Ready$/);
    expect(lines[2]).to.match(/^worker-1\s+worker\s+\(timeout\)/);
    expect(text).to.contain('Problems:\n').and.contain('\n  worker-1: timeout: timed out connecting to kubeone@127.0.0.1:2202');
    expect(text).to.contain('cp-1: kubelet is failed (failed)');
  });

  it('flags version drift, expiring certificates, NotReady nodes and strangers', () => {
    const problems = statusProblems(
      buildSnapshot({ cluster: 'c', hosts: [cp], kube: { ...kube, nodes: [{ ...kube.nodes[0]!, ready: false }, { ...kube.nodes[0]!, name: 'ghost', host: null }] } }, meta),
      { kubernetesVersion: '1.36.0', now: '2027-11-20T00:00:00Z' },
    );
    expect(problems).to.include('cp-1: kubelet 1.35.1, manifest wants 1.36.0');
    expect(problems).to.include('cp-1: a control-plane certificate expires 2027-11-25T06:00:00Z');
    expect(problems).to.include('node cp-1: NotReady');
    expect(problems).to.include('node ghost: not in the manifest');
  });

  it('says an unreachable host once, with its kind', () => {
    const refused: HostFacts = { ...down, error: { kind: 'unreachable', message: 'unreachable: kubeone@127.0.0.1:2202: ECONNREFUSED' } };
    expect(statusProblems(buildSnapshot({ cluster: 'c', hosts: [cp, refused], kube }, meta))).to.include('worker-1: unreachable: kubeone@127.0.0.1:2202: ECONNREFUSED');
  });

  it('marks a host removed from the manifest, and says when apply cannot reset it', () => {
    const stray = { ...kube.nodes[0]!, name: 'worker-9', internalIP: '10.5.0.29', host: null };
    const former: HostFacts = { ...down, name: 'worker-9', id: 2, former: true };
    const snapshot = buildSnapshot({ cluster: 'c', hosts: [cp, former], kube: { ...kube, nodes: [...kube.nodes, stray] } }, meta);
    expect(renderStatus(snapshot)).to.match(/\nworker-9\s+worker \(removed\)\s+\(timeout\)/);
    const problems = statusProblems(snapshot);
    expect(problems).to.include('node worker-9: not in the manifest');
    expect(problems).to.include('worker-9: removed from the manifest and unreachable: apply deletes its Node but cannot reset it');
    expect(problems.filter((p) => p.startsWith('worker-9: ') && p.includes('timeout'))).to.deep.equal([]);
  });

  it('says a fresh host is not provisioned', () => {
    const fresh = parseHostOutput(cpHost, { hostname: 'cp-1', osId: 'debian', osVersionId: '12', units: '' }).facts;
    const text = renderStatus(buildSnapshot({ cluster: 'c', hosts: [fresh], kube: null }, meta));
    expect(text).to.match(/cp-1\s+control-plane\s+debian 12\s+-\s+-\s+-\s+-\s+-/);
    expect(text).to.contain('cp-1: not provisioned');
  });

  it('says whether encryption is active and which key is primary (names only)', () => {
    const enc = (keys: string[], identityFirst = false) => ({
      flag: '/etc/kubernetes/encryption-providers/encryption-providers.yaml',
      files: {
        '/etc/kubernetes/encryption-providers/encryption-providers.yaml': {
          sha256: 'a'.repeat(64),
          summary: { resources: [{ resources: ['secrets'], providers: [...(identityFirst ? [{ type: 'identity' as const }] : []), { type: 'aescbc' as const, keys: keys.map((name) => ({ name, fingerprint: '0123456789abcdef' })) }, ...(identityFirst ? [] : [{ type: 'identity' as const }])] }] },
        },
      },
    });
    const on = renderStatus(buildSnapshot({ cluster: 'c', hosts: [{ ...cp, encryption: enc(['kubeone-new', 'kubeone-old']) }], kube: { ...kube, encryptionRewrite: { config: 'a'.repeat(64), primaries: { secrets: 'aescbc:kubeone-new' } } } }, meta));
    expect(on).to.contain('Encryption at rest:\n  active on cp-1 with /etc/kubernetes/encryption-providers/encryption-providers.yaml: primary aescbc key kubeone-new; also reads aescbc:kubeone-old, identity\n');
    expect(on).to.contain('  every secrets object last rewritten with aescbc:kubeone-new (kube-system/kubeone-encryption)');
    expect(on).not.to.contain('0123456789abcdef');
    expect(renderStatus(buildSnapshot({ cluster: 'c', hosts: [{ ...cp, encryption: enc(['k'], true) }], kube }, meta))).to.contain('identity first: Secrets are written in clear (decrypting)');
    expect(renderStatus(buildSnapshot({ cluster: 'c', hosts: [cp], kube }, meta))).to.contain('off on cp-1 (no --encryption-provider-config: Secrets are stored in clear)');
  });
});
