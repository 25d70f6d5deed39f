import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KnownHosts } from './known-hosts.js';

const key = (byte: number): Buffer => {
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.alloc(4 + type.length + 4 + 32, byte);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(32, 4 + type.length);
  return blob;
};

describe('known_hosts', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kubeone-known-hosts-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is read once when many connections load it at the same time, and recording a host adds one line', async () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, [`[10.0.0.1]:22 ssh-ed25519 ${key(1).toString('base64')}`, `[10.0.0.2]:22 ssh-ed25519 ${key(2).toString('base64')}`, ''].join('\n'));
    const knownHosts = new KnownHosts(file);
    await Promise.all(Array.from({ length: 20 }, () => knownHosts.load()));
    expect(knownHosts.lookup('[10.0.0.1]:22')).to.have.length(1);
    expect(await knownHosts.verify('[10.0.0.3]:22', key(3), ['h3'])).to.deep.equal({ ok: true, recorded: true });
    expect(readFileSync(file, 'utf8').trim().split('\n')).to.have.length(3);
    const changed = await knownHosts.verify('[10.0.0.1]:22', key(9), ['h1']);
    expect(changed.ok).to.equal(false);
  });
});
