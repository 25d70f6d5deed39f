import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCliCaptured as runKubeone } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeone-images-'));
const manifest = (name: string, extra: string): string => {
  const path = join(dir, name);
  writeFileSync(
    path,
    ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: imgs', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { none: {} }',
      'controlPlane:', '  hosts:', '  - { publicAddress: 192.0.2.10, sshPrivateKeyFile: /k/id }', extra, ''].join('\n'),
  );
  return path;
};
const lines = (text: string): string[] => text.trim().split('\n');

describe('kubeone config images list', () => {
  it('--filter control-plane: what kubeadm 1.35 pulls (kubeadm config images list) plus the pause image', async () => {
    const r = await runKubeone(['config', 'images', 'list', '-k', 'v1.35.1', '--filter', 'control-plane']);
    expect(r.code, r.stderr).to.equal(0);
    expect(lines(r.stdout)).to.deep.equal([
      'registry.k8s.io/coredns/coredns:v1.13.1',
      'registry.k8s.io/etcd:3.6.6-0',
      'registry.k8s.io/kube-apiserver:v1.35.1',
      'registry.k8s.io/kube-controller-manager:v1.35.1',
      'registry.k8s.io/kube-proxy:v1.35.1',
      'registry.k8s.io/kube-scheduler:v1.35.1',
      'registry.k8s.io/pause:3.10.1',
    ]);
  });

  it('filters: base = control plane + KubeOne base resources, optional = the rest; none = both; sorted, no duplicates', async () => {
    const run = async (filter: string) => lines((await runKubeone(['config', 'images', 'list', '-k', '1.34.3', '--filter', filter])).stdout);
    const [base, optional, none] = [await run('base'), await run('optional'), await run('none')];
    expect(base).to.include.members(['quay.io/calico/node:v3.32.0', 'registry.k8s.io/metrics-server/metrics-server:v0.8.1', 'registry.k8s.io/kube-apiserver:v1.34.3', 'registry.k8s.io/etcd:3.6.4-0']);
    expect(base).to.not.include('registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.0');
    expect(optional).to.include('registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.0');
    expect(optional.filter((i) => /kube-apiserver|calico/.test(i))).to.deep.equal([]);
    expect(none).to.deep.equal([...new Set([...base, ...optional])].sort());
    // Digests are dropped, as KubeOne's resolver does; an image shared by two addons is listed once.
    expect(none).to.include('quay.io/cilium/cilium:v1.19.6');
    expect(none.filter((i) => i === 'registry.k8s.io/sig-storage/csi-attacher:v4.11.0')).to.have.length(1);
  });

  it('with a manifest: its version and every registry override (overwriteRegistry, CoreDNS repository, sandbox image, no kube-proxy)', async () => {
    const m = manifest(
      'overrides.yaml',
      ['registryConfiguration: { overwriteRegistry: mirror.corp:5000 }', 'features: { coreDNS: { imageRepository: dns.corp/k8s } }',
        'containerRuntime: { containerd: { sandboxImage: "sandbox.corp/pause:9" } }', 'clusterNetwork: { kubeProxy: { skipInstallation: true } }'].join('\n'),
    );
    const r = await runKubeone(['config', 'images', 'list', '-m', m]);
    expect(r.code, r.stderr).to.equal(0);
    const images = lines(r.stdout);
    expect(images).to.include.members([
      'mirror.corp:5000/kube-apiserver:v1.35.1', 'mirror.corp:5000/etcd:3.6.6-0', 'dns.corp/k8s/coredns:v1.13.1', 'sandbox.corp/pause:9',
      'mirror.corp:5000/calico/node:v3.32.0', 'mirror.corp:5000/library/alpine:3.23',
    ]);
    expect(images.filter((i) => i.includes('kube-proxy'))).to.deep.equal([]);
    expect(images.filter((i) => !/^(mirror\.corp:5000|dns\.corp|sandbox\.corp)\//.test(i))).to.deep.equal([]);
  });

  it('overwriteRegistry alone: kubeadm drops CoreDNS\'s nested path in a custom registry', async () => {
    const r = await runKubeone(['config', 'images', 'list', '-m', manifest('mirror.yaml', 'registryConfiguration: { overwriteRegistry: 127.0.0.1:5000 }'), '--filter', 'control-plane']);
    expect(lines(r.stdout)).to.include.members(['127.0.0.1:5000/coredns:v1.13.1', '127.0.0.1:5000/pause:3.10.1', '127.0.0.1:5000/kube-proxy:v1.35.1']);
  });

  it('--all lists every version of the version-dependent images', async () => {
    const images = lines((await runKubeone(['config', 'images', 'list', '-k', '1.35.1', '--all', '--filter', 'optional'])).stdout);
    for (const v of ['v1.34.0', 'v1.35.0']) expect(images).to.include(`registry.k8s.io/provider-aws/cloud-controller-manager:${v}`);
  });

  it('without a manifest or a version: the version-independent choices, control-plane images left out with a warning', async () => {
    const r = await runKubeone(['config', 'images', 'list', '-m', './kubeone.yaml']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/control-plane images are left out/);
    expect(lines(r.stdout)).to.include('registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0').and.not.include('registry.k8s.io/pause:3.10.1');
  });

  it('bad arguments: clear error, KubeOne\'s exit codes, nothing printed on stdout', async () => {
    const m = manifest('plain.yaml', '');
    const cases: [string[], number, RegExp][] = [
      [['--filter', 'all'], 10, /--filter can be only one of \[none\|base\|optional\|control-plane\]/],
      [['-m', m, '-k', '1.35.1'], 10, /only one of either --manifest or --kubernetes-version/],
      [['-k', '1.20.0'], 15, /--kubernetes-version: kubernetes version 1\.20\.0 is not supported/],
      [['-k', 'latest'], 15, /--kubernetes-version: "latest" is not a semantic version/],
      [['-m', join(dir, 'missing.yaml')], 1, /cannot read the manifest .*missing\.yaml/],
      [['-m', manifest('invalid.yaml', 'clusterNetwork: { podSubnet: nonsense }')], 15, /clusterNetwork\.podSubnet/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runKubeone(['config', 'images', 'list', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(code);
      expect(r.stderr).to.match(message);
      expect(r.stdout).to.equal('');
    }
  });
});

describe('kubeone config migrate', () => {
  it('always fails with KubeOne 1.14\'s message, exit 1, reading nothing', async () => {
    const r = await runKubeone(['config', 'migrate', '-m', join(dir, 'does-not-exist.yaml')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal('Error: migrating to the v1beta3 API is not possible in this KubeOne version\n');
  });
});
