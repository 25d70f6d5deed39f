// Rendering custom addons the way KubeOne does: which files are read, how documents are
// split, objects listed twice, the post-render mutations, disableTemplating, parameters,
// and certificates that wait for the cluster CA.
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeOneCluster, LoadedCluster } from '../api/types.js';
import type { ClusterCA } from './certificates.js';
import { nodeFiles } from './files.js';
import { CA_BUNDLE_HASH_ANNOTATION } from './mutations.js';
import { fullObject, needsClusterCA, renderAddons, renderWithClusterCA } from './render.js';
import { KEY_USAGE, createCertificate, pem } from './template/x509.js';
import { loadedCluster, memoryFiles } from './testing/fixtures.js';

const ONLY_CUSTOM: Partial<KubeOneCluster> = {
  clusterNetwork: { cni: { external: {} } },
  features: { metricsServer: { enable: false }, nodeLocalDNS: { deploy: false }, coreDNS: { deployPodDisruptionBudget: false } },
};

function diskAddons(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'addons-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function loadedWith(addonsPath: string, extra: Partial<KubeOneCluster> = {}, credentials: Record<string, string> = {}): LoadedCluster {
  return { ...loadedCluster({ ...ONLY_CUSTOM, addons: { path: addonsPath }, ...extra }, credentials), baseDir: '/' };
}

const cm = (name: string, data = '{}'): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: ${data}\n`;

function objectsOf(out: ReturnType<typeof renderAddons>, addon: string): string[] {
  return out.find((a) => a.name === addon)!.objects.map((o) => `${o.kind}/${o.name}`);
}

describe('rendering custom addons as KubeOne', () => {
  it('reads only .yaml/.yml/.json files (any case) directly in the addon folder, in name order', () => {
    const root = diskAddons({
      'app/b.yml': cm('from-yml'),
      'app/a.YAML': cm('from-upper-yaml'),
      'app/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-json', namespace: 'default' } }),
      'app/notes.txt': cm('from-txt'),
      'app/sub/d.yaml': cm('from-subdir'),
    });
    expect(objectsOf(renderAddons({ loaded: loadedWith(root) }), 'app')).to.deep.equal(['ConfigMap/from-upper-yaml', 'ConfigMap/from-yml', 'ConfigMap/from-json']);
  });

  it('refuses a symbolic link that leaves the addons directory, follows one that stays inside', () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.yaml'), cm('stolen'));
    const root = diskAddons({ 'app/a.yaml': cm('a'), 'shared/s.txt': cm('shared') });
    symlinkSync(join(root, 'shared', 's.txt'), join(root, 'app', 'b.yaml'));
    expect(objectsOf(renderAddons({ loaded: loadedWith(root) }), 'app')).to.deep.equal(['ConfigMap/a', 'ConfigMap/shared']);
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'app', 'c.yaml'));
    expect(() => renderAddons({ loaded: loadedWith(root) })).to.throw(/app\/c\.yaml: symbolic link to .*secret\.yaml leaves the addons directory .*; refused/);
    const root2 = diskAddons({ 'app/a.yaml': cm('a') });
    symlinkSync(outside, join(root2, 'linked'));
    expect(() => renderAddons({ loaded: loadedWith(root2) })).to.throw(/linked: symbolic link to .* leaves the addons directory/);
  });

  it('splits documents at --- lines, drops empty and comment-only ones, refuses a bad separator', () => {
    const files = memoryFiles({
      '/cluster/addons/docs/a.yaml': `# header\n---\n${cm('one')}--- # a comment\n# only a comment\n---\n\n---\n${cm('two')}---\nnull\n`,
      '/cluster/addons/bad/a.yaml': `${cm('x')}---oops\n${cm('y')}`,
    }, nodeFiles);
    const loaded = loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons', addons: [{ name: 'docs' }] } });
    expect(() => renderAddons({ loaded, files })).to.throw('/cluster/addons/bad/a.yaml:5: invalid Yaml document separator: ---oops');
    const only = memoryFiles({ '/cluster/addons/docs/a.yaml': `# header\n---\n${cm('one')}--- # a comment\n# only a comment\n---\n\n---\n${cm('two')}---\nnull\n` }, nodeFiles);
    expect(objectsOf(renderAddons({ loaded, files: only }), 'docs')).to.deep.equal(['ConfigMap/one', 'ConfigMap/two']);
  });

  it('reads documents with YAML 1.1 rules, as Kubernetes tooling does (yes/on are booleans)', () => {
    const files = memoryFiles({ '/cluster/addons/y/a.yaml': `${cm('flags', '{a: yes, b: "yes", c: on}')}` }, nodeFiles);
    const out = renderAddons({ loaded: loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons' } }), files });
    expect(fullObject(out.find((a) => a.name === 'y')!.objects[0]!).data).to.deep.equal({ a: true, b: 'yes', c: true });
  });

  it('applies an object listed twice in one addon once, with the last content, at its first place', () => {
    const files = memoryFiles({
      '/cluster/addons/dup/a.yaml': `${cm('x', '{v: "1"}')}---\n${cm('other')}---\n${cm('x', '{v: "2"}')}`,
    }, nodeFiles);
    const addon = renderAddons({ loaded: loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons' } }), files }).find((a) => a.name === 'dup')!;
    expect(addon.objects.map((o) => o.name)).to.deep.equal(['x', 'other']);
    expect(fullObject(addon.objects[0]!).data).to.deep.equal({ v: '2' });
  });

  it('still refuses one object rendered by two addons', () => {
    const files = memoryFiles({ '/cluster/addons/one/a.yaml': cm('shared'), '/cluster/addons/two/a.yaml': cm('shared') }, nodeFiles);
    expect(() => renderAddons({ loaded: loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons' } }), files })).to.throw(
      'ConfigMap default/shared is rendered by both addon "one" and addon "two"',
    );
  });

  describe('mutations of KubeOne\'s cloud, backup, machine-controller and OSM addons', () => {
    const deployment = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: d, namespace: kube-system}',
      'spec:',
      '  selector: {matchLabels: {app: d}}',
      '  template:',
      '    metadata: {labels: {app: d}}',
      '    spec:',
      '      containers: [{name: c1, image: i}, {name: c2, image: i, env: [{name: X, value: "1"}]}]',
      '      initContainers: [{name: init, image: i}]',
    ].join('\n');
    const cronJob = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj, namespace: kube-system}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: c, image: i}]\n          restartPolicy: Never\n';
    const bundle = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const render = (addon: string, extra: Partial<KubeOneCluster>, disableTemplating = false) => {
      const files = memoryFiles({ [`/cluster/addons/${addon}/a.yaml`]: `${deployment}\n---\n${cronJob}` }, nodeFiles);
      const out = renderAddons({ loaded: loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons', addons: [{ name: addon, disableTemplating }] }, ...extra }), files });
      return out.find((a) => a.name === addon)!.objects.map((o) => fullObject(o));
    };

    it('inject the CA bundle into every pod template and container (not init containers)', () => {
      const [d, cj] = render('backups-restic', { certificateAuthority: { bundle } }) as [Record<string, any>, Record<string, any>];
      const tpl = d.spec.template;
      expect(tpl.metadata.annotations[CA_BUNDLE_HASH_ANNOTATION]).to.match(/^[0-9a-f]{64}$/);
      expect(tpl.spec.volumes).to.deep.equal([{ name: 'ca-bundle', configMap: { name: 'ca-bundle' } }]);
      for (const c of tpl.spec.containers) {
        expect(c.volumeMounts).to.deep.equal([{ name: 'ca-bundle', readOnly: true, mountPath: '/etc/kubeone/certs' }]);
        expect(c.env.at(-1)).to.deep.equal({ name: 'SSL_CERT_FILE', value: '/etc/kubeone/certs/ca-certificates.crt' });
      }
      expect(tpl.spec.containers[1].env[0]).to.deep.equal({ name: 'X', value: '1' });
      expect(tpl.spec.initContainers[0].volumeMounts).to.equal(undefined);
      expect(cj.spec.jobTemplate.spec.template.spec.volumes[0].name).to.equal('ca-bundle');
    });

    it('add the secrets-store volume with cloudProvider.secretProviderClassName', () => {
      const [d] = render('csi-vsphere', { certificateAuthority: { bundle }, cloudProvider: { none: {}, secretProviderClassName: 'vault-spc' } }) as [Record<string, any>];
      expect(d.spec.template.spec.volumes.map((v: { name: string }) => v.name)).to.deep.equal(['ca-bundle', 'secrets-store']);
      expect(d.spec.template.spec.volumes[1]).to.deep.equal({ name: 'secrets-store', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'vault-spc' } } });
      expect(d.spec.template.spec.containers[0].volumeMounts[1]).to.deep.equal({ name: 'secrets-store', mountPath: '/mnt/secrets-store', readOnly: true });
    });

    it('leave other addons, and addons with disableTemplating, as rendered', () => {
      const [d] = render('my-app', { certificateAuthority: { bundle } }) as [Record<string, any>];
      expect(d.spec.template.spec.volumes).to.equal(undefined);
      const [raw] = render('backups-restic', { certificateAuthority: { bundle } }, true) as [Record<string, any>];
      expect(raw.spec.template.spec.volumes).to.equal(undefined);
    });
  });

  it('keeps {{ }} as written with disableTemplating', () => {
    const files = memoryFiles({ '/cluster/addons/raw/a.yaml': cm('raw', '{t: "{{ .Keep | nope }}"}') }, nodeFiles);
    const out = renderAddons({ loaded: loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons', addons: [{ name: 'raw', disableTemplating: true }] } }), files });
    expect(fullObject(out.find((a) => a.name === 'raw')!.objects[0]!).data).to.deep.equal({ t: '{{ .Keep | nope }}' });
  });

  describe('.Params', () => {
    const files = memoryFiles({ '/cluster/addons/p/a.yaml': cm('p', '{a: {{ .Params.a | quote }}, b: {{ .Params.b | quote }}, c: {{ .Params.c | quote }}, e: {{ .Params.e | quote }}}') }, nodeFiles);
    const render = (addons: KubeOneCluster['addons'], credentials: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
      fullObject(renderAddons({ loaded: loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons', ...addons } }, credentials), files, env }).find((a) => a.name === 'p')!.objects[0]!).data;

    it('merges globalParams, the credentials file\'s addonParams and the addon\'s params, then reads env: values', () => {
      const data = render(
        { globalParams: { a: 'global-a', b: 'global-b' }, addons: [{ name: 'p', params: { b: 'addon-b', e: 'env:P_E' } }] },
        { addonParams: 'p:\n  c: secret-c\n  a: secret-a\n' },
        { P_E: 'from-env' },
      );
      expect(data).to.deep.equal({ a: 'secret-a', b: 'addon-b', c: 'secret-c', e: 'from-env' });
    });

    it('refuses a param set both in the manifest and in the credentials file', () => {
      expect(() => render({ addons: [{ name: 'p', params: { c: 'x' } }] }, { addonParams: 'p:\n  c: y\n' })).to.throw(
        'addons.addons[0].params.c: param "c" for addon "p" is set both in the manifest and in the credentials file\'s addonParams; remove it from one of them',
      );
    });
  });

  describe('certificates before the cluster exists', () => {
    const files = memoryFiles({
      '/cluster/addons/tls/a.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: tls, namespace: kube-system}\ndata:\n  tls.crt: {{ .Certificates.MetricsServerCert | b64enc }}\n',
      '/cluster/addons/plain/a.yaml': cm('plain'),
    }, nodeFiles);
    const loaded = loadedCluster({ ...ONLY_CUSTOM, addons: { path: './addons' } });

    it('are rendered again once the cluster CA exists; addons that do not use them are final', () => {
      const out = renderAddons({ loaded, files, clusterCA: null });
      const tls = out.find((a) => a.name === 'tls')!;
      const plain = out.find((a) => a.name === 'plain')!;
      expect(needsClusterCA(tls)).to.equal(true);
      expect(needsClusterCA(plain)).to.equal(false);
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const der = createCertificate(
        { serial: 7n, commonName: 'kubernetes', notBefore: new Date('2025-01-01'), notAfter: new Date('2035-01-01'), keyUsage: KEY_USAGE.certSign, extKeyUsage: [], basicConstraintsValid: true, isCA: true },
        publicKey,
        privateKey,
      );
      const ca: ClusterCA = { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
      const again = renderWithClusterCA(tls, ca);
      const crt = Buffer.from((fullObject(again.objects[0]!).data as Record<string, string>)['tls.crt']!, 'base64').toString();
      expect(crt).to.match(/^-----BEGIN CERTIFICATE-----/);
      expect(again.objects[0]!.hash).to.not.equal(tls.objects[0]!.hash);
      // The same render with the CA from the start gives the same objects (no drift after apply).
      const direct = renderAddons({ loaded, files, clusterCA: ca }).find((a) => a.name === 'tls')!;
      expect(direct.objects[0]!.hash).to.equal(again.objects[0]!.hash);
      expect(renderWithClusterCA(plain, ca)).to.equal(plain);
    });
  });
});
