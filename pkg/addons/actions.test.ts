import { expect } from 'chai';
import { addonActions } from './actions.js';
import { diffAddons } from './diff.js';
import { renderAddons } from './render.js';
import { loadedCluster } from './testing/fixtures.js';

describe('addonActions', () => {
  it('plans one apply-addon per new addon with its objects, after the given actions', () => {
    const diffs = diffAddons(renderAddons({ loaded: loadedCluster() }), []);
    const actions = addonActions(diffs, { dependsOn: ['init-control-plane:cp-1'], reasons: { 'metrics-server': 'features.metricsServer.enable' } });
    expect(actions.map((a) => a.id)).to.deep.equal([
      'apply-addon:coredns-pdb', 'apply-addon:metrics-server', 'apply-addon:cni-canal', 'apply-addon:nodelocaldns', 'apply-addon:coredns-patch',
    ]);
    const ms = actions[1]!;
    expect(ms.title).to.equal('install addon metrics-server');
    expect(ms.reason).to.equal('features.metricsServer.enable: 9 to create');
    expect(ms.dependsOn).to.deep.equal(['init-control-plane:cp-1']);
    expect(ms.steps.map((s) => s.op)).to.deep.equal(['addon.apply']);
    expect((ms.steps[0]!.params!.objects as unknown[]).length).to.equal(9);
  });

  it('plans prune-addon for an addon gone from the manifest, disruptive for a CNI', () => {
    const live = [{ addon: 'cni-weavenet', apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'weave-net', hash: 'h' }];
    const [a] = addonActions(diffAddons([], live));
    expect(a).to.include({ id: 'prune-addon:cni-weavenet', kind: 'prune-addon', change: '-', disruptive: true });
    expect(a!.steps).to.have.length(1);
    expect(a!.steps[0]!.params).to.deep.equal({ addon: 'cni-weavenet', objects: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'weave-net' }] });
  });

  it('plans nothing for a converged addon set', () => {
    expect(addonActions([{ addon: 'x', source: 'custom', change: null, objects: [] }])).to.deep.equal([]);
  });
});
