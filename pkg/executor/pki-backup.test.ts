import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { backupPki } from './pki-backup.js';
import { FakeTransport } from '../ops/testing/fake-transport.js';
import { SHARED_PKI } from '../ops/pki.js';

describe('PKI backup', () => {
  it('writes a 0600 tar.gz of the CA material that tar can read back', async () => {
    const leader = new FakeTransport('cp-1');
    for (const f of SHARED_PKI) leader.files.set(`/etc/kubernetes/pki/${f}`, { content: Buffer.from(`-----BEGIN ${f}-----\n`) });
    const out = join(mkdtempSync(join(tmpdir(), 'pki-')), 'backup.tar.gz');
    await backupPki(leader, out);
    expect(statSync(out).mode & 0o777).to.equal(0o600);
    const listing = execFileSync('tar', ['-tzf', out]).toString().trim().split('\n');
    expect(listing).to.deep.equal(SHARED_PKI.map((f) => `pki/${f}`));
    expect(execFileSync('tar', ['-xzOf', out, 'pki/etcd/ca.key']).toString()).to.equal('-----BEGIN etcd/ca.key-----\n');
  });
});
