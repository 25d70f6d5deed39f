// No silently ignored field: every leaf of schemas/kubeonecluster-v1beta2.json is either consumed
// (some output of the tool changes when its value changes: kubeadm/kubelet files, containerd
// files, host scripts, SSH endpoints, addons, the plan, or the loader's verdict) or refused by
// validation at its path (exit 15). A leaf the table below does not know fails the test, so a
// new schema field cannot slip in unhandled.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import schema from '../../schemas/kubeonecluster-v1beta2.json' with { type: 'json' };
import { renderAddons } from '../addons/render.js';
import { PROVIDER_EXAMPLES, allExampleCredentials } from '../addons/testing/providers.js';
import { computeDesired } from '../desired/index.js';
import { renderControlPlaneFiles } from '../kubeadm/control-plane-files.js';
import { kubeletUnitFilesFor } from '../desired/host-files.js';
import { renderInitFile, renderJoinFile, renderKubeletConfigFile } from '../kubeadm/render-files.js';
import { showChartCommands, upgradeCommands } from '../helm/args.js';
import { desiredHelmReleases } from '../helm/desired.js';
import { renderMachineDeployments } from '../machines/machine-deployments.js';
import { computePlan } from '../plan/index.js';
import { SnapshotBuilder } from '../plan/testing/snapshot-builder.js';
import { bundleFileName, expandBinariesTemplate, renderBundleInstall, renderPackageInstall, DEFAULT_PACKAGE_REPOSITORY } from '../scripts/binaries.js';
import { renderContainerdFiles } from '../scripts/containerd-config.js';
import { renderContainerdInstall } from '../scripts/containerd-install.js';
import { renderKubeletFlags } from '../scripts/kubelet-files.js';
import { osFamily } from '../scripts/os-family.js';
import { renderPrerequisites } from '../scripts/prerequisites.js';
import { resolveEndpoints } from '../ssh/endpoint.js';
import { applyDefaults } from './defaults.js';
import { ConfigError } from './errors.js';
import { resolveHosts } from './hosts.js';
import { loadCluster } from './load.js';
import { parentPaths } from './path.js';
import { baseCluster } from './testing/base-cluster.js';
import type { HostConfig, KubeOneCluster, LoadedCluster } from './types.js';

// ---- the schema's leaves --------------------------------------------------------------------

type Node = Record<string, any>;
const defs = (schema as Node).$defs as Record<string, Node>;

/** Leaf paths: `a.b`, `a.list[].c`, `a.map.*.c`; objects without properties (maps, `{}`) are leaves. */
function schemaLeaves(node: Node, path: string, out: Set<string>, depth = 0): void {
  if (depth > 20) throw new Error(`schema too deep at ${path}`);
  if (node.$ref) return schemaLeaves(defs[(node.$ref as string).split('/').pop()!]!, path, out, depth + 1);
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    if (Array.isArray(node[key])) {
      for (const branch of node[key]) schemaLeaves(branch, path, out, depth + 1);
      return;
    }
  }
  const extra = node.additionalProperties;
  if (node.properties && Object.keys(node.properties).length > 0) {
    for (const [k, v] of Object.entries(node.properties as Record<string, Node>)) schemaLeaves(v, path ? `${path}.${k}` : k, out, depth + 1);
    return;
  }
  if (extra && typeof extra === 'object' && (extra.$ref || extra.properties)) return schemaLeaves(extra, `${path}.*`, out, depth + 1);
  const items = node.items as Node | undefined;
  if (node.type === 'array' && items && (items.$ref || items.properties)) return schemaLeaves(items, `${path}[]`, out, depth + 1);
  out.add(node.type === 'array' ? `${path}[]` : path);
}

// ---- the manifest every case starts from -------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'kubeone-leaves-'));
mkdirSync(join(work, 'addons', 'custom'), { recursive: true });
writeFileSync(
  join(work, 'addons', 'custom', 'cm.yaml'),
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: custom\n  namespace: kube-system\ndata:\n  value: "{{ .Params.VALUE }}"\n',
);
mkdirSync(join(work, 'addons', 'other'), { recursive: true });
writeFileSync(join(work, 'values.yaml'), 'replicas: 3\n');
writeFileSync(join(work, 'addons', 'other', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other-{{ "x" }}\n  namespace: kube-system\n');
// The control-plane features' files (two of each, so that a changed path changes the output) and a CA bundle.
const CA_PEM = readFileSync(new URL('../ops/testing/testdata/ca.crt', import.meta.url), 'utf8');
for (const n of ['1', '2']) {
  writeFileSync(join(work, `audit-${n}.yaml`), `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: ${n === '1' ? 'Metadata' : 'Request'}\n`);
  writeFileSync(join(work, `pns-${n}.yaml`), `podNodeSelectorPluginConfig:\n  clusterDefaultNodeSelector: tier=t${n}\n`);
  writeFileSync(join(work, `erl-${n}.yaml`), `apiVersion: eventratelimit.admission.k8s.io/v1alpha1\nkind: Configuration\nlimits:\n- type: Server\n  qps: ${n}0\n  burst: 100\n`);
}
writeFileSync(join(work, 'ca.pem'), CA_PEM);
const CUSTOM_ENCRYPTION = `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm:\n      keys:\n      - {name: k1, secret: ${Buffer.alloc(32, 1).toString('base64')}}\n  - identity: {}\n`;

/** The test manifest (provider none, 1 CP + 1 worker) at 1.36.0, so that an upgrade from 1.34 passes an intermediate minor. */
function base(): KubeOneCluster {
  const c = baseCluster();
  c.name = 'leaves';
  c.versions = { kubernetes: '1.36.0' };
  c.controlPlane!.hosts![0]!.hostname = 'cp-1';
  c.staticWorkers!.hosts![0]!.hostname = 'worker-1';
  return c;
}

type Mutate = (c: KubeOneCluster) => void;
type HostList = 'controlPlane' | 'staticWorkers';
const hostOf = (c: KubeOneCluster, list: HostList, i = 0): HostConfig => c[list]!.hosts![i]!;
const deep = (c: any, path: string[], value: unknown): void => {
  let cur = c;
  for (const k of path.slice(0, -1)) cur = cur[k] ??= {};
  cur[path.at(-1)!] = value;
};

function loadedOf(raw: KubeOneCluster): LoadedCluster {
  const cluster = applyDefaults(raw);
  // As loadCluster reads them (relative to the manifest).
  const read = (on: boolean | undefined, p: string | undefined) => (on && p ? readFileSync(join(work, p), 'utf8') : undefined);
  const f = cluster.features ?? {};
  const controlPlaneInputs = {
    auditPolicy: read(f.staticAuditLog?.enable, f.staticAuditLog?.config?.policyFilePath),
    podNodeSelector: read(f.podNodeSelector?.enable, f.podNodeSelector?.config?.configFilePath),
    eventRateLimit: read(f.eventRateLimit?.enable, f.eventRateLimit?.config?.configFilePath),
  };
  if (cluster.certificateAuthority?.file) cluster.certificateAuthority.bundle = readFileSync(join(work, cluster.certificateAuthority.file), 'utf8');
  return { manifestPath: join(work, 'kubeone.yaml'), baseDir: work, cluster, hosts: resolveHosts(cluster), credentials: {}, warnings: [], controlPlaneInputs };
}

// ---- the tool's outputs ----------------------------------------------------------------------

const secrets = { token: 'abcdef.0123456789abcdef', caCertHash: 'sha256:00' };
const CONSUMERS = {
  kubeadm: (l: LoadedCluster) =>
    l.hosts.map((h) => (h.role === 'controlPlane' ? renderInitFile(l, h) : '') + renderJoinFile(l, h, secrets) + renderKubeletFlags(l.cluster, h)).join('\n') +
    renderKubeletConfigFile(l),
  containerd: (l: LoadedCluster) => JSON.stringify([renderContainerdFiles(l.cluster, 1), renderContainerdFiles(l.cluster, 2)]),
  /** What host.prerequisites, host.containerd.install and host.binaries.install run (as pkg/executor/ops/host-ops.ts builds them). */
  hostScripts: (l: LoadedCluster) =>
    l.hosts
      .map((h) => {
        const family = osFamily(h.name, h.config.operatingSystem || 'debian');
        const c = l.cluster;
        const version = c.versions!.kubernetes!;
        const source = c.kubernetesBinaries;
        const opts = { version, arch: 'amd64', components: ['kubeadm', 'kubelet', 'kubectl'] as ('kubeadm' | 'kubelet' | 'kubectl')[] };
        const remoteTarball = `/var/lib/kubeone/bundles/${bundleFileName(source?.bundle, version, 'amd64')}`;
        const binaries = source?.bundle
          ? renderBundleInstall(family, { ...opts, remoteTarball, ...(source.bundle.url ? { url: expandBinariesTemplate(source.bundle.url, version, 'amd64') } : {}) })
          : family === 'flatcar'
            ? ''
            : renderPackageInstall(family, { ...opts, repositoryUrl: source?.packageRepository?.url || DEFAULT_PACKAGE_REPOSITORY, configureRepository: c.systemPackages?.configureRepositories ?? true });
        return [
          renderPrerequisites(family, { proxy: c.proxy, ipv6: c.clusterNetwork?.ipFamily !== 'IPv4' }),
          renderContainerdInstall(family, { configureRepositories: c.systemPackages?.configureRepositories ?? true }),
          binaries,
          JSON.stringify(kubeletUnitFilesFor(l, family)),
        ].join('\n');
      })
      .join('\n'),
  ssh: (l: LoadedCluster) => JSON.stringify(l.hosts.map((h) => resolveEndpoints(h, l.baseDir, { SSH_AUTH_SOCK: '/run/agent.sock' }))),
  addons: (l: LoadedCluster) => JSON.stringify(renderAddons({ loaded: l, env: allExampleCredentials() })),
  /** The audit policy, admission files and CA bundle written to the control planes. */
  controlPlaneFiles: (l: LoadedCluster) => JSON.stringify(renderControlPlaneFiles(l)),
  /** The plan for fresh hosts, and for a cluster converged at 1.34.3 (upgrades, node metadata). */
  plan: (l: LoadedCluster) => {
    const desired = computeDesired(l, []);
    const fresh = new SnapshotBuilder(l.cluster.name);
    const converged = new SnapshotBuilder(l.cluster.name);
    for (const h of l.hosts) {
      fresh.host(h.name, h.role);
      converged.convergedHost(h.name, h.role, { version: '1.34.3' });
    }
    converged.cluster({ leader: l.hosts.find((h) => h.role === 'controlPlane')!.name });
    const now = { now: '2026-01-01T00:00:00Z' };
    return JSON.stringify([computePlan(desired, fresh.build(), now), computePlan(desired, converged.build(), now)]);
  },
  /** The MachineDeployments apply creates and `config machinedeployments` prints. */
  machines: (l: LoadedCluster) => JSON.stringify(renderMachineDeployments(l.cluster)),
  /** The helm commands of each release (their arguments and stdin) and the values helm gets. */
  helm: async (l: LoadedCluster) =>
    JSON.stringify((await desiredHelmReleases(l)).map((r) => [upgradeCommands(r, { kubeconfig: 'kubeconfig', values: 'values.json' }), showChartCommands(r), r.values])),
};
type Consumer = keyof typeof CONSUMERS;

/** The loader's verdict on a manifest: the loaded cluster, or the issues (exit 15). */
async function verdict(raw: KubeOneCluster): Promise<{ issues: { path: string; message: string }[]; cluster?: KubeOneCluster }> {
  const file = join(work, `m-${Math.random().toString(36).slice(2)}.yaml`);
  // JSON is YAML whose strings stay strings (a timestamp-looking string would not, unquoted).
  writeFileSync(file, JSON.stringify(raw));
  try {
    // Every provider's example credentials in the environment, as a user of that provider has them.
    return { issues: [], cluster: (await loadCluster({ manifestPath: file, env: allExampleCredentials() })).cluster };
  } catch (e) {
    if (e instanceof ConfigError) return { issues: e.issues.map(({ path, message }) => ({ path, message })) };
    throw e;
  }
}

// ---- every leaf, and what happens to it ---------------------------------------------------------

type Case =
  | { kind: 'consumed'; by: Consumer[] | 'load'; set: Mutate; context?: Mutate }
  | { kind: 'refused'; set: Mutate; context?: Mutate; at?: string };
const used = (by: Consumer[] | Consumer | 'load', set: Mutate, context?: Mutate): Case => ({ kind: 'consumed', by: typeof by === 'string' && by !== 'load' ? [by] : by, set, ...(context ? { context } : {}) });
const refused = (set: Mutate, opts: { context?: Mutate; at?: string } = {}): Case => ({ kind: 'refused', set, ...opts });

const dualStack: Mutate = (c) => {
  deep(c, ['clusterNetwork', 'ipFamily'], 'IPv4+IPv6');
  hostOf(c, 'controlPlane').ipv6Addresses = ['fd00::10'];
  hostOf(c, 'staticWorkers').ipv6Addresses = ['fd00::20'];
};
const bastion = (list: HostList): Mutate => (c) => void (hostOf(c, list).bastion = '198.51.100.1');

function hostCases(list: HostList): Record<string, Case> {
  const p = `${list}.hosts[]`;
  const h = (set: (h: HostConfig, c: KubeOneCluster) => void): Mutate => (c) => set(hostOf(c, list), c);
  return {
    [`${p}.publicAddress`]: used('ssh', h((x) => (x.publicAddress = '192.0.2.99'))),
    [`${p}.privateAddress`]: used('kubeadm', h((x) => (x.privateAddress = '10.0.0.99'))),
    [`${p}.ipv6Addresses[]`]: used('kubeadm', h((x) => (x.ipv6Addresses = ['fd00::99'])), dualStack),
    [`${p}.sshPort`]: used('ssh', h((x) => (x.sshPort = 2222))),
    [`${p}.sshUsername`]: used('ssh', h((x) => (x.sshUsername = 'ops'))),
    [`${p}.sshPrivateKeyFile`]: used('ssh', h((x) => (x.sshPrivateKeyFile = '/k/other'))),
    [`${p}.sshCertFile`]: refused(h((x) => (x.sshCertFile = '/k/id-cert.pub'))),
    [`${p}.sshHostPublicKey`]: used('ssh', h((x) => (x.sshHostPublicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey'))),
    [`${p}.sshAgentSocket`]: used('ssh', h((x) => (x.sshAgentSocket = '/tmp/other-agent.sock'))),
    [`${p}.bastion`]: used('ssh', bastion(list)),
    [`${p}.bastionPort`]: used('ssh', h((x) => (x.bastionPort = 2022)), bastion(list)),
    [`${p}.bastionUser`]: used('ssh', h((x) => (x.bastionUser = 'jump')), bastion(list)),
    [`${p}.bastionHostPublicKey`]: used('ssh', h((x) => (x.bastionHostPublicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBastion')), bastion(list)),
    [`${p}.bastionPrivateKeyFile`]: used('ssh', h((x) => (x.bastionPrivateKeyFile = '/k/bastion')), bastion(list)),
    [`${p}.hostname`]: used('kubeadm', h((x) => (x.hostname = 'renamed'))),
    [`${p}.isLeader`]:
      list === 'controlPlane'
        ? { kind: 'consumed', by: ['plan'], context: (c) => c.controlPlane!.hosts!.push({ publicAddress: '192.0.2.11', privateAddress: '10.0.0.11', hostname: 'cp-2', sshPrivateKeyFile: '/k/id' }), set: (c) => (c.controlPlane!.hosts![1]!.isLeader = true) }
        : refused(h((x) => (x.isLeader = true))),
    [`${p}.taints[].key`]: used('kubeadm', h((x) => (x.taints = [{ key: 'dedicated', effect: 'NoSchedule' }]))),
    [`${p}.taints[].value`]: used('kubeadm', h((x) => (x.taints![0]!.value = 'db')), h((x) => (x.taints = [{ key: 'dedicated', effect: 'NoSchedule' }]))),
    [`${p}.taints[].effect`]: used('kubeadm', h((x) => (x.taints![0]!.effect = 'NoExecute')), h((x) => (x.taints = [{ key: 'dedicated', effect: 'NoSchedule' }]))),
    [`${p}.taints[].timeAdded`]: used('kubeadm', h((x) => (x.taints![0]!.timeAdded = '2026-01-01T00:00:00Z')), h((x) => (x.taints = [{ key: 'dedicated', effect: 'NoExecute' }]))),
    [`${p}.labels`]: used('plan', h((x) => (x.labels = { tier: 'db' }))),
    [`${p}.annotations`]: used('plan', h((x) => (x.annotations = { owner: 'team-a' }))),
    [`${p}.kubelet.systemReserved`]: used('kubeadm', h((x) => (x.kubelet = { systemReserved: { cpu: '1' } }))),
    [`${p}.kubelet.kubeReserved`]: used('kubeadm', h((x) => (x.kubelet = { kubeReserved: { cpu: '1' } }))),
    [`${p}.kubelet.evictionHard`]: used('kubeadm', h((x) => (x.kubelet = { evictionHard: { 'memory.available': '1Gi' } }))),
    [`${p}.kubelet.maxPods`]: used('kubeadm', h((x) => (x.kubelet = { maxPods: 33 }))),
    [`${p}.kubelet.imageGCHighThresholdPercent`]: used('kubeadm', h((x) => (x.kubelet = { imageGCHighThresholdPercent: 90 }))),
    [`${p}.kubelet.imageGCLowThresholdPercent`]: used('kubeadm', h((x) => (x.kubelet = { imageGCLowThresholdPercent: 10 }))),
    [`${p}.kubelet.imageMinimumGCAge`]: used('kubeadm', h((x) => (x.kubelet = { imageMinimumGCAge: '5m' }))),
    [`${p}.kubelet.imageMaximumGCAge`]: refused(h((x) => (x.kubelet = { imageMaximumGCAge: '24h' }))),
    [`${p}.operatingSystem`]: used('hostScripts', h((x) => (x.operatingSystem = 'rhel'))),
  };
}

const nodeSet: Mutate = (c) => (c.controlPlane!.nodeSets = [{ name: 'ns' }]);
const nodeSetCases = Object.fromEntries(
  [
    'name', 'replicas', 'generation', 'nodeSettings.labels', 'nodeSettings.annotations', 'nodeSettings.taints[].key', 'nodeSettings.taints[].value',
    'nodeSettings.taints[].effect', 'nodeSettings.taints[].timeAdded', 'operatingSystem', 'operatingSystemSpec.distUpgradeOnBoot', 'ssh.publicKeys[]',
    'ssh.port', 'ssh.username', 'ssh.privateKeyFile', 'ssh.certFile', 'ssh.hostPublicKey', 'ssh.agentSocket', 'ssh.bastion', 'ssh.bastionPort',
    'ssh.bastionUser', 'ssh.bastionHostPublicKey', 'cloudProviderSpec',
  ].map((leaf) => [`controlPlane.nodeSets[].${leaf}`, refused(nodeSet, { at: 'controlPlane.nodeSets' })]),
);
/** A workerset on OpenStack (machine-controller is deployed by default with a provider). */
const pool: Mutate = (c) => {
  c.cloudProvider = structuredClone(PROVIDER_EXAMPLES.openstack.cloudProvider);
  c.dynamicWorkers = [{ name: 'pool', replicas: 1, providerSpec: { cloudProviderSpec: { image: 'ubuntu' }, taints: [{ key: 'k', effect: 'NoSchedule' }], network: { cidr: '10.1.0.5/24' } } }];
};
const ps = (c: KubeOneCluster): any => c.dynamicWorkers![0]!.providerSpec;
const dynamicWorkerCases: Record<string, Case> = {
  'dynamicWorkers[].name': used('machines', (c) => (c.dynamicWorkers![0]!.name = 'other'), pool),
  'dynamicWorkers[].replicas': used('machines', (c) => (c.dynamicWorkers![0]!.replicas = 4), pool),
  'dynamicWorkers[].providerSpec.cloudProviderSpec': used('machines', (c) => (ps(c).cloudProviderSpec = { image: 'rocky' }), pool),
  'dynamicWorkers[].providerSpec.annotations': used('machines', (c) => (ps(c).annotations = { 'k8c.io/operating-system-profile': 'osp-ubuntu' }), pool),
  // A no-op in KubeOne (Deprecated: use nodeAnnotations): refused rather than ignored.
  'dynamicWorkers[].providerSpec.machineAnnotations': refused((c) => (ps(c).machineAnnotations = { a: 'b' }), { context: pool }),
  'dynamicWorkers[].providerSpec.nodeAnnotations': used('machines', (c) => (ps(c).nodeAnnotations = { a: 'b' }), pool),
  'dynamicWorkers[].providerSpec.machineObjectAnnotations': used('machines', (c) => (ps(c).machineObjectAnnotations = { a: 'b' }), pool),
  'dynamicWorkers[].providerSpec.labels': used('machines', (c) => (ps(c).labels = { a: 'b' }), pool),
  'dynamicWorkers[].providerSpec.taints[].key': used('machines', (c) => (ps(c).taints[0].key = 'other'), pool),
  'dynamicWorkers[].providerSpec.taints[].value': used('machines', (c) => (ps(c).taints[0].value = 'v'), pool),
  'dynamicWorkers[].providerSpec.taints[].effect': used('machines', (c) => (ps(c).taints[0].effect = 'NoExecute'), pool),
  'dynamicWorkers[].providerSpec.taints[].timeAdded': used('machines', (c) => (ps(c).taints[0].timeAdded = '2026-01-01T00:00:00Z'), pool),
  'dynamicWorkers[].providerSpec.sshPublicKeys[]': used('machines', (c) => (ps(c).sshPublicKeys = ['ssh-ed25519 AAAA k']), pool),
  'dynamicWorkers[].providerSpec.operatingSystem': used('machines', (c) => (ps(c).operatingSystem = 'ubuntu'), pool),
  'dynamicWorkers[].providerSpec.operatingSystemSpec': used('machines', (c) => (ps(c).operatingSystemSpec = { distUpgradeOnBoot: true }), pool),
  'dynamicWorkers[].providerSpec.network.cidr': used('machines', (c) => (ps(c).network.cidr = '10.2.0.5/24'), pool),
  'dynamicWorkers[].providerSpec.network.gateway': used('machines', (c) => (ps(c).network.gateway = '10.1.0.1'), pool),
  'dynamicWorkers[].providerSpec.network.dns.servers[]': used('machines', (c) => (ps(c).network.dns = { servers: ['10.1.0.2'] }), pool),
  'dynamicWorkers[].providerSpec.network.ipFamily': used('machines', (c) => (ps(c).network.ipFamily = 'IPv4'), pool),
  'dynamicWorkers[].providerSpec.overwriteCloudConfig': used('machines', (c) => (ps(c).overwriteCloudConfig = '[Global]\n'), pool),
};
/** The provider as its docs example sets it up (cloudConfig, csiConfig, required fields). */
const example = (name: keyof typeof PROVIDER_EXAMPLES): Mutate => (c) => (c.cloudProvider = structuredClone(PROVIDER_EXAMPLES[name].cloudProvider));
const cp = (c: KubeOneCluster): any => c.cloudProvider;
const providerCases: Record<string, Case> = {
  // Each provider selects its CCM, CSI driver and credential Secrets (addons) instead of none's.
  ...Object.fromEntries((['aws', 'azure', 'digitalocean', 'gce', 'nutanix', 'equinixmetal', 'vsphere'] as const).map((p) => [`cloudProvider.${p}`, used('addons', example(p))])),
  'cloudProvider.none': used('load', (c) => (c.cloudProvider = {})),
  'cloudProvider.hetzner.networkID': used('addons', (c) => (cp(c).hetzner.networkID = 'other-net'), example('hetzner')),
  // The managed control plane's load balancer comes with controlPlane.nodeSets (not supported yet).
  ...Object.fromEntries(['name', 'type', 'location', 'publicIP', 'labels'].map((f) => [`cloudProvider.hetzner.controlPlane.loadBalancer.${f}`, refused((c) => (cp(c).hetzner.controlPlane = { loadBalancer: { [f]: f === 'publicIP' ? true : f === 'labels' ? { a: 'b' } : f === 'type' ? 'lb11' : 'nbg1' } }), { context: example('hetzner') })])),
  'cloudProvider.kubevirt.infraNamespace': used('addons', (c) => (cp(c).kubevirt.infraNamespace = 'tenant-b'), example('kubevirt')),
  'cloudProvider.kubevirt.zoneAndRegionEnabled': used('addons', (c) => (cp(c).kubevirt.zoneAndRegionEnabled = false), example('kubevirt')),
  'cloudProvider.kubevirt.loadBalancerEnabled': used('addons', (c) => (cp(c).kubevirt.loadBalancerEnabled = false), example('kubevirt')),
  ...Object.fromEntries(['name', 'serviceType', 'annotations'].map((f) => [`cloudProvider.kubevirt.controlPlane.loadBalancer.${f}`, refused((c) => (cp(c).kubevirt.controlPlane = { loadBalancer: { [f]: f === 'annotations' ? { a: 'b' } : f === 'serviceType' ? 'LoadBalancer' : 'api' } }), { context: example('kubevirt') })])),
  ...Object.fromEntries(['name', 'poolID'].map((f) => [`cloudProvider.openstack.controlPlane.loadBalancer.${f}`, refused((c) => (cp(c).openstack.controlPlane = { loadBalancer: { name: 'lb', [f]: 'x' } }), { context: example('openstack') })])),
  'cloudProvider.vmwareCloudDirector.vApp': used('addons', (c) => (cp(c).vmwareCloudDirector.vApp = 'other-vapp'), example('vmwareCloudDirector')),
  // The storage profile of the default StorageClass (and, in KubeOne, of the dynamic workers' disks).
  'cloudProvider.vmwareCloudDirector.storageProfile': used('addons', (c) => (cp(c).vmwareCloudDirector.storageProfile = 'Slow'), (c) => {
    example('vmwareCloudDirector')(c);
    c.addons = { addons: [{ name: 'default-storage-class' }] };
  }),
  // Forced to true for every provider but VMware Cloud Director, which refuses it (as KubeOne).
  'cloudProvider.external': refused((c) => (cp(c).external = true), { context: example('vmwareCloudDirector') }),
  'cloudProvider.disableBundledCSIDrivers': used('addons', (c) => (cp(c).disableBundledCSIDrivers = true), example('hetzner')),
  'cloudProvider.cloudConfig': used('addons', (c) => (cp(c).cloudConfig = '[Global]\nregion = "fsn1"\n'), example('hetzner')),
  'cloudProvider.csiConfig': used('addons', (c) => (cp(c).csiConfig = '[Global]\ncluster-id = "other"\n'), example('vsphere')),
  'cloudProvider.secretProviderClassName': used('addons', (c) => (cp(c).secretProviderClassName = 'vault-kubeone'), example('hetzner')),
};

const registry = (r: Record<string, unknown>): Mutate => (c) => deep(c, ['containerRuntime', 'containerd', 'registries'], { 'quay.io': r });
const withMirror: Mutate = registry({ mirrors: ['https://mirror.example'] });
const cni = (spec: Record<string, unknown>): Mutate => (c) => deep(c, ['clusterNetwork', 'cni'], spec);
const set = (path: string, value: unknown): Mutate => (c) => deep(c, path.split('.'), value);
const ciliumStrict: Mutate = (c) => {
  cni({ cilium: { kubeProxyReplacement: 'strict' } })(c);
  deep(c, ['clusterNetwork', 'kubeProxy', 'skipInstallation'], true);
  deep(c, ['features', 'nodeLocalDNS', 'deploy'], false);
};
const kubeletConfigCases = Object.fromEntries(
  Object.entries({ systemReserved: { cpu: '1' }, kubeReserved: { cpu: '1' }, evictionHard: { 'memory.available': '1Gi' }, maxPods: 50, imageGCHighThresholdPercent: 90, imageGCLowThresholdPercent: 10, imageMinimumGCAge: '5m', imageMaximumGCAge: '24h' }).map(
    ([k, v]) => [`kubeletConfig.${k}`, used('kubeadm', set(`kubeletConfig.${k}`, v))],
  ),
);
const oidc: Mutate = (c) => deep(c, ['features', 'openidConnect'], { enable: true, config: { issuerUrl: 'https://idp.example', clientId: 'kube' } });
const oidcCases = Object.fromEntries(
  Object.entries({ issuerUrl: 'https://other.example', clientId: 'other', usernameClaim: 'email', usernamePrefix: 'u:', groupsClaim: 'roles', groupsPrefix: 'g:', requiredClaim: 'aud=x', signingAlgs: 'ES256', caFile: '/etc/idp.crt' }).map(
    ([k, v]) => [`features.openidConnect.config.${k}`, used('kubeadm', set(`features.openidConnect.config.${k}`, v), oidc)],
  ),
);
const auditOn: Mutate = (c) => deep(c, ['features', 'staticAuditLog'], { enable: true, config: { policyFilePath: 'audit-1.yaml' } });
const customAddons: Mutate = (c) => (c.addons = { path: './addons', addons: [{ name: 'custom', params: { VALUE: 'a' } }] });

const helmRelease: Mutate = (c) => (c.helmReleases = [{ chart: 'x', repoURL: 'https://charts.example', namespace: 'x' }]);
const helmAuth: Mutate = (c) => {
  helmRelease(c);
  c.helmReleases![0]!.auth = { username: 'u', password: 'secret-1' };
};
const helmCases: Record<string, Case> = {
  'helmReleases[].chart': used('helm', set('helmReleases.0.chart', 'y'), helmRelease),
  'helmReleases[].repoURL': used('helm', set('helmReleases.0.repoURL', 'https://other.example'), helmRelease),
  'helmReleases[].chartURL': used('helm', (c) => Object.assign(c.helmReleases![0]!, { chartURL: 'oci://registry.example/charts/x', releaseName: 'x' }), helmRelease),
  'helmReleases[].version': used('helm', set('helmReleases.0.version', '1.2.3'), helmRelease),
  'helmReleases[].releaseName': used('helm', set('helmReleases.0.releaseName', 'other'), helmRelease),
  'helmReleases[].namespace': used('helm', set('helmReleases.0.namespace', 'other'), helmRelease),
  'helmReleases[].wait': used('helm', set('helmReleases.0.wait', true), helmRelease),
  'helmReleases[].insecure': used('helm', set('helmReleases.0.insecure', true), helmRelease),
  'helmReleases[].timeout': used('helm', set('helmReleases.0.timeout', '10m'), helmRelease),
  'helmReleases[].values[].valuesFile': used('helm', set('helmReleases.0.values', [{ valuesFile: './values.yaml' }]), helmRelease),
  'helmReleases[].values[].inline': used('helm', set('helmReleases.0.values', [{ inline: { replicas: 2 } }]), helmRelease),
  'helmReleases[].auth.username': used('helm', set('helmReleases.0.auth.username', 'v'), helmAuth),
  'helmReleases[].auth.password': used('helm', set('helmReleases.0.auth.password', 'secret-2'), helmAuth),
};

const CASES: Record<string, Case> = {
  apiVersion: used('load', set('apiVersion', 'kubeone.k8c.io/v1beta1')),
  kind: used('load', set('kind', 'KubeOneConfiguration')),
  name: used('kubeadm', set('name', 'renamed')),
  ...hostCases('controlPlane'),
  ...hostCases('staticWorkers'),
  ...nodeSetCases,
  ...kubeletConfigCases,
  'apiEndpoint.host': used('kubeadm', set('apiEndpoint.host', 'api.example')),
  'apiEndpoint.port': used('kubeadm', set('apiEndpoint.port', 8443)),
  'apiEndpoint.alternativeNames[]': used('kubeadm', set('apiEndpoint.alternativeNames', ['lb.example'])),
  ...providerCases,
  'versions.kubernetes': used('kubeadm', set('versions.kubernetes', '1.35.1')),
  'containerRuntime.containerd.registries.*.mirrors[]': used('containerd', withMirror),
  'containerRuntime.containerd.registries.*.overridePath': used('containerd', (c) => (c.containerRuntime!.containerd!.registries!['quay.io']!.overridePath = true), withMirror),
  'containerRuntime.containerd.registries.*.tlsConfig.insecureSkipVerify': used('containerd', registry({ tlsConfig: { insecureSkipVerify: true } })),
  ...Object.fromEntries(['username', 'password', 'auth', 'identityToken'].map((f) => [`containerRuntime.containerd.registries.*.auth.${f}`, used('containerd', registry({ auth: { [f]: 'x' } }))])),
  'containerRuntime.containerd.deviceOwnershipFromSecurityContext': used('containerd', set('containerRuntime.containerd.deviceOwnershipFromSecurityContext', true)),
  'containerRuntime.containerd.sandboxImage': used('containerd', set('containerRuntime.containerd.sandboxImage', 'my/pause:1')),
  'containerRuntime.docker': refused(set('containerRuntime.docker', {})),
  'clusterNetwork.podSubnet': used('kubeadm', set('clusterNetwork.podSubnet', '10.200.0.0/16')),
  'clusterNetwork.podSubnetIPv6': used('kubeadm', set('clusterNetwork.podSubnetIPv6', 'fd09::/48'), dualStack),
  'clusterNetwork.serviceSubnet': used('kubeadm', set('clusterNetwork.serviceSubnet', '10.100.0.0/16')),
  'clusterNetwork.serviceSubnetIPv6': used('kubeadm', set('clusterNetwork.serviceSubnetIPv6', 'fd08::/112'), dualStack),
  'clusterNetwork.serviceDomainName': used('kubeadm', set('clusterNetwork.serviceDomainName', 'corp.local')),
  'clusterNetwork.nodePortRange': used('kubeadm', set('clusterNetwork.nodePortRange', '31000-32000')),
  'clusterNetwork.cni.canal.mtu': used('addons', set('clusterNetwork.cni.canal.mtu', 1300)),
  ...Object.fromEntries(['enableHubble', 'enableL2Announcements', 'enableGatewayAPI', 'enableLocalRedirectPolicy'].map((f) => [`clusterNetwork.cni.cilium.${f}`, used('addons', (c) => (c.clusterNetwork!.cni!.cilium![f as 'enableHubble'] = true), ciliumStrict)])),
  'clusterNetwork.cni.cilium.kubeProxyReplacement': used('addons', (c) => (c.clusterNetwork!.cni!.cilium!.kubeProxyReplacement = 'strict'), (c) => {
    ciliumStrict(c);
    c.clusterNetwork!.cni!.cilium!.kubeProxyReplacement = 'disabled';
  }),
  'clusterNetwork.cni.weaveNet.encrypted': used('addons', (c) => (c.clusterNetwork!.cni!.weaveNet!.encrypted = true), (c) => {
    cni({ weaveNet: {} })(c);
    c.addons = { addons: [{ name: 'cni-weavenet', params: { weavePassword: 'pw' } }] };
  }),
  'clusterNetwork.cni.external': used('addons', cni({ external: {} })),
  'clusterNetwork.kubeProxy.skipInstallation': used('kubeadm', set('clusterNetwork.kubeProxy.skipInstallation', true)),
  ...Object.fromEntries(Object.entries({ scheduler: 'rr', excludeCIDRs: ['10.1.0.0/16'], strictARP: true, tcpTimeout: '10s', tcpFinTimeout: '10s', udpTimeout: '10s' }).map(([k, v]) => [`clusterNetwork.kubeProxy.ipvs.${k}${Array.isArray(v) ? '[]' : ''}`, used('kubeadm', set(`clusterNetwork.kubeProxy.ipvs.${k}`, v), set('clusterNetwork.kubeProxy.ipvs', {}))])),
  'clusterNetwork.kubeProxy.iptables': used('kubeadm', set('clusterNetwork.kubeProxy.iptables', {})),
  'clusterNetwork.ipFamily': used('kubeadm', (c) => (c.clusterNetwork!.ipFamily = 'IPv4+IPv6'), (c) => {
    dualStack(c);
    c.clusterNetwork!.ipFamily = 'IPv4';
  }),
  'clusterNetwork.nodeCIDRMaskSizeIPv4': used('kubeadm', set('clusterNetwork.nodeCIDRMaskSizeIPv4', 26)),
  'clusterNetwork.nodeCIDRMaskSizeIPv6': used('kubeadm', set('clusterNetwork.nodeCIDRMaskSizeIPv6', 80), dualStack),
  'proxy.http': used(['hostScripts', 'containerd'], set('proxy.http', 'http://proxy.example:3128')),
  'proxy.https': used(['hostScripts', 'containerd'], set('proxy.https', 'http://proxy.example:3128')),
  'proxy.noProxy': used('hostScripts', set('proxy.noProxy', '.corp'), set('proxy.http', 'http://proxy.example:3128')),
  ...dynamicWorkerCases,
  // On a cloud provider both default to true (KubeOne): turning them off drops their addons.
  'machineController.deploy': used('addons', set('machineController.deploy', false), example('hetzner')),
  'operatingSystemManager.deploy': used('addons', set('operatingSystemManager.deploy', false), example('hetzner')),
  'operatingSystemManager.enableNonRootDeviceOwnership': used('addons', set('operatingSystemManager.enableNonRootDeviceOwnership', true), example('hetzner')),
  caBundle: used(['kubeadm', 'controlPlaneFiles', 'addons'], set('caBundle', CA_PEM)),
  'certificateAuthority.bundle': used(['kubeadm', 'controlPlaneFiles', 'addons'], set('certificateAuthority.bundle', CA_PEM)),
  'certificateAuthority.file': used(['kubeadm', 'controlPlaneFiles', 'addons'], set('certificateAuthority.file', 'ca.pem')),
  'certificateAuthority.certificateValidityPeriod': used('kubeadm', set('certificateAuthority.certificateValidityPeriod', '4380h')),
  'certificateAuthority.caCertificateValidityPeriod': used('kubeadm', set('certificateAuthority.caCertificateValidityPeriod', '43800h')),
  'features.coreDNS.replicas': used('addons', set('features.coreDNS.replicas', 3)),
  'features.coreDNS.deployPodDisruptionBudget': used('addons', set('features.coreDNS.deployPodDisruptionBudget', false)),
  'features.coreDNS.imageRepository': used('kubeadm', set('features.coreDNS.imageRepository', 'dns.example')),
  'features.alwaysPullImages.enable': used('kubeadm', set('features.alwaysPullImages.enable', true)),
  'features.eventRateLimit.enable': used(['kubeadm', 'controlPlaneFiles'], set('features.eventRateLimit.enable', true), set('features.eventRateLimit.config.configFilePath', 'erl-1.yaml')),
  'features.eventRateLimit.config.configFilePath': used('controlPlaneFiles', set('features.eventRateLimit.config.configFilePath', 'erl-2.yaml'), set('features.eventRateLimit', { enable: true, config: { configFilePath: 'erl-1.yaml' } })),
  'features.podNodeSelector.enable': used(['kubeadm', 'controlPlaneFiles'], set('features.podNodeSelector.enable', true), set('features.podNodeSelector.config.configFilePath', 'pns-1.yaml')),
  'features.podNodeSelector.config.configFilePath': used('controlPlaneFiles', set('features.podNodeSelector.config.configFilePath', 'pns-2.yaml'), set('features.podNodeSelector', { enable: true, config: { configFilePath: 'pns-1.yaml' } })),
  'features.podSecurityPolicy.enable': refused(set('features.podSecurityPolicy.enable', true)),
  'features.staticAuditLog.enable': used(['kubeadm', 'controlPlaneFiles'], set('features.staticAuditLog.enable', true), set('features.staticAuditLog.config.policyFilePath', 'audit-1.yaml')),
  'features.staticAuditLog.config.policyFilePath': used('controlPlaneFiles', set('features.staticAuditLog.config.policyFilePath', 'audit-2.yaml'), auditOn),
  ...Object.fromEntries(Object.entries({ logPath: '/var/log/audit/a.log', logMaxAge: 3, logMaxBackup: 7, logMaxSize: 11 }).map(([k, v]) => [`features.staticAuditLog.config.${k}`, used('kubeadm', set(`features.staticAuditLog.config.${k}`, v), auditOn)])),
  'features.dynamicAuditLog.enable': refused(set('features.dynamicAuditLog.enable', true)),
  'features.metricsServer.enable': used('addons', set('features.metricsServer.enable', false)),
  'features.openidConnect.enable': used('kubeadm', oidc),
  ...oidcCases,
  'features.encryptionProviders.enable': used(['kubeadm', 'plan'], set('features.encryptionProviders.enable', true)),
  'features.encryptionProviders.customEncryptionConfiguration': used(['kubeadm', 'plan'], set('features.encryptionProviders.customEncryptionConfiguration', CUSTOM_ENCRYPTION), set('features.encryptionProviders.enable', true)),
  'features.nodeLocalDNS.deploy': used(['kubeadm', 'addons'], set('features.nodeLocalDNS.deploy', false)),
  'addons.enable': refused(set('addons.enable', false), { context: customAddons }),
  'addons.path': used('addons', set('addons.path', './addons')),
  'addons.globalParams': used('addons', set('addons.globalParams', { VALUE: 'global' }), (c) => (c.addons = { path: './addons', addons: [{ name: 'custom' }] })),
  'addons.addons[].name': used('addons', (c) => c.addons!.addons!.push({ name: 'default-storage-class' }), customAddons),
  'addons.addons[].params': used('addons', (c) => (c.addons!.addons![0]!.params = { VALUE: 'b' }), customAddons),
  'addons.addons[].disableTemplating': used('addons', (c) => (c.addons!.addons![0]!.disableTemplating = true), customAddons),
  'addons.addons[].delete': used('addons', set('addons.addons', [{ name: 'metrics-server', delete: true }])),
  ...helmCases,
  'systemPackages.configureRepositories': used('hostScripts', set('systemPackages.configureRepositories', false)),
  'registryConfiguration.overwriteRegistry': used(['kubeadm', 'containerd', 'addons'], set('registryConfiguration.overwriteRegistry', 'registry.example')),
  'registryConfiguration.insecureRegistry': used('containerd', set('registryConfiguration.insecureRegistry', true), set('registryConfiguration.overwriteRegistry', 'registry.example')),
  'loggingConfig.containerLogMaxSize': used('kubeadm', set('loggingConfig.containerLogMaxSize', '10Mi')),
  'loggingConfig.containerLogMaxFiles': used('kubeadm', set('loggingConfig.containerLogMaxFiles', 2)),
  'tlsCipherSuites.apiServer[]': used('kubeadm', set('tlsCipherSuites.apiServer', ['TLS_AES_128_GCM_SHA256'])),
  'tlsCipherSuites.etcd[]': used('kubeadm', set('tlsCipherSuites.etcd', ['TLS_AES_128_GCM_SHA256'])),
  'tlsCipherSuites.kubelet[]': used('kubeadm', set('tlsCipherSuites.kubelet', ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'])),
  ...Object.fromEntries(
    (['controllerManager', 'scheduler', 'apiServer'] as const).flatMap((k) => [
      [`controlPlaneComponents.${k}.flags`, used('kubeadm', set(`controlPlaneComponents.${k}.flags`, { v: '2' }))],
      [`controlPlaneComponents.${k}.featureGates`, used('kubeadm', set(`controlPlaneComponents.${k}.featureGates`, { Foo: true }))],
    ]),
  ),
  'controlPlaneComponents.etcd.quotaBackendBytes': used('kubeadm', set('controlPlaneComponents.etcd.quotaBackendBytes', 4294967296)),
  'controlPlaneComponents.etcd.autoCompactionRetention': used('kubeadm', set('controlPlaneComponents.etcd.autoCompactionRetention', '8h')),
  'controlPlaneComponents.etcd.autoCompactionMode': used('kubeadm', set('controlPlaneComponents.etcd.autoCompactionMode', 'periodic')),
  'kubernetesBinaries.packageRepository.url': used('hostScripts', set('kubernetesBinaries.packageRepository.url', 'https://pkgs.example/v{minor}/deb/')),
  'kubernetesBinaries.bundle.url': used('hostScripts', set('kubernetesBinaries.bundle', { url: 'https://dl.example/k-{version}-{arch}.tar.gz' })),
  'kubernetesBinaries.bundle.path': used('hostScripts', set('kubernetesBinaries.bundle', { path: './k-{version}-{arch}.tar.gz' })),
  'kubernetesBinaries.intermediateVersions': used('plan', set('kubernetesBinaries.intermediateVersions', { '1.35': '1.35.7' })),
};

/** The leaf path with `[]` as `[0]` (the first element every case sets) and `*` as the case's key. */
const concrete = (leaf: string): string => leaf.replaceAll('[]', '[0]').replace('registries.*', 'registries["quay.io"]');

describe('every manifest field is acted on or refused (schemas/kubeonecluster-v1beta2.json)', function () {
  this.timeout(120_000);
  const leaves = new Set<string>();
  schemaLeaves(schema as Node, '', leaves);

  it('the table covers exactly the schema\'s leaves', () => {
    expect([...leaves].filter((l) => !(l in CASES)), 'schema leaves without a case').to.deep.equal([]);
    expect(Object.keys(CASES).filter((l) => !leaves.has(l)), 'cases for no schema leaf').to.deep.equal([]);
    expect(leaves.size).to.be.greaterThan(250);
  });

  it('the base manifest loads', async () => {
    expect((await verdict(base())).issues).to.deep.equal([]);
  });

  for (const leaf of Object.keys(CASES).sort()) {
    const c = CASES[leaf]!;
    it(`${leaf}: ${c.kind === 'consumed' ? `changes ${c.by === 'load' ? "the loader's verdict" : c.by.join(', ')}` : 'is refused'}`, async () => {
      const before = base();
      c.context?.(before);
      const after = structuredClone(before);
      c.set(after);
      expect(JSON.stringify(after), 'the case sets nothing').not.to.equal(JSON.stringify(before));
      if (c.kind === 'refused') {
        expect((await verdict(before)).issues, 'the context alone must load').to.deep.equal([]);
        const at = c.at ?? concrete(leaf);
        const issues = (await verdict(after)).issues;
        const hit = issues.filter((i) => i.path === at || parentPaths(at).includes(i.path) || i.path.startsWith(`${at}.`) || i.path.startsWith(`${at}[`));
        expect(hit, `no issue at ${at}: ${JSON.stringify(issues)}`).to.not.deep.equal([]);
        return;
      }
      if (c.by === 'load') {
        expect(JSON.stringify(await verdict(after))).not.to.equal(JSON.stringify(await verdict(before)));
        return;
      }
      expect((await verdict(after)).issues, 'a consumed value must be accepted').to.deep.equal([]);
      const changed: Consumer[] = [];
      for (const name of c.by) if ((await CONSUMERS[name](loadedOf(after))) !== (await CONSUMERS[name](loadedOf(before)))) changed.push(name);
      expect(changed, `${c.by.join(', ')} output unchanged`).to.deep.equal(c.by);
    });
  }
});
