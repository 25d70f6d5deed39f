// Fixtures for addon tests: a minimal loaded cluster and an in-memory file tree.
import { posix } from 'node:path';
import type { KubeOneCluster, LoadedCluster } from '../../api/types.js';
import type { AddonFiles } from '../files.js';
import type { ClusterCA } from '../certificates.js';
import { KEY_USAGE, createCertificate, pem } from '../template/x509.js';
import { generateKeyPairSync } from 'node:crypto';

export function loadedCluster(overrides: Partial<KubeOneCluster> = {}, credentials: Record<string, string> = {}): LoadedCluster {
  return {
    manifestPath: '/cluster/kubeone.yaml',
    baseDir: '/cluster',
    cluster: {
      apiVersion: 'kubeone.k8c.io/v1beta2',
      kind: 'KubeOneCluster',
      name: 'sandbox',
      versions: { kubernetes: '1.35.1' },
      cloudProvider: { none: {} },
      apiEndpoint: { host: '172.18.0.2', port: 6443 },
      ...overrides,
    },
    hosts: [],
    credentials,
    warnings: [],
  };
}

/** An AddonFiles over a path -> content map; directories are implied by the paths. */
export function memoryFiles(tree: Record<string, string>, fallback?: AddonFiles): AddonFiles {
  return {
    readFile(p) {
      if (p in tree) return tree[p]!;
      if (fallback) return fallback.readFile(p);
      throw new Error(`ENOENT: ${p}`);
    },
    readDir(p) {
      const prefix = p.endsWith('/') ? p : `${p}/`;
      const names = new Map<string, boolean>();
      for (const path of Object.keys(tree)) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const [first, ...more] = rest.split('/');
        names.set(first!, more.length > 0 || (names.get(first!) ?? false));
      }
      if (!names.size) return fallback ? fallback.readDir(p) : null;
      return [...names.entries()].map(([name, dir]) => ({ name, dir }));
    },
  };
}

export const join = posix.join;

/** A cluster CA as kubeadm makes it: RSA 2048, self-signed, CN kubernetes, 10 years. */
export function makeCA(): ClusterCA {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = createCertificate(
    {
      serial: 1n,
      commonName: 'kubernetes',
      notBefore: new Date('2025-06-01T00:00:00Z'),
      notAfter: new Date('2035-05-30T00:00:00Z'),
      keyUsage: KEY_USAGE.digitalSignature | KEY_USAGE.keyEncipherment | KEY_USAGE.certSign,
      extKeyUsage: [],
      basicConstraintsValid: true,
      isCA: true,
    },
    publicKey,
    privateKey,
  );
  return { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
}
