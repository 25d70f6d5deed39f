import { expect } from 'chai';
import type { RenderedAddon } from '../plan/types.js';
import type { AddonObjectFacts } from '../snapshot/types.js';
import { liveFacts } from './apply.js';
import { addonOwnership, compareAddons, diffAddons } from './diff.js';
import { describeUnmanaged, formatAddonDiffs } from './format.js';
import { objectKey } from './normalize.js';
import { emptyRecord } from '../ownership/record.js';
import { fullObject, renderAddons } from './render.js';
import { loadedCluster } from './testing/fixtures.js';
import type { KubeObject } from './normalize.js';

/** What the cluster returns after applying: the object plus server-set fields and defaults. */
function asStored(o: KubeObject): KubeObject {
  const c = structuredClone(o) as KubeObject & { metadata: Record<string, unknown> };
  c.metadata.uid = 'uid-1';
  c.metadata.resourceVersion = '7';
  c.metadata.managedFields = [{ manager: 'kubeone' }];
  c.status = { observedGeneration: 1 };
  if (c.kind === 'Deployment') (c.spec as Record<string, unknown>).revisionHistoryLimit = 10;
  return c;
}

function liveOf(rendered: RenderedAddon[], mutate: (o: KubeObject) => void = () => undefined): AddonObjectFacts[] {
  return rendered.flatMap((a) =>
    a.objects.map((o) => {
      const stored = asStored(fullObject(o));
      mutate(stored);
      return liveFacts(stored, o);
    }),
  );
}

describe('diffAddons', () => {
  const rendered = renderAddons({ loaded: loadedCluster() });

  it('creates everything on an empty cluster', () => {
    const d = diffAddons(rendered, []);
    expect(d.map((x) => x.change)).to.deep.equal(['+', '+', '+', '+', '+']);
    expect(d.flatMap((x) => x.objects).length).to.equal(rendered.flatMap((a) => a.objects).length);
  });

  it('gives no action for a converged set', () => {
    expect(diffAddons(rendered, liveOf(rendered)).filter((d) => d.change !== null)).to.deep.equal([]);
  });

  it('shows field-level changes of a drifted object', () => {
    const live = liveOf(rendered, (o) => {
      if (o.kind === 'Deployment' && (o.metadata as { name: string }).name === 'metrics-server') (o.spec as { replicas: number }).replicas = 5;
    });
    const d = diffAddons(rendered, live).filter((x) => x.change !== null);
    expect(d).to.have.length(1);
    expect(d[0]!.objects[0]!.patch).to.deep.equal([{ op: 'replace', path: '/spec/replicas', value: 1 }]);
    expect(formatAddonDiffs(d, { verbose: true })).to.deep.equal([
      '~ update addon metrics-server (embedded)',
      '    ~ Deployment kube-system/metrics-server',
      '        replace /spec/replicas = 1',
    ]);
  });

  it('also compares by content when the live hash was taken without projection', () => {
    const live = liveOf(rendered).map((l) => ({ ...l, hash: 'other' }));
    expect(diffAddons(rendered, live).filter((d) => d.change !== null)).to.deep.equal([]);
  });

  /** A record naming every rendered object (kubeone applied them) and `extra` ones. */
  const recordOf = (addons: RenderedAddon[], extra: Record<string, string[]> = {}) => {
    const record = emptyRecord();
    for (const a of addons) record.addons[a.name] = a.objects.map(objectKey);
    for (const [addon, keys] of Object.entries(extra)) record.addons[addon] = [...(record.addons[addon] ?? []), ...keys];
    return record;
  };
  const extra: AddonObjectFacts = { addon: 'cni-canal', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'old', hash: 'h' };

  it('prunes the objects kubeone applied that are no longer rendered, and the addons kubeone applied that are no longer enabled', () => {
    const live = liveOf(rendered);
    const without = renderAddons({ loaded: loadedCluster({ features: { metricsServer: { enable: false } } }) });
    const owned = addonOwnership(recordOf(rendered, { 'cni-canal': [objectKey(extra)] }));
    const { diffs, unmanaged } = compareAddons(without, [...live, extra], owned);
    const d = diffs.filter((x) => x.change !== null);
    expect(d.map((x) => `${x.change} ${x.addon}`)).to.deep.equal(['~ cni-canal', '- metrics-server']);
    expect(d[0]!.objects).to.deep.equal([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'old', change: '-' }]);
    expect(d[1]!.objects.every((o) => o.change === '-')).to.equal(true);
    expect(unmanaged).to.deep.equal([]);
  });

  it('leaves alone the labelled objects kubeone did not apply (no record: KubeOne built the cluster), and lists them', () => {
    const live = liveOf(rendered);
    const without = renderAddons({ loaded: loadedCluster({ features: { metricsServer: { enable: false } } }) });
    for (const ownership of [addonOwnership(null), addonOwnership(recordOf(without))]) {
      const { diffs, unmanaged } = compareAddons(without, [...live, extra], ownership);
      expect(diffs.flatMap((x) => x.objects).filter((o) => o.change === '-'), 'nothing pruned').to.deep.equal([]);
      expect(unmanaged.map((u) => `${u.addon} ${u.rendered} ${u.objects.length}`)).to.deep.equal([
        'cni-canal true 1',
        `metrics-server false ${rendered.find((a) => a.name === 'metrics-server')!.objects.length}`,
      ]);
      expect(describeUnmanaged(unmanaged[1]!)).to.match(/^unmanaged: \d+ object\(s\) labelled kubeone\.io\/addon=metrics-server \(.+\) are not rendered from the manifest and were not applied by kubeone; they are left alone\. To delete addon metrics-server, add \{name: "metrics-server", delete: true\} to addons\.addons$/);
      expect(describeUnmanaged(unmanaged[0]!)).to.contain('ConfigMap kube-system/old').and.contain('delete them with kubectl');
    }
  });

  it('turning machineController.deploy off prunes what kubeone applied but keeps its CRDs (they hold the Machines) unless the addon is deleted', () => {
    const cloud = (extra = {}) => renderAddons({ loaded: loadedCluster({ cloudProvider: { hetzner: {} }, ...extra }, { HCLOUD_TOKEN: 'x'.repeat(64) }) });
    const on = cloud();
    const live = liveOf(on);
    const off = cloud({ machineController: { deploy: false } });
    const mcObjects = on.filter((a) => a.name === 'machinecontroller' || a.name === 'operating-system-manager').flatMap((a) => a.objects);
    const crds = mcObjects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.name).sort();
    expect(crds).to.deep.equal(['machinedeployments.cluster.k8s.io', 'machines.cluster.k8s.io', 'machinesets.cluster.k8s.io', 'operatingsystemconfigs.operatingsystemmanager.k8c.io', 'operatingsystemprofiles.operatingsystemmanager.k8c.io']);
    const { diffs, unmanaged } = compareAddons(off, live, addonOwnership(recordOf(on)));
    const pruned = diffs.filter((d) => d.change !== null && (d.addon === 'machinecontroller' || d.addon === 'operating-system-manager'));
    expect(pruned.map((d) => `${d.change} ${d.addon}`)).to.deep.equal(['- machinecontroller', '- operating-system-manager']);
    expect(pruned.flatMap((d) => d.objects).length).to.equal(mcObjects.length - crds.length);
    expect(pruned.flatMap((d) => d.objects).some((o) => o.kind === 'CustomResourceDefinition')).to.equal(false);
    expect(unmanaged.map((u) => [u.addon, u.keptDefinitions, u.objects.map((o) => o.name).sort()])).to.deep.equal([
      ['machinecontroller', true, crds.slice(0, 3)],
      ['operating-system-manager', true, crds.slice(3)],
    ]);
    expect(describeUnmanaged(unmanaged[0]!)).to.match(/^kept: 3 CustomResourceDefinition\(s\) of addon machinecontroller .*deleting one deletes every object of its kinds\. To delete them, add \{name: "machinecontroller", delete: true\}/);
    // Without an ownership record (KubeOne installed it) nothing at all is deleted.
    const adopted = compareAddons(off, live, addonOwnership(null));
    expect(adopted.diffs.flatMap((d) => d.objects).filter((o) => o.change === '-')).to.deep.equal([]);
    // delete: true removes everything, the CRDs too.
    const deleted = compareAddons(off, live, addonOwnership(recordOf(on), ['machinecontroller']));
    expect(deleted.diffs.find((d) => d.addon === 'machinecontroller')!.objects.filter((o) => o.kind === 'CustomResourceDefinition')).to.have.length(3);
  });

  it('deletes every labelled object of an addon the manifest deletes, owned or not', () => {
    const live = liveOf(rendered);
    const without = renderAddons({ loaded: loadedCluster({ features: { metricsServer: { enable: false } } }) });
    const { diffs, unmanaged } = compareAddons(without, [...live, extra], addonOwnership(null, ['metrics-server']));
    expect(diffs.filter((x) => x.change !== null).map((x) => `${x.change} ${x.addon}`)).to.deep.equal(['- metrics-server']);
    expect(unmanaged.map((u) => u.addon)).to.deep.equal(['cni-canal']);
  });

  it('deletes KubeOne\'s legacy cloud-provider-credentials Secret by name while cloud-credentials is rendered, without any ownership record; never otherwise', () => {
    const legacy: AddonObjectFacts = { ...liveFacts({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cloud-provider-credentials', namespace: 'kube-system' } }, undefined), addon: 'cloud-credentials' };
    const credentials: RenderedAddon = { name: 'cloud-credentials', source: 'embedded', objects: [] };
    const { diffs, unmanaged } = compareAddons([credentials], [legacy], addonOwnership(null));
    expect(diffs.find((d) => d.addon === 'cloud-credentials')!.objects).to.deep.equal([{ apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'cloud-provider-credentials', change: '-' }]);
    expect(unmanaged).to.deep.equal([]);
    // Any other unlabelled-by-us object of that addon, or the same Secret without the addon rendered: left alone.
    const other = { ...legacy, name: 'someone-elses' };
    expect(compareAddons([credentials], [other], addonOwnership(null)).unmanaged.map((u) => u.objects.map((o) => o.name))).to.deep.equal([['someone-elses']]);
    expect(compareAddons([], [legacy], addonOwnership(null)).diffs.flatMap((d) => d.objects)).to.deep.equal([]);
  });

  it('deletes the MutatingWebhookConfiguration machine-controller.kubermatic.io of older KubeOne versions by name while machinecontroller is rendered (KubeOne\'s cleanupStaleResources)', () => {
    const stale: AddonObjectFacts = { ...liveFacts({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'machine-controller.kubermatic.io' } }, undefined), addon: 'machinecontroller' };
    const mc: RenderedAddon = { name: 'machinecontroller', source: 'embedded', objects: [] };
    expect(compareAddons([mc], [stale], addonOwnership(null)).diffs.find((d) => d.addon === 'machinecontroller')!.objects).to.deep.equal([
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', namespace: '', name: 'machine-controller.kubermatic.io', change: '-' },
    ]);
    // Not while machine-controller is off.
    expect(compareAddons([], [stale], addonOwnership(null)).diffs.flatMap((d) => d.objects)).to.deep.equal([]);
  });

  it('never prunes the CoreDNS patch target', () => {
    const live = liveOf(rendered);
    const d = diffAddons([], live);
    expect(d.map((x) => x.addon)).to.not.include('coredns-patch');
  });

  it('matches an object of an unplaceable kind rendered without namespace to its live copy in "default"', () => {
    const r: RenderedAddon[] = [
      { name: 'x', source: 'custom', objects: [{ apiVersion: 'example.test/v1', kind: 'Gadget', namespace: '', name: 'g', hash: 'h1', object: { apiVersion: 'example.test/v1', kind: 'Gadget', metadata: { name: 'g' } } }] },
    ];
    const live: AddonObjectFacts[] = [{ addon: 'x', apiVersion: 'example.test/v1', kind: 'Gadget', namespace: 'default', name: 'g', hash: 'h1' }];
    expect(diffAddons(r, live)).to.deep.equal([{ addon: 'x', source: 'custom', change: null, objects: [] }]);
  });
});
