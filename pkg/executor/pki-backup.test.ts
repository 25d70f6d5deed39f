import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { backupPki } from './pki-backup.js';
import { FakeTransport } from '../ops/testing/fake-transport.js';
import { SHARED_PKI } from '../ops/pki.js';

function leaderWithCa(marker: string): FakeTransport {
  const leader = new FakeTransport('cp-1');
  for (const f of SHARED_PKI) leader.files.set(`/etc/kubernetes/pki/${f}`, { content: Buffer.from(`-----BEGIN ${f} ${marker}-----\n`) });
  return leader;
}

describe('PKI backup', () => {
  it("writes a 0600 tar.gz of the CA material under KubeOne's archive paths that tar can read back", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pki-')), 'backup.tar.gz');
    expect(await backupPki(leaderWithCa('a'), out)).to.deep.equal({ written: true });
    expect(statSync(out).mode & 0o777).to.equal(0o600);
    const listing = execFileSync('tar', ['-tzf', out]).toString().trim().split('\n');
    // KubeOne's backup stores each file under its absolute path without the leading slash.
    expect(listing).to.deep.equal(SHARED_PKI.map((f) => `etc/kubernetes/pki/${f}`));
    expect(execFileSync('tar', ['-xzOf', out, 'etc/kubernetes/pki/etcd/ca.key']).toString()).to.equal('-----BEGIN etcd/ca.key a-----\n');
  });

  it('leaves an identical backup alone, and moves a different file aside instead of overwriting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pki-'));
    const out = join(dir, 'cluster.tar.gz');
    await backupPki(leaderWithCa('a'), out, new Date('2026-01-02T03:04:05.678Z'));
    const first = readFileSync(out);
    expect(await backupPki(leaderWithCa('a'), out, new Date('2026-02-02T00:00:00Z'))).to.deep.equal({ written: false, reason: 'unchanged' });
    expect(readFileSync(out).equals(first)).to.equal(true);

    writeFileSync(out, 'a backup some other tool wrote');
    expect(await backupPki(leaderWithCa('a'), out, new Date('2026-03-04T05:06:07.890Z'))).to.deep.equal({ written: true, movedAside: `${out}.20260304T050607Z` });
    expect(readFileSync(`${out}.20260304T050607Z`, 'utf8')).to.equal('a backup some other tool wrote');
    expect(readFileSync(out).equals(first)).to.equal(true);

    // A new CA: the earlier backup is kept too.
    await backupPki(leaderWithCa('b'), out, new Date('2026-04-01T00:00:00Z'));
    expect(readFileSync(`${out}.20260401T000000Z`).equals(first)).to.equal(true);
    expect(readdirSync(dir).sort()).to.deep.equal(['cluster.tar.gz', 'cluster.tar.gz.20260304T050607Z', 'cluster.tar.gz.20260401T000000Z']);
  });
});
