// KubeOne sets --cloud-provider=external on every kubelet (init and join) when the provider is
// external, which defaulting makes every provider but VMware Cloud Director and none; the
// control-plane components get no cloud flags (the CCM runs as an addon).
import { expect } from 'chai';
import { applyDefaults } from '../api/defaults.js';
import { resolveHosts } from '../api/hosts.js';
import type { KubeOneCluster, LoadedCluster } from '../api/types.js';
import { PROVIDER_EXAMPLES } from '../addons/testing/providers.js';
import { renderClusterConfiguration } from './cluster-configuration.js';
import { kubeletExtraArgsOf } from './node-configuration.js';

function load(cloudProvider: KubeOneCluster['cloudProvider']): LoadedCluster {
  const cluster = applyDefaults({
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'demo',
    versions: { kubernetes: '1.35.1' },
    cloudProvider,
    controlPlane: { hosts: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', hostname: 'cp-1', sshPrivateKeyFile: '/k' }] },
    staticWorkers: { hosts: [{ publicAddress: '192.0.2.20', privateAddress: '10.0.0.20', hostname: 'worker-1', sshPrivateKeyFile: '/k' }] },
  });
  return { manifestPath: '/m/kubeone.yaml', baseDir: '/m', cluster, hosts: resolveHosts(cluster), credentials: {}, warnings: [] };
}

describe('kubelet and control plane with a cloud provider', () => {
  for (const [provider, example] of Object.entries(PROVIDER_EXAMPLES)) {
    const external = provider !== 'vmwareCloudDirector';
    it(`${provider}: ${external ? '' : 'no '}--cloud-provider=external on every kubelet, no cloud flag on the control-plane components`, () => {
      const loaded = load(example.cloudProvider);
      for (const host of loaded.hosts) {
        const args = kubeletExtraArgsOf(loaded.cluster, host);
        expect(args.some((a) => a.name === 'cloud-provider' && a.value === 'external'), host.name).to.equal(external);
        // Right after the volume plugin dir, as KubeOne appends it.
        if (external) expect(args[1]).to.deep.equal({ name: 'cloud-provider', value: 'external' });
      }
      expect(JSON.stringify(renderClusterConfiguration(loaded.cluster, loaded.hosts))).to.not.match(/cloud-provider|cloud-config/);
    });
  }
});

describe('machine-controller\'s default with a cloud provider', () => {
  it('stays KubeOne\'s (deploy: true, OSM follows), with a warning saying both are deployed; none or an explicit value: no warning', async () => {
    const { collectWarnings } = await import('../api/warnings.js');
    const m = (extra: Partial<KubeOneCluster>): KubeOneCluster => ({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', ...extra });
    const hetzner = m({ cloudProvider: { hetzner: {} } });
    expect(applyDefaults(hetzner).machineController).to.deep.equal({ deploy: true });
    expect(applyDefaults(hetzner).operatingSystemManager).to.deep.equal({ deploy: true });
    expect(collectWarnings(hetzner).join('\n')).to.match(/machineController\.deploy is unset and defaults to true .*machine-controller and operating-system-manager are deployed/);
    expect(collectWarnings(m({ cloudProvider: { hetzner: {} }, machineController: { deploy: false } })).join('\n')).to.not.match(/machineController/);
    expect(collectWarnings(m({ cloudProvider: { none: {} } })).join('\n')).to.not.match(/machineController/);
  });
});
