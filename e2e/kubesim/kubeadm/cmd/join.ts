// kubeadm join: bootstrap-token discovery (cluster-info JWS + CA pinning),
// kubelet TLS bootstrap, and for --control-plane the node's own certificates,
// static Pods and a new etcd member.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { KubeClient, poll, sleep, withApiRetry } from '../../common/kube-client.js';
import { loadKubeconfig, writeKubeconfig } from '../../common/kubeconfig.js';
import { parseVersion } from '../../common/versions.js';
import { verifyDetachedJws } from '../../controllers/bootstrap-tokens.js';
import { defaultAdvertiseAddress } from '../config/defaults.js';
import { parseStoredClusterConfiguration } from '../config/serialize.js';
import type { ClusterConfig, JoinConfig } from '../config/types.js';
import { EtcdClient, etcdEndpointsFromCluster, initialCluster } from '../etcd.js';
import { etcdManifest } from '../manifests.js';
import { KubeadmError, out, phase } from '../output.js';
import { p, PATHS } from '../paths.js';
import { caCertHash, runCertsPhase, runKubeconfigPhase, type NodeIdentity } from '../phases/certs.js';
import { markControlPlane } from '../phases/cluster-objects.js';
import { restartKubelet, waitForKubelet, writeKubeletConfigFile, writeKubeletFlags } from '../phases/kubelet.js';
import { controlPlaneChecks, nodeChecks, runChecks } from '../phases/preflight.js';
import { waitControlPlane } from '../phases/wait.js';
import { checkKubeletVersion } from '../skew.js';
import { writeControlPlaneManifests, writeManifest } from './init.js';

interface Discovered {
  server: string;
  caPem: string;
}

async function discover(join: JoinConfig, timeoutMs: number): Promise<Discovered> {
  if (join.discovery.file) {
    const cfg = loadKubeconfig(join.discovery.file.kubeConfigPath);
    return { server: cfg.server, caPem: cfg.ca?.toString('utf8') ?? '' };
  }
  const bt = join.discovery.bootstrapToken!;
  const [tokenId, tokenSecret] = bt.token.split('.') as [string, string];
  const server = `https://${bt.apiServerEndpoint}`;
  out(`[discovery] Created cluster-info discovery client, requesting info from "${bt.apiServerEndpoint}"`);
  const insecure = new KubeClient({ server, insecure: true }, 'kubeadm', 5000);
  try {
    return await poll('cluster-info discovery', timeoutMs, 5000, async () => {
      let cm;
      try {
        cm = await insecure.get('/api/v1/namespaces/kube-public/configmaps/cluster-info');
      } catch (err) {
        out(`[discovery] Failed to request cluster-info, will try again: ${(err as Error).message}`);
        return undefined;
      }
      const kubeconfig: string | undefined = cm?.data?.kubeconfig;
      const jws: string | undefined = cm?.data?.[`jws-kubeconfig-${tokenId}`];
      if (!kubeconfig || !jws) {
        out(`[discovery] Retrying due to error: token id "${tokenId}" is invalid for this cluster or it has expired. Use "kubeadm token create" on the control-plane node to create a new valid token`);
        return undefined;
      }
      if (!verifyDetachedJws(jws, kubeconfig, tokenId, tokenSecret)) {
        throw Object.assign(new KubeadmError(`couldn't validate the identity of the API Server: failed to verify JWS signature of received cluster info object, can't trust this API Server`, 'preflight'), { fatal: true });
      }
      const doc = parse(kubeconfig) as Record<string, any>;
      const caPem = Buffer.from(doc.clusters?.[0]?.cluster?.['certificate-authority-data'] ?? '', 'base64').toString('utf8');
      if (!bt.unsafeSkipCAVerification) {
        const hash = caCertHash(caPem);
        if (!bt.caCertHashes.map((h) => h.toLowerCase()).includes(hash)) {
          throw Object.assign(new KubeadmError(`couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${hash}" are pinned`, 'preflight'), { fatal: true });
        }
      }
      out(`[discovery] Cluster info signature and contents are valid${bt.unsafeSkipCAVerification ? ' and no TLS pinning was specified, will use API Server' : ' and TLS certificate validates against pinned roots, will use API Server'} "${bt.apiServerEndpoint}"`);
      return { server, caPem };
    });
  } finally {
    insecure.close();
  }
}

function localKubeletVersion(): string | undefined {
  try {
    return execFileSync('kubelet', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim().split(/\s+/)[1];
  } catch {
    return undefined;
  }
}

const SHARED_CERTS = ['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key'];

function checkSharedCerts(cfg: ClusterConfig): void {
  if (!cfg.controlPlaneEndpoint) {
    throw new Error("\nOne or more conditions for hosting a new control plane instance is not satisfied.\n\nunable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address\n\nPlease ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The certificates that must be shared among control plane instances are provided.\n");
  }
  const missing = SHARED_CERTS.filter((f) => !fs.existsSync(p(path.join(cfg.certificatesDir, f))));
  if (missing.length) {
    const f = path.join(cfg.certificatesDir, missing[0]!);
    throw new Error(`\nOne or more conditions for hosting a new control plane instance is not satisfied.\n\n[failure loading certificate for CA: couldn't load the certificate file ${f}: open ${f}: no such file or directory]\n\nPlease ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The certificates that must be shared among control plane instances are provided.\n`);
  }
}

export async function runJoin(join: JoinConfig, ignorePreflightErrors: string[]): Promise<void> {
  const skip = join.skipPhases;
  const cp = join.controlPlane;
  const node: NodeIdentity = {
    nodeName: join.nodeRegistration.name,
    advertiseAddress: cp?.localAPIEndpoint.advertiseAddress || defaultAdvertiseAddress(),
    bindPort: cp?.localAPIEndpoint.bindPort ?? 6443,
  };
  let discovered: Discovered | undefined;
  let cluster: ClusterConfig | undefined;
  let kubeletConfig: Record<string, unknown> = {};
  const ignore = [...ignorePreflightErrors, ...join.nodeRegistration.ignorePreflightErrors];

  await phase('preflight', skip, async () => {
    await runChecks(cp ? controlPlaneChecks(join.nodeRegistration.criSocket, '/var/lib/etcd') : nodeChecks(join.nodeRegistration.criSocket), ignore);
    discovered = await discover(join, 5 * 60_000);
    out("[preflight] Reading configuration from the 'kubeadm-config' ConfigMap in the 'kube-system' Namespace...");
    out("[preflight] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.");
    const boot = bootstrapClient(discovered, join.discovery.tlsBootstrapToken);
    try {
      const cm = await boot.get('/api/v1/namespaces/kube-system/configmaps/kubeadm-config');
      if (!cm) throw new Error('unable to fetch the kubeadm-config ConfigMap: configmaps "kubeadm-config" not found');
      cluster = parseStoredClusterConfiguration(cm.data.ClusterConfiguration);
      const kc = await boot.get('/api/v1/namespaces/kube-system/configmaps/kubelet-config');
      kubeletConfig = kc?.data?.kubelet ? (parse(kc.data.kubelet) as Record<string, unknown>) : {};
    } finally {
      boot.close();
    }
    const kv = localKubeletVersion();
    const kubeletVersion = kv ? parseVersion(kv) : undefined;
    const cpVersion = parseVersion(cluster!.kubernetesVersion);
    if (kubeletVersion && cpVersion) {
      const msg = checkKubeletVersion(kubeletVersion, cpVersion);
      if (msg && !ignore.some((i) => ['kubeletversion', 'all'].includes(i.toLowerCase()))) {
        throw new Error(`[preflight] Some fatal errors occurred:\n\t[ERROR KubeletVersion]: ${msg}\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\``);
      }
    }
    if (cp) {
      out('[preflight] Running pre-flight checks before initializing the new control plane instance');
      checkSharedCerts(cluster!);
    }
  });
  if (!discovered || !cluster) throw new KubeadmError('the preflight phase is required by join', 'preflight');

  if (cp) {
    await phase('control-plane-prepare', skip, () => {
      runCertsPhase(cluster!, node);
      runKubeconfigPhase(cluster!, node, ['admin', 'controller-manager', 'scheduler']);
      writeControlPlaneManifests(cluster!, node);
    });
  }

  await phase('kubelet-start', skip, async () => {
    out(`[kubelet-start] Writing kubelet configuration to file "${PATHS.kubeletConfig}"`);
    writeKubeconfig(p(PATHS.bootstrapKubelet), {
      clusterName: cluster!.clusterName,
      server: discovered!.server,
      caPem: discovered!.caPem,
      user: 'tls-bootstrap-token-user',
      token: join.discovery.tlsBootstrapToken,
    });
    fs.mkdirSync(p(path.dirname(join.caCertPath)), { recursive: true });
    if (!fs.existsSync(p(join.caCertPath))) fs.writeFileSync(p(join.caCertPath), discovered!.caPem, { mode: 0o644 });
    // Control planes get their taints from mark-control-plane, workers at registration.
    writeKubeletFlags(join.nodeRegistration, { registerTaints: !cp, hostname: os.hostname().toLowerCase() });
    writeKubeletConfigFile(kubeletConfig);
    restartKubelet();
    await waitForKubelet(4 * 60_000);
    out('[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap');
    await poll('the kubelet to perform the TLS Bootstrap', 4 * 60_000, 1000, async () => (fs.existsSync(p(PATHS.kubelet)) ? true : undefined));
    fs.rmSync(p(PATHS.bootstrapKubelet), { force: true });
  });

  if (cp) {
    const admin = new KubeClient(loadKubeconfig(p(PATHS.admin)), 'kubeadm');
    try {
      await phase('control-plane-join', skip, async () => {
        await joinEtcd(admin, cluster!, node);
        await withApiRetry(() => markControlPlane(admin, node.nodeName, join.nodeRegistration.taints));
      });
      await phase('wait-control-plane', skip, () => waitControlPlane(node.advertiseAddress, node.bindPort, 4 * 60_000));
    } finally {
      admin.close();
    }
  }
  printJoined(!!cp);
}

function bootstrapClient(d: Discovered, token: string): KubeClient {
  return new KubeClient({ server: d.server, ca: Buffer.from(d.caPem), token }, 'kubeadm');
}

async function joinEtcd(admin: KubeClient, cluster: ClusterConfig, node: NodeIdentity): Promise<void> {
  if (!cluster.etcd.local) return;
  const endpoints = await etcdEndpointsFromCluster(admin);
  const etcd = new EtcdClient(endpoints, p(cluster.certificatesDir));
  const peerURL = `https://${node.advertiseAddress}:2380`;
  try {
    const members = await etcd.memberList();
    let all = members;
    if (!members.some((m) => (m.peerURLs ?? []).includes(peerURL))) {
      out(`[etcd] Announced new etcd member joining to the existing etcd cluster`);
      all = (await etcd.memberAdd(peerURL)).members;
    }
    writeManifest('etcd', etcdManifest(cluster, node, { initialCluster: initialCluster(all, node.nodeName, peerURL), initialClusterState: 'existing' }));
    out(`[etcd] Creating static Pod manifest for "etcd"`);
    out('[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s');
  } finally {
    etcd.close();
  }
  const local = new EtcdClient([`https://${node.advertiseAddress}:2379`], p(cluster.certificatesDir));
  try {
    await poll('the new etcd member to join the cluster', 2 * 60_000, 1000, async () => {
      const list = await local.memberList();
      return list.some((m) => m.name === node.nodeName) ? true : undefined;
    });
  } finally {
    local.close();
  }
  await sleep(500);
}

function printJoined(controlPlane: boolean): void {
  out('');
  out('This node has joined the cluster:');
  if (controlPlane) {
    out('* Certificate signing request was sent to apiserver and approval was received.');
    out('* The Kubelet was informed of the new secure connection details.');
    out('* Control plane label and taint were applied to the new node.');
    out('* The Kubernetes control plane instances scaled up.');
    out('* A new etcd member was added to the local/stacked etcd cluster.');
    out('');
    out('To start administering your cluster from this node, you need to run the following as a regular user:');
    out('');
    out('\tmkdir -p $HOME/.kube');
    out('\tsudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config');
    out('\tsudo chown $(id -u):$(id -g) $HOME/.kube/config');
    out('');
    out("Run 'kubectl get nodes' to see this node join the cluster.");
  } else {
    out('* Certificate signing request was sent to apiserver and a response was received.');
    out('* The Kubelet was informed of the new secure connection details.');
    out('');
    out("Run 'kubectl get nodes' on the control-plane to see this node join the cluster.");
  }
  out('');
}
