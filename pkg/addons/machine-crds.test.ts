// The cluster.k8s.io/v1alpha1 CRDs of the machinecontroller addon, judged by the simulated
// API server's structural-schema code: they are structural, keep what machine-controller's
// objects carry (provider specs are free-form), and refuse a wrong type where one is declared.
import { expect } from 'chai';
import { prune, structuralProblems, validateAgainstSchema, type Schema } from '../../e2e/kubesim/apiserver/admission/structural-schema.js';
import { renderAddons } from './render.js';
import { loadedCluster } from './testing/fixtures.js';
import { PROVIDER_EXAMPLES } from './testing/providers.js';

type Obj = Record<string, any>;

function crds(): Obj[] {
  const mc = renderAddons({ loaded: loadedCluster({ cloudProvider: PROVIDER_EXAMPLES.openstack.cloudProvider }, PROVIDER_EXAMPLES.openstack.credentials) })
    .find((a) => a.name === 'machinecontroller');
  expect(mc, 'machinecontroller selected on OpenStack').to.exist;
  return mc!.objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.object as Obj);
}

const schemaOf = (crd: Obj): Schema => crd.spec.versions[0].schema.openAPIV3Schema;

/** A MachineDeployment as KubeOne's machinecontroller.CreateMachineDeployments writes one. */
function machineDeployment(): Obj {
  return {
    apiVersion: 'cluster.k8s.io/v1alpha1',
    kind: 'MachineDeployment',
    metadata: { name: 'pool1', namespace: 'kube-system', annotations: { 'k8c.io/operating-system-profile': 'osp-ubuntu' } },
    spec: {
      replicas: 2,
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
      paused: false,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { workerset: 'pool1' } },
      template: {
        metadata: { labels: { workerset: 'pool1' } },
        spec: {
          metadata: { labels: { workerset: 'pool1' } },
          versions: { kubelet: '1.35.1' },
          providerSpec: { value: { cloudProvider: 'openstack', operatingSystem: 'ubuntu', cloudProviderSpec: { flavor: 'm1.small', image: 'Ubuntu 24.04' }, operatingSystemSpec: { distUpgradeOnBoot: false } } },
        },
      },
    },
  };
}

describe('machinecontroller CRDs (cluster.k8s.io/v1alpha1)', () => {
  it('are the three of machine-controller, namespaced, v1alpha1, served and stored, with the legacy-API approval annotation', () => {
    const got = crds().map((c) => ({
      name: c.metadata.name,
      kind: c.spec.names.kind,
      short: c.spec.names.shortNames,
      scope: c.spec.scope,
      versions: c.spec.versions.map((v: Obj) => `${v.name}:${v.served}:${v.storage}`),
      approved: c.metadata.annotations['api-approved.kubernetes.io'],
    }));
    expect(got).to.have.deep.members([
      { name: 'machines.cluster.k8s.io', kind: 'Machine', short: ['ma'], scope: 'Namespaced', versions: ['v1alpha1:true:true'], approved: 'unapproved, legacy API' },
      { name: 'machinesets.cluster.k8s.io', kind: 'MachineSet', short: ['ms'], scope: 'Namespaced', versions: ['v1alpha1:true:true'], approved: 'unapproved, legacy API' },
      { name: 'machinedeployments.cluster.k8s.io', kind: 'MachineDeployment', short: ['md'], scope: 'Namespaced', versions: ['v1alpha1:true:true'], approved: 'unapproved, legacy API' },
    ]);
  });

  it('have structural schemas', () => {
    for (const c of crds()) expect(structuralProblems(schemaOf(c), 'spec.validation.openAPIV3Schema'), c.metadata.name).to.deep.equal([]);
  });

  it('keep every field of a MachineDeployment (nothing pruned) and accept it', () => {
    const md = crds().find((c) => c.spec.names.kind === 'MachineDeployment')!;
    const obj = machineDeployment();
    expect(prune(obj, schemaOf(md))).to.deep.equal([]);
    expect(obj).to.deep.equal(machineDeployment());
    expect(validateAgainstSchema(obj, schemaOf(md))).to.deep.equal([]);
  });

  it('refuse a replica count that is not an integer', () => {
    const md = crds().find((c) => c.spec.names.kind === 'MachineDeployment')!;
    const obj = machineDeployment();
    obj.spec.replicas = 'two';
    expect(validateAgainstSchema(obj, schemaOf(md)).map((e) => e.field)).to.deep.equal(['spec.replicas']);
  });

  it('scale MachineDeployments through .spec.replicas and keep status in a subresource, as KubeOne', () => {
    const byKind = Object.fromEntries(crds().map((c) => [c.spec.names.kind, c.spec.versions[0].subresources]));
    expect(byKind.MachineDeployment).to.deep.equal({ status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } });
    expect(byKind.MachineSet).to.deep.equal({ status: {} });
    expect(byKind.Machine).to.equal(undefined);
  });
});
