// The script variants of the day-2 requests: forced installs and upgrades, a new apiserver
// certificate, image pruning.
import { expect } from 'chai';
import { renderBundleInstall, renderPackageInstall } from './binaries.js';
import { renderCertsRenew, renderPruneImages, renderUpgradeApply, renderUpgradeNode } from './kubeadm-scripts.js';

const opts = { version: '1.35.1', arch: 'amd64', components: ['kubeadm', 'kubelet', 'kubectl'] as ('kubeadm' | 'kubelet' | 'kubectl')[] };

describe('day-2 script variants', () => {
  it('--force-install: the bundle binaries are installed whatever is there; apt and dnf reinstall', () => {
    const bundle = renderBundleInstall('debian', { ...opts, remoteTarball: '/var/lib/kubeone/b.tgz' });
    const forcedBundle = renderBundleInstall('debian', { ...opts, remoteTarball: '/var/lib/kubeone/b.tgz', force: true });
    expect(bundle).to.contain('if ! sudo cmp -s "$work');
    expect(forcedBundle).to.not.contain('if ! sudo cmp -s "$work');
    expect(forcedBundle).to.contain('  if true; then');
    const apt = renderPackageInstall('debian', { ...opts, repositoryUrl: 'https://pkgs.k8s.io/core:/stable:/v1.35/deb/', force: true });
    expect(apt).to.contain('install -y --reinstall --allow-downgrades');
    expect(apt).to.not.contain('case "$current"');
    expect(renderPackageInstall('debian', { ...opts, repositoryUrl: 'https://pkgs.k8s.io/core:/stable:/v1.35/deb/' })).to.not.contain('--reinstall');
    const dnf = renderPackageInstall('rhel', { ...opts, repositoryUrl: 'https://pkgs.k8s.io/core:/stable:/v1.35/deb/', force: true });
    expect(dnf).to.contain('sudo "$pm" reinstall -y').and.contain('|| sudo "$pm" install -y');
  });

  it('--force-upgrade: no "already at the version" guard', () => {
    expect(renderUpgradeApply('1.35.1')).to.contain('control plane already at v1.35.1');
    expect(renderUpgradeApply('1.35.1', true)).to.not.contain('already at');
    expect(renderUpgradeApply('1.35.1', true)).to.contain("kubeadm upgrade apply --yes 'v1.35.1'");
    expect(renderUpgradeNode('1.35.1', true)).to.contain('already at');
    expect(renderUpgradeNode('1.35.1', true, true)).to.not.contain('already at');
    expect(renderUpgradeNode('1.35.1', true, true)).to.contain('sudo kubeadm upgrade node');
    expect(() => renderUpgradeApply('1.35.1; rm -rf /', true)).to.throw();
  });

  it('a new apiserver certificate is issued after the renewal (which keeps names), from the quoted config path', () => {
    const plain = renderCertsRenew();
    expect(plain).to.not.contain('init phase certs apiserver');
    const script = renderCertsRenew("/home/o'brien/kubeone/cfg/init.yaml");
    const renew = script.indexOf('sudo kubeadm certs renew all');
    const rm = script.indexOf('sudo rm -f /etc/kubernetes/pki/apiserver.crt /etc/kubernetes/pki/apiserver.key');
    const issue = script.indexOf(`sudo kubeadm init phase certs apiserver --config='/home/o'\\''brien/kubeone/cfg/init.yaml'`);
    expect(renew).to.be.greaterThan(-1);
    expect(rm).to.be.greaterThan(renew);
    expect(issue).to.be.greaterThan(rm);
    // The static pods restart after the new certificate is in place.
    expect(script.indexOf('kubeone-restart')).to.be.greaterThan(-1);
    expect(script.lastIndexOf("-name '*.yaml' -exec mv -t /etc/kubernetes/tmp/kubeone-restart")).to.be.greaterThan(issue);
  });

  it('--prune-images: crictl rmi --prune, a clear failure without crictl', () => {
    const script = renderPruneImages();
    expect(script).to.contain('sudo crictl rmi --prune').and.contain('crictl is not installed');
  });
});
