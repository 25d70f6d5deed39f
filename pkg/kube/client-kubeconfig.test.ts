import { expect } from 'chai';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { parse } from 'yaml';
import { generateClientKubeconfig } from './client-kubeconfig.js';
import { TestPki } from './testing/test-pki.js';

describe('kubeconfig generate: a client certificate signed by the cluster CA', () => {
  const pki = new TestPki();
  after(() => pki.destroy());

  it('has the CN and O asked for, client auth only, the TTL, and the CA and endpoint in a kubeconfig', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const text = generateClientKubeconfig(
      { cert: pki.file('ca.crt').toString(), key: pki.file('ca.key').toString() },
      { clusterName: 'prod', server: 'https://api.example.com:6443', commonName: 'alice', organizations: ['devs', 'ops'], ttlMs: 3_600_000, now },
    );
    const config = parse(text) as Record<string, any>;
    expect(config).to.deep.include({ apiVersion: 'v1', kind: 'Config', 'current-context': 'alice@prod' });
    expect(config.clusters[0]).to.deep.equal({ name: 'prod', cluster: { server: 'https://api.example.com:6443', 'certificate-authority-data': pki.file('ca.crt').toString('base64') } });
    expect(config.contexts[0]).to.deep.equal({ name: 'alice@prod', context: { cluster: 'prod', user: 'alice@prod' } });
    const cert = new X509Certificate(Buffer.from(config.users[0].user['client-certificate-data'], 'base64'));
    expect(cert.subject.split('\n').sort()).to.deep.equal(['CN=alice', 'O=devs', 'O=ops']);
    expect(cert.verify(new X509Certificate(pki.file('ca.crt')).publicKey)).to.equal(true);
    expect(cert.checkIssued(new X509Certificate(pki.file('ca.crt')))).to.equal(true);
    expect(Date.parse(cert.validTo)).to.equal(now.getTime() + 3_600_000);
    expect(Date.parse(cert.validFrom)).to.be.at.most(now.getTime());
    expect(cert.keyUsage).to.deep.equal(['1.3.6.1.5.5.7.3.2']);
    // The key in the kubeconfig is the certificate's.
    const key = createPrivateKey(Buffer.from(config.users[0].user['client-key-data'], 'base64'));
    expect(createPublicKey(key).export({ type: 'spki', format: 'der' }).equals(cert.publicKey.export({ type: 'spki', format: 'der' }))).to.equal(true);
  });

  it('never outlives the CA', () => {
    const ca = new X509Certificate(pki.file('ca.crt'));
    const text = generateClientKubeconfig(
      { cert: pki.file('ca.crt').toString(), key: pki.file('ca.key').toString() },
      { clusterName: 'prod', server: 'https://a:6443', commonName: 'x', organizations: ['y'], ttlMs: 10 * 365 * 86_400_000, now: new Date() },
    );
    const cert = new X509Certificate(Buffer.from((parse(text) as any).users[0].user['client-certificate-data'], 'base64'));
    expect(Date.parse(cert.validTo)).to.equal(Date.parse(ca.validTo));
  });
});
