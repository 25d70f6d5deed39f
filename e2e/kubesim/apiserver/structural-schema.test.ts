// Custom resources are pruned and validated against their CRD's structural schema, as the real
// apiserver does; the embedded snapshot CRDs and every provider's VolumeSnapshotClasses go
// through the product's own applier and come back as rendered (no drift).
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { applyAddonObjects, listAddonObjects } from '../../../pkg/addons/apply.js';
import { diffAddons } from '../../../pkg/addons/diff.js';
import { renderAddons } from '../../../pkg/addons/render.js';
import { loadedCluster } from '../../../pkg/addons/testing/fixtures.js';
import { PROVIDER_EXAMPLES } from '../../../pkg/addons/testing/providers.js';
import type { RenderedAddon } from '../../../pkg/plan/types.js';
import { prune, structuralProblems, validateAgainstSchema, type Schema } from './admission/structural-schema.js';
import { LocalCluster } from './testing/local-cluster.js';

const CLASS_SCHEMA: Schema = {
  type: 'object',
  required: ['deletionPolicy', 'driver'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    driver: { type: 'string' },
    deletionPolicy: { type: 'string', enum: ['Delete', 'Retain'] },
    parameters: { type: 'object', additionalProperties: { type: 'string' } },
    size: { type: 'string', 'x-kubernetes-int-or-string': true, pattern: '^[0-9]+(Gi|Mi)?$' },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    count: { type: 'integer', minimum: 0 },
    when: { type: 'string', format: 'date-time' },
  },
};

describe('structural schemas (kubesim apiserver)', () => {
  describe('pruning and validation', () => {
    it('prunes undeclared fields, keeps additionalProperties, preserved levels and the root type fields', () => {
      const obj = { apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a', anything: 1 }, driver: 'd', deletionPolicy: 'Delete', parameters: { a: 'b' }, extra: { free: { form: true } }, typo: 1, spec: {} };
      expect(prune(obj, CLASS_SCHEMA).sort()).to.deep.equal(['spec', 'typo']);
      expect(obj).to.deep.equal({ apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a', anything: 1 }, driver: 'd', deletionPolicy: 'Delete', parameters: { a: 'b' }, extra: { free: { form: true } } });
    });

    it('reports required fields, enums, types, patterns, formats and bounds with the real server\'s wording', () => {
      const problems = validateAgainstSchema({ apiVersion: 'x/v1', kind: 'K', metadata: {}, deletionPolicy: 'Keep', parameters: { a: 1 }, size: '10Tb', count: -1, when: 'yesterday' }, CLASS_SCHEMA);
      expect(problems.map((p) => `${p.field}: ${p.message}`)).to.deep.equal([
        'driver: Required value',
        'deletionPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain"',
        'parameters.a: Invalid value: "integer": parameters.a in body must be of type string: "integer"',
        "size: Invalid value: \"10Tb\": size in body should match '^[0-9]+(Gi|Mi)?$'",
        'count: Invalid value: -1: count in body should be greater than or equal to 0',
        'when: Invalid value: "yesterday": when in body must be of type date-time: "yesterday"',
      ]);
      expect(validateAgainstSchema({ driver: 'd', deletionPolicy: 'Retain', size: 10 }, CLASS_SCHEMA)).to.deep.equal([]);
    });

    it('a CRD schema must give every specified field a type', () => {
      expect(structuralProblems({ type: 'object', properties: { spec: { properties: { a: { type: 'string' } } }, free: { 'x-kubernetes-preserve-unknown-fields': true } } }, 'root').map((p) => p.field)).to.deep.equal(['root.properties[spec].type']);
    });
  });

  describe('through the API', function () {
    this.timeout(60000);
    let cluster: LocalCluster;
    let kc: k8s.KubeConfig;
    const rendered = (provider: keyof typeof PROVIDER_EXAMPLES, addons: string[]): RenderedAddon[] => {
      const ex = PROVIDER_EXAMPLES[provider];
      const loaded = loadedCluster({ cloudProvider: ex.cloudProvider, addons: { addons: [{ name: 'default-storage-class' }] } }, ex.credentials);
      return renderAddons({ loaded, env: {} }).filter((a) => addons.includes(a.name));
    };

    before(async () => {
      cluster = await LocalCluster.start();
      kc = new k8s.KubeConfig();
      kc.loadFromFile(cluster.kubeconfigPath);
    });
    after(async () => {
      await cluster?.stop();
    });

    it('takes the embedded snapshot CRDs (protected group, approved, structural) through server-side apply', async () => {
      const [snapshotter] = rendered('hetzner', ['csi-external-snapshotter']);
      const crds = { ...snapshotter!, objects: snapshotter!.objects.filter((o) => o.kind === 'CustomResourceDefinition') };
      expect(crds.objects).to.have.length(6);
      await applyAddonObjects(kc, crds);
      const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
      const vs = await ext.readCustomResourceDefinition({ name: 'volumesnapshots.snapshot.storage.k8s.io' });
      expect(vs.status?.storedVersions).to.deep.equal(['v1']);
    });

    for (const [provider, example] of Object.entries(PROVIDER_EXAMPLES) as [keyof typeof PROVIDER_EXAMPLES, (typeof PROVIDER_EXAMPLES)[keyof typeof PROVIDER_EXAMPLES]][]) {
      it(`${provider}: every object of its credential, CSI and CCM addons and of default-storage-class (VolumeSnapshotClasses) is accepted and reads back as rendered`, async () => {
        const addons = rendered(provider, [...example.addons, 'default-storage-class']);
        expect(addons.map((a) => a.name).sort()).to.deep.equal([...example.addons, 'default-storage-class'].sort());
        for (const a of addons) await applyAddonObjects(kc, a, { attempts: 5, retryDelayMs: 200 });
        const live = await listAddonObjects(kc, addons);
        for (const d of diffAddons(addons, live.filter((o) => addons.some((a) => a.objects.some((r) => r.kind === o.kind && r.name === o.name && r.namespace === o.namespace))))) {
          expect(d.objects.filter((o) => o.change !== '-'), `${d.addon}: ${JSON.stringify(d.objects.slice(0, 3))}`).to.deep.equal([]);
        }
      });
    }

    it('rejects an invalid VolumeSnapshotClass (422, field and reason), prunes an undeclared field, and refuses it with fieldValidation=Strict', async () => {
      const custom = kc.makeApiClient(k8s.CustomObjectsApi);
      const base = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', driver: 'csi.example' };
      try {
        await custom.createClusterCustomObject({ group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotclasses', body: { ...base, metadata: { name: 'bad' }, deletionPolicy: 'Keep' } });
        expect.fail('created');
      } catch (e) {
        const err = e as k8s.ApiException<string>;
        expect(err.code).to.equal(422);
        const status = JSON.parse(err.body) as { message: string; details: { causes: { field: string; reason: string }[] } };
        expect(status.message).to.equal('VolumeSnapshotClass.snapshot.storage.k8s.io "bad" is invalid: deletionPolicy: Unsupported value: "Keep": supported values: "Delete", "Retain"');
        expect(status.details.causes).to.deep.equal([{ field: 'deletionPolicy', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Keep": supported values: "Delete", "Retain"' }]);
      }
      const created = (await custom.createClusterCustomObject({ group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotclasses', body: { ...base, metadata: { name: 'typo' }, deletionPolicy: 'Delete', deletionPolicyy: 'Retain' } })) as Record<string, unknown>;
      expect(created).to.not.have.property('deletionPolicyy');
      try {
        await custom.createClusterCustomObject({ group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotclasses', body: { ...base, metadata: { name: 'strict' }, deletionPolicy: 'Delete', deletionPolicyy: 'Retain' }, fieldValidation: 'Strict' });
        expect.fail('created');
      } catch (e) {
        expect((e as k8s.ApiException<string>).code).to.equal(400);
        expect(JSON.parse((e as k8s.ApiException<string>).body).message).to.equal('strict decoding error: unknown field "deletionPolicyy"');
      }
    });

    it('rejects a CRD in a protected group without approval, and one whose schema is not structural', async () => {
      const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
      const crd = (group: string, schema: Record<string, unknown>, annotations?: Record<string, string>) => ({
        metadata: { name: `things.${group}`, ...(annotations ? { annotations } : {}) },
        spec: { group, scope: 'Cluster', names: { kind: 'Thing', plural: 'things' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
      });
      const fails = async (body: ReturnType<typeof crd>): Promise<string> => {
        try {
          await ext.createCustomResourceDefinition({ body: body as k8s.V1CustomResourceDefinition });
        } catch (e) {
          expect((e as k8s.ApiException<string>).code).to.equal(422);
          return JSON.parse((e as k8s.ApiException<string>).body).message as string;
        }
        throw new Error('created');
      };
      expect(await fails(crd('storage.k8s.io', { type: 'object' }))).to.contain('metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation');
      expect(await fails(crd('example.com', { type: 'object', properties: { spec: { properties: {} } } }))).to.contain('spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields');
    });
  });
});
