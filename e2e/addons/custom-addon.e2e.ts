// A custom addon written for KubeOne (its template dialect and data, unchanged) applied to a
// sandbox cluster through the built CLI, then read back with the real kubectl: params from
// globalParams, the addon's params, env: and the credentials file's addonParams; custom
// credentials; images from KubeOne's table; a certificate signed by the new cluster's CA;
// the CA bundle through KubeOne's template helpers and through its pod-template injection
// for backups-restic, on the control plane's disk and in the controller manager; KubeOne's
// file and document rules. A second plan is empty.
import { X509Certificate, createHash, generateKeyPairSync } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { KEY_USAGE, createCertificate, pem } from '../../pkg/addons/template/x509.js';
import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, kubeoneExpect } from '../lifecycle/cli.js';

const VERSION = '1.35.1';
const run = promisify(execFile);

/** The addon as a KubeOne user keeps it: Go templates over KubeOne's template data. */
const ADDON_FILES: Record<string, string> = {
  'backups-restic/00-namespace.yaml': [
    '# Rendered by KubeOne and by this tool alike.',
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    '  name: {{ .Params.namespace | default "backup" }}',
    '',
  ].join('\n'),
  'backups-restic/10-config.yml': [
    '{{- $ns := .Params.namespace | default "backup" }}',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: restic-config',
    '  namespace: {{ $ns }}',
    '  labels:',
    '    cluster: {{ .Config.Name | quote }}',
    'data:',
    '  bucket: {{ required "param s3Bucket is required" .Params.s3Bucket | quote }}',
    '  region: {{ .Params.awsDefaultRegion | default "eu-west-1" | quote }}',
    '  schedule: {{ .Params.SCHEDULE | quote }}',
    '  retention: {{ .Params.retention | quote }}',
    '  provider: {{ .Config.CloudProvider.CloudProviderName | quote }}',
    '  minor: {{ .Config.Versions.KubernetesMajorMinorVersion | quote }}',
    '  dnsIP: {{ .Config.ClusterNetwork.NthServiceSubnetIP 10 | quote }}',
    '  caBundleFile: {{ .Resources.CABundleSSLCertFilePath | quote }}',
    '  hosts: {{ range $i, $h := .Config.ControlPlane.Hosts }}{{ if $i }},{{ end }}{{ $h.Hostname }}{{ end }}',
    '{{- if semverCompare ">= 1.35" .Config.Versions.Kubernetes }}',
    '  newEnough: "true"',
    '{{- end }}',
    '---',
    '# a document with nothing but a comment',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: listed-twice, namespace: {{ $ns }}}',
    'data: {version: "1"}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: listed-twice, namespace: {{ $ns }}}',
    'data: {version: "2"}',
    '',
  ].join('\n'),
  'backups-restic/20-secret.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: restic-credentials',
    '  namespace: {{ .Params.namespace | default "backup" }}',
    'type: Opaque',
    'data:',
    '  RESTIC_PASSWORD: {{ .Params.resticPassword | b64enc }}',
    '  AWS_SECRET_ACCESS_KEY: {{ .CustomCredentials.S3_SECRET | b64enc }}',
    '  tls.crt: {{ .Certificates.MetricsServerCert | b64enc }}',
    '  tls.key: {{ .Certificates.MetricsServerKey | b64enc }}',
    '  ca.crt: {{ .Certificates.KubernetesCA | b64enc }}',
    '',
  ].join('\n'),
  // JSON files are templates too; Go raw strings (`...`) need no escaping inside JSON strings.
  'backups-restic/30-cronjob.json': [
    '{',
    '  "apiVersion": "batch/v1",',
    '  "kind": "CronJob",',
    '  "metadata": {"name": "restic-backup", "namespace": "{{ .Params.namespace | default `backup` }}"},',
    '  "spec": {',
    '    "schedule": "{{ .Params.SCHEDULE }}",',
    '    "jobTemplate": {"spec": {"template": {"spec": {',
    '      "restartPolicy": "OnFailure",',
    '      "containers": [',
    '        {"name": "snapshot", "image": "{{ .InternalImages.Get `BackupResticSnapshotter` }}", "command": ["etcdctl", "snapshot", "save", "/backup/snapshot.db"]},',
    '        {"name": "upload", "image": "{{ .InternalImages.Get `BackupResticUploader` }}", "env": [{"name": "RESTIC_REPOSITORY", "value": "s3:{{ .Params.s3Bucket }}"}]}',
    '      ]',
    '    }}}}',
    '  }',
    '}',
    '',
  ].join('\n'),
  'backups-restic/README.txt': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-readme, namespace: backup}\n',
  'backups-restic/extra/ignored.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-subfolder, namespace: backup}\n',
  'tls-app/deploy.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: ca-bundle, namespace: default}',
    'data:',
    '  ca-certificates.crt: |',
    '{{ CABundle | indent 4 }}',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: tls-app, namespace: default}',
    'spec:',
    '  selector: {matchLabels: {app: tls-app}}',
    '  template:',
    '    metadata:',
    '      labels: {app: tls-app}',
    '      annotations:',
    '        kubeone.k8c.io/cabundle-hash: {{ CABundle | sha256sum | quote }}',
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: {{ .InternalImages.Get "PauseImage" }}',
    '          env:',
    '{{ caBundleEnvVar | indent 12 }}',
    '          volumeMounts:',
    '{{ caBundleVolumeMount | indent 12 }}',
    '      volumes:',
    '{{ caBundleVolume | indent 8 }}',
    '',
  ].join('\n'),
};

function selfSignedCA(): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = createCertificate(
    { serial: 42n, commonName: 'corporate-root', notBefore: new Date('2025-01-01'), notAfter: new Date('2035-01-01'), keyUsage: KEY_USAGE.certSign, extKeyUsage: [], basicConstraintsValid: true, isCA: true },
    publicKey,
    privateKey,
  );
  return pem('CERTIFICATE', der);
}

type Obj = Record<string, any>;

describe('a custom addon written for KubeOne, applied to a sandbox cluster and read with kubectl', function () {
  this.timeout(1_200_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let credentialsPath: string;
  let kubeconfigPath: string;
  const bundle = selfSignedCA();

  const kubectl = async (...args: string[]): Promise<Obj> => JSON.parse((await run('kubectl', ['--kubeconfig', kubeconfigPath, ...args, '-o', 'json'], { timeout: 60_000 })).stdout) as Obj;

  before(async function () {
    if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: VERSION });
    dir = path.dirname(fleet.manifestPath);
    for (const [file, content] of Object.entries(ADDON_FILES)) {
      mkdirSync(path.dirname(path.join(dir, 'addons', file)), { recursive: true });
      writeFileSync(path.join(dir, 'addons', file), content);
    }
    const manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Obj;
    manifest.addons = {
      path: './addons',
      globalParams: { retention: '7d' },
      addons: [{ name: 'backups-restic', params: { s3Bucket: 'cluster-backups', SCHEDULE: 'env:BACKUP_SCHEDULE' } }],
    };
    manifest.certificateAuthority = { bundle };
    manifestPath = path.join(dir, 'custom-addon.yaml');
    writeFileSync(manifestPath, stringify(manifest));
    credentialsPath = path.join(dir, 'credentials.yaml');
    writeFileSync(credentialsPath, stringify({
      customSecrets: 'S3_SECRET: s3-secret-value\n',
      addonParams: stringify({ 'backups-restic': { resticPassword: 'restic-password' } }),
    }), { mode: 0o600 });
    process.env.BACKUP_SCHEDULE = '15 3 * * *';
  });
  after(async function () {
    this.timeout(180_000);
    delete process.env.BACKUP_SCHEDULE;
    await fleet?.destroy();
  });

  it('installs the cluster with the addon; a second plan is empty, addons list --live shows it installed', async () => {
    await kubeoneExpect(0, ['apply', '-m', manifestPath, '-c', credentialsPath, '-y'], dir);
    const plan = await kubeone(['plan', '-m', manifestPath, '-c', credentialsPath, '--detailed-exitcode'], dir);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
    // addons list --live renders as plan does (certificates from the cluster CA): nothing drifted.
    const list = await kubeoneExpect(0, ['addons', 'list', '-m', manifestPath, '-c', credentialsPath, '--live', '-o', 'json'], dir);
    const statuses = Object.fromEntries((JSON.parse(list.stdout) as { addons: { name: string; status: string }[] }).addons.map((a) => [a.name, a.status]));
    expect(statuses).to.include({ 'backups-restic': 'installed', 'cni-canal': 'installed' });
    const kubeconfig = await kubeoneExpect(0, ['kubeconfig', '-m', manifestPath, '-c', credentialsPath], dir);
    kubeconfigPath = path.join(dir, 'admin.conf');
    writeFileSync(kubeconfigPath, kubeconfig.stdout, { mode: 0o600 });
  });

  it('renders params (globalParams, addon params, env:, addonParams), .Config and .Resources as KubeOne', async () => {
    const cm = await kubectl('-n', 'backup', 'get', 'configmap', 'restic-config');
    expect(cm.metadata.labels).to.include({ 'kubeone.io/addon': 'backups-restic', cluster: parse(readFileSync(manifestPath, 'utf8')).name });
    expect(cm.data).to.deep.equal({
      bucket: 'cluster-backups',
      region: 'eu-west-1',
      schedule: '15 3 * * *',
      retention: '7d',
      provider: 'none',
      minor: 'v1.35',
      dnsIP: '10.96.0.10',
      caBundleFile: '/etc/kubeone/certs/ca-certificates.crt',
      hosts: fleet.controlPlanes.map((h) => h.hostname).join(','),
      newEnough: 'true',
    });
    expect((await kubectl('-n', 'backup', 'get', 'configmap', 'listed-twice')).data).to.deep.equal({ version: '2' });
    const names = ((await kubectl('-n', 'backup', 'get', 'configmaps')).items as Obj[]).map((i) => i.metadata.name);
    expect(names).to.not.include('from-readme').and.not.include('from-subfolder');
  });

  it('renders credentials and a serving certificate signed by the cluster CA', async () => {
    const secret = await kubectl('-n', 'backup', 'get', 'secret', 'restic-credentials');
    const data = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    expect(data.RESTIC_PASSWORD).to.equal('restic-password');
    expect(data.AWS_SECRET_ACCESS_KEY).to.equal('s3-secret-value');
    const clusterCA = (await kubectl('-n', 'kube-system', 'get', 'configmap', 'kube-root-ca.crt')).data['ca.crt'] as string;
    expect(data['ca.crt']).to.equal(clusterCA);
    const cert = new X509Certificate(data['tls.crt']!);
    expect(cert.verify(new X509Certificate(clusterCA).publicKey)).to.equal(true);
    expect(cert.subject).to.equal('CN=metrics-server.kube-system.svc');
    expect(data['tls.key']).to.match(/^-----BEGIN RSA PRIVATE KEY-----/);
  });

  it("uses KubeOne's image table and injects the CA bundle into backups-restic's pod template", async () => {
    const job = await kubectl('-n', 'backup', 'get', 'cronjob', 'restic-backup');
    expect(job.spec.schedule).to.equal('15 3 * * *');
    const tpl = job.spec.jobTemplate.spec.template;
    expect(tpl.spec.containers.map((c: Obj) => c.image)).to.deep.equal(['registry.k8s.io/etcd:3.5.32-0', 'ghcr.io/restic/restic:0.19.1']);
    expect(tpl.metadata.annotations['kubeone.k8c.io/cabundle-hash']).to.equal(createHash('sha256').update(bundle).digest('hex'));
    expect(tpl.spec.volumes.filter((v: Obj) => v.name === 'ca-bundle').map((v: Obj) => v.configMap.name)).to.deep.equal(['ca-bundle']);
    for (const c of tpl.spec.containers as Obj[]) {
      expect(c.volumeMounts).to.deep.include({ name: 'ca-bundle', mountPath: '/etc/kubeone/certs', readOnly: true });
      expect(c.env).to.deep.include({ name: 'SSL_CERT_FILE', value: '/etc/kubeone/certs/ca-certificates.crt' });
    }
  });

  it("renders KubeOne's CA bundle helpers in a custom addon", async () => {
    expect((await kubectl('-n', 'default', 'get', 'configmap', 'ca-bundle')).data['ca-certificates.crt'].trim()).to.equal(bundle.trim());
    const d = await kubectl('-n', 'default', 'get', 'deployment', 'tls-app');
    const pod = d.spec.template;
    expect(pod.metadata.annotations['kubeone.k8c.io/cabundle-hash']).to.equal(createHash('sha256').update(bundle).digest('hex'));
    expect(pod.spec.containers[0].image).to.match(/^registry\.k8s\.io\/pause:3\.10/);
    expect(pod.spec.containers[0].env).to.deep.equal([{ name: 'SSL_CERT_FILE', value: '/etc/kubeone/certs/ca-certificates.crt' }]);
    expect(pod.spec.containers[0].volumeMounts).to.deep.equal([{ name: 'ca-bundle', mountPath: '/etc/kubeone/certs', readOnly: true }]);
    expect(pod.spec.volumes.map((v: Obj) => [v.name, v.configMap.name])).to.deep.equal([['ca-bundle', 'ca-bundle']]);
  });

  it('writes the CA bundle on the control plane, the controller manager trusts it, kube-system/ca-bundle holds it (as KubeOne)', async () => {
    const onHost = async (cmd: string): Promise<string> => {
      const r = await fleet.exec('cp-1', cmd);
      expect(r.exitCode, `${cmd}: ${r.stderr}`).to.equal(0);
      return r.stdout;
    };
    expect((await onHost('sudo cat /etc/kubeone/certs/ca-certificates.crt')).trim()).to.equal(bundle.trim());
    expect((await onHost("stat -c '%U %a' /etc/kubeone/certs/ca-certificates.crt")).trim()).to.equal('root 644');
    const kcm = parse(await onHost('sudo cat /etc/kubernetes/manifests/kube-controller-manager.yaml')) as Obj;
    const volume = (kcm.spec.volumes as Obj[]).find((v) => v.name === 'ca-certs');
    expect(volume?.hostPath?.path).to.equal('/etc/kubeone/certs');
    const container = kcm.spec.containers[0] as Obj;
    expect(container.env).to.deep.include({ name: 'SSL_CERT_FILE', value: '/etc/ssl/certs/ca-certificates.crt' });
    expect((container.volumeMounts as Obj[]).find((m) => m.name === 'ca-certs')?.mountPath).to.equal('/etc/ssl/certs');
    expect((await kubectl('-n', 'kube-system', 'get', 'configmap', 'ca-bundle')).data['ca-certificates.crt'].trim()).to.equal(bundle.trim());
  });
});
