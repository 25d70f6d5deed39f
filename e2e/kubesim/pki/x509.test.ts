import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureAllCerts, loadCa, type PkiSpec } from './kubeadm-pki.js';
import { createCsr, generateKey, parseCertificate, parseCsr, toPem } from './x509.js';

function spec(dir: string, over: Partial<PkiSpec> = {}): PkiSpec {
  return {
    certificatesDir: dir,
    nodeName: 'cp-1',
    advertiseAddress: '10.0.0.11',
    controlPlaneEndpoint: 'api.example.test:6443',
    apiServerCertSANs: ['10.0.0.100', 'lb.example.test'],
    etcdServerCertSANs: [],
    etcdPeerCertSANs: [],
    serviceSubnet: '10.96.0.0/12',
    dnsDomain: 'cluster.local',
    encryptionAlgorithm: 'ECDSA-P256',
    certificateValidityMs: 365 * 24 * 3_600_000,
    caCertificateValidityMs: 10 * 365 * 24 * 3_600_000,
    ...over,
  };
}

describe('kubeadm PKI', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-pki-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the kubeadm file set, leafs verify against their CA', () => {
    const created = ensureAllCerts(spec(dir), () => {});
    expect(created).to.include.members(['ca', 'apiserver', 'etcd/server', 'etcd/peer', 'front-proxy-client', 'apiserver-etcd-client']);
    for (const f of ['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'etcd/ca.crt', 'front-proxy-ca.crt', 'apiserver-kubelet-client.crt', 'etcd/healthcheck-client.crt']) {
      expect(fs.existsSync(path.join(dir, f)), f).to.equal(true);
    }
    const ca = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'ca.crt')));
    const api = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'apiserver.crt')));
    expect(api.verify(ca.publicKey)).to.equal(true);
    expect(api.checkIssued(ca)).to.equal(true);
    expect(ca.ca).to.equal(true);
    expect(api.ca).to.equal(false);
    expect(api.subjectAltName).to.include('DNS:kubernetes.default.svc.cluster.local');
    expect(api.subjectAltName).to.include('IP Address:10.96.0.1');
    expect(api.subjectAltName).to.include('IP Address:10.0.0.11');
    expect(api.subjectAltName).to.include('DNS:api.example.test');
    expect(api.subjectAltName).to.include('IP Address:10.0.0.100');
    const etcdCa = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'etcd/ca.crt')));
    const peer = new crypto.X509Certificate(fs.readFileSync(path.join(dir, 'etcd/peer.crt')));
    expect(peer.checkIssued(etcdCa)).to.equal(true);
    expect(peer.verify(etcdCa.publicKey)).to.equal(true);
    expect(peer.subject).to.equal('CN=cp-1');
  });

  it('gives CAs 10 years and leafs 1 year by default, or the configured periods', () => {
    ensureAllCerts(spec(dir, { certificateValidityMs: 48 * 3_600_000 }), () => {});
    const ca = parseCertificate(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'));
    const leaf = parseCertificate(fs.readFileSync(path.join(dir, 'apiserver.crt'), 'utf8'));
    const years = (ca.notAfter.getTime() - Date.now()) / (365 * 24 * 3_600_000);
    expect(years).to.be.closeTo(10, 0.01);
    expect((leaf.notAfter.getTime() - Date.now()) / 3_600_000).to.be.closeTo(48, 0.1);
  });

  it('keeps existing certificates and rejects one missing a required SAN', () => {
    ensureAllCerts(spec(dir), () => {});
    const before = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
    const again = ensureAllCerts(spec(dir), () => {});
    expect(again).to.deep.equal([]);
    expect(fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8')).to.equal(before);
    expect(() => ensureAllCerts(spec(dir, { apiServerCertSANs: ['new.example.test'] }), () => {})).to.throw(/apiserver is invalid/);
  });

  it('is accepted by openssl (RSA keys, kubeadm default)', function () {
    try {
      execFileSync('openssl', ['version']);
    } catch {
      this.skip();
    }
    ensureAllCerts(spec(dir, { encryptionAlgorithm: 'RSA-2048' }), () => {}, new Date(), ['ca', 'apiserver']);
    const out = execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.crt'), path.join(dir, 'apiserver.crt')]).toString();
    expect(out).to.match(/OK/);
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', path.join(dir, 'apiserver.crt')]).toString();
    expect(text).to.match(/TLS Web Server Authentication/);
    expect(text).to.match(/Digital Signature, Key Encipherment/);
    expect(loadCa(dir, 'ca')!.key.asymmetricKeyType).to.equal('rsa');
  });

  it('round-trips a PKCS#10 request and rejects a tampered one', () => {
    const key = generateKey('ECDSA-P256');
    const csr = createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] }, key);
    const parsed = parseCsr(toPem('CERTIFICATE REQUEST', csr));
    expect(parsed.commonName).to.equal('system:node:w1');
    expect(parsed.organizations).to.deep.equal(['system:nodes']);
    const bad = Buffer.from(csr);
    const at = bad.indexOf(Buffer.from(':w1'));
    bad[at + 2] = 0x32; // system:node:w2

    expect(() => parseCsr(bad)).to.throw();
  });
});
