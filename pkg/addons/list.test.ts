import { expect } from 'chai';
import { liveFacts } from './apply.js';
import { nodeFiles } from './files.js';
import { formatAddonJson, formatAddonTable, listAddons } from './list.js';
import { fullObject, renderAddons } from './render.js';
import { loadedCluster, memoryFiles } from './testing/fixtures.js';
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
      'cni-canal': 'inactive/embedded',
      'cni-cilium': 'install/embedded',
      'cni-weavenet': 'inactive/embedded',
      'coredns-patch': 'install/embedded',
      'coredns-pdb': 'install/embedded',
      'default-storage-class': 'delete/embedded',
      'metrics-server': 'install/custom*',
      mine: 'install/custom',
      nodelocaldns: 'install/embedded',
    });
    const table = formatAddonTable(entries);
    expect(table.split('\n')[0]).to.match(/^NAME\s+SOURCE\s+STATUS\s+OBJECTS\s+REASON$/);
    expect(table).to.contain('custom (overrides embedded)');
    expect(JSON.parse(formatAddonJson(entries)).addons).to.have.length(9);
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
});
