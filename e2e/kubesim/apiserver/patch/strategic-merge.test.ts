import { expect } from 'chai';
import { builtinStrategicListType } from '../registry/builtin-list-types.js';
import { applyJsonPatch, applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

const smp = (orig: unknown, patch: unknown) => applyStrategicMergePatch(orig, patch, builtinStrategicListType) as Record<string, any>;

const pod = {
  metadata: { name: 'p', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] },
      { name: 'side', image: 'side:1' },
    ],
    tolerations: [{ key: 't1', operator: 'Exists' }],
    volumes: [{ name: 'v1', emptyDir: {} }],
  },
};

describe('strategic merge patch', () => {
  it('merges containers, env and ports by their merge keys', () => {
    const out = smp(pod, {
      spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 80, name: 'http' }] }] },
    });
    expect(out.spec.containers.map((c: { name: string }) => c.name)).to.deep.equal(['app', 'side']);
    expect(out.spec.containers[0].image).to.equal('app:2');
    expect(out.spec.containers[0].env).to.deep.equal([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    expect(out.spec.containers[0].ports).to.deep.equal([{ containerPort: 80, name: 'http' }]);
  });

  it('replaces lists without a merge key (tolerations)', () => {
    const out = smp(pod, { spec: { tolerations: [{ key: 't2', operator: 'Exists' }] } });
    expect(out.spec.tolerations).to.deep.equal([{ key: 't2', operator: 'Exists' }]);
  });

  it('deletes keys with null and list items with $patch: delete', () => {
    const out = smp(pod, { metadata: { labels: { a: null } }, spec: { volumes: [{ name: 'v1', $patch: 'delete' }], containers: [{ name: 'side', $patch: 'delete' }] } });
    expect(out.metadata.labels).to.deep.equal({ b: '2' });
    expect(out.spec.volumes).to.deep.equal([]);
    expect(out.spec.containers.map((c: { name: string }) => c.name)).to.deep.equal(['app']);
  });

  it('honours $patch: replace, $setElementOrder and $deleteFromPrimitiveList', () => {
    expect(smp(pod, { metadata: { labels: { $patch: 'replace', c: '3' } } }).metadata.labels).to.deep.equal({ c: '3' });
    const ordered = smp(pod, { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] } });
    expect(ordered.spec.containers.map((c: { name: string }) => c.name)).to.deep.equal(['side', 'app']);
    const fin = smp(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } });
    expect(fin.metadata.finalizers).to.deep.equal([]);
    expect(smp(pod, { metadata: { finalizers: ['y'] } }).metadata.finalizers).to.deep.equal(['x', 'y']);
  });

  it('sets spec.unschedulable like kubectl cordon/uncordon', () => {
    const cordoned = smp({ spec: {} }, { spec: { unschedulable: true } });
    expect(cordoned.spec.unschedulable).to.equal(true);
    expect(smp(cordoned, { spec: { unschedulable: null } }).spec).to.deep.equal({});
  });
});

describe('merge patch and JSON patch', () => {
  it('merge patch replaces lists and deletes nulls', () => {
    expect(applyMergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { c: null } })).to.deep.equal({ a: [3], b: { d: 2 } });
  });

  it('JSON patch applies operations and fails its test op with 422', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/b', value: 2 }])).to.deep.equal({ a: 1, b: 2 });
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).to.throw().with.property('code', 422);
  });
});
