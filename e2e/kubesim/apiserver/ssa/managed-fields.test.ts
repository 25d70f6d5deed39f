import { expect } from 'chai';
import { builtinApplyListType } from '../registry/builtin-list-types.js';
import { recordUpdate, serverSideApply, type ManagerContext } from './managed-fields.js';
import { fieldSetOf, fromFieldsV1, toFieldsV1 } from './fieldset.js';

const ctx = (manager: string, extra: Partial<ManagerContext> = {}): ManagerContext => ({
  manager,
  apiVersion: 'apps/v1',
  now: '2026-01-01T00:00:00Z',
  listType: builtinApplyListType,
  hasStatusSubresource: true,
  ...extra,
});

const deploy = (containers: unknown[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { template: { spec: { containers } }, ...extra },
});

function apply(live: Record<string, any> | undefined, applied: Record<string, any>, c: ManagerContext, force = false): Record<string, any> {
  const r = serverSideApply(live, applied, c, force);
  return { ...r.object, metadata: { ...r.object.metadata, managedFields: r.managedFields } };
}

describe('server-side apply bookkeeping', () => {
  it('owns list items by key and records them in FieldsV1 form', () => {
    const obj = apply(undefined, deploy([{ name: 'app', image: 'a:1', ports: [{ containerPort: 80 }] }]), ctx('kubeone'));
    const entry = obj.metadata.managedFields[0];
    expect(entry).to.include({ manager: 'kubeone', operation: 'Apply', fieldsType: 'FieldsV1' });
    const containers = entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers'];
    expect(containers).to.have.key('k:{"name":"app"}');
    expect(containers['k:{"name":"app"}']['f:ports']).to.have.key('k:{"containerPort":80,"protocol":"TCP"}');
    expect(containers['k:{"name":"app"}']['.']).to.deep.equal({});
  });

  it('round-trips field sets through FieldsV1', () => {
    const set = fieldSetOf(deploy([{ name: 'a', env: [{ name: 'X', value: '1' }] }], { replicas: 2 }), { listType: builtinApplyListType, status: 'exclude' });
    expect([...fromFieldsV1(toFieldsV1(set))].sort()).to.deep.equal([...set].sort());
  });

  it('removes fields its manager no longer applies, but keeps fields others own', () => {
    let obj = apply(undefined, deploy([{ name: 'app', image: 'a:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }]), ctx('kubeone'));
    // Another manager adds a label by a plain update.
    const withLabel = { ...obj, metadata: { ...obj.metadata, labels: { team: 'x' } } };
    withLabel.metadata.managedFields = recordUpdate(obj, withLabel, ctx('kubectl-label'));
    obj = apply(withLabel, deploy([{ name: 'app', image: 'a:2', env: [{ name: 'A', value: '1' }] }]), ctx('kubeone'));
    expect(obj.spec.template.spec.containers[0].env).to.deep.equal([{ name: 'A', value: '1' }]);
    expect(obj.spec.template.spec.containers[0].image).to.equal('a:2');
    expect(obj.metadata.labels).to.deep.equal({ team: 'x' });
  });

  it('keeps a dropped field that another applier also owns', () => {
    let obj = apply(undefined, deploy([{ name: 'app', image: 'a:1' }], { replicas: 3 }), ctx('one'));
    obj = apply(obj, deploy([{ name: 'app', image: 'a:1' }], { replicas: 3 }), ctx('two'));
    obj = apply(obj, deploy([{ name: 'app', image: 'a:1' }]), ctx('one'));
    expect(obj.spec.replicas).to.equal(3);
  });

  it('reports conflicts with other managers and takes the field over when forced', () => {
    let obj = apply(undefined, deploy([{ name: 'app', image: 'a:1' }], { replicas: 1 }), ctx('kubeone'));
    const scaled: Record<string, any> = { ...obj, spec: { ...obj.spec, replicas: 5 } };
    scaled.metadata.managedFields = recordUpdate(obj, scaled, ctx('hpa'));
    expect(() => apply(scaled, deploy([{ name: 'app', image: 'a:1' }], { replicas: 1 }), ctx('kubeone')))
      .to.throw('Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas');
    obj = apply(scaled, deploy([{ name: 'app', image: 'a:1' }], { replicas: 1 }), ctx('kubeone'), true);
    expect(obj.spec.replicas).to.equal(1);
    const hpa = obj.metadata.managedFields.find((e: { manager: string }) => e.manager === 'hpa');
    expect(hpa, 'hpa lost its only field').to.equal(undefined);
  });

  it('does not conflict when the applied value equals the live one (shared ownership)', () => {
    const obj = apply(undefined, deploy([{ name: 'app', image: 'a:1' }], { replicas: 2 }), ctx('one'));
    const shared = apply(obj, deploy([{ name: 'app', image: 'a:1' }], { replicas: 2 }), ctx('two'));
    expect(shared.metadata.managedFields.map((e: { manager: string }) => e.manager)).to.deep.equal(['one', 'two']);
  });

  it('keeps status out of the main resource and spec out of the status subresource', () => {
    const obj = apply(undefined, { ...deploy([{ name: 'app', image: 'a:1' }]), status: { replicas: 9 } }, ctx('kubeone'));
    expect(obj.metadata.managedFields[0].fieldsV1).to.not.have.key('f:status');
    const st = recordUpdate(obj, { ...obj, status: { replicas: 1 } }, ctx('controller', { subresource: 'status' }));
    const entry = st.find((e) => e.manager === 'controller')!;
    expect(entry.subresource).to.equal('status');
    expect(entry.fieldsV1).to.deep.equal({ 'f:status': { 'f:replicas': {} } });
  });
});
