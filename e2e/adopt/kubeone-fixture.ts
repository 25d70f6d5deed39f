// A sandbox cluster as KubeOne 1.14 leaves one, built without kubeone-ts's own apply (so no
// ownership record, no journal): the hosts prepared (prerequisites, containerd, the binaries),
// KubeOne's kubeadm configurations in the SSH user's ~/kubeone/cfg, `kubeadm init` / `join`
// from them with KubeOne's static audit log and encryption at rest (flags, extra volumes, the
// files under /etc/kubernetes), the embedded addons KubeOne deploys for this manifest applied
// with `kubectl apply` and labelled kubeone.io/addon=<name> as KubeOne labels them, an external
// cloud provider's addon objects (ccm-hetzner and its credentials Secret), the snapshot CRDs of
// csi-external-snapshotter with a user's object of that kind, KubeOne's Node label and its PKI
// backup tarball beside the manifest. Facts from KubeOne's source (pkg/scripts/configs.go,
// pkg/features, pkg/templates/kubeadm/v1beta4, pkg/tasks/nodes.go, pkg/credentials).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { clusterRenderer } from '../../pkg/addons/cluster-render.js';
import { fullObject } from '../../pkg/addons/render.js';
import { PATCH_ADDONS } from '../../pkg/addons/patch-addons.js';
import { loadCluster } from '../../pkg/api/load.js';
import type { LoadedCluster, ResolvedHost } from '../../pkg/api/types.js';
import { renderInitFile, renderJoinFile } from '../../pkg/kubeadm/render-files.js';
import { caCertHash } from '../../pkg/ops/pki.js';
import type { Action } from '../../pkg/plan/types.js';
import { hostActions, runOnHosts, sshPool } from '../executor/helpers.js';
import type { Fleet } from '../fleet/index.js';

const run = promisify(execFile);

export const AUDIT_FLAGS: Record<string, string> = {
  'audit-log-maxage': '30',
  'audit-log-maxbackup': '3',
  'audit-log-maxsize': '100',
  'audit-log-path': '/var/log/kubernetes/audit.log',
  'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
};
export const ENCRYPTION_FLAG = { name: 'encryption-provider-config', value: '/etc/kubernetes/encryption-providers/encryption-providers.yaml' };
const EXTRA_VOLUMES = [
  { name: 'audit-conf', hostPath: '/etc/kubernetes/audit', mountPath: '/etc/kubernetes/audit', readOnly: true, pathType: 'DirectoryOrCreate' },
  { name: 'log', hostPath: '/var/log/kubernetes', mountPath: '/var/log/kubernetes', readOnly: false, pathType: 'DirectoryOrCreate' },
  { name: 'encryption-providers-conf', hostPath: '/etc/kubernetes/encryption-providers', mountPath: '/etc/kubernetes/encryption-providers', readOnly: true, pathType: 'DirectoryOrCreate' },
];

const AUDIT_POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n';

function encryptionConfiguration(): string {
  return stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [
      {
        resources: ['secrets'],
        providers: [{ aescbc: { keys: [{ name: `kubeone-${randomBytes(3).toString('hex')}`, secret: randomBytes(32).toString('base64') }] } }, { identity: {} }],
      },
    ],
  });
}

/** The external cloud provider's addon as KubeOne deploys it (ccm-hetzner), and its credentials Secret (not an addon object). */
export const CCM_OBJECTS = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'hcloud-cloud-controller-manager', namespace: 'kube-system', labels: { 'kubeone.io/addon': 'ccm-hetzner' } } },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:hcloud-cloud-controller-manager', labels: { 'kubeone.io/addon': 'ccm-hetzner' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'hcloud-cloud-controller-manager', namespace: 'kube-system' }],
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hcloud-cloud-controller-manager', namespace: 'kube-system', labels: { 'kubeone.io/addon': 'ccm-hetzner' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'hcloud-cloud-controller-manager' } },
      template: {
        metadata: { labels: { app: 'hcloud-cloud-controller-manager' } },
        spec: {
          serviceAccountName: 'hcloud-cloud-controller-manager',
          containers: [
            {
              name: 'hcloud-cloud-controller-manager',
              image: 'docker.io/hetznercloud/hcloud-cloud-controller-manager:v1.26.0',
              args: ['--cloud-provider=hcloud', '--leader-elect=false'],
              env: [{ name: 'HCLOUD_TOKEN', valueFrom: { secretKeyRef: { name: 'kubeone-ccm-credentials', key: 'HZ_TOKEN' } } }],
            },
          ],
        },
      },
    },
  },
];

export const CCM_CREDENTIALS = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kubeone-ccm-credentials', namespace: 'kube-system' }, stringData: { HZ_TOKEN: 'not-a-real-hetzner-token' } };

/** csi-external-snapshotter's CRD (labelled) and a user's object of that kind (not labelled). */
export const SNAPSHOT_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'volumesnapshotclasses.snapshot.storage.k8s.io',
    labels: { 'kubeone.io/addon': 'csi-external-snapshotter' },
    // A CRD in a *.k8s.io group needs the approval annotation (the external-snapshotter's CRDs carry it).
    annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-csi/external-snapshotter/pull/814' },
  },
  spec: {
    group: 'snapshot.storage.k8s.io',
    names: { kind: 'VolumeSnapshotClass', listKind: 'VolumeSnapshotClassList', plural: 'volumesnapshotclasses', singular: 'volumesnapshotclass' },
    scope: 'Cluster',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};
export const USER_SNAPSHOT_CLASS = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'user-fast' }, driver: 'csi.hetzner.cloud', deletionPolicy: 'Delete' };
export const USER_SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-credentials', namespace: 'default' }, stringData: { password: 'readable-after-adoption' } };

/** KubeOne's Node label (pkg/tasks/nodes.go) and one a user set by hand. */
export const KUBEONE_NODE_LABEL = 'v1.kubeone.io/operating-system';
export const USER_NODE_LABEL = 'example.com/legacy';

export interface KubeOneCluster {
  loaded: LoadedCluster;
  /** A kubeconfig for the real kubectl on this machine. */
  kubeconfig: string;
  kubectl(args: string[], stdin?: string): Promise<string>;
  /** Where KubeOne's PKI backup lies (<cluster>.tar.gz beside the manifest). */
  pkiBackup: string;
}


/** Writes a file as the login user (KubeOne uploads to ~/kubeone/cfg over SFTP). */
async function upload(fleet: Fleet, host: string, file: string, content: string): Promise<void> {
  const text = content.endsWith('\n') ? content : `${content}\n`;
  await fleet.script(host, `install -d -m 0700 ~kubeone/kubeone/cfg && cat > ${file} <<'KUBEONE_EOF'\n${text}KUBEONE_EOF\nchown -R kubeone: ~kubeone/kubeone && chmod 0600 ${file}`);
}

/** The ClusterConfiguration document of KubeOne's kubeadm file with the audit and encryption features on. */
function withKubeOneFeatures(initFile: string): string {
  const docs = parseAllDocuments(initFile).map((d) => d.toJSON() as Record<string, any>);
  for (const doc of docs) {
    if (doc.kind !== 'ClusterConfiguration') continue;
    const args: { name: string; value: string }[] = [...doc.apiServer.extraArgs, ...Object.entries(AUDIT_FLAGS).map(([name, value]) => ({ name, value })), ENCRYPTION_FLAG];
    doc.apiServer.extraArgs = args.sort((a, b) => (a.name < b.name ? -1 : 1));
    doc.apiServer.extraVolumes = EXTRA_VOLUMES;
  }
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** The host preparation of the executor tests, without our kubelet files: kubeadm writes those here, as under KubeOne. */
function prepareHostActions(loaded: LoadedCluster): Action[] {
  return hostActions(loaded).map((a) => ({ ...a, serial: false, steps: a.steps.filter((s) => s.op !== 'host.kubelet.configure') }));
}

export async function buildKubeOneCluster(fleet: Fleet, manifestPath: string): Promise<KubeOneCluster> {
  const loaded = await loadCluster({ manifestPath });
  const pool = sshPool(loaded);
  try {
    const { summary } = await runOnHosts(loaded, pool, { actions: () => prepareHostActions(loaded) });
    if (summary.failed.length > 0) throw new Error(`preparing the hosts failed: ${JSON.stringify(summary.failed)}`);
  } finally {
    await pool.closeAll();
  }
  const [leader, ...others] = loaded.hosts as [ResolvedHost, ...ResolvedHost[]];
  const cfg = '/home/kubeone/kubeone/cfg';

  // The leader: KubeOne's feature files moved into /etc/kubernetes, then kubeadm init from its configuration.
  await upload(fleet, leader.name, `${cfg}/audit-policy.yaml`, AUDIT_POLICY);
  await upload(fleet, leader.name, `${cfg}/encryption-providers.yaml`, encryptionConfiguration());
  await fleet.script(
    leader.name,
    [
      'set -e',
      'sudo mkdir -p /etc/kubernetes/audit /etc/kubernetes/encryption-providers',
      `sudo mv ${cfg}/audit-policy.yaml /etc/kubernetes/audit/policy.yaml && sudo chown root:root /etc/kubernetes/audit/policy.yaml`,
      `sudo mv ${cfg}/encryption-providers.yaml /etc/kubernetes/encryption-providers/encryption-providers.yaml`,
      'sudo chmod 600 /etc/kubernetes/encryption-providers/encryption-providers.yaml && sudo chown root:root /etc/kubernetes/encryption-providers/encryption-providers.yaml',
    ].join('\n'),
  );
  const init = withKubeOneFeatures(renderInitFile(loaded, leader));
  await upload(fleet, leader.name, `${cfg}/control_plane_full_0.yaml`, init);
  await upload(fleet, leader.name, `${cfg}/control_plane_0.yaml`, init);
  await fleet.script(leader.name, `sudo kubeadm init --config=${cfg}/control_plane_full_0.yaml && sudo find /etc/kubernetes/pki/ -name '*.crt' -exec chmod 600 {} +`);

  // The workers join with a token, from KubeOne's worker_<id>.yaml.
  const ca = Buffer.from(await fleet.script(leader.name, 'sudo cat /etc/kubernetes/pki/ca.crt'));
  for (const worker of others) {
    const token = (await fleet.script(leader.name, 'sudo kubeadm token create --ttl 15m')).trim().split('\n').pop()!;
    const file = `${cfg}/worker_${worker.id}.yaml`;
    await upload(fleet, worker.name, file, renderJoinFile(loaded, worker, { token, caCertHash: caCertHash(ca) }));
    await fleet.script(worker.name, `sudo kubeadm join --config=${file}`);
  }

  // The real kubectl on this machine, as a user of the cluster.
  const kubeconfig = path.join(loaded.baseDir, 'kubeone-admin.conf');
  writeFileSync(kubeconfig, await fleet.script(leader.name, 'sudo cat /etc/kubernetes/admin.conf'), { mode: 0o600 });
  const kubectl = async (args: string[], stdin?: string): Promise<string> => {
    const child = run('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 120_000, maxBuffer: 32 * 1024 * 1024 });
    if (stdin !== undefined) {
      child.child.stdin!.write(stdin);
      child.child.stdin!.end();
    }
    return (await child).stdout;
  };
  const apply = (objects: object[]) => kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=kubectl-client-side-apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));

  // The embedded addons KubeOne deploys for this manifest, as its templates render them (the same objects, the same label).
  const renderer = clusterRenderer();
  const addons = await renderer.render(loaded, { clusterExists: true, leader: { readFile: async (p) => Buffer.from(await fleet.script(leader.name, `sudo cat ${p}`)) } });
  const objects = addons.filter((a) => !PATCH_ADDONS.has(a.name)).flatMap((a) => a.objects.map(fullObject));
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  if (crds.length > 0) await apply(crds);
  await apply(objects.filter((o) => o.kind !== 'CustomResourceDefinition'));

  await apply([CCM_CREDENTIALS, ...CCM_OBJECTS, SNAPSHOT_CRD]);
  for (let i = 0; ; i++) {
    try {
      await apply([USER_SNAPSHOT_CLASS, USER_SECRET]);
      break;
    } catch (e) {
      if (i > 20) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  for (const h of loaded.hosts) {
    await kubectl(['label', 'node', h.config.hostname!, `${KUBEONE_NODE_LABEL}=debian`, '--overwrite']);
  }
  await kubectl(['label', 'node', others[0]!.config.hostname!, `${USER_NODE_LABEL}=yes`, '--overwrite']);

  // KubeOne's PKI backup (kubeone apply --backup default): <cluster>.tar.gz beside the manifest.
  const pkiBackup = path.join(loaded.baseDir, `${loaded.cluster.name}.tar.gz`);
  await run('tar', ['-czf', pkiBackup, '-C', loaded.baseDir, path.basename(kubeconfig)]);
  return { loaded, kubeconfig, kubectl, pkiBackup };
}
