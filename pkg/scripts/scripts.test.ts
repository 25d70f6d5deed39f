import { expect } from 'chai';
import { renderBinariesRemove, renderBundleInstall, renderPackageInstall } from './binaries.js';
import { renderContainerdFiles } from './containerd-config.js';
import { renderContainerdInstall } from './containerd-install.js';
import { fixtureCluster } from './testing/fixtures.js';
import { expectGolden } from './testing/golden.js';
import {
  renderCertsRenew,
  renderKubeadmInit,
  renderJoinCleanup,
  renderKubeadmJoin,
  renderKubeadmReset,
  renderReconfigureControlPlane,
  renderTokenCreate,
  renderUpgradeApply,
  renderUpgradeNode,
} from './kubeadm-scripts.js';
import { renderKubeletFlags } from './kubelet-files.js';
import type { OsFamily } from './os-family.js';
import { osFamily } from './os-family.js';
import { renderPrerequisites } from './prerequisites.js';
import { ensureFileLines, shq } from './shell.js';

const FAMILIES: OsFamily[] = ['debian', 'rhel', 'flatcar'];

describe('pkg/scripts', () => {
  for (const family of FAMILIES) {
    describe(`${family} family`, () => {
      it('prerequisites', () => {
        expectGolden(`prerequisites-${family}`, renderPrerequisites(family, { proxy: { http: 'http://proxy:3128', noProxy: '10.0.0.0/8' } }));
      });
      it('containerd install', () => expectGolden(`containerd-install-${family}`, renderContainerdInstall(family)));
      it('bundle install', () => {
        expectGolden(
          `binaries-bundle-${family}`,
          renderBundleInstall(family, {
            version: '1.35.1',
            arch: 'amd64',
            components: ['kubeadm', 'kubelet', 'kubectl'],
            remoteTarball: '/var/lib/kubeone/bundles/kubernetes-node-linux-amd64-v1.35.1.tar.gz',
          }),
        );
      });
      it('binaries remove', () => expectGolden(`binaries-remove-${family}`, renderBinariesRemove(family)));
    });
  }

  it('package install (debian, rhel) pins the version; flatcar refuses', () => {
    const opts = { version: '1.35.1', arch: 'amd64', components: ['kubeadm', 'kubelet', 'kubectl'] as const, repositoryUrl: 'https://pkgs.example/v{minor}/deb/' };
    const deb = renderPackageInstall('debian', { ...opts, components: [...opts.components] });
    expect(deb).to.contain(`"$pkg="'1.35.1'"-*"`).and.not.to.contain('{minor}');
    expect(deb).to.contain('https://pkgs.example/v1.35/deb/');
    expectGolden('binaries-package-debian', deb);
    const rpm = renderPackageInstall('rhel', { ...opts, components: [...opts.components] });
    expect(rpm).to.contain('baseurl=https://pkgs.example/v1.35/rpm/');
    // As KubeOne: kubernetes-cni and cri-tools (crictl, for --prune-images) beside the kube packages, held too.
    expect(deb).to.contain('for pkg in kubernetes-cni cri-tools; do').and.contain('sudo apt-mark hold kubeadm kubelet kubectl kubernetes-cni cri-tools');
    expect(rpm).to.contain('for pkg in kubernetes-cni cri-tools; do').and.contain('versionlock add kubernetes-cni cri-tools');
    expectGolden('binaries-package-rhel', rpm);
    expect(() => renderPackageInstall('flatcar', { ...opts, components: [...opts.components] })).to.throw(/kubernetesBinaries\.bundle/);
  });

  it('kubeadm scripts', () => {
    expectGolden('kubeadm-init', renderKubeadmInit());
    expectGolden('kubeadm-join-control-plane', renderKubeadmJoin(true, '/home/kubeone/kubeone/cfg/join-x.yaml'));
    expectGolden('kubeadm-join-worker', renderKubeadmJoin(false, '/home/kubeone/kubeone/cfg/join-x.yaml'));
    expectGolden('kubeadm-upgrade-apply', renderUpgradeApply('1.36.0'));
    expectGolden('kubeadm-upgrade-node-cp', renderUpgradeNode('1.36.0', true));
    expectGolden('kubeadm-upgrade-node-worker', renderUpgradeNode('1.36.0', false));
    expectGolden('kubeadm-reconfigure-control-plane', renderReconfigureControlPlane('/home/kubeone/kubeone/cfg/init.yaml'));
    expectGolden('kubeadm-reset', renderKubeadmReset());
    expectGolden('kubeadm-certs-renew', renderCertsRenew());
    expectGolden('kubeadm-token-create', renderTokenCreate());
    expectGolden('kubeadm-join-cleanup', renderJoinCleanup());
  });

  it('join scripts guard on the right file and always remove the token file', () => {
    expect(renderKubeadmJoin(true, '/x')).to.contain('/etc/kubernetes/admin.conf').and.contain(`trap 'sudo rm -f '\\''/x'\\''' EXIT`);
    expect(renderKubeadmJoin(false, '/x')).to.contain('/etc/kubernetes/kubelet.conf');
  });

  it('containerd files: systemd cgroups, sandbox image, mirrors, auth', () => {
    const loaded = fixtureCluster({
      registryConfiguration: { overwriteRegistry: 'registry.internal:5000', insecureRegistry: true },
      containerRuntime: {
        containerd: {
          registries: {
            'docker.io': { mirrors: ['mirror.internal'], auth: { username: 'u', password: 'p"w' } },
          },
        },
      },
      proxy: { https: 'http://proxy:3128' },
    });
    const files = renderContainerdFiles(loaded.cluster, 1);
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    const toml = byPath['/etc/containerd/config.toml']!;
    expect(toml.mode).to.equal('0600');
    expect(toml.content).to.contain('SystemdCgroup = true');
    expect(toml.content).to.contain('sandbox_image = "registry.internal:5000/pause:3.10.1"');
    expect(toml.content).to.contain('password = "p\\"w"');
    expect(byPath['/etc/containerd/certs.d/docker.io/hosts.toml']!.content).to.contain('[host."mirror.internal"]');
    expect(byPath['/etc/containerd/certs.d/registry.internal:5000/hosts.toml']!.content).to.contain('skip_verify = true');
    expect(byPath['/etc/systemd/system/containerd.service.d/http-proxy.conf']).to.exist;
    expectGolden('containerd-config-toml', toml.content);
    expect(renderContainerdFiles(loaded.cluster, 1)).to.deep.equal(files);
  });

  it('kubelet flags name the node and its IP', () => {
    const loaded = fixtureCluster();
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[2]!)).to.equal(
      'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock --hostname-override=worker-1 --node-ip=10.0.0.21 --pod-max-pids=-1 --volume-plugin-dir=/var/lib/kubelet/volumeplugins"\n',
    );
  });

  it('systemPackages.configureRepositories: false adds no repository (containerd, kube packages)', () => {
    for (const family of ['debian', 'rhel'] as const) {
      const own = renderContainerdInstall(family, { configureRepositories: false });
      expect(own, family).not.to.contain('download.docker.com');
      expect(own, family).to.contain('containerd.io');
      expect(renderContainerdInstall(family, { configureRepositories: true }), family).to.contain('download.docker.com');
      const pkgs = renderPackageInstall(family, { version: '1.35.1', arch: 'amd64', components: ['kubelet'], repositoryUrl: 'https://pkgs.example/v{minor}/deb/', configureRepository: false });
      expect(pkgs, family).not.to.contain('pkgs.example');
      expect(pkgs, family).not.to.match(/kubernetes\.(list|repo)/);
    }
    expectGolden('containerd-install-debian-own-repositories', renderContainerdInstall('debian', { configureRepositories: false }));
  });

  it('osFamily maps IDs and names the host on unknown ones', () => {
    expect(osFamily('h', 'ubuntu')).to.equal('debian');
    expect(osFamily('h', 'rocky')).to.equal('rhel');
    expect(() => osFamily('cp-1', 'plan9')).to.throw(/cp-1: operating system "plan9"/);
  });

  it('shq and ensureFileLines survive hostile content', () => {
    expect(shq("a'b")).to.equal(`'a'\\''b'`);
    const lines = ensureFileLines('/etc/x', '0644', 'line KUBEONE_EOF\n$HOME `x`');
    expect(lines[0]).to.contain("<<'KUBEONE_EOF_1'");
  });
});
