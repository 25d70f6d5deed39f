import { expect } from 'chai';
import { hashObject, normalizeObject, objectKey, projectLiveOntoRendered } from './normalize.js';

const rendered = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'm', namespace: 'kube-system', labels: { 'kubeone.io/addon': 'm' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i:1', env: [{ name: 'IP', value: '' }] }] } } },
};

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'm',
    namespace: 'kube-system',
    uid: 'u',
    resourceVersion: '12',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubeone' }],
    labels: { 'kubeone.io/addon': 'm', other: 'x' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '1' },
  },
  spec: {
    replicas: 1,
    progressDeadlineSeconds: 600,
    template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'i:1', env: [{ name: 'IP' }], terminationMessagePath: '/dev/termination-log' }] } },
  },
  status: { readyReplicas: 1 },
};

describe('normalize', () => {
  it('strips status, server metadata and the last-applied annotation', () => {
    const n = normalizeObject(live);
    expect(n).to.not.have.property('status');
    expect(n.metadata).to.deep.equal({
      name: 'm',
      namespace: 'kube-system',
      labels: { 'kubeone.io/addon': 'm', other: 'x' },
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    });
  });

  it('projects a live object onto the rendered fields so defaults and foreign fields are no drift', () => {
    expect(hashObject(projectLiveOntoRendered(live, rendered))).to.equal(hashObject(rendered));
    const edited = structuredClone(live);
    edited.spec.replicas = 3;
    expect(hashObject(projectLiveOntoRendered(edited, rendered))).to.not.equal(hashObject(rendered));
  });

  it('folds Secret stringData into base64 data, as stored', () => {
    const a = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } };
    const b = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } };
    expect(hashObject(a)).to.equal(hashObject(b));
  });

  it('hashes independently of key order', () => {
    expect(hashObject({ kind: 'A', apiVersion: 'v1', metadata: { name: 'x' } })).to.equal(hashObject({ metadata: { name: 'x' }, apiVersion: 'v1', kind: 'A' }));
  });

  it('keys objects by group, not version', () => {
    const k = (apiVersion: string) => objectKey({ apiVersion, kind: 'PodDisruptionBudget', namespace: 'n', name: 'x' });
    expect(k('policy/v1')).to.equal(k('policy/v1beta1'));
    expect(objectKey({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'x' })).to.equal('/ConfigMap/n/x');
  });
});
