// kubeadm upgrade plan | apply vX | node: version policy, static Pod manifest
// rewrites (waiting for the kubelet to restart each component), certificate
// renewal, config uploads, kubelet config and addon images.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parse } from 'yaml';
import { KubeClient } from '../../common/kube-client.js';
import { loadKubeconfig } from '../../common/kubeconfig.js';
import { bakedVersion, compareVersions, formatVersion, parseVersion, type Semver } from '../../common/versions.js';
import { parseStoredClusterConfiguration } from '../config/serialize.js';
import type { ClusterConfig } from '../config/types.js';
import { apiServerManifest, controllerManagerManifest, etcdManifest, image, schedulerManifest, type Component } from '../manifests.js';
import { KubeadmError, out } from '../output.js';
import { p, PATHS } from '../paths.js';
import { corednsImage, ensureCoreDNS, ensureKubeProxy, kubeProxyImage } from '../phases/addons.js';
import { controlPlaneUrl, type NodeIdentity } from '../phases/certs.js';
import { uploadKubeadmConfig, uploadKubeletConfig } from '../phases/cluster-objects.js';
import { writeKubeletConfigFile } from '../phases/kubelet.js';
import { mirrorPodHash, waitStaticPodRestart } from '../phases/wait.js';
import { checkUpgradeNode, enforceVersionPolicies, formatSkewErrors } from '../skew.js';
import { renewAll } from './certs.js';
import { writeManifest } from './init.js';

interface ClusterState {
  client: KubeClient;
  cfg: ClusterConfig;
  kubeletConfig: Record<string, unknown>;
  kubeProxyConfig: Record<string, unknown>;
  kubelets: Semver[];
  clusterVersion: Semver;
}

async function readCluster(kubeconfig: string): Promise<ClusterState> {
  out('[upgrade/config] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...');
  out("[upgrade/config] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.");
  const client = new KubeClient(loadKubeconfig(p(kubeconfig)), 'kubeadm');
  const cm = await client.get('/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
  if (!cm) throw new KubeadmError('unable to fetch the kubeadm-config ConfigMap: configmaps "kubeadm-config" not found', 'preflight');
  const cfg = parseStoredClusterConfiguration(cm.data.ClusterConfiguration);
  const kc = await client.get('/api/v1/namespaces/kube-system/configmaps/kubelet-config');
  const kp = await client.get('/api/v1/namespaces/kube-system/configmaps/kube-proxy');
  const nodes = (await client.list('/api/v1/nodes')).items ?? [];
  return {
    client,
    cfg,
    kubeletConfig: kc?.data?.kubelet ? (parse(kc.data.kubelet) as Record<string, unknown>) : {},
    kubeProxyConfig: kp?.data?.['config.conf'] ? (parse(kp.data['config.conf']) as Record<string, unknown>) : {},
    kubelets: nodes.map((n: any) => parseVersion(n.status?.nodeInfo?.kubeletVersion ?? '')).filter(Boolean) as Semver[],
    clusterVersion: parseVersion(cfg.kubernetesVersion)!,
  };
}

/** This node's identity from its kube-apiserver manifest (upgrade works on existing nodes). */
function localControlPlane(nodeName: string): NodeIdentity | undefined {
  const file = p(`${PATHS.manifests}/kube-apiserver.yaml`);
  if (!fs.existsSync(file)) return undefined;
  const pod = parse(fs.readFileSync(file, 'utf8')) as any;
  const endpoint: string = pod?.metadata?.annotations?.['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] ?? '';
  const [advertiseAddress, port] = endpoint.split(':');
  return { nodeName, advertiseAddress: advertiseAddress ?? '', bindPort: Number(port ?? 6443) };
}

/** The node name is the CN of the kubelet's client certificate ("system:node:<name>"). */
function nodeNameFromKubeletConf(): string {
  const cfg = loadKubeconfig(p(PATHS.kubelet));
  const fromCert = cfg.cert ? /CN=system:node:([^\n,]+)/.exec(new crypto.X509Certificate(cfg.cert).subject)?.[1] : undefined;
  return fromCert ?? os.hostname().toLowerCase();
}

function backupDir(): string {
  const d = new Date();
  const stamp = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}-${String(d.getHours()).padStart(2, '0')}-${String(d.getMinutes()).padStart(2, '0')}-${String(d.getSeconds()).padStart(2, '0')}`;
  return `${PATHS.tmp}/kubeadm-backup-manifests-${stamp}`;
}

/** Rewrite this node's static Pod manifests for cfg's version and wait for each restart. */
async function upgradeStaticPods(client: KubeClient, cfg: ClusterConfig, node: NodeIdentity, renewCerts: boolean): Promise<void> {
  out(`[upgrade/staticpods] Writing new Static Pod manifests to "${PATHS.tmp}/kubeadm-upgraded-manifests"`);
  const backup = backupDir();
  fs.mkdirSync(p(backup), { recursive: true });
  const components: Array<[Component, () => object]> = [];
  const etcdFile = p(`${PATHS.manifests}/etcd.yaml`);
  if (cfg.etcd.local && fs.existsSync(etcdFile)) {
    const current = parse(fs.readFileSync(etcdFile, 'utf8')) as any;
    const cmd: string[] = current?.spec?.containers?.[0]?.command ?? [];
    const initialCluster = cmd.find((c) => c.startsWith('--initial-cluster='))?.slice('--initial-cluster='.length);
    const state = cmd.find((c) => c.startsWith('--initial-cluster-state='))?.slice('--initial-cluster-state='.length) as 'existing' | undefined;
    if (current?.spec?.containers?.[0]?.image !== image(cfg, 'etcd')) {
      components.push(['etcd', () => etcdManifest(cfg, node, { initialCluster, initialClusterState: state })]);
    } else {
      out('[upgrade/etcd] Etcd image is up to date, skipping etcd upgrade');
    }
  }
  components.push(['kube-apiserver', () => apiServerManifest(cfg, node)], ['kube-controller-manager', () => controllerManagerManifest(cfg)], ['kube-scheduler', () => schedulerManifest(cfg)]);
  if (renewCerts) {
    out('[upgrade/staticpods] Renewing certificates of this node');
    renewAll(cfg, node, false);
  }
  for (const [component, make] of components) {
    const file = p(`${PATHS.manifests}/${component}.yaml`);
    out(`[upgrade/staticpods] Preparing for "${component}" upgrade`);
    const before = await mirrorPodHash(client, component, node.nodeName);
    if (fs.existsSync(file)) fs.copyFileSync(file, path.join(p(backup), `${component}.yaml`));
    const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    writeManifest(component, make());
    out(`[upgrade/staticpods] Moving new manifest to "${PATHS.manifests}/${component}.yaml" and backing up old manifest to "${backup}/${component}.yaml"`);
    if (fs.readFileSync(file, 'utf8') === previous) {
      out(`[upgrade/staticpods] Current and new manifests of ${component} are equal, skipping upgrade`);
      continue;
    }
    await waitStaticPodRestart(client, component, node.nodeName, before, 5 * 60_000);
  }
  out(`[upgrade/staticpods] Cleaning up the manifest backup directory "${backup}"`);
  fs.rmSync(p(backup), { recursive: true, force: true });
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    // kubeadm reads a line anyway; with no input it counts as "no".
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer: string = await new Promise((resolve) => {
    rl.question(question, resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  return ['y', 'yes'].includes(answer.trim().toLowerCase());
}

async function healthChecks(s: ClusterState): Promise<void> {
  out('[upgrade] Running cluster health checks');
  const nodes = (await s.client.list('/api/v1/nodes?labelSelector=node-role.kubernetes.io%2Fcontrol-plane')).items ?? [];
  const notReady = nodes.filter((n: any) => n.status?.conditions?.find((c: any) => c.type === 'Ready')?.status !== 'True').map((n: any) => n.metadata.name);
  const problems: string[] = [];
  if (notReady.length) problems.push(`\t[ERROR ControlPlaneNodesReady]: there are NotReady control-planes in the cluster: [${notReady.join(' ')}]`);
  for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    if (!fs.existsSync(p(`${PATHS.manifests}/${c}.yaml`))) problems.push(`\t[ERROR StaticPodManifest]: the manifest for component ${c} doesn't exist: ${PATHS.manifests}/${c}.yaml`);
  }
  if (problems.length) throw new KubeadmError(`[preflight] Some fatal errors occurred:\n${problems.join('\n')}\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\``, 'preflight');
}

export async function upgradeApply(opts: { version?: string; yes: boolean; force: boolean; kubeconfig: string; certificateRenewal: boolean; etcdUpgrade: boolean }): Promise<void> {
  if (!opts.version) throw new KubeadmError('missing one or more required arguments. Required arguments: [version]');
  const target = parseVersion(opts.version);
  if (!target) throw new KubeadmError(`[upgrade/version] FATAL: the --version argument is invalid: unable to parse version "${opts.version}"`, 'preflight');
  out('[preflight] Running pre-flight checks.');
  const stored = await readCluster(opts.kubeconfig);
  // As kubeadm: `upgrade apply` takes the cluster's version from the API server (discovery),
  // not from the stored ClusterConfiguration, which may already name the target (KubeOne
  // uploads the new configuration before it upgrades the leader).
  const served = parseVersion(String((await stored.client.get('/version'))?.gitVersion ?? ''));
  const s = served ? { ...stored, clusterVersion: served } : stored;
  try {
    const kubeadm = parseVersion(bakedVersion())!;
    out(`[upgrade] Running cluster health checks`);
    await healthChecks(s);
    out(`[upgrade/version] You have chosen to upgrade to version "${formatVersion(target)}"`);
    out(`[upgrade/versions] Cluster version: ${formatVersion(s.clusterVersion)}`);
    out(`[upgrade/versions] kubeadm version: ${formatVersion(kubeadm)}`);
    const msg = formatSkewErrors(enforceVersionPolicies({ target, targetText: formatVersion(target), cluster: s.clusterVersion, kubeadm, kubelets: s.kubelets }), opts.force);
    if (msg) throw new KubeadmError(msg, 'preflight');
    if (!opts.yes && !(await confirm('[upgrade] Are you sure you want to proceed? [y/N]: '))) {
      throw new KubeadmError('won\'t proceed; the user didn\'t answer (Y|y) in order to continue', 'preflight');
    }
    const nodeName = nodeNameFromKubeletConf();
    const node = localControlPlane(nodeName);
    if (!node) throw new KubeadmError(`the manifest ${PATHS.manifests}/kube-apiserver.yaml does not exist; "kubeadm upgrade apply" must run on a control plane node`, 'preflight');
    out(`[upgrade/control-plane] Upgrading your static Pod-hosted control plane to version "${formatVersion(target)}" (timeout: 5m0s)...`);
    const cfg: ClusterConfig = { ...s.cfg, kubernetesVersion: formatVersion(target) };
    await upgradeStaticPods(s.client, cfg, node, opts.certificateRenewal);
    await uploadKubeadmConfig(s.client, cfg);
    await uploadKubeletConfig(s.client, s.kubeletConfig);
    backupKubeletConfig();
    writeKubeletConfigFile(s.kubeletConfig);
    out('[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!');
    out('[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes');
    if (!cfg.dns.disabled) await ensureCoreDNS(s.client, cfg);
    if (!cfg.proxy.disabled) await ensureKubeProxy(s.client, cfg, s.kubeProxyConfig, controlPlaneUrl(cfg, node));
    out('');
    out(`[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "${formatVersion(target)}".`);
    out('');
    out('[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.');
  } finally {
    s.client.close();
  }
}

function backupKubeletConfig(): void {
  const d = new Date().toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '');
  const dir = p(`${PATHS.tmp}/kubeadm-kubelet-config-${d}`);
  if (fs.existsSync(p(PATHS.kubeletConfig))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(p(PATHS.kubeletConfig), path.join(dir, 'config.yaml'));
    out(`[upgrade] Backing up kubelet config file to ${dir.replace(p('/'), '/')}/config.yaml`);
  }
}

export async function upgradeNode(opts: { certificateRenewal: boolean }): Promise<void> {
  const isControlPlane = fs.existsSync(p(`${PATHS.manifests}/kube-apiserver.yaml`));
  const kubeconfig = isControlPlane && fs.existsSync(p(PATHS.admin)) ? PATHS.admin : PATHS.kubelet;
  const s = await readCluster(kubeconfig);
  try {
    const kubeadm = parseVersion(bakedVersion())!;
    const msg = checkUpgradeNode(kubeadm, s.clusterVersion);
    if (msg) throw new KubeadmError(msg, 'preflight');
    out('[upgrade] Upgrading your Static Pod-hosted control plane instance to version "' + s.cfg.kubernetesVersion + '"...');
    if (isControlPlane) {
      const node = localControlPlane(nodeNameFromKubeletConf())!;
      out('[upgrade/preflight] Running pre-flight checks');
      await upgradeStaticPods(s.client, s.cfg, node, opts.certificateRenewal);
    } else {
      out('[upgrade] Skipping phase. Not a control plane node.');
    }
    backupKubeletConfig();
    writeKubeletConfigFile(s.kubeletConfig);
    out('[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!');
    out('[upgrade] The configuration for this node was successfully upgraded!');
    out('[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.');
  } finally {
    s.client.close();
  }
}

export async function upgradePlan(opts: { version?: string; kubeconfig: string }): Promise<void> {
  const s = await readCluster(opts.kubeconfig);
  try {
    const kubeadm = parseVersion(bakedVersion())!;
    out(`[upgrade/versions] Cluster version: ${formatVersion(s.clusterVersion)}`);
    out(`[upgrade/versions] kubeadm version: ${formatVersion(kubeadm)}`);
    out(`[upgrade/versions] Target version: ${opts.version ?? formatVersion(kubeadm)}`);
    const target = opts.version ? parseVersion(opts.version)! : kubeadm;
    if (compareVersions(target, s.clusterVersion) <= 0) {
      out('');
      out('Awesome, you\'re up-to-date! Enjoy!');
      return;
    }
    const errs = enforceVersionPolicies({ target, targetText: formatVersion(target), cluster: s.clusterVersion, kubeadm, kubelets: s.kubelets });
    const fatal = formatSkewErrors(errs, false);
    if (fatal) throw new KubeadmError(fatal, 'preflight');
    const next: ClusterConfig = { ...s.cfg, kubernetesVersion: formatVersion(target) };
    const nodes = (await s.client.list('/api/v1/nodes')).items ?? [];
    const pods = (await s.client.list('/api/v1/namespaces/kube-system/pods?labelSelector=tier%3Dcontrol-plane')).items ?? [];
    out('');
    out('Components that must be upgraded manually after you have upgraded the control plane with \'kubeadm upgrade apply\':');
    out('COMPONENT   NODE      CURRENT   TARGET');
    for (const n of nodes) out(`kubelet     ${n.metadata.name.padEnd(9)} ${n.status?.nodeInfo?.kubeletVersion ?? ''}   ${formatVersion(target)}`);
    out('');
    out(`Upgrade to the latest stable version:`);
    out('');
    out('COMPONENT                 NODE      CURRENT    TARGET');
    for (const pod of pods) {
      const comp = pod.metadata.labels?.component;
      const cur = String(pod.spec?.containers?.[0]?.image ?? '').split(':').pop();
      const want = comp === 'etcd' ? image(next, 'etcd').split(':').pop() : formatVersion(target);
      out(`${comp.padEnd(25)} ${String(pod.spec?.nodeName).padEnd(9)} ${cur?.padEnd(10)} ${want}`);
    }
    out(`kube-proxy                          ${kubeProxyImage(s.cfg).split(':').pop()}    ${formatVersion(target)}`);
    out(`CoreDNS                             ${corednsImage(s.cfg).split(':').pop()}    ${corednsImage(next).split(':').pop()}`);
    out('');
    out('You can now apply the upgrade by executing the following command:');
    out('');
    out(`\tkubeadm upgrade apply ${formatVersion(target)}`);
    out('');
    out('_____________________________________________________________________');
  } finally {
    s.client.close();
  }
}
