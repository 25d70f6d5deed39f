// "certs" and "kubeconfig" phases: the PKI under certificatesDir and the
// kubeconfig files under /etc/kubernetes, from the node's configuration.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDuration } from '../../common/duration.js';
import { writeKubeconfig } from '../../common/kubeconfig.js';
import { ensureAllCerts, loadCa, signLeaf, type PkiSpec } from '../../pki/kubeadm-pki.js';
import { generateKey, privateKeyPem, type KeyAlgorithm } from '../../pki/x509.js';
import type { ClusterConfig } from '../config/types.js';
import { out } from '../output.js';
import { p, PATHS } from '../paths.js';

export interface NodeIdentity {
  nodeName: string;
  advertiseAddress: string;
  bindPort: number;
}

export function pkiSpec(cfg: ClusterConfig, node: NodeIdentity): PkiSpec {
  return {
    certificatesDir: p(cfg.certificatesDir),
    nodeName: node.nodeName,
    advertiseAddress: node.advertiseAddress,
    controlPlaneEndpoint: cfg.controlPlaneEndpoint,
    apiServerCertSANs: cfg.apiServer.certSANs,
    etcdServerCertSANs: cfg.etcd.local?.serverCertSANs ?? [],
    etcdPeerCertSANs: cfg.etcd.local?.peerCertSANs ?? [],
    serviceSubnet: cfg.networking.serviceSubnet,
    dnsDomain: cfg.networking.dnsDomain,
    encryptionAlgorithm: cfg.encryptionAlgorithm as KeyAlgorithm,
    certificateValidityMs: parseDuration(cfg.certificateValidityPeriod),
    caCertificateValidityMs: parseDuration(cfg.caCertificateValidityPeriod),
  };
}

export function runCertsPhase(cfg: ClusterConfig, node: NodeIdentity, only?: string[]): void {
  ensureAllCerts(pkiSpec(cfg, node), out, new Date(), only);
}

/** https://<controlPlaneEndpoint or advertise:port> */
export function controlPlaneUrl(cfg: ClusterConfig, node: NodeIdentity): string {
  if (cfg.controlPlaneEndpoint) {
    const ep = cfg.controlPlaneEndpoint;
    return `https://${/:\d+$/.test(ep) ? ep : `${ep}:${node.bindPort}`}`;
  }
  return `https://${node.advertiseAddress}:${node.bindPort}`;
}

export function localUrl(node: NodeIdentity): string {
  return `https://${node.advertiseAddress}:${node.bindPort}`;
}

export interface KubeconfigFile {
  name: 'admin' | 'super-admin' | 'kubelet' | 'controller-manager' | 'scheduler';
  file: string;
  user: string;
  orgs: string[];
  local: boolean;
}

export function kubeconfigFiles(nodeName: string): KubeconfigFile[] {
  return [
    { name: 'admin', file: PATHS.admin, user: 'kubernetes-admin', orgs: ['kubeadm:cluster-admins'], local: false },
    { name: 'super-admin', file: PATHS.superAdmin, user: 'kubernetes-super-admin', orgs: ['system:masters'], local: false },
    { name: 'kubelet', file: PATHS.kubelet, user: `system:node:${nodeName}`, orgs: ['system:nodes'], local: false },
    { name: 'controller-manager', file: PATHS.controllerManager, user: 'system:kube-controller-manager', orgs: [], local: true },
    { name: 'scheduler', file: PATHS.scheduler, user: 'system:kube-scheduler', orgs: [], local: true },
  ];
}

export function writeKubeconfigWithCert(cfg: ClusterConfig, node: NodeIdentity, kc: KubeconfigFile, now = new Date(), existingKey?: crypto.KeyObject): void {
  const dir = p(cfg.certificatesDir);
  const ca = loadCa(dir, 'ca');
  if (!ca) throw new Error(`couldn't create a kubeconfig; the CA files couldn't be loaded: open ${path.join(cfg.certificatesDir, 'ca.crt')}: no such file or directory`);
  const key = existingKey ?? generateKey(cfg.encryptionAlgorithm as KeyAlgorithm).privateKey;
  const certPem = signLeaf(ca, { commonName: kc.user, organizations: kc.orgs }, crypto.createPublicKey(key), {
    usages: ['client'],
    validityMs: parseDuration(cfg.certificateValidityPeriod),
    now,
  });
  writeKubeconfig(p(kc.file), {
    clusterName: cfg.clusterName,
    server: kc.local ? localUrl(node) : controlPlaneUrl(cfg, node),
    caPem: ca.certPem,
    user: kc.user,
    clientCertPem: certPem,
    clientKeyPem: privateKeyPem(key),
  });
}

export function runKubeconfigPhase(cfg: ClusterConfig, node: NodeIdentity, names: Array<KubeconfigFile['name']>): void {
  out(`[kubeconfig] Using kubeconfig folder "/etc/kubernetes"`);
  for (const kc of kubeconfigFiles(node.nodeName).filter((k) => names.includes(k.name))) {
    if (fs.existsSync(p(kc.file))) {
      out(`[kubeconfig] Using existing kubeconfig file: "${kc.file}"`);
      continue;
    }
    out(`[kubeconfig] Writing "${path.basename(kc.file)}" kubeconfig file`);
    writeKubeconfigWithCert(cfg, node, kc);
  }
}

/** sha256:<hex> of the CA's SubjectPublicKeyInfo (discovery-token-ca-cert-hash). */
export function caCertHash(caPem: string): string {
  const x = new crypto.X509Certificate(caPem);
  const spki = x.publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${crypto.createHash('sha256').update(spki).digest('hex')}`;
}
