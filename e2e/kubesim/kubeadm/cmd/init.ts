// kubeadm init (and "kubeadm init phase ..."): the phases in kubeadm's order.
import * as fs from 'node:fs';
import { stringify } from 'yaml';
import { KubeClient, poll, withApiRetry } from '../../common/kube-client.js';
import { loadKubeconfig } from '../../common/kubeconfig.js';
import { loadCa } from '../../pki/kubeadm-pki.js';
import { defaultAdvertiseAddress } from '../config/defaults.js';
import type { InitConfig } from '../config/types.js';
import { apiServerManifest, controllerManagerManifest, etcdManifest, renderManifest, schedulerManifest, type Component } from '../manifests.js';
import { out, phase } from '../output.js';
import { p, PATHS } from '../paths.js';
import { ensureCoreDNS, ensureKubeProxy } from '../phases/addons.js';
import { caCertHash, controlPlaneUrl, runCertsPhase, runKubeconfigPhase, type NodeIdentity } from '../phases/certs.js';
import { bootstrapTokenPhase, ensureClusterAdminsBinding, markControlPlane, uploadKubeadmConfig, uploadKubeletConfig } from '../phases/cluster-objects.js';
import { defaultKubeletConfiguration, finalizeKubeletConf, restartKubelet, waitForKubelet, writeKubeletConfigFile, writeKubeletFlags } from '../phases/kubelet.js';
import { controlPlaneChecks, runChecks } from '../phases/preflight.js';
import { waitControlPlane } from '../phases/wait.js';
import * as os from 'node:os';

export function nodeIdentity(cfg: InitConfig): NodeIdentity {
  return {
    nodeName: cfg.nodeRegistration.name,
    advertiseAddress: cfg.localAPIEndpoint.advertiseAddress || defaultAdvertiseAddress(),
    bindPort: cfg.localAPIEndpoint.bindPort,
  };
}

export function writeManifest(component: Component, obj: object): void {
  fs.mkdirSync(p(PATHS.manifests), { recursive: true });
  fs.writeFileSync(p(`${PATHS.manifests}/${component}.yaml`), renderManifest(obj), { mode: 0o600 });
}

export function writeControlPlaneManifests(cfg: InitConfig['cluster'], node: NodeIdentity, which: Array<'apiserver' | 'controller-manager' | 'scheduler'> = ['apiserver', 'controller-manager', 'scheduler']): void {
  out(`[control-plane] Using manifest folder "${PATHS.manifests}"`);
  if (which.includes('apiserver')) {
    out('[control-plane] Creating static Pod manifest for "kube-apiserver"');
    writeManifest('kube-apiserver', apiServerManifest(cfg, node));
  }
  if (which.includes('controller-manager')) {
    out('[control-plane] Creating static Pod manifest for "kube-controller-manager"');
    writeManifest('kube-controller-manager', controllerManagerManifest(cfg));
  }
  if (which.includes('scheduler')) {
    out('[control-plane] Creating static Pod manifest for "kube-scheduler"');
    writeManifest('kube-scheduler', schedulerManifest(cfg));
  }
}

export const INIT_PHASES = [
  'preflight', 'certs', 'kubeconfig', 'etcd', 'control-plane', 'kubelet-start', 'wait-control-plane', 'upload-config',
  'upload-certs', 'mark-control-plane', 'bootstrap-token', 'kubelet-finalize', 'addon', 'show-join-command',
] as const;

export interface InitRun {
  cfg: InitConfig;
  ignorePreflightErrors: string[];
  /** Run only these phases ("kubeadm init phase X [sub]"). */
  only?: { phase: string; sub?: string };
  skipTokenPrint?: boolean;
}

function adminClient(): KubeClient {
  const file = fs.existsSync(p(PATHS.superAdmin)) ? PATHS.superAdmin : PATHS.admin;
  return new KubeClient(loadKubeconfig(p(file)), 'kubeadm/' + process.env.KUBESIM_VERSION);
}

export async function runInit(run: InitRun): Promise<void> {
  const { cfg } = run;
  const node = nodeIdentity(cfg);
  const skip = run.only ? INIT_PHASES.filter((ph) => ph !== run.only!.phase) : cfg.skipPhases;
  const sub = run.only?.sub;
  const wants = (s: string): boolean => !sub || sub === 'all' || sub === s;
  if (!run.only) out(`[init] Using Kubernetes version: ${cfg.cluster.kubernetesVersion}`);

  await phase('preflight', skip, async () => {
    await runChecks(controlPlaneChecks(cfg.nodeRegistration.criSocket, cfg.cluster.etcd.local?.dataDir), [...run.ignorePreflightErrors, ...cfg.nodeRegistration.ignorePreflightErrors]);
    out('[preflight] Pulling images required for setting up a Kubernetes cluster');
    out('[preflight] This might take a minute or two, depending on the speed of your internet connection');
    out("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
  });
  await phase('certs', skip, () => runCertsPhase(cfg.cluster, node, sub && sub !== 'all' ? [sub === 'etcd-ca' ? 'etcd/ca' : sub.replace(/^etcd-/, 'etcd/')] : undefined));
  await phase('kubeconfig', skip, () => {
    const all = ['admin', 'super-admin', 'kubelet', 'controller-manager', 'scheduler'] as const;
    runKubeconfigPhase(cfg.cluster, node, all.filter((n) => wants(n)));
  });
  await phase('etcd', skip, () => {
    if (!cfg.cluster.etcd.local) return;
    out(`[etcd] Creating static Pod manifest for local etcd in "${PATHS.manifests}"`);
    writeManifest('etcd', etcdManifest(cfg.cluster, node));
  });
  await phase('control-plane', skip, () => writeControlPlaneManifests(cfg.cluster, node, (['apiserver', 'controller-manager', 'scheduler'] as const).filter((c) => wants(c))));
  const kubeletConfig = defaultKubeletConfiguration(cfg.kubelet, cfg.cluster);
  await phase('kubelet-start', skip, () => {
    writeKubeletFlags(cfg.nodeRegistration, { registerTaints: false, hostname: os.hostname().toLowerCase() });
    writeKubeletConfigFile(kubeletConfig);
    restartKubelet();
  });
  await phase('wait-control-plane', skip, async () => {
    await waitForKubelet(4 * 60_000);
    await waitControlPlane(node.advertiseAddress, node.bindPort, 4 * 60_000);
  });
  let client: KubeClient | undefined;
  const api = (): KubeClient => (client ??= adminClient());
  try {
    await phase('upload-config', skip, async () => {
      await withApiRetry(() => ensureClusterAdminsBinding(api()));
      if (wants('kubeadm')) await withApiRetry(() => uploadKubeadmConfig(api(), cfg.cluster));
      if (wants('kubelet')) await withApiRetry(() => uploadKubeletConfig(api(), kubeletConfig));
    });
    await phase('upload-certs', skip, () => out('[upload-certs] Skipping phase. Please see --upload-certs'));
    await phase('mark-control-plane', skip, () => withApiRetry(() => markControlPlane(api(), node.nodeName, cfg.nodeRegistration.taints)));
    const caPem = loadCa(p(cfg.cluster.certificatesDir), 'ca')?.certPem ?? '';
    await phase('bootstrap-token', skip, () => withApiRetry(() => bootstrapTokenPhase(api(), cfg.cluster, cfg.bootstrapTokens, controlPlaneUrl(cfg.cluster, node), caPem)));
    await phase('kubelet-finalize', skip, () => finalizeKubeletConf());
    await phase('addon', skip, async () => {
      if (wants('coredns') && !cfg.cluster.dns.disabled) await withApiRetry(() => ensureCoreDNS(api(), cfg.cluster));
      if (wants('kube-proxy') && !cfg.cluster.proxy.disabled) await withApiRetry(() => ensureKubeProxy(api(), cfg.cluster, cfg.kubeProxy, controlPlaneUrl(cfg.cluster, node)));
    });
    await phase('show-join-command', skip, () => {
      if (run.only) return;
      printJoinInstructions(cfg, node, caPem, run.skipTokenPrint);
    });
  } finally {
    client?.close();
  }
}

function printJoinInstructions(cfg: InitConfig, node: NodeIdentity, caPem: string, skipToken?: boolean): void {
  const endpoint = controlPlaneUrl(cfg.cluster, node).replace('https://', '');
  const token = skipToken ? '<value withheld>' : cfg.bootstrapTokens[0]?.token ?? '';
  const hash = caCertHash(caPem);
  out('');
  out('Your Kubernetes control-plane has initialized successfully!');
  out('');
  out('To start using your cluster, you need to run the following as a regular user:');
  out('');
  out('  mkdir -p $HOME/.kube');
  out('  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config');
  out('  sudo chown $(id -u):$(id -g) $HOME/.kube/config');
  out('');
  out('Alternatively, if you are the root user, you can run:');
  out('');
  out('  export KUBECONFIG=/etc/kubernetes/admin.conf');
  out('');
  out('You should now deploy a pod network to the cluster.');
  out('Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:');
  out('  https://kubernetes.io/docs/concepts/cluster-administration/addons/');
  out('');
  if (cfg.cluster.controlPlaneEndpoint) {
    out('You can now join any number of control-plane nodes by copying certificate authorities');
    out('and service account keys on each node and then running the following as root:');
    out('');
    out(`  kubeadm join ${endpoint} --token ${token} \\`);
    out(`\t--discovery-token-ca-cert-hash ${hash} \\`);
    out('\t--control-plane ');
    out('');
  }
  out('Then you can join any number of worker nodes by running the following on each as root:');
  out('');
  out(`kubeadm join ${endpoint} --token ${token} \\`);
  out(`\t--discovery-token-ca-cert-hash ${hash} `);
}

/** Wait for an API call to work (used after restarts). */
export async function waitApi(client: KubeClient, timeoutMs: number): Promise<void> {
  await poll('the API server', timeoutMs, 1000, async () => ((await client.healthz()) ? true : undefined));
}

export { stringify };
