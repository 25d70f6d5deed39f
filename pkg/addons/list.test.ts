import { expect } from 'chai';
import { liveFacts } from './apply.js';
import { nodeFiles } from './files.js';
import { formatAddonJson, formatAddonTable, listAddons } from './list.js';
import { fullObject, renderAddons } from './render.js';
import { EMBEDDED_ADDONS } from './selection.js';
import { loadedCluster, memoryFiles } from './testing/fixtures.js';
import { PROVIDER_EXAMPLES } from './testing/providers.js';
import { emptyRecord } from '../ownership/record.js';

describe('listAddons', () => {
  const files = memoryFiles({ '/cluster/addons/metrics-server/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, namespace: kube-system}\n', '/cluster/addons/mine/y.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "y"}\n' }, nodeFiles);
  const loaded = loadedCluster({
    addons: { path: './addons', addons: [{ name: 'default-storage-class', delete: true }] },
    clusterNetwork: { cni: { cilium: {} } },
  });
  const rendered = renderAddons({ loaded, files });

  it('lists every embedded and custom addon with what apply would do', () => {
    const entries = listAddons({ loaded, rendered, live: null, files });
    const status = Object.fromEntries(entries.map((e) => [e.name, `${e.status}/${e.source}${e.overridesEmbedded ? '*' : ''}`]));
    expect(status).to.deep.equal({
      'ca-bundle': 'inactive/embedded',
      ...Object.fromEntries(EMBEDDED_ADDONS.filter((a) => /^(ccm|csi)-/.test(a)).map((a) => [a, 'inactive/embedded'])),
      'cni-canal': 'inactive/embedded',
      'cni-cilium': 'install/embedded',
      'cni-weavenet': 'inactive/embedded',
      'coredns-patch': 'install/embedded',
      'coredns-pdb': 'install/embedded',
      'default-storage-class': 'delete/embedded',
      machinecontroller: 'inactive/embedded',
      'operating-system-manager': 'inactive/embedded',
      'metrics-server': 'install/custom*',
      mine: 'install/custom',
      nodelocaldns: 'install/embedded',
    });
    const table = formatAddonTable(entries);
    expect(table.split('\n')[0]).to.match(/^NAME\s+SOURCE\s+STATUS\s+OBJECTS\s+REASON$/);
    expect(table).to.contain('custom (overrides embedded)');
    expect(JSON.parse(formatAddonJson(entries)).addons).to.have.length(EMBEDDED_ADDONS.length + 1);
    expect(entries.find((e) => e.name === 'ccm-hetzner')!.reason).to.match(/another cloudProvider/);
  });

  it('reports installed, drifted and leftover addons against live objects', () => {
    const live = rendered.flatMap((a) => a.objects.map((o) => liveFacts(structuredClone(fullObject(o)), o)));
    // Someone relabelled the custom ConfigMap by hand: the label is a field the addon sets.
    const i = live.findIndex((l) => l.name === 'y');
    const relabelled = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', namespace: 'default', labels: { 'kubeone.io/addon': 'other' } } };
    live[i] = { ...liveFacts(relabelled, rendered.find((a) => a.name === 'mine')!.objects[0]), addon: 'mine' };
    live.push({ addon: 'cni-canal', apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'kube-system', name: 'canal', hash: 'h' });
    const byName = Object.fromEntries(listAddons({ loaded, rendered, live, files }).map((e) => [e.name, e.status]));
    expect(byName['cni-cilium']).to.equal('installed');
    expect(byName.mine).to.equal('drifted');
    expect(listAddons({ loaded, rendered, live, files }).find((e) => e.name === 'mine')!.reason).to.equal('objects differ (0+ 1~ 0-)');
    // No ownership record: the live canal is someone else's (KubeOne built the cluster).
    expect(byName['cni-canal']).to.equal('unmanaged');
    expect(byName['cni-weavenet']).to.equal('inactive');
    // kubeone applied it (the record names it): pruned.
    const ownership = { ...emptyRecord(), addons: { 'cni-canal': ['apps/DaemonSet/kube-system/canal'] } };
    const owned = listAddons({ loaded, rendered, live, files, ownership }).find((e) => e.name === 'cni-canal')!;
    expect(`${owned.status}: ${owned.reason}`).to.equal('delete: no longer in the manifest; kubeone applied its objects and prunes them');
  });

  describe('cloud providers (KubeOne\'s ensureCSIAddons and ensureCCMAddons)', () => {
    for (const [provider, example] of Object.entries(PROVIDER_EXAMPLES)) {
      it(`${provider}: the credential Secrets, its CSI driver with the snapshot controller and its CCM are installed, the others inactive`, () => {
        const cloud = loadedCluster({ cloudProvider: example.cloudProvider }, example.credentials);
        const entries = listAddons({ loaded: cloud, rendered: renderAddons({ loaded: cloud, env: {} }), live: null });
        const installed = entries.filter((e) => e.status === 'install' && /^(ccm|csi)-|^cloud-credentials$/.test(e.name)).map((e) => e.name);
        expect(installed.sort()).to.deep.equal([...example.addons].sort());
        for (const e of entries.filter((x) => x.status === 'install' && x.name !== 'cloud-credentials' && /^(ccm|csi)-/.test(x.name))) expect(e.objects, e.name).to.be.greaterThan(0);
        expect(entries.filter((e) => /^(ccm|csi)-/.test(e.name) && !example.addons.includes(e.name)).every((e) => e.status === 'inactive')).to.equal(true);
      });
    }

    it('disableBundledCSIDrivers drops the CSI driver and the snapshot controller; the CCM stays', () => {
      const example = PROVIDER_EXAMPLES.hetzner;
      const cloud = loadedCluster({ cloudProvider: { ...example.cloudProvider, disableBundledCSIDrivers: true } }, example.credentials);
      const status = Object.fromEntries(listAddons({ loaded: cloud, rendered: renderAddons({ loaded: cloud, env: {} }), live: null }).map((e) => [e.name, e.status]));
      expect(status).to.include({ 'ccm-hetzner': 'install', 'csi-hetzner': 'inactive', 'csi-external-snapshotter': 'inactive', 'cloud-credentials': 'install' });
    });

    it('secretProviderClassName: no credential Secrets are written (the CCM reads them from the secrets store)', () => {
      const example = PROVIDER_EXAMPLES.hetzner;
      const cloud = loadedCluster({ cloudProvider: { ...example.cloudProvider, secretProviderClassName: 'vault' } }, example.credentials);
      const names = listAddons({ loaded: cloud, rendered: renderAddons({ loaded: cloud, env: {} }), live: null }).map((e) => e.name);
      expect(names).to.not.include('cloud-credentials');
      expect(names).to.include('ccm-hetzner');
    });
  });
});
