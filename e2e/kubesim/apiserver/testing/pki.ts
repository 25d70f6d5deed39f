// Throwaway PKI for tests, made with the openssl CLI (node:crypto cannot sign
// certificates). EC P-256 keys keep generation fast.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CertPair {
  certFile: string;
  keyFile: string;
}

export interface CertSpec {
  commonName: string;
  organizations?: string[];
  /** Subject alternative names, e.g. ['IP:127.0.0.1', 'DNS:localhost']. */
  altNames?: string[];
  usage: 'server' | 'client' | 'both';
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function subject(spec: { commonName: string; organizations?: string[] }): string {
  const escape = (v: string): string => v.replace(/[/\\]/g, (c) => `\\${c}`);
  return [...(spec.organizations ?? []).map((o) => `/O=${escape(o)}`), `/CN=${escape(spec.commonName)}`].join('');
}

/** Create a self-signed CA as <dir>/<name>.crt and <dir>/<name>.key. */
export function createCA(dir: string, name: string, commonName: string): CertPair {
  fs.mkdirSync(dir, { recursive: true });
  const pair = { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\n');
  openssl(
    ['req', '-x509', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', pair.keyFile, '-out', pair.certFile, '-days', '30', '-subj', subject({ commonName }),
      '-extensions', 'v3_ca', '-config', writeReqConfig(dir, name, ext)],
    dir,
  );
  return pair;
}

function writeReqConfig(dir: string, name: string, extFile: string): string {
  const cfg = path.join(dir, `${name}.cnf`);
  fs.writeFileSync(cfg, `[req]\ndistinguished_name=dn\n[dn]\n[v3_ca]\n${fs.readFileSync(extFile, 'utf8')}`);
  return cfg;
}

/** Create a leaf certificate signed by ca as <dir>/<name>.crt/.key. */
export function createCert(dir: string, name: string, ca: CertPair, spec: CertSpec): CertPair {
  fs.mkdirSync(dir, { recursive: true });
  const pair = { certFile: path.join(dir, `${name}.crt`), keyFile: path.join(dir, `${name}.key`) };
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  const eku = spec.usage === 'server' ? 'serverAuth' : spec.usage === 'client' ? 'clientAuth' : 'serverAuth,clientAuth';
  const lines = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${eku}`];
  if (spec.altNames?.length) lines.push(`subjectAltName=${spec.altNames.join(',')}`);
  fs.writeFileSync(ext, lines.join('\n') + '\n');
  openssl(
    ['req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', pair.keyFile, '-out', csr, '-subj', subject(spec)],
    dir,
  );
  openssl(
    ['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial',
      String(Date.now() * 1000 + Math.floor(Math.random() * 1000)), '-out', pair.certFile, '-days', '30', '-extfile', ext],
    dir,
  );
  return pair;
}

/** The certificates a kubeadm-like control plane needs, laid out like /etc/kubernetes/pki. */
export interface ClusterPki {
  dir: string;
  ca: CertPair;
  apiserver: CertPair;
  admin: CertPair;
  etcdCa: CertPair;
  etcdServer: CertPair;
  apiserverEtcdClient: CertPair;
  /** Service account token signing key pair (sa.key / sa.pub, RSA like kubeadm's). */
  serviceAccount: { keyFile: string; pubFile: string };
}

export function createServiceAccountKeys(dir: string): { keyFile: string; pubFile: string } {
  const keyFile = path.join(dir, 'sa.key');
  const pubFile = path.join(dir, 'sa.pub');
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyFile], dir);
  openssl(['pkey', '-in', keyFile, '-pubout', '-out', pubFile], dir);
  return { keyFile, pubFile };
}

export function createClusterPki(dir: string): ClusterPki {
  const ca = createCA(dir, 'ca', 'kubernetes');
  const etcdCa = createCA(path.join(dir, 'etcd'), 'ca', 'etcd-ca');
  return {
    dir,
    ca,
    etcdCa,
    apiserver: createCert(dir, 'apiserver', ca, {
      commonName: 'kube-apiserver',
      usage: 'server',
      altNames: ['IP:127.0.0.1', 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'IP:10.96.0.1'],
    }),
    admin: createCert(dir, 'admin', ca, { commonName: 'kubernetes-admin', organizations: ['kubeadm:cluster-admins'], usage: 'client' }),
    etcdServer: createCert(path.join(dir, 'etcd'), 'server', etcdCa, {
      commonName: 'etcd-server',
      usage: 'both',
      altNames: ['IP:127.0.0.1', 'DNS:localhost'],
    }),
    apiserverEtcdClient: createCert(dir, 'apiserver-etcd-client', etcdCa, { commonName: 'kube-apiserver-etcd-client', usage: 'client' }),
    serviceAccount: createServiceAccountKeys(dir),
  };
}
