import { parseAllDocuments } from 'yaml';
import { expect } from 'chai';
import { expectGolden } from '../scripts/testing/golden.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import { renderInitFile, renderJoinFile, renderKubeletConfigFile } from './render-files.js';
import { clusterDnsIp } from './network.js';
import { renderKubeletFlags } from '../scripts/kubelet-files.js';

describe('pkg/kubeadm rendering', () => {
  it('init file: Init, Cluster, Kubelet, KubeProxy configuration (v1beta4)', () => {
    const loaded = fixtureCluster({ controlPlaneComponents: { apiServer: { flags: { 'audit-log-maxage': '7' }, featureGates: { Foo: true } } } });
    const text = renderInitFile(loaded, loaded.hosts[0]!);
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).to.deep.equal(['InitConfiguration', 'ClusterConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration']);
    expect(text).to.contain('name: audit-log-maxage').and.contain('value: Foo=true');
    expectGolden('kubeadm-init-config', text);
  });

  it('join file carries the token and CA hash; control planes get a local endpoint', () => {
    const loaded = fixtureCluster();
    const cp = renderJoinFile(loaded, loaded.hosts[1]!, { token: 'abcdef.0123456789abcdef', caCertHash: 'sha256:00' });
    expect(cp).to.contain('token: abcdef.0123456789abcdef').and.contain('advertiseAddress: 10.0.0.12');
    const worker = renderJoinFile(loaded, loaded.hosts[2]!, { token: 't', caCertHash: 'sha256:00' });
    expect(worker).not.to.contain('controlPlane:');
    expectGolden('kubeadm-join-worker-config', worker);
  });

  it('kubelet config: cluster-wide settings in config.yaml, per-host ones as kubelet flags', () => {
    const loaded = fixtureCluster({ kubeletConfig: { maxPods: 50 } });
    loaded.hosts[2]!.config.kubelet = { maxPods: 20 };
    expect(renderKubeletConfigFile(loaded)).to.contain('maxPods: 50').and.contain('cgroupDriver: systemd').and.contain('- 10.96.0.10');
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[2]!)).to.contain('--max-pods=20');
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[0]!)).not.to.contain('--max-pods');
  });

  it('cluster DNS IP is the 10th service address', () => {
    expect(clusterDnsIp('10.96.0.0/12')).to.equal('10.96.0.10');
    // kubeadm counts from the network address of the subnet.
    expect(clusterDnsIp('172.16.255.250/24')).to.equal('172.16.255.10');
    expect(clusterDnsIp('fd02::100/120,10.96.0.0/12')).to.equal('fd02::10a');
  });
});
