import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { KubeOneCluster } from '../api/types.js';
import { nodeFiles } from './files.js';
import { fullObject, renderAddons, SENSITIVE } from './render.js';
import { EMBEDDED_ADDONS } from './selection.js';
import { loadedCluster, memoryFiles } from './testing/fixtures.js';
import { PROVIDER_EXAMPLES } from './testing/providers.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The provider example that selects a CCM or CSI addon (the credentials come with it). */
function providerOf(addon: string): keyof typeof PROVIDER_EXAMPLES {
  const found = (Object.keys(PROVIDER_EXAMPLES) as (keyof typeof PROVIDER_EXAMPLES)[]).find((p) => PROVIDER_EXAMPLES[p].addons.includes(addon));
  if (!found) throw new Error(`no provider example selects ${addon}`);
  return found;
}
const cloud = (addon: string): Partial<KubeOneCluster> => ({ cloudProvider: PROVIDER_EXAMPLES[providerOf(addon)].cloudProvider });

/** The manifest settings that select each embedded addon. */
const SELECTING = {
  'ca-bundle': { certificateAuthority: { bundle: '-----BEGIN CERTIFICATE-----\nMIIBgolden\n-----END CERTIFICATE-----\n' } },
  ...Object.fromEntries(EMBEDDED_ADDONS.filter((a) => /^(ccm|csi)-/.test(a)).map((a) => [a, cloud(a)])),
  'cni-canal': {},
  'cni-cilium': { clusterNetwork: { cni: { cilium: { kubeProxyReplacement: 'strict', enableHubble: true } } } },
  'cni-weavenet': { clusterNetwork: { cni: { weaveNet: { encrypted: true } } } },
  'coredns-patch': { features: { coreDNS: { replicas: 3 } } },
  'coredns-pdb': {},
  'default-storage-class': { addons: { addons: [{ name: 'default-storage-class' }] } },
  // machineController.deploy defaults to true on a cloud provider.
  machinecontroller: cloud('ccm-openstack'),
  'metrics-server': {},
  nodelocaldns: {},
  // operatingSystemManager.deploy defaults to machineController.deploy.
  'operating-system-manager': cloud('ccm-openstack'),
} as Record<(typeof EMBEDDED_ADDONS)[number], Partial<KubeOneCluster>>;

/** Addons selected by machineController/operatingSystemManager.deploy (rendered on OpenStack). */
const MACHINE_ADDONS = new Set(['machinecontroller', 'operating-system-manager']);

function renderOne(name: string, extra: Partial<KubeOneCluster>): string {
  const credentials = /^(ccm|csi)-/.test(name) ? PROVIDER_EXAMPLES[providerOf(name)].credentials : MACHINE_ADDONS.has(name) ? PROVIDER_EXAMPLES[providerOf('ccm-openstack')].credentials : {};
  const loaded = loadedCluster({ ...SELECTING[name as keyof typeof SELECTING], ...extra }, { customSecrets: 'WEAVE_PASSWORD: golden-test-password', ...credentials });
  const addon = renderAddons({ loaded }).find((a) => a.name === name);
  if (!addon) throw new Error(`${name} not selected`);
  return addon.objects.map((o) => YAML.stringify(fullObject(o), { lineWidth: 0 })).join('---\n');
}

describe('renderAddons', () => {
  describe('golden files', () => {
    for (const name of EMBEDDED_ADDONS) {
      for (const [variant, extra] of [
        ['default', {}],
        ['overwrite-registry', { registryConfiguration: { overwriteRegistry: '127.0.0.1:5000' } }],
      ] as const) {
        it(`${name} (${variant})`, () => {
          const got = renderOne(name, extra);
          const file = join(GOLDEN, `${name}.${variant}.yaml`);
          if (UPDATE) {
            mkdirSync(GOLDEN, { recursive: true });
            writeFileSync(file, got);
          }
          expect(got).to.equal(readFileSync(file, 'utf8'));
          if (variant === 'overwrite-registry') {
            for (const m of got.matchAll(/image: (\S+)/g)) expect(m[1]).to.match(/^127\.0\.0\.1:5000\//);
          }
        });
      }
    }
  });

  it('selects canal, metrics-server, nodelocaldns, the CoreDNS patch and PDB by default', () => {
    expect(renderAddons({ loaded: loadedCluster() }).map((a) => a.name)).to.deep.equal([
      'coredns-pdb', 'metrics-server', 'cni-canal', 'nodelocaldns', 'coredns-patch',
    ]);
  });

  it('installs no CNI for cni.external and drops disabled features', () => {
    const names = renderAddons({
      loaded: loadedCluster({
        clusterNetwork: { cni: { external: {} } },
        features: { metricsServer: { enable: false }, nodeLocalDNS: { deploy: false }, coreDNS: { deployPodDisruptionBudget: false } },
      }),
    }).map((a) => a.name);
    expect(names).to.deep.equal(['coredns-patch']);
  });

  it('labels every object with its addon and hashes it', () => {
    for (const a of renderAddons({ loaded: loadedCluster() })) {
      for (const o of a.objects) {
        expect((o.object!.metadata as { labels: Record<string, string> }).labels['kubeone.io/addon']).to.equal(a.name);
        expect(o.hash).to.match(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('keeps Secret data out of RenderedObject.object but in the hash and the applied object', () => {
    const render = (pw: string) =>
      renderAddons({ loaded: loadedCluster(SELECTING['cni-weavenet'], { customSecrets: `WEAVE_PASSWORD: ${pw}` }) })
        .find((a) => a.name === 'cni-weavenet')!
        .objects.find((o) => o.kind === 'Secret')!;
    const s = render('first-password');
    expect(s.object).to.not.have.any.keys('data', 'stringData');
    expect(JSON.stringify(s.object)).to.not.contain('first-password');
    expect((fullObject(s).stringData as Record<string, string>)['weave-passwd']).to.equal('first-password');
    expect(render('other-password').hash).to.not.equal(s.hash);
  });

  it('masks credential values a custom addon puts outside a Secret', () => {
    const files = memoryFiles({
      '/cluster/addons/leaky/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leaky, namespace: default}\ndata:\n  token: "{{ .CustomCredentials.API_TOKEN }}"\n',
    }, nodeFiles);
    const out = renderAddons({ loaded: loadedCluster({ addons: { path: './addons' } }, { customSecrets: 'API_TOKEN: super-secret-token' }), files });
    const cm = out.find((a) => a.name === 'leaky')!.objects[0]!;
    expect(cm.object!.data).to.deep.equal({ token: SENSITIVE });
    expect((fullObject(cm).data as Record<string, string>).token).to.equal('super-secret-token');
  });

  it('renders custom addons with params, globalParams, env: params and root files', () => {
    const files = memoryFiles({
      '/cluster/addons/app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  size: {{ .Params.size | quote }}\n  region: {{ .Params.region | quote }}\n  from: {{ .Params.fromEnv | quote }}\n',
      '/cluster/addons/root.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n',
    }, nodeFiles);
    const loaded = loadedCluster({
      addons: { path: './addons', globalParams: { region: 'eu', size: 'S' }, addons: [{ name: 'app', params: { size: 'L', fromEnv: 'env:ADDON_TEST_VALUE' } }] },
    });
    const out = renderAddons({ loaded, files, env: { ADDON_TEST_VALUE: 'from-env' } });
    const app = out.find((a) => a.name === 'app')!;
    expect(app.source).to.equal('custom');
    expect(app.objects[0]!.namespace).to.equal('default');
    // A value from the environment is a secret: shown masked, applied in full.
    expect(app.objects[0]!.object!.data).to.deep.equal({ size: 'L', region: 'eu', from: SENSITIVE });
    expect((fullObject(app.objects[0]!).data as Record<string, string>).from).to.equal('from-env');
    const root = out.find((a) => a.name === '')!;
    expect(root.objects.map((o) => [o.kind, o.namespace, o.name])).to.deep.equal([['Namespace', '', 'team']]);
  });

  it('names the file and line of a template error in a custom addon', () => {
    const files = memoryFiles({ '/cluster/addons/bad/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Params.name | nope }}\n' }, nodeFiles);
    expect(() => renderAddons({ loaded: loadedCluster({ addons: { path: './addons' } }), files })).to.throw(
      'template: /cluster/addons/bad/x.yaml:4: function "nope" not defined',
    );
  });

  it('names embedded files relative to the package in errors', () => {
    const files = memoryFiles({ '/embedded/coredns-patch/x.yaml': 'a: 1\nb: {{ .Config.Nope.Deeper }}\n' });
    const only = loadedCluster({
      clusterNetwork: { cni: { external: {} } },
      features: { metricsServer: { enable: false }, nodeLocalDNS: { deploy: false }, coreDNS: { deployPodDisruptionBudget: false } },
    });
    expect(() => renderAddons({ loaded: only, files, embeddedDir: '/embedded' })).to.throw(
      'template: manifests/addons/coredns-patch/x.yaml:2:13: executing "manifests/addons/coredns-patch/x.yaml" at <.Config.Nope.Deeper>: can\'t evaluate field Nope in type *kubeone.KubeOneCluster',
    );
  });

  it('reports a missing required param with file and line', () => {
    const files = memoryFiles({ '/cluster/addons/req/x.yaml': '# c\n{{ required "param bucket is required" .Params.bucket }}\n' }, nodeFiles);
    expect(() => renderAddons({ loaded: loadedCluster({ addons: { path: './addons' } }), files })).to.throw(
      'template: /cluster/addons/req/x.yaml:2:3: executing "/cluster/addons/req/x.yaml" at <required "param bucket is required" .Params.bucket>: error calling required: param bucket is required',
    );
  });

  it('rejects an unknown addon name and an object rendered twice, naming them', () => {
    expect(() => renderAddons({ loaded: loadedCluster({ addons: { addons: [{ name: 'nope' }] } }) })).to.throw(/addons\.addons\[0\]\.name: .*"nope"/);
    const files = memoryFiles({ '/cluster/addons/dup/x.yaml': 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: coredns, namespace: kube-system}\n' }, nodeFiles);
    expect(() => renderAddons({ loaded: loadedCluster({ addons: { path: './addons' } }), files })).to.throw(
      'PodDisruptionBudget kube-system/coredns is rendered by both addon "coredns-pdb" and addon "dup"',
    );
  });

  it('leaves templating alone with disableTemplating', () => {
    const files = memoryFiles({ '/cluster/addons/raw/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: raw}\ndata: {t: "{{ .Keep }}"}\n' }, nodeFiles);
    const out = renderAddons({ loaded: loadedCluster({ addons: { path: './addons', addons: [{ name: 'raw', disableTemplating: true }] } }), files });
    expect(out.find((a) => a.name === 'raw')!.objects[0]!.object!.data).to.deep.equal({ t: '{{ .Keep }}' });
  });

});
