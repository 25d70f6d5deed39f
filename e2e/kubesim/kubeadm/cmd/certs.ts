// kubeadm certs check-expiration | renew all: the kubeadm-managed leaf
// certificates and the client certificates embedded in kubeconfig files.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDuration } from '../../common/duration.js';
import { loadKubeconfig } from '../../common/kubeconfig.js';
import { issueLeaf, leafSpecs, loadCa, type CaName } from '../../pki/kubeadm-pki.js';
import { parseCertificate } from '../../pki/x509.js';
import type { ClusterConfig } from '../config/types.js';
import { out } from '../output.js';
import { p } from '../paths.js';
import { kubeconfigFiles, pkiSpec, writeKubeconfigWithCert, type NodeIdentity } from '../phases/certs.js';

const CA_OF: Record<string, string> = { 'etcd/ca': 'etcd-ca', ca: 'ca', 'front-proxy-ca': 'front-proxy-ca' };
const KUBECONFIG_TITLES: Record<string, string> = {
  admin: 'certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself',
  'super-admin': 'certificate embedded in the kubeconfig file for the super-admin',
  'controller-manager': 'certificate embedded in the kubeconfig file for the controller manager to use',
  scheduler: 'certificate embedded in the kubeconfig file for the scheduler manager to use',
};
const CERT_TITLES: Record<string, string> = {
  apiserver: 'certificate for serving the Kubernetes API',
  'apiserver-etcd-client': 'certificate the apiserver uses to access etcd',
  'apiserver-kubelet-client': 'certificate for the API server to connect to kubelet',
  'etcd/healthcheck-client': 'certificate for liveness probes to healthcheck etcd',
  'etcd/peer': 'certificate for etcd nodes to communicate with each other',
  'etcd/server': 'certificate for serving etcd',
  'front-proxy-client': 'certificate for the front proxy client',
};

/** Renew every existing kubeadm leaf cert and kubeconfig cert, keeping keys. */
export function renewAll(cfg: ClusterConfig, node: NodeIdentity, verbose = true): void {
  const spec = pkiSpec(cfg, node);
  const now = new Date();
  for (const kc of kubeconfigFiles(node.nodeName).filter((k) => k.name !== 'kubelet')) {
    if (!fs.existsSync(p(kc.file))) continue;
    const key = loadKubeconfig(p(kc.file)).key;
    writeKubeconfigWithCert(cfg, node, kc, now, key ? crypto.createPrivateKey(key) : undefined);
    if (verbose) out(`${KUBECONFIG_TITLES[kc.name]} renewed`);
  }
  for (const leaf of leafSpecs(spec)) {
    const crt = path.join(spec.certificatesDir, `${leaf.name}.crt`);
    const keyFile = path.join(spec.certificatesDir, `${leaf.name}.key`);
    if (!fs.existsSync(crt) || !fs.existsSync(keyFile)) continue;
    const ca = loadCa(spec.certificatesDir, leaf.ca as CaName);
    if (!ca) continue;
    // Subject and SANs come from the cluster configuration, the key is kept.
    issueLeaf(spec, leaf, ca, now, crypto.createPrivateKey(fs.readFileSync(keyFile)));
    if (verbose) out(`${CERT_TITLES[leaf.name]} renewed`);
  }
  if (verbose) {
    out('');
    out('Done renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.');
  }
}

function fmtDate(d: Date): string {
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${mon} ${String(d.getUTCDate()).padStart(2, '0')}, ${d.getUTCFullYear()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

function residual(d: Date): string {
  const ms = d.getTime() - Date.now();
  if (ms <= 0) return '<invalid>';
  const days = Math.floor(ms / 86_400_000);
  if (days >= 365 * 2) return `${Math.floor(days / 365)}y`;
  if (days >= 1) return `${days}d`;
  return `${Math.floor(ms / 3_600_000)}h`;
}

export function checkExpiration(cfg: ClusterConfig, nodeName: string): void {
  const dir = p(cfg.certificatesDir);
  const row = (a: string, b: string, c: string, d: string, e: string): string => `${a.padEnd(27)}${b.padEnd(25)}${c.padEnd(16)}${d.padEnd(24)}${e}`;
  out('[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...');
  out("[check-expiration] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.");
  out('');
  out(row('CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'));
  const items: Array<[string, Date | undefined, string]> = [];
  for (const kc of kubeconfigFiles(nodeName).filter((k) => k.name !== 'kubelet')) {
    const file = p(kc.file);
    if (!fs.existsSync(file)) continue;
    const cert = loadKubeconfig(file).cert;
    items.push([path.basename(kc.file), cert ? parseCertificate(cert.toString('utf8')).notAfter : undefined, 'ca']);
  }
  const spec = pkiSpec(cfg, { nodeName, advertiseAddress: '', bindPort: 6443 });
  for (const leaf of leafSpecs(spec).sort((a, b) => a.name.localeCompare(b.name))) {
    const crt = path.join(dir, `${leaf.name}.crt`);
    if (!fs.existsSync(crt)) continue;
    items.push([leaf.name.replace('/', '-'), parseCertificate(fs.readFileSync(crt, 'utf8')).notAfter, CA_OF[leaf.ca]!]);
  }
  for (const [name, exp, ca] of items) out(row(name, exp ? fmtDate(exp) : '', exp ? residual(exp) : '', ca, 'no'));
  out('');
  out(`${'CERTIFICATE AUTHORITY'.padEnd(24)}${'EXPIRES'.padEnd(25)}${'RESIDUAL TIME'.padEnd(16)}EXTERNALLY MANAGED`);
  for (const ca of ['ca', 'etcd/ca', 'front-proxy-ca']) {
    const crt = path.join(dir, `${ca}.crt`);
    if (!fs.existsSync(crt)) continue;
    const exp = parseCertificate(fs.readFileSync(crt, 'utf8')).notAfter;
    out(`${CA_OF[ca]!.padEnd(24)}${fmtDate(exp).padEnd(25)}${residual(exp).padEnd(16)}no`);
  }
  void parseDuration;
}
