import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import type { KubeOneCluster } from '../api/types.js';
import { CA_CERT_PATH, CA_KEY_PATH } from './certificates.js';
import { clusterRenderer, completeAddon, type LeaderFiles } from './cluster-render.js';
import { nodeFiles } from './files.js';
import { fullObject, needsClusterCA } from './render.js';
import { KEY_USAGE, createCertificate, pem } from './template/x509.js';
import { loadedCluster, memoryFiles } from './testing/fixtures.js';

const ONLY_CUSTOM: Partial<KubeOneCluster> = {
  clusterNetwork: { cni: { external: {} } },
  features: { metricsServer: { enable: false }, nodeLocalDNS: { deploy: false }, coreDNS: { deployPodDisruptionBudget: false } },
  addons: { path: './addons' },
};

function leaderWithCA(): LeaderFiles & { reads: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = createCertificate(
    { serial: 1n, commonName: 'kubernetes', notBefore: new Date('2025-01-01'), notAfter: new Date('2035-01-01'), keyUsage: KEY_USAGE.certSign, extKeyUsage: [], basicConstraintsValid: true, isCA: true },
    publicKey,
    privateKey,
  );
  const files: Record<string, string> = { [CA_CERT_PATH]: pem('CERTIFICATE', der), [CA_KEY_PATH]: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
  const reads: string[] = [];
  return {
    reads,
    readFile: async (p) => {
      reads.push(p);
      return Buffer.from(files[p]!);
    },
  };
}

describe('clusterRenderer', () => {
  const files = memoryFiles({
    '/cluster/addons/tls/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tls, namespace: kube-system}\ndata:\n  crt: {{ .Certificates.MetricsServerCert | quote }}\n  policy: {{ .SnapshotterWebhookFailurePolicy }}\n',
  }, nodeFiles);
  const data = (a: { objects: { kind: string }[] }) => fullObject(a.objects[0] as never).data as Record<string, string>;

  it('reads the CA from the leader only for addons that use certificates, and keeps one render per manifest', async () => {
    const renderer = clusterRenderer({ files });
    const loaded = loadedCluster(ONLY_CUSTOM);
    const leader = leaderWithCA();
    const first = await renderer.render(loaded, { clusterExists: false });
    expect(needsClusterCA(first.find((a) => a.name === 'tls')!)).to.equal(true);
    expect(leader.reads).to.deep.equal([]);
    const withCA = await renderer.render(loaded, { clusterExists: true, leader });
    const tls = withCA.find((a) => a.name === 'tls')!;
    expect(leader.reads).to.deep.equal([CA_CERT_PATH, CA_KEY_PATH]);
    expect(data(tls).crt).to.match(/^-----BEGIN CERTIFICATE-----/);
    // The existence seen first in the run stays (KubeOne: Ignore during the first install).
    expect(data(tls).policy).to.equal('Ignore');
    expect(await renderer.render(loaded, { clusterExists: true })).to.equal(withCA);
  });

  it('does not read the CA when no addon uses certificates', async () => {
    const plain = memoryFiles({ '/cluster/addons/p/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: p, namespace: default}\n' }, nodeFiles);
    const leader = leaderWithCA();
    const out = await clusterRenderer({ files: plain }).render(loadedCluster(ONLY_CUSTOM), { clusterExists: true, leader });
    expect(out.some(needsClusterCA)).to.equal(false);
    expect(leader.reads).to.deep.equal([]);
  });

  it('completes an addon at apply time with the CA the new cluster has', async () => {
    const [tls] = (await clusterRenderer({ files }).render(loadedCluster(ONLY_CUSTOM), { clusterExists: false })).filter((a) => a.name === 'tls');
    const done = await completeAddon(tls!, leaderWithCA());
    expect(data(done).crt).to.match(/^-----BEGIN CERTIFICATE-----/);
    expect(data(done).policy).to.equal('Ignore');
    let message = '';
    try {
      await completeAddon(tls!, undefined);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.equal('addon tls needs the cluster CA, and no leader is known to read it from');
  });
});
