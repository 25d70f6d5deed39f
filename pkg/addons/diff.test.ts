import { expect } from 'chai';
import type { RenderedAddon } from '../plan/types.js';
import type { AddonObjectFacts } from '../snapshot/types.js';
import { liveFacts } from './apply.js';
import { diffAddons } from './diff.js';
import { formatAddonDiffs } from './format.js';
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

  it('prunes objects no longer rendered and whole addons removed from the manifest', () => {
    const live = liveOf(rendered);
    const without = renderAddons({ loaded: loadedCluster({ features: { metricsServer: { enable: false } } }) });
    const extra: AddonObjectFacts = { addon: 'cni-canal', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'old', hash: 'h' };
    const d = diffAddons(without, [...live, extra]).filter((x) => x.change !== null);
    expect(d.map((x) => `${x.change} ${x.addon}`)).to.deep.equal(['~ cni-canal', '- metrics-server']);
    expect(d[0]!.objects).to.deep.equal([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'old', change: '-' }]);
    expect(d[1]!.objects.every((o) => o.change === '-')).to.equal(true);
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
