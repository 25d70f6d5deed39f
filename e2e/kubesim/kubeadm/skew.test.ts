import { expect } from 'chai';
import { parseVersion, type Semver } from '../common/versions.js';
import { checkKubeletVersion, checkUpgradeNode, enforceVersionPolicies, formatSkewErrors } from './skew.js';

const v = (s: string): Semver => parseVersion(s)!;
function check(target: string, cluster: string, kubeadm: string, kubelets: string[] = [cluster]): ReturnType<typeof enforceVersionPolicies> {
  return enforceVersionPolicies({ target: v(target), targetText: target, cluster: v(cluster), kubeadm: v(kubeadm), kubelets: kubelets.map(v) });
}

describe('kubeadm version skew policy', () => {
  it('allows one minor step with a matching kubeadm', () => {
    expect(check('v1.35.1', 'v1.34.3', 'v1.35.1')).to.deep.equal({ mandatory: [], skippable: [] });
    expect(check('v1.34.5', 'v1.34.3', 'v1.34.5')).to.deep.equal({ mandatory: [], skippable: [] });
  });

  it('refuses skipping a minor (mandatory, --force does not help)', () => {
    const errs = check('v1.36.0', 'v1.34.3', 'v1.36.0');
    expect(errs.mandatory.join('\n')).to.match(/too high; kubeadm can upgrade only 1 minor version at a time/);
    expect(formatSkewErrors(errs, true)).to.match(/FATAL: the --version argument is invalid due to these fatal errors/);
  });

  it('refuses a target newer than kubeadm itself', () => {
    const errs = check('v1.36.0', 'v1.35.1', 'v1.35.1');
    expect(errs.mandatory.join()).to.match(/at least one minor release higher than the kubeadm minor release \(36 > 35\)/);
  });

  it('treats a downgrade as an error that only --force bypasses', () => {
    const errs = check('v1.34.3', 'v1.35.1', 'v1.35.1');
    expect(errs.mandatory).to.deep.equal([]);
    expect(errs.skippable.join()).to.match(/lower than the cluster version/);
    expect(formatSkewErrors(errs, false)).to.match(/Can be bypassed if you pass the --force flag/);
    expect(formatSkewErrors(errs, true)).to.equal(undefined);
  });

  it('refuses targets below the minimum control plane version of this kubeadm', () => {
    expect(check('v1.34.3', 'v1.34.3', 'v1.36.0').mandatory.join()).to.match(/equal to or lower than the minimum supported version "v1.35.0"/);
  });

  it('flags kubelets more than three minors behind the target', () => {
    expect(check('v1.36.0', 'v1.35.1', 'v1.36.0', ['v1.32.0']).skippable.join()).to.match(/too old.*v1.32.0/);
  });

  it('upgrade node waits for the control plane; join refuses a kubelet newer than the control plane', () => {
    expect(checkUpgradeNode(v('v1.35.1'), v('v1.34.3'))).to.match(/Upgrade the control plane first/);
    expect(checkUpgradeNode(v('v1.35.1'), v('v1.35.1'))).to.equal(undefined);
    expect(checkKubeletVersion(v('v1.35.1'), v('v1.34.3'))).to.match(/kubelet version is higher than the control plane version/);
    expect(checkKubeletVersion(v('v1.34.3'), v('v1.34.3'))).to.equal(undefined);
  });
});
